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
check "control ping to gw's outer address (bypass)" ping_ok laptop 192.0.2.1 192.0.2.2 1
capture_stop wire
check_gt "capture control: ICMP to 192.0.2.2 seen" "$(pcap_count wire icmp and host 192.0.2.2)" 1
check_eq "ICMP to the LAN on the veth after -F" "$(pcap_count wire icmp and net 10.1.0.0/24)" 0

setkey laptop "$T/laptop.setkey" || fail "setkey -f again on laptop"
check "tunnel works again after re-keying" ping_first_ok laptop 10.2.0.1 10.1.0.2

table=$(coati_table laptop)
check_gt "routes in coatid's table $table before -FP" \
	"$(nq laptop ip route show table "$table" 2>/dev/null | wc -l)" 0
check "coati-setkey -FP on laptop" setkey_cmd laptop -FP
check_eq "policies after -FP" "$(count_entries laptop -DP)" 0
check_eq "routes left in table $table after -FP" \
	"$(nq laptop ip route show table "$table" 2>/dev/null | wc -l)" 0
check_not "ping after -FP fails" n laptop ping -q -c 2 -i 0.3 -W 1 -I 10.2.0.1 10.1.0.2

say "gw: -F stops the other direction, without cleartext"
check "coati-setkey -F on gw" setkey_cmd gw -F
capture_start gw eth0 gwire
check_not "ping lan -> laptop after gw -F fails" n lan ping -q -c 2 -i 0.3 -W 1 10.2.0.1
check "control ping gw -> laptop's outer address (bypass)" ping_ok gw 192.0.2.2 192.0.2.1 1
capture_stop gwire
check_gt "capture control: ICMP to 192.0.2.1 seen" "$(pcap_count gwire icmp and host 192.0.2.1)" 1
check_eq "ICMP from the LAN on gw's veth after -F" "$(pcap_count gwire icmp and net 10.1.0.0/24)" 0
finish
