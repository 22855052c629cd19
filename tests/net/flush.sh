#!/bin/bash
# flush.sh - coati-setkey -F / -FP stop traffic; nothing leaks afterwards.
#
#   [laptop] 10.2.0.1 / 192.0.2.1 ==== ESP tunnel ==== 192.0.2.2 [gw] --- [lan] 10.1.0.2
#
# -F (flush SAs): policies stay, traffic stops, no cleartext on the wire.
# -FP (flush policies): routes into the tunnel go away, traffic stops.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
tunnel_up cbc-sha256
check "tunnel works" ping_first_ok laptop 10.2.0.1 10.1.0.2

check "coati-setkey -F on laptop" setkey_cmd laptop -F
check_eq "SAs after -F" "$(count_entries laptop -D)" 0
check_eq "policies after -F" "$(count_entries laptop -DP)" 2
capture_start laptop eth0 wire
check_not "ping after -F fails" n laptop ping -q -c 2 -i 0.3 -W 1 -I 10.2.0.1 10.1.0.2
capture_stop wire
check_eq "ICMP on the veth after -F" "$(pcap_count wire icmp)" 0

setkey laptop "$T/laptop.setkey" || fail "setkey -f again on laptop"
check "tunnel works again after re-keying" ping_first_ok laptop 10.2.0.1 10.1.0.2

check "coati-setkey -FP on laptop" setkey_cmd laptop -FP
check_eq "policies after -FP" "$(count_entries laptop -DP)" 0
check_eq "routes left in table 220 after -FP" \
	"$(nq laptop ip route show table 220 2>/dev/null | wc -l)" 0
check_not "ping after -FP fails" n laptop ping -q -c 2 -i 0.3 -W 1 -I 10.2.0.1 10.1.0.2

say "gw: -F stops the other direction, without cleartext"
check "coati-setkey -F on gw" setkey_cmd gw -F
capture_start gw eth0 gwire
check_not "ping lan -> laptop after gw -F fails" n lan ping -q -c 2 -i 0.3 -W 1 10.2.0.1
capture_stop gwire
check_eq "ICMP on gw's veth after -F" "$(pcap_count gwire icmp)" 0
finish
