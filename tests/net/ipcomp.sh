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
for side in laptop gw; do
	if [ $side = laptop ]; then o=out i=in; else o=in i=out; fi
	cat > "$T/$side.setkey" <<-EOF2
	flush;
	spdflush;
	add 192.0.2.1 192.0.2.2 esp 0x1601 -m transport $(alg_opts gcm lg);
	add 192.0.2.2 192.0.2.1 esp 0x2601 -m transport $(alg_opts gcm gl);
	add 192.0.2.1 192.0.2.2 ipcomp 0x4601 -C deflate;
	add 192.0.2.2 192.0.2.1 ipcomp 0x4602 -C deflate;
	spdadd 192.0.2.1 192.0.2.2 any -P $o ipsec ipcomp/transport//use esp/transport//require;
	spdadd 192.0.2.2 192.0.2.1 any -P $i ipsec ipcomp/transport//use esp/transport//require;
	EOF2
	setkey $side "$T/$side.setkey" || fail "setkey -f on $side"
done

capture_start laptop eth0 wire
check "ping laptop -> gw through IPComp+ESP" ping_first_ok laptop 192.0.2.1 192.0.2.2
check "large zero-filled ping (-s 1200)" n laptop ping -q -c 2 -W 2 -s 1200 -p 00 -I 192.0.2.1 192.0.2.2
check "TCP 1 MiB of zeros, sha256 equal" tcp_transfer gw 192.0.2.2 laptop 192.0.2.1 1024 zero
capture_stop wire
# tcpdump prints "ESP(spi=...,seq=...), length N": add up the Ns.
esp_bytes=$(tcpdump -n -r "$T/wire.pcap" 'esp and src 192.0.2.1' 2>/dev/null |
	awk '{ for (i = 1; i < NF; i++) if ($i == "length") s += $(i + 1) + 0 } END { print s + 0 }')
echo "    ESP bytes laptop -> gw on the wire: $esp_bytes (payload 1048576)" >&2
check_gt "capture control: ESP packets laptop -> gw" "$(pcap_count wire esp and src 192.0.2.1)" 100
check "compressed: ESP bytes on the wire < 1/4 of the payload" [ "$esp_bytes" -lt 262144 ]
check_eq "cleartext TCP on the veth" "$(pcap_count wire tcp)" 0
check_gt "laptop counted packets on IPComp SA 0x4601" "$(counter laptop packets 0x4601)" 0
check_gt "gw counted packets on IPComp SA 0x4601" "$(counter gw packets 0x4601)" 0
check_eq "gw decompression errors (invalid) on 0x4601" "$(counter gw invalid 0x4601)" 0
finish
