#!/bin/bash
# ipcomp-tunnel.sh - IPComp in tunnel mode carried by ESP in transport mode, the
# bundle racoon and KAME build for "compression_algorithm deflate" on a tunnel.
#
#   [laptop] 10.2.0.1 / 192.0.2.1 ==== ESP(IPComp(IP 10.x)) ==== 192.0.2.2 [gw] --- [lan] 10.1.0.2
#
# SPD: 10.2.0.0/24 <-> 10.1.0.0/24 ipcomp/tunnel/192.0.2.1-192.0.2.2/use esp/transport//require.
# Small packets do not compress: RFC 3173 sends them without the IPComp header, which in
# tunnel mode is IP-in-IP inside the ESP; they must arrive too. Zeros must compress.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
keys() {
	local o=$2 i=$3

	echo "add 192.0.2.1 192.0.2.2 esp 0x1701 -m transport -r 64 $(alg_opts gcm lg);"
	echo "add 192.0.2.2 192.0.2.1 esp 0x2701 -m transport -r 64 $(alg_opts gcm gl);"
	echo "add 192.0.2.1 192.0.2.2 ipcomp 0x4701 -m tunnel -C deflate;"
	echo "add 192.0.2.2 192.0.2.1 ipcomp 0x4702 -m tunnel -C deflate;"
	echo "spdadd 10.2.0.0/24 10.1.0.0/24 any -P $o ipsec" \
		"ipcomp/tunnel/192.0.2.1-192.0.2.2/use esp/transport//require;"
	echo "spdadd 10.1.0.0/24 10.2.0.0/24 any -P $i ipsec" \
		"ipcomp/tunnel/192.0.2.2-192.0.2.1/use esp/transport//require;"
}
setkey_both keys

capture_start laptop eth0 wire
check "small pings laptop -> lan host (uncompressed, IP-in-IP in ESP)" \
	ping_first_ok laptop 10.2.0.1 10.1.0.2
check "3 small pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 3
check "TCP 1 MiB of zeros laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 1024 zero
capture_stop wire
esp_bytes=$(esp_wire_bytes wire 192.0.2.1)
echo "    ESP bytes laptop -> gw on the wire: $esp_bytes (payload 1048576)" >&2
check_gt "capture control: ESP packets laptop -> gw" "$(pcap_count wire esp and src 192.0.2.1)" 100
check "compressed: ESP bytes on the wire < 1/4 of the payload" [ "$esp_bytes" -lt 262144 ]
check_eq "cleartext ICMP on the veth" "$(pcap_count wire icmp)" 0
check_gt "gw counted packets on IPComp SA 0x4701" "$(counter gw packets 0x4701)" 0
check_eq "gw policy drops on ESP SA 0x1701" "$(counter gw policy_drop 0x1701)" 0
finish
