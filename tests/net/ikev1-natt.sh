#!/bin/bash
# ikev1-natt.sh - IKEv1 through a masquerading NAT router: coatid behind it, then charon.
#
#   [laptop] 198.51.100.2 (+ inner 10.2.0.1), default via the NAT
#      | veth
#   [nat] nftables masquerade out of eth1 (192.0.2.254)
#      | veth
#   [gw] coatid 192.0.2.2, "remote anonymous", generate_policy --- [lan] 10.1.0.2
#
# 1. coatid on laptop (timer { natt_keepalive 1 sec; }) initiates from an ACQUIRE: NAT-D
#    finds the NAT in front of laptop, both float to 4500, ESP in UDP through the NAT,
#    pings and TCP pass; when the tunnel is idle laptop sends NAT-keepalives (RFC 3948
#    2.3: one 0xFF byte) and gw, which no NAT hides, sends none.
# 2. charon (kernel-libipsec) on laptop initiates to the same coatid through the NAT.
. "$(dirname "$0")/lib.sh"

topo_nat
{
	ike_racoon_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test
	printf 'timer {\n\tnatt_keepalive 1 sec;\n}\n'
} > "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
cat > "$T/laptop.setkey" <<EOF2
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/198.51.100.2-192.0.2.2/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-198.51.100.2/require;
EOF2
ike_psk_file gw
ike_psk_file laptop
start_coatid_conf gw "$T/gw.ike"
start_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"

say "coatid behind the NAT"
capture_start gw eth0 wire
check "first ping laptop -> lan host through the NAT is answered" \
	ping_first_ok laptop 10.2.0.1 10.1.0.2
ike_check_isakmp laptop "192.0.2.2 established initiator nat-t 1"
ike_check_isakmp gw "192.0.2.254 established responder nat-t 1"
ike_check_sas gw udp 192.0.2.254 192.0.2.2
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
check "TCP 256 KiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 256
capture_stop wire
check_gt "ESP in UDP 4500 from the NAT on gw's wire" \
	"$(pcap_count wire "src host 192.0.2.254 and udp dst port 4500 and udp[4:2] > 100")" 10
check_eq "no raw ESP, no cleartext" "$(pcap_count wire "ip proto 50 or net 10.0.0.0/8")" 0

say "NAT-keepalives while the tunnel is idle"
capture_start gw eth0 idle
sleep 4
capture_stop idle
check_gt "laptop sent NAT-keepalives through the NAT (1 byte to 4500)" \
	"$(pcap_count idle "src host 192.0.2.254 and udp dst port 4500 and udp[4:2] = 9 and udp[8] = 0xff")" 1
check_eq "gw sent none" "$(pcap_count idle "src host 192.0.2.2 and udp[4:2] = 9")" 0
stop_coatid laptop

say "charon behind the NAT"
check "gw: flush-sa isakmp" ctl gw flush-sa isakmp
swan_v1_conf 198.51.100.2 192.0.2.2 10.2.0.0/24 10.1.0.0/24 fqdn:laptop@coati.test \
	fqdn:gw@coati.test > "$T/laptop.swanctl"
swan_up laptop "$T/laptop.swanctl" || die "charon did not start in laptop"
check "strongSwan initiates through the NAT, coatid responds" \
	swan laptop --initiate --ike v1 --child net --timeout 20
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" swan_established laptop
ike_check_sas gw udp 192.0.2.254 192.0.2.2
ike_check_spis gw "$(swan_child_spis laptop)"
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
ike_check_delete gw 10 swan laptop --terminate --ike v1 --timeout 10
ike_finish gw laptop
