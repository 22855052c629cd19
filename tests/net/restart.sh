#!/bin/bash
# restart.sh - manual SAs survive `kill -9` of coatid (state store, --state-dir).
#
#   [laptop] 10.2.0.1 / 192.0.2.1 ==== ESP tunnel ==== 192.0.2.2 [gw] --- [lan] 10.1.0.2
#
# After traffic, laptop's coatid is killed with SIGKILL (no chance to clean up) and
# started again with the same --state-dir, without running setkey. The SAs and
# policies must be back, traffic must flow, and gw must accept the new packets:
# laptop's outbound sequence numbers moved past what it sent before (gw's replay
# counter stays 0).
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
tunnel_up cbc-sha256
check "tunnel works" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "20 pings before the crash" n laptop ping -q -c 20 -i 0.05 -W 2 -I 10.2.0.1 10.1.0.2
pkts0=$(counter gw packets 0x1001)

pid=$(coatid_pid laptop)
[ -n "$pid" ] || die "cannot find laptop's coatid PID"
pp kill -KILL "$pid"
tp=$(cat "$T/laptop/timeout.pid")
wait_for 5 sh -c "! kill -0 $tp" || fail "coatid's timeout wrapper did not exit"
wait "$tp" 2>/dev/null

start_coatid laptop
check_eq "SAs restored from the state store" "$(count_entries laptop -D)" 2
check_eq "policies restored from the state store" "$(count_entries laptop -DP)" 2
check "tunnel works after the restart (no setkey)" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "5 more pings" ping_ok laptop 10.2.0.1 10.1.0.2 5
check_eq "gw replay drops on SA 0x1001 (sequence numbers moved on)" "$(counter gw replay 0x1001)" 0
check_gt "gw accepted new packets on SA 0x1001" "$(counter gw packets 0x1001)" "${pkts0:-0}"
check "TCP 256 KiB after the restart, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 256
finish
