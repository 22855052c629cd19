#!/bin/bash
# tunnel-4in6.sh - IPv4 inner traffic in an ESP tunnel over IPv6.
#
#   [laptop] 10.2.0.1 (inner) / 2001:db8:1::1 ==== ESP/IPv6 ==== 2001:db8:1::2 [gw] --- [lan] 10.1.0.2
#
# SPD: 10.2.0.0/24 <-> 10.1.0.0/24 esp/tunnel/2001:db8:1::1-2001:db8:1::2/require.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
tunnel_up cbc-sha256 v6

capture_start laptop eth0 wire
check "ping laptop -> lan host through a v6 tunnel" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "3 pings lan -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 3
check "TCP 512 KiB over 4in6, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 512
capture_stop wire
check_gt "IPv6 ESP on the veth" "$(pcap_count wire 'ip6 proto 50')" 20
check_eq "IPv4 on the veth (other than ARP)" "$(pcap_count wire ip)" 0
finish
