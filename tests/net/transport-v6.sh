#!/bin/bash
# transport-v6.sh - ESP transport mode, host to host over IPv6.
#
#   [laptop] 2001:db8:1::1 ==== ESP transport (veth) ==== 2001:db8:1::2 [gw]
#
# SPD: 2001:db8:1::1 <-> 2001:db8:1::2 any esp/transport//require (aes-cbc + hmac-sha256).
# Neighbour discovery is sent per interface by the kernel, so it stays outside the tunnel.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
A=2001:db8:1::1
B=2001:db8:1::2
keys() {
	local o=$2 i=$3
	cat <<-EOF2
	add $A $B esp 0x1201 -m transport $(alg_opts cbc-sha256 lg);
	add $B $A esp 0x2201 -m transport $(alg_opts cbc-sha256 gl);
	spdadd $A $B any -P $o ipsec esp/transport//require;
	spdadd $B $A any -P $i ipsec esp/transport//require;
	EOF2
}
setkey_both keys

capture_start laptop eth0 wire
check "ping6 laptop -> gw (transport)" ping_first_ok laptop $A $B
check "3 pings gw -> laptop" ping_ok gw $B $A 3
check "TCP 1 MiB laptop -> gw over v6, sha256 equal" tcp_transfer gw $B laptop $A 1024
capture_stop wire
check_gt "ESP packets on the veth" "$(pcap_count wire esp)" 50
check_eq "cleartext ICMPv6 echo on the veth" "$(pcap_count wire 'icmp6 and (ip6[40] == 128 or ip6[40] == 129)')" 0
check_eq "cleartext TCP on the veth" "$(pcap_count wire tcp)" 0
check_gt "gw counted packets on SA 0x1201" "$(counter gw packets 0x1201)" 0
finish
