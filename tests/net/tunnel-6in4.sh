#!/bin/bash
# tunnel-6in4.sh - IPv6 inner traffic in an ESP tunnel over IPv4.
#
#   [laptop] 2001:db8:3::1 (inner) / 192.0.2.1 ==== ESP/IPv4 ==== 192.0.2.2 [gw] --- [lan] 2001:db8:2::2
#
# SPD: 2001:db8:3::/64 <-> 2001:db8:2::/64 esp/tunnel/192.0.2.1-192.0.2.2/require.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
keys() {
	local o=$2 i=$3
	cat <<-EOF2
	add 192.0.2.1 192.0.2.2 esp 0x1301 -m tunnel $(alg_opts gcm lg);
	add 192.0.2.2 192.0.2.1 esp 0x2301 -m tunnel $(alg_opts gcm gl);
	spdadd 2001:db8:3::/64 2001:db8:2::/64 any -P $o ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
	spdadd 2001:db8:2::/64 2001:db8:3::/64 any -P $i ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
	EOF2
}
setkey_both keys

capture_start laptop eth0 wire
check "ping6 laptop -> lan host through a v4 tunnel" ping_first_ok laptop 2001:db8:3::1 2001:db8:2::2
check "3 pings lan -> laptop" ping_ok lan 2001:db8:2::2 2001:db8:3::1 3
check "TCP 512 KiB over 6in4, sha256 equal" tcp_transfer lan 2001:db8:2::2 laptop 2001:db8:3::1 512
capture_stop wire
check_gt "IPv4 ESP on the veth" "$(pcap_count wire 'ip proto 50')" 20
check_eq "IPv6 echo or TCP in clear on the veth" \
	"$(pcap_count wire 'ip6 and (tcp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129)))')" 0
finish
