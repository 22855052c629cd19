#!/bin/bash
# ikev1-frag.sh - IKE fragmentation between two coatids (racoon.conf ike_frag force).
#
#   [laptop] coatid 192.0.2.1 + inner 10.2.0.1, "remote 192.0.2.2", require policies
#      | veth   IKE on 500 (no NAT: nat_traversal on does not float), raw ESP
#   [gw] coatid 192.0.2.2, "remote anonymous", generate_policy on --- [lan] 10.1.0.2
#
# Both ends have ike_frag force and use modp4096 for phase 1 and PFS, so MM3/MM4 and
# QM1/QM2 (each with a 512-byte KE) exceed the 576-byte IPv4 fragment size and travel
# as ISAKMP fragment payloads (next payload 132) on the wire. A ping from laptop
# negotiates; the capture on gw's eth0 must hold fragments from both ends, reassembled
# into an ISAKMP SA and two ESP SAs on each end, and pings answered.
# Then both restart with nat_traversal force and esp_frag 552: ESP goes in UDP 4500 and
# every outer packet must stay within 552 bytes with no IP fragment on the wire, while
# 1228-byte pings (ping -s 1200) and TCP transfers (sha256 compared) get through: the
# inner IPv4 packets are fragmented before encapsulation, and TCP (DF set) learns the
# path MTU from the ICMP "fragmentation needed" coatid writes back through ipsec0.
# IPv6 inner packets (never fragmented on the way) that do not fit get ICMPv6 packet
# too big through ipsec0 instead; small ones pass.
. "$(dirname "$0")/lib.sh"

# frag_conf ROLE REMOTE MY_ID PEERS_ID [EXTRA [NATT]]: ike_racoon_conf with modp4096,
# ike_frag force, the remote setting EXTRA and nat_traversal NATT (default on).
frag_conf() {
	ike_racoon_conf "$1" "$2" "$3" "$4" "${6:-on}" |
		sed -e 's/dh_group 14;/dh_group 16;/' -e 's/pfs_group 14;/pfs_group 16;/' \
			-e "s/^\(\s*\)generate_policy on;/&\n\1ike_frag force;\n\1${5:-}/"
}

# frag_count NAME SRC: ISAKMP datagrams on port 500 from SRC whose first payload is a
# fragment (next payload octet at offset 16 of the ISAKMP header, after the UDP header).
frag_count() {
	pcap_count "$1" "src $2 and udp port 500 and udp[24] == 132"
}

topo_direct
frag_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test > "$T/laptop.ike"
frag_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
ike_pair_up "$T/laptop.ike" "$T/gw.ike"

say "ike_frag force, modp4096: Main Mode and Quick Mode in fragments"
capture_start gw eth0 ike
check "first ping laptop -> lan host (queued during the negotiation) is answered" \
	n laptop ping -q -c 1 -W 15 -I 10.2.0.1 10.1.0.2
capture_stop ike
ike_check_sas laptop raw
ike_check_sas gw raw
ike_check_isakmp laptop "192.0.2.2 established initiator no-nat-t 1"
ike_check_isakmp gw "192.0.2.1 established responder no-nat-t 1"
check_gt "ISAKMP fragments from laptop on the wire" "$(frag_count ike 192.0.2.1)" 3
check_gt "ISAKMP fragments from gw on the wire" "$(frag_count ike 192.0.2.2)" 3
check_eq "no IKE datagram over 576 bytes on the wire" \
	"$(pcap_count ike "udp port 500 and ip[2:2] > 576")" 0
if command -v tshark >/dev/null 2>&1; then
	check_gt "tshark decodes ISAKMP Fragment payloads" \
		"$(tshark -r "$T/ike.pcap" -Y 'isakmp.nextpayload == 132' 2>/dev/null | wc -l)" 7
fi
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5

# pings_answered ROLE SRC DST SIZE COUNT: how many of COUNT pings of SIZE came back.
pings_answered() {
	n "$1" ping -c "$5" -i 0.2 -W 2 -s "$4" -I "$2" "$3" 2>/dev/null |
		awk '/packets transmitted/ { print $4 }'
}

say "nat_traversal force, esp_frag 552: inner fragmentation before ESP-in-UDP"
frag_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test "esp_frag 552;" force \
	> "$T/laptop-ef.ike"
frag_conf gw anonymous gw@coati.test laptop@coati.test "esp_frag 552;" force > "$T/gw-ef.ike"
# UDP GSO sends cross a veth unsegmented; a real NIC segments them. One segment per
# packet on both veth ends makes the kernel segment them before the capture sees them.
n laptop ip link set dev eth0 gso_max_segs 1
n gw ip link set dev eth0 gso_max_segs 1
restart_coatid_conf gw "$T/gw-ef.ike"
restart_coatid_conf laptop "$T/laptop-ef.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
capture_start gw eth0 ef
check "ping laptop -> lan host negotiates (NAT-T forced)" ping_first_ok laptop 10.2.0.1 10.1.0.2
ike_check_sas laptop udp
ike_check_sas gw udp
capture_start laptop ipsec0 icmp icmp or icmp6
# the first big ping may go before the kernel learnt the path MTU from our ICMP
check_gt "pings of 1228 bytes laptop -> lan host answered (of 6)" \
	"$(pings_answered laptop 10.2.0.1 10.1.0.2 1200 6)" 3
check_gt "pings of 1228 bytes lan host -> laptop answered (of 6)" \
	"$(pings_answered lan 10.1.0.2 10.2.0.1 1200 6)" 3
# IPv6 inner traffic through the same tunnel (the SAs go by their endpoints)
cat > "$T/v6.setkey" <<EOF2
spdadd 2001:db8:3::/64 2001:db8:2::/64 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 2001:db8:2::/64 2001:db8:3::/64 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2
sed -e 's/-P out/-P tmp/; s/-P in/-P out/; s/-P tmp/-P in/' "$T/v6.setkey" > "$T/gw-v6.setkey"
setkey laptop "$T/v6.setkey" || fail "setkey -f on laptop (IPv6 policies)"
setkey gw "$T/gw-v6.setkey" || fail "setkey -f on gw (IPv6 policies)"
check "IPv6 pings of 248 bytes laptop -> lan host answered" \
	n laptop ping -6 -q -c 3 -i 0.2 -W 2 -s 200 -I 2001:db8:3::1 2001:db8:2::2
ptb0=$(counter laptop out_too_big)
check_not "IPv6 pings of 1348 bytes do not fit esp_frag 552" \
	n laptop ping -6 -q -c 2 -i 0.2 -W 2 -s 1300 -I 2001:db8:3::1 2001:db8:2::2
capture_stop icmp
check_gt "laptop answered them with ICMPv6 packet too big (out_too_big)" \
	"$(counter laptop out_too_big)" "${ptb0:-0}"
# aes128 + hmac-sha256 in 552 bytes: 552 - IP, UDP, ESP, IV, ICV = 484 -> 480 in blocks - 2
check_gt "ICMP fragmentation needed (mtu 478) came back through laptop's ipsec0" \
	"$(tcpdump -n -r "$T/icmp.pcap" 2>/dev/null | grep -c 'need to frag (mtu 478)')" 0
check_gt "ICMPv6 packet too big (mtu 478) came back through laptop's ipsec0" \
	"$(tcpdump -n -r "$T/icmp.pcap" 2>/dev/null | grep -c 'packet too big, mtu 478')" 0
check "TCP 256 KiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 256
check "TCP 256 KiB lan -> laptop, sha256 equal" tcp_transfer laptop 10.2.0.1 lan 10.1.0.2 256
capture_stop ef
check_gt "ESP-in-UDP on the wire" "$(pcap_count ef "udp port 4500 and udp[8:4] != 0")" 100
check_eq "ESP-in-UDP packets over 552 bytes" \
	"$(pcap_count ef "udp port 4500 and udp[8:4] != 0 and ip[2:2] > 552")" 0
check_eq "IP fragments on the wire" "$(pcap_count ef "ip[6:2] & 0x3fff != 0")" 0
check_eq "raw ESP on the wire" "$(pcap_count ef esp)" 0
check_eq "cleartext 10.x traffic on the wire" "$(pcap_count ef net 10.0.0.0/8)" 0
for r in laptop gw; do
	check_gt "$r fragmented inner packets (out_fragmented)" "$(counter "$r" out_fragmented)" 10
	check_gt "$r sent ICMP fragmentation needed (out_too_big)" "$(counter "$r" out_too_big)" 0
done
ike_finish gw laptop
