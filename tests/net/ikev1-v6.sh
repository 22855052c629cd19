#!/bin/bash
# ikev1-v6.sh - IKEv1 over IPv6: coatid to coatid, then strongSwan to coatid.
#
#   [laptop] 2001:db8:1::1 + inner 2001:db8:3::1 (and 10.2.0.1)
#      | veth   IKE on [2001:db8:1::1]:500, raw ESP (coati) or ESP-in-UDP 4500 (charon)
#   [gw] coatid 2001:db8:1::2, "remote anonymous", generate_policy --- [lan] 2001:db8:2::2
#
# 1. coatid on laptop with `remote 2001:db8:1::2` and unique policies 2001:db8:3::/64 <->
#    2001:db8:2::/64 (and 10.2.0.0/24 <-> 10.1.0.0/24: IPv4 inside an IPv6 tunnel): a
#    ping starts Main Mode + Quick Mode over IPv6; pings and TCP pass; gw generated the
#    policies from the Quick Mode IDs of either family; only ESP on the wire.
# 2. strongSwan (kernel-libipsec) on laptop initiates over IPv6: NAT-T over IPv6 (it fakes
#    NAT-D, so both float to 4500), traffic through, Delete honoured.
. "$(dirname "$0")/lib.sh"

topo_direct
ike_racoon_conf laptop 2001:db8:1::2 laptop@coati.test gw@coati.test > "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
cat > "$T/laptop.setkey" <<EOF2
spdadd 2001:db8:3::/64 2001:db8:2::/64 any -P out ipsec esp/tunnel/2001:db8:1::1-2001:db8:1::2/unique;
spdadd 2001:db8:2::/64 2001:db8:3::/64 any -P in ipsec esp/tunnel/2001:db8:1::2-2001:db8:1::1/unique;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/2001:db8:1::1-2001:db8:1::2/unique;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/2001:db8:1::2-2001:db8:1::1/unique;
EOF2
ike_psk_file gw
ike_psk_file laptop
start_coatid_conf gw "$T/gw.ike"
start_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"

say "coatid to coatid over IPv6"
capture_start gw eth0 wire
check "first ping6 laptop -> lan host (queued during the negotiation) is answered" \
	n laptop ping -6 -q -c 1 -W 15 -I 2001:db8:3::1 2001:db8:2::2
check "first ping laptop -> lan host over the IPv6 tunnel is answered" \
	n laptop ping -q -c 1 -W 15 -I 10.2.0.1 10.1.0.2
check "laptop: the ESP pairs for both selectors" wait_for 5 ike_sa_count_is laptop -eq 4
check_eq "gw: the ESP pairs for both selectors" "$(ike_sa_count gw)" 4
check_eq "gw generated four policies from the Quick Mode IDs" "$(count_entries gw -DP)" 4
ike_check_isakmp laptop "2001:db8:1::2 established initiator no-nat-t 2"
ike_check_isakmp gw "2001:db8:1::1 established responder no-nat-t 2"
check "5 pings6 laptop -> lan host" ping_ok laptop 2001:db8:3::1 2001:db8:2::2 5
check "5 pings6 lan host -> laptop" ping_ok lan 2001:db8:2::2 2001:db8:3::1 5
check "TCP 256 KiB laptop -> lan over IPv6, sha256 equal" \
	tcp_transfer lan 2001:db8:2::2 laptop 2001:db8:3::1 256
capture_stop wire
check_gt "raw ESP over IPv6 on the wire" "$(pcap_count wire "ip6 proto 50")" 10
check_eq "no cleartext inner traffic on the wire" \
	"$(pcap_count wire "ip6 net 2001:db8:2::/64 or ip6 net 2001:db8:3::/64 or net 10.0.0.0/8")" 0
check_eq "IKE went over IPv6 only" "$(pcap_count wire "ip and udp port 500")" 0
stop_coatid laptop

say "strongSwan to coatid over IPv6"
check "gw: flush-sa isakmp" ctl gw flush-sa isakmp
swan_v1_conf 2001:db8:1::1 2001:db8:1::2 2001:db8:3::/64 2001:db8:2::/64 fqdn:laptop@coati.test \
	fqdn:gw@coati.test > "$T/laptop.swanctl"
swan_up laptop "$T/laptop.swanctl" || die "charon did not start in laptop"
capture_start gw eth0 swire
check "strongSwan initiates over IPv6, coatid responds" \
	swan laptop --initiate --ike v1 --child net --timeout 20
sas=$(swan_sas laptop)
printf '%s\n' "$sas" | sed 's/^/    /' >&2
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" swan_established laptop
check "laptop: IKE floated to [2001:db8:1::2]:4500" grep -q "@ 2001:db8:1::2\[4500\]" <<< "$sas"
ike_check_sas gw udp 2001:db8:1::1 2001:db8:1::2
ike_check_spis gw "$(swan_child_spis laptop)"
check "5 pings6 laptop -> lan host" ping_ok laptop 2001:db8:3::1 2001:db8:2::2 5
check "5 pings6 lan host -> laptop" ping_ok lan 2001:db8:2::2 2001:db8:3::1 5
check "TCP 256 KiB lan -> laptop over IPv6, sha256 equal" \
	tcp_transfer laptop 2001:db8:3::1 lan 2001:db8:2::2 256
capture_stop swire
check_gt "ESP-in-UDP over IPv6 on the wire" "$(pcap_count swire "ip6 and udp port 4500")" 10
check_eq "no cleartext inner traffic on the wire" \
	"$(pcap_count swire "ip6 net 2001:db8:2::/64 or ip6 net 2001:db8:3::/64")" 0
ike_check_delete gw 10 swan laptop --terminate --ike v1 --timeout 10
ike_finish gw laptop
