#!/bin/bash
# ikev1-frag-swan.sh - IKE fragmentation between coatid and strongSwan (fragmentation = force).
#
#   [laptop] charon (kernel-libipsec), 192.0.2.1 + inner 10.2.0.1
#      | veth   IKE 500, then 4500 (libipsec fakes NAT-D: both ends float), ESP-in-UDP
#   [gw] coatid 192.0.2.2 --- [lan] 10.1.0.2
#
# Phase 1 and PFS use modp4096, so the KE messages (MM3/MM4, QM1/QM2) carry 512-byte
# keys; strongSwan's charon.fragment_size is 512 and coatid's IPv4 fragment size 576,
# so those messages go in ISAKMP fragment payloads (next payload 132) both ways.
#  1. strongSwan initiates, coatid responds with ike_frag on ("remote anonymous").
#  2. coatid initiates from an ACQUIRE with ike_frag force, strongSwan responds.
# Each time: IKE SA ESTABLISHED and CHILD_SA INSTALLED on strongSwan, two ESP-in-UDP
# SAs on gw, fragments from both ends in the capture on gw's eth0, pings answered.
. "$(dirname "$0")/lib.sh"

# frag_swan_conf: swan_v1_conf for laptop with modp4096 and fragmentation = force.
frag_swan_conf() {
	swan_v1_conf 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 fqdn:laptop@coati.test \
		fqdn:gw@coati.test |
		sed -e 's/modp2048/modp4096/g' -e 's/^\(\s*\)version = 1$/&\n\1fragmentation = force/'
}

# frag_gw_conf REMOTE MODE: gw's racoon.conf body with modp4096 and ike_frag MODE.
frag_gw_conf() {
	ike_racoon_conf gw "$1" gw@coati.test laptop@coati.test |
		sed -e 's/dh_group 14;/dh_group 16;/' -e 's/pfs_group 14;/pfs_group 16;/' \
			-e "s/^\(\s*\)generate_policy on;/&\n\1ike_frag $2;/"
}

# frag_count NAME SRC: ISAKMP datagrams from SRC that carry a fragment payload, on 500
# (next payload octet at udp[24]) or on 4500 after the non-ESP marker (udp[28]).
frag_count() {
	pcap_count "$1" "src $2 and ((udp port 500 and udp[24] == 132) or" \
		"(udp port 4500 and udp[8:4] == 0 and udp[28] == 132))"
}

# frag_check NAME: both ends sent fragments, strongSwan reassembled ours.
frag_check() {
	check_gt "ISAKMP fragments from strongSwan on the wire" "$(frag_count "$1" 192.0.2.1)" 1
	check_gt "ISAKMP fragments from coatid on the wire" "$(frag_count "$1" 192.0.2.2)" 1
	check_eq "no IKE datagram from coatid over 576 bytes" \
		"$(pcap_count "$1" "src 192.0.2.2 and (udp port 500 or udp port 4500) and ip[2:2] > 576")" 0
	check "strongSwan received fragments" grep -q 'received fragment #' "$T/swan-laptop/charon.log"
	check "strongSwan fragmented its messages" grep -q 'splitting IKE message' \
		"$T/swan-laptop/charon.log"
}

topo_direct
frag_swan_conf > "$T/laptop.swanctl"
cat > "$T/laptop.strongswan" <<EOF2
charon {
    fragment_size = 512
}
EOF2
ike_psk_file gw

say "strongSwan initiates (fragmentation = force), coatid responds (ike_frag on)"
frag_gw_conf anonymous on > "$T/gw-resp.ike"
start_coatid_conf gw "$T/gw-resp.ike"
swan_up laptop "$T/laptop.swanctl" "$T/laptop.strongswan" ||
	die "charon did not start in laptop"
capture_start gw eth0 resp
check "strongSwan initiates, coatid responds" \
	swan laptop --initiate --ike v1 --child net --timeout 20
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" swan_established laptop
ike_check_sas gw udp
ike_check_isakmp gw "192.0.2.1 established responder nat-t 1"
check "ping laptop -> lan host through the tunnel" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
capture_stop resp
frag_check resp
swan_down laptop
stop_coatid gw
cp "$T/swan-laptop/charon.log" "$T/swan-laptop/charon-resp.log" 2>/dev/null

say "coatid initiates (ike_frag force), strongSwan responds (fragmentation = force)"
frag_gw_conf 192.0.2.1 force > "$T/gw-init.ike"
rm -rf "$T/gw/state"
start_coatid_conf gw "$T/gw-init.ike"
cat > "$T/gw.setkey" <<EOF2
flush;
spdflush;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
EOF2
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
swan_up laptop "$T/laptop.swanctl" "$T/laptop.strongswan" ||
	die "charon did not start in laptop"
capture_start gw eth0 init
# the queued packet may reach charon before it installed its CHILD_SA: up to 5 tries
check "ping lan host -> laptop negotiates and is answered" ping_first_ok lan 10.1.0.2 10.2.0.1
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" wait_for 5 swan_established laptop
ike_check_sas gw udp
ike_check_isakmp gw "192.0.2.1 established initiator nat-t 1"
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
capture_stop init
frag_check init
ike_finish gw laptop
