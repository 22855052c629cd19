#!/bin/bash
# transport-v4.sh - ESP transport mode, host to host over IPv4.
#
#   [laptop] 192.0.2.1 ==== ESP transport (veth) ==== 192.0.2.2 [gw]
#
# SPD: 192.0.2.1 <-> 192.0.2.2 any esp/transport//require (aes-gcm-16).
# Checks: ping, TCP transfer with sha256 compare, only ESP on the wire.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
keys() {
	local o=$2 i=$3
	cat <<-EOF2
	add 192.0.2.1 192.0.2.2 esp 0x1101 -m transport $(alg_opts gcm lg);
	add 192.0.2.2 192.0.2.1 esp 0x2101 -m transport $(alg_opts gcm gl);
	spdadd 192.0.2.1 192.0.2.2 any -P $o ipsec esp/transport//require;
	spdadd 192.0.2.2 192.0.2.1 any -P $i ipsec esp/transport//require;
	EOF2
}
setkey_both keys

capture_start laptop eth0 wire
check "ping laptop -> gw (transport)" ping_first_ok laptop 192.0.2.1 192.0.2.2
check "3 pings gw -> laptop" ping_ok gw 192.0.2.2 192.0.2.1 3
check "TCP 1 MiB laptop -> gw, sha256 equal" tcp_transfer gw 192.0.2.2 laptop 192.0.2.1 1024
capture_stop wire
check_gt "ESP packets on the veth" "$(pcap_count wire esp)" 50
check_eq "cleartext ICMP on the veth" "$(pcap_count wire icmp)" 0
check_eq "cleartext TCP on the veth" "$(pcap_count wire tcp)" 0
check_gt "gw counted packets on SA 0x1101" "$(counter gw packets 0x1101)" 0
finish
