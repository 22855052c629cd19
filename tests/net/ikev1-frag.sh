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
. "$(dirname "$0")/lib.sh"

# frag_conf ROLE REMOTE MY_ID PEERS_ID [EXTRA]: ike_racoon_conf with modp4096,
# ike_frag force and the remote setting EXTRA.
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
cat > "$T/laptop.setkey" <<EOF2
flush;
spdflush;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2
ike_psk_file gw
ike_psk_file laptop
start_coatid_conf gw "$T/gw.ike"
start_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"

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
ike_finish gw laptop
