#!/bin/bash
# ikev1-rekey.sh - IKEv1 lifetimes and make-before-break rekeying between two coatids.
#
#   [laptop] coatid 192.0.2.1 + inner 10.2.0.1, "remote 192.0.2.2", require policies
#      | veth   IKE on 500, raw ESP
#   [gw] coatid 192.0.2.2, "remote anonymous", generate_policy on --- [lan] 10.1.0.2
#
# As ikev1-coati.sh, with short lifetimes: sainfo "lifetime time 9 sec" and the phase 1
# proposal "lifetime time 25 sec". laptop pings the lan host ten times a second for
# 40 s: every phase 2 pair is renewed by a new Quick Mode before it expires (at least
# three times) and the ISAKMP SA by a new Main Mode (at least once), old pairs are
# deleted after the new ones are in, and not one ping may be lost (both ends reload
# their configuration before). At the end each side holds only the newest pair (the
# SPIs match) and one ISAKMP SA. Then a 3 MiB TCP transfer with "lifetime byte 1 MB"
# renews the pair by its byte limit (at least twice), the data intact.
. "$(dirname "$0")/lib.sh"

P2_LIFE=9
P1_LIFE=25
PINGS=400

topo_direct
# and "lifetime byte 1 MB" for the transfer at the end
for r in "laptop 192.0.2.2 laptop@coati.test gw@coati.test" "gw anonymous gw@coati.test laptop@coati.test"; do
	set -- $r
	ike_rekey_conf $P2_LIFE $P1_LIFE "$@" |
		sed "s/lifetime time $P2_LIFE sec;/&\n\tlifetime byte 1 MB;/" > "$T/$1.ike"
done
cat > "$T/laptop.setkey" <<EOF2
flush;
spdflush;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2
ike_psk_file gw
ike_psk_file laptop
start_coatid_conf gw "$T/gw.ike"
start_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"

check "first ping laptop -> lan host (negotiates) is answered" \
	n laptop ping -q -c 1 -W 15 -I 10.2.0.1 10.1.0.2
ike_check_sas laptop raw
ike_check_sas gw raw
# a reload: the ISAKMP SAs move to the new configuration, which the renewals then use
check "laptop reloads its configuration" ctl laptop reload-config
check "gw reloads its configuration" ctl gw reload-config
check "laptop: show-event reports the reload" ike_event_has laptop 'reloaded'

say "$PINGS pings at 10/s across the rekeys"
rekey_spis_start laptop
ping_loss laptop 10.2.0.1 10.1.0.2 "$PINGS" > "$T/ping.out"
rekey_spis_stop laptop
sed 's/^/    /' "$T/ping.out" >&2
check_eq "pings lost across the rekeys" "$(cat "$T/ping.out" | tail -n 1)" 0
check_gt "phase 2 pairs renewed on laptop (inbound SPIs seen - 1)" \
	"$(($(rekey_spis_seen laptop) - 1))" 2
check_gt "ISAKMP SAs established on laptop (events)" \
	"$(ike_events laptop | grep -c 'ISAKMP SA established')" 1
check "laptop renewed by soft lifetime (event)" ike_event_has laptop 'soft lifetime, renewing'
check "an end deleted the replaced pairs (event)" \
	ike_event_any 'deleting the replaced' laptop gw
check "laptop renewed its ISAKMP SA and the pairs under it (event)" \
	ike_event_has laptop 'ISAKMP SA replaced: renewing its 1 IPsec SA pair'
check "an end deleted the emptied old ISAKMP SA (event)" \
	ike_event_any 'ISAKMP SA replaced, no IPsec SAs left: deleting it' laptop gw
check "the other followed its Delete (event)" \
	ike_event_any 'peer deleted the ISAKMP SA' laptop gw

say "at the end only the newest SAs"
check "both ends settle at one pair with the same SPIs" \
	wait_for 6 rekey_settled laptop gw
ike_check_sas laptop raw
ike_check_sas gw raw
ike_check_spis gw "$(ike_sas laptop | awk '{ print $2 }')"
check_eq "laptop: one ISAKMP SA" "$(ike_isakmp laptop | grep -c established)" 1
check_eq "gw: one ISAKMP SA" "$(ike_isakmp gw | grep -c established)" 1

say "byte lifetime: a 3 MiB transfer renews the pair by its kilobytes"
n0=$(ike_events laptop | grep -c 'IPsec SA established')
s0=$(ike_events laptop | grep -c 'soft lifetime expired')
check "TCP 3 MiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 3072
check_gt "pairs renewed during the transfer (events)" \
	"$(($(ike_events laptop | grep -c 'IPsec SA established') - n0))" 1
check_gt "soft byte limits passed during the transfer (events)" \
	"$(($(ike_events laptop | grep -c 'soft lifetime expired') - s0))" 1
check "both ends settle again" wait_for 6 rekey_settled laptop gw
ike_finish gw laptop
