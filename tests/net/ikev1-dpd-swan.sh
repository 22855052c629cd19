#!/bin/bash
# ikev1-dpd-swan.sh - Dead Peer Detection (RFC 3706) between coatid and strongSwan.
#
#   [laptop] charon (kernel-libipsec), 192.0.2.1 + inner 10.2.0.1, dpd_delay = 2s
#      | veth   IKE 500, then 4500 (libipsec fakes NAT-D: both ends float), ESP-in-UDP
#   [gw] coatid 192.0.2.2, "remote 192.0.2.1", require policies --- [lan] 10.1.0.2
#        dpd_delay 4, dpd_retry 1, dpd_maxfail 3, hook.sh as phase1_up/down/dead
#
# charon uses DPD for IKEv1 when dpd_delay is set and the peer sent the DPD vendor ID.
# A ping from the lan host brings the tunnel up (coatid initiates). phase1_up ran with
# the floated ports and REMOTE_ID. Idle, charon probes every 2 s (it counts our
# R-U-THEREs as traffic, ours come every 4 s): its log shows R-U-THEREs it sent and our
# ACKs, our R-U-THEREs and its ACKs, and both keep their SAs. Then charon is killed (by
# PID): coatid declares it dead within dpd_delay + dpd_retry * dpd_maxfail (7 s; 20 s
# allowed), removes the SAs and runs phase1_dead and phase1_down.
. "$(dirname "$0")/lib.sh"

BOUND=7
topo_direct
ike_racoon_conf gw 192.0.2.1 gw@coati.test laptop@coati.test | ike_dpd_conf gw 4 1 3 > "$T/gw.ike"
cat > "$T/gw.setkey" <<EOF2
flush;
spdflush;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
EOF2
swan_v1_conf 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 fqdn:laptop@coati.test fqdn:gw@coati.test |
	sed 's/dpd_delay = 0/dpd_delay = 2s/' > "$T/laptop.swanctl"
swan_up laptop "$T/laptop.swanctl" || die "charon did not start in laptop"
ike_psk_file gw
start_coatid_conf gw "$T/gw.ike"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
log="$T/swan-laptop/charon.log"

say "tunnel up"
check "first ping lan host -> laptop is answered" \
	n lan ping -q -c 1 -W 15 -I 10.1.0.2 10.2.0.1
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" wait_for 5 swan_established laptop
ike_check_sas gw udp
check "charon saw coatid's DPD vendor ID" grep -q 'received DPD vendor ID' "$log"
check "gw: DPD is on" ike_event_has gw 'DPD: probing after 4 s idle, every 1 s, dead after 3'
check "gw ran phase1_up" wait_for 5 ike_hook_ran gw phase1_up
check "gw's phase1_up: LOCAL 192.0.2.2[4500], REMOTE 192.0.2.1[4500], REMOTE_ID" \
	ike_hook_ran gw phase1_up \
	"LOCAL_ADDR=192.0.2.2 LOCAL_PORT=4500 .*REMOTE_ADDR=192.0.2.1 REMOTE_ID=laptop@coati.test REMOTE_PORT=4500 "

say "both alive: DPD both ways"
sleep 9
grep -E 'N\(DPD' "$log" | sed 's/^/    charon: /' >&2
check "charon sent R-U-THEREs" grep -q 'generating INFORMATIONAL_V1 request .*N(DPD)' "$log"
check "coatid answered them" grep -q 'parsed INFORMATIONAL_V1 request .*N(DPD_ACK)' "$log"
check "coatid sent R-U-THEREs" grep -q 'parsed INFORMATIONAL_V1 request .*N(DPD) ' "$log"
check "charon answered them" grep -q 'generating INFORMATIONAL_V1 request .*N(DPD_ACK)' "$log"
check "laptop: IKE SA and CHILD_SA still up" swan_established laptop
check_eq "gw still holds its two SAs" "$(ike_sa_count gw)" 2
check_not "gw: no dead peer while charon lives" ike_event_has gw 'dead peer'
check_not "gw: no DPD complaint" ike_event_has gw 'DPD: (malformed|R-U-THERE-ACK with unexpected)'
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5

say "charon killed: coatid declares it dead"
cpid=$(swan_pid "$T/swan-laptop")
[ -n "$cpid" ] || die "no charon PID"
t0=$(date +%s%N)
pp kill -KILL "$cpid"
check "gw removed its SAs within 20 s (bound $BOUND s)" wait_for 20 ike_sa_count_is gw -eq 0
t1=$(date +%s%N)
say "coatid declared charon dead after $(((t1 - t0) / 1000000)) ms (bound $BOUND s)"
check "gw: show-event reports the dead peer" ike_event_has gw 'dead peer'
check_eq "gw: show-sa isakmp lists no ISAKMP SA" "$(ike_isakmp gw | grep -c .)" 0
check "gw ran phase1_dead" wait_for 5 ike_hook_ran gw phase1_dead "REMOTE_ADDR=192.0.2.1 "
check "gw ran phase1_down" wait_for 5 ike_hook_ran gw phase1_down "REMOTE_ADDR=192.0.2.1 "
ike_finish gw laptop
