#!/bin/bash
# ikev1-dpd.sh - Dead Peer Detection (RFC 3706) and racoon's phase 1 scripts between two
# coatids.
#
#   [laptop] coatid 192.0.2.1 + inner 10.2.0.1, "remote 192.0.2.2", require policies
#      | veth   IKE on 500, raw ESP
#   [gw] coatid 192.0.2.2, "remote anonymous", generate_policy on --- [lan] 10.1.0.2
#
# Both remotes: dpd_delay 2, dpd_retry 1, dpd_maxfail 3, and one hook.sh as phase1_up,
# phase1_down and phase1_dead (named relative to "path script") that logs its argument
# and environment. A ping brings the tunnel up; both hooks ran phase1_up with the right
# LOCAL_/REMOTE_ addresses, ports and REMOTE_ID, and nothing secret in the environment.
# While both live (and after a SIGHUP reload on laptop, which moves its SA to the new
# remote), Informationals (R-U-THERE and ACKs) cross both ways and the SAs stay.
# Then gw's coatid is frozen (SIGSTOP): laptop must declare it dead within
# dpd_delay + dpd_retry * dpd_maxfail (5 s; 15 s allowed), remove its SAs and run
# phase1_dead and phase1_down. Thawed, gw gets no answers and declares laptop dead too.
. "$(dirname "$0")/lib.sh"

BOUND=5 # dpd_delay + dpd_retry * dpd_maxfail
topo_direct
ike_racoon_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test off |
	ike_dpd_conf laptop 2 1 3 > "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test off |
	ike_dpd_conf gw 2 1 3 > "$T/gw.ike"
ike_pair_up "$T/laptop.ike" "$T/gw.ike"

say "tunnel up, phase1_up scripts"
check "first ping laptop -> lan host is answered" \
	n laptop ping -q -c 1 -W 15 -I 10.2.0.1 10.1.0.2
ike_check_sas laptop raw
ike_check_sas gw raw
check "laptop ran phase1_up" wait_for 5 ike_hook_ran laptop phase1_up
check "gw ran phase1_up" wait_for 5 ike_hook_ran gw phase1_up
sed 's/^/    laptop hook: /' "$T/laptop/hooks.log" >&2
check "laptop's phase1_up: LOCAL 192.0.2.1[500], REMOTE 192.0.2.2[500], REMOTE_ID" \
	ike_hook_ran laptop phase1_up \
	"LOCAL_ADDR=192.0.2.1 LOCAL_PORT=500 .*REMOTE_ADDR=192.0.2.2 REMOTE_ID=gw@coati.test REMOTE_PORT=500 "
check "gw's phase1_up: LOCAL 192.0.2.2[500], REMOTE 192.0.2.1[500], REMOTE_ID" \
	ike_hook_ran gw phase1_up \
	"LOCAL_ADDR=192.0.2.2 LOCAL_PORT=500 .*REMOTE_ADDR=192.0.2.1 REMOTE_ID=laptop@coati.test REMOTE_PORT=500 "
check_not "no pre-shared key in a script's environment" grep -q "$IKE_PSK" "$T/laptop/hooks.log"
check_eq "the hook's environment is racoon's and a PATH, nothing else" \
	"$(grep '^phase1_up ' "$T/laptop/hooks.log" | tr ' ' '\n' | sed -n 's/=.*//p' | sort -u |
		grep -v '^PWD$' | xargs)" "LOCAL_ADDR LOCAL_PORT PATH REMOTE_ADDR REMOTE_ID REMOTE_PORT"
check "laptop: DPD is on" ike_event_has laptop 'DPD: probing after 2 s idle, every 1 s, dead after 3'
check "gw: DPD is on" ike_event_has gw 'DPD: probing after 2 s idle'

say "both alive: R-U-THERE / R-U-THERE-ACK both ways (laptop reloads its configuration)"
pp kill -HUP "$(coatid_pid laptop)"
check "laptop reloaded" wait_for 5 ike_event_has laptop 'configuration .* reloaded'
capture_start gw eth0 alive
sleep 7
capture_stop alive
li=$(ike_informationals alive 192.0.2.1)
gi=$(ike_informationals alive 192.0.2.2)
say "Informationals in 7 s idle: laptop sent $li, gw sent $gi"
# each end probes every 2 s and answers the other's probes: about 3 + 3 in 7 s
check_gt "laptop sent R-U-THEREs and ACKs" "$li" 3
check_gt "gw sent R-U-THEREs and ACKs" "$gi" 3
check_eq "laptop still holds its two SAs" "$(ike_sa_count laptop)" 2
check_eq "gw still holds its two SAs" "$(ike_sa_count gw)" 2
check_not "laptop: no dead peer while gw lives" ike_event_has laptop 'dead peer'
check_not "gw: no dead peer while laptop lives" ike_event_has gw 'dead peer'
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5

say "gw frozen: laptop declares it dead"
gwpid=$(coatid_pid gw)
[ -n "$gwpid" ] || die "no coatid PID for gw"
t0=$(date +%s%N)
pp kill -STOP "$gwpid"
check "laptop removed its SAs within 15 s (bound $BOUND s)" \
	wait_for 15 ike_sa_count_is laptop -eq 0
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
say "laptop declared gw dead after $ms ms (dpd_delay + dpd_retry * dpd_maxfail = $BOUND s)"
check "laptop: show-event reports the dead peer" ike_event_has laptop 'dead peer'
check_eq "laptop: show-sa isakmp lists no ISAKMP SA" "$(ike_isakmp laptop | grep -c .)" 0
check_eq "laptop: coati-setkey -D lists no SA" "$(count_entries laptop -D)" 0
check "laptop ran phase1_dead for gw" wait_for 5 ike_hook_ran laptop phase1_dead \
	"REMOTE_ADDR=192.0.2.2 "
check "laptop ran phase1_down for gw" wait_for 5 ike_hook_ran laptop phase1_down \
	"REMOTE_ADDR=192.0.2.2 "
check "laptop logged the scripts' exit status" \
	grep -q 'script .*hook.sh (phase1_dead): exit status 0' "$T/laptop/coatid.log"

say "gw thawed: laptop forgot it, so gw declares laptop dead"
pp kill -CONT "$gwpid"
check "gw removed its SAs within 15 s" wait_for 15 ike_sa_count_is gw -eq 0
check "gw: show-event reports the dead peer" ike_event_has gw 'dead peer'
check "gw ran phase1_dead" wait_for 5 ike_hook_ran gw phase1_dead "REMOTE_ADDR=192.0.2.1 "
ike_finish gw laptop
