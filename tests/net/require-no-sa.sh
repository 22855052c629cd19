#!/bin/bash
# require-no-sa.sh - a "require" policy without an SA must never leak cleartext.
#
#   [laptop] 10.2.0.1 / 192.0.2.1 ==== (policy, no SA) ==== 192.0.2.2 [gw] --- [lan] 10.1.0.2
#
# laptop has the tunnel policies but no SAs. Pings to the LAN must fail, the veth
# must carry no ICMP at all (nothing in clear, and nothing else either), and coatid
# must count the packets it held back (queued for an ACQUIRE or dropped).
# Then: a ping sent while there is still no SA is delivered once the SA is added.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
tunnel_conf laptop gcm > "$T/laptop-full.setkey"
grep -v '^add ' "$T/laptop-full.setkey" > "$T/laptop.setkey"
grep -e '^add ' "$T/laptop-full.setkey" > "$T/laptop-sas.setkey"
tunnel_conf gw gcm > "$T/gw.setkey"
setkey laptop "$T/laptop.setkey" || fail "setkey -f (policies only) on laptop"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
check_eq "laptop has no SAs" "$(count_entries laptop -D)" 0

capture_start laptop eth0 wire
check_not "ping without an SA fails" n laptop ping -q -c 3 -i 0.3 -W 1 -I 10.2.0.1 10.1.0.2
# control: traffic no policy covers goes out in clear and is captured
check "ping gw's outer address (no policy: bypass)" ping_ok laptop 192.0.2.1 192.0.2.2 2
capture_stop wire
check_gt "capture control: cleartext ICMP to 192.0.2.2 seen" "$(pcap_count wire icmp and host 192.0.2.2)" 2
check_eq "ICMP to the LAN on the veth (cleartext leak)" "$(pcap_count wire icmp and net 10.1.0.0/24)" 0
check_eq "any packet to the LAN on the veth" "$(pcap_count wire dst net 10.1.0.0/24)" 0
check_eq "ESP on the veth (there is no SA)" "$(pcap_count wire esp)" 0
check_gt "laptop counted held-back packets (acquire/queue/no-SA/drop counters)" \
	"$(sum_stats laptop 'acquire|out_no_sa|out_queue_drop')" 0

say "a packet sent before the SA exists is sent once the SA is added"
spawn laptop "$T/late-ping.out" "$T/late-ping.err" ping -q -c 1 -W 6 -I 10.2.0.1 10.1.0.2
late=$SPAWN_PID
sleep 0.3
setkey laptop "$T/laptop-sas.setkey" || fail "setkey -f (SAs) on laptop"
if wait "$late"; then ok "queued ping answered after the SA was added"; else
	fail "queued ping answered after the SA was added"; fi
check "tunnel works now" ping_ok laptop 10.2.0.1 10.1.0.2 2
finish
