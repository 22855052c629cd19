#!/bin/bash
# ipcomp.sh - IPComp (deflate, RFC 3173/2394) inside ESP, transport mode, IPv4.
#
#   [laptop] 192.0.2.1 ==== ESP(IPComp(payload)) (veth) ==== 192.0.2.2 [gw]
#
# SPD: ipcomp/transport//use esp/transport//require (IPComp innermost).
# A 1 MiB file of zeros must arrive intact and the wire must carry far fewer
# ESP bytes than the payload (compression happened).
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
keys() {
	local o=$2 i=$3
	cat <<-EOF2
	add 192.0.2.1 192.0.2.2 esp 0x1601 -m transport $(alg_opts gcm lg);
	add 192.0.2.2 192.0.2.1 esp 0x2601 -m transport $(alg_opts gcm gl);
	add 192.0.2.1 192.0.2.2 ipcomp 0x4601 -C deflate;
	add 192.0.2.2 192.0.2.1 ipcomp 0x4602 -C deflate;
	spdadd 192.0.2.1 192.0.2.2 any -P $o ipsec ipcomp/transport//use esp/transport//require;
	spdadd 192.0.2.2 192.0.2.1 any -P $i ipsec ipcomp/transport//use esp/transport//require;
	EOF2
}
setkey_both keys

capture_start laptop eth0 wire
check "ping laptop -> gw through IPComp+ESP" ping_first_ok laptop 192.0.2.1 192.0.2.2
check "large zero-filled ping (-s 1200)" n laptop ping -q -c 2 -W 2 -s 1200 -p 00 -I 192.0.2.1 192.0.2.2
check "TCP 1 MiB of zeros, sha256 equal" tcp_transfer gw 192.0.2.2 laptop 192.0.2.1 1024 zero
capture_stop wire
esp_bytes=$(esp_wire_bytes wire 192.0.2.1)
echo "    ESP bytes laptop -> gw on the wire: $esp_bytes (payload 1048576)" >&2
check_gt "capture control: ESP packets laptop -> gw" "$(pcap_count wire esp and src 192.0.2.1)" 100
check "compressed: ESP bytes on the wire < 1/4 of the payload" [ "$esp_bytes" -lt 262144 ]
check_eq "cleartext TCP on the veth" "$(pcap_count wire tcp)" 0
check_gt "laptop counted packets on IPComp SA 0x4601" "$(counter laptop packets 0x4601)" 0
check_gt "gw counted packets on IPComp SA 0x4601" "$(counter gw packets 0x4601)" 0
check_eq "gw decompression errors (invalid) on 0x4601" "$(counter gw invalid 0x4601)" 0
finish
