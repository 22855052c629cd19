#!/bin/bash
# tunnel-v4.sh - ESP tunnel mode, gateway to gateway over IPv4, with a LAN behind gw.
#
#   [laptop] 10.2.0.1 (inner) / 192.0.2.1 ==== ESP tunnel ==== 192.0.2.2 [gw] 10.1.0.1 --- [lan] 10.1.0.2
#
# SPD: 10.2.0.0/24 <-> 10.1.0.0/24 esp/tunnel/192.0.2.1-192.0.2.2/require (aes-cbc + hmac-sha256).
# Checks: ping both ways, a 1 MiB TCP transfer with sha256 compare, only ESP on the wire,
# per-SA packet counters on both ends.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
tunnel_up cbc-sha256

capture_start laptop eth0 wire
check "ping laptop -> lan host through the tunnel" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "3 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 3
check "3 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 3
check "TCP 1 MiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 1024
check "TCP 1 MiB lan -> laptop, sha256 equal" tcp_transfer laptop 10.2.0.1 lan 10.1.0.2 1024
capture_stop wire

check_gt "ESP packets on the veth" "$(pcap_count wire esp)" 100
check_eq "cleartext ICMP on the veth" "$(pcap_count wire icmp)" 0
check_eq "cleartext TCP on the veth" "$(pcap_count wire tcp)" 0
check_gt "gw counted packets on SA 0x1001 (in)" "$(counter gw packets 0x1001)" 0
check_gt "laptop counted packets on SA 0x1001 (out)" "$(counter laptop packets 0x1001)" 0
check_gt "laptop counted packets on SA 0x2001 (in)" "$(counter laptop packets 0x2001)" 0
check_eq "gw auth failures on SA 0x1001" "$(counter gw auth_fail 0x1001)" 0
check "coatictl status answers" ctl laptop status
check "coati-setkey -D lists SAs" setkey_cmd laptop -D
check "coati-setkey -DP lists policies" setkey_cmd laptop -DP
check_eq "SAs in -D --json" "$(count_entries laptop -D)" 2
check_eq "policies in -DP --json" "$(count_entries laptop -DP)" 2

table=$(coati_table laptop)
check "coatid's ip rule (fwmark, lookup $table) is there while it runs" \
	sh -c "ip netns exec coati-laptop-$SFX ip rule show | grep -q 'fwmark.*lookup $table'"
stop_coatid laptop
check_not "no route through ipsec0 left after SIGTERM" \
	sh -c "ip netns exec coati-laptop-$SFX ip route show table all | grep -q ipsec0"
check_not "no coatid ip rule left after SIGTERM" \
	sh -c "ip netns exec coati-laptop-$SFX ip rule show | grep -q 'lookup $table'"
finish
