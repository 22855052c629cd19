#!/bin/bash
# ikev1-rekey-swan.sh - IKEv1 rekeying against strongSwan, each side renewing in turn.
#
#   [laptop] charon (kernel-libipsec), 192.0.2.1 + inner 10.2.0.1
#      | veth   IKE 500, then 4500 (libipsec fakes NAT-D: both ends float), ESP-in-UDP
#   [gw] coatid 192.0.2.2, "remote 192.0.2.1" --- [lan] 10.1.0.2
#
# 1. coatid initiates (ACQUIRE from gw's require policies) with sainfo "lifetime time
#    8 sec" and phase 1 "lifetime time 25 sec"; strongSwan renews nothing itself. coatid
#    renews every pair by Quick Mode (at least three times) and the ISAKMP SA by Main
#    Mode (at least once), deleting the old ones, while the lan host pings laptop ten
#    times a second for 25 s: no ping may be lost.
# 2. strongSwan initiates with CHILD rekey_time 6 s / life_time 10 s and IKE
#    reauth_time 20 s (make_before_break: a new IKE_SA that adopts the CHILD_SAs);
#    coatid (proposal_check obey, its own soft limits later) follows, deleting the
#    replaced pairs and then the emptied ISAKMP SAs (strongSwan leaves them to expire):
#    the same 25 s of pings, none lost.
# After each part both ends hold just the newest pair (same SPIs) and one ISAKMP SA.
. "$(dirname "$0")/lib.sh"

PINGS=250

# rekey_swan_settled: strongSwan and gw settle at one CHILD_SA with the same SPIs, one IKE SA.
rekey_swan_settled() {
	local s
	s=$(swan_sas laptop)
	[ "$(grep -c 'INSTALLED' <<< "$s")" -eq 1 ] || return 1
	[ "$(grep -c 'ESTABLISHED' <<< "$s")" -eq 1 ] || return 1
	[ "$(ike_sas gw | awk '{ print $2 }' | sort | xargs)" = \
		"$(swan_child_spis laptop | sort | xargs)" ] &&
		[ "$(ike_isakmp gw | grep -c established)" -eq 1 ]
}

# The settled state (same SPIs both sides, one IKE SA) is checked in one step: with pairs
# of a few seconds the next renewal may begin right after; what every pair shares is
# then checked on one snapshot, where a renewal under way does not change the answer.
rekey_swan_end() {
	local sas
	check "strongSwan and gw settle at the newest pair and one IKE SA" \
		wait_for 8 rekey_swan_settled
	swan_sas laptop | sed 's/^/    /' >&2
	sas=$(ike_sas gw)
	check_eq "gw's pairs: ESP aes-cbc/hmac-sha256 from IKE in UDP 4500" \
		"$(awk '{ print $1, $7, $8, $9, $5, $6 }' <<< "$sas" | sort -u)" \
		"esp aes-cbc hmac-sha256 ike 4500 4500"
	check_eq "gw's pairs' endpoints" "$(awk '{ print $3 "-" $4 }' <<< "$sas" | sort -u | xargs)" \
		"192.0.2.1-192.0.2.2 192.0.2.2-192.0.2.1"
}

topo_direct
ike_psk_file gw
cat > "$T/gw.setkey" <<EOF2
flush;
spdflush;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
EOF2
cat > "$T/swan-extra.conf" <<EOF2
charon {
    make_before_break = yes
}
EOF2

say "1. coatid initiates and renews"
ike_rekey_conf 8 25 gw 192.0.2.1 gw@coati.test laptop@coati.test > "$T/gw-1.ike"
swan_v1_life 0 0 0 3600 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 \
	fqdn:laptop@coati.test fqdn:gw@coati.test > "$T/laptop-1.swanctl"
swan_up laptop "$T/laptop-1.swanctl" "$T/swan-extra.conf" || die "charon did not start in laptop"
start_coatid_conf gw "$T/gw-1.ike"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
check "first ping lan host -> laptop (negotiates) is answered" \
	n lan ping -q -c 1 -W 15 -I 10.1.0.2 10.2.0.1
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" wait_for 5 swan_established laptop
rekey_spis_start gw
ping_loss lan 10.1.0.2 10.2.0.1 "$PINGS" > "$T/ping-1.out"
rekey_spis_stop gw
sed 's/^/    /' "$T/ping-1.out" >&2
check_eq "pings lost while coatid renews" "$(tail -n 1 "$T/ping-1.out")" 0
check_gt "pairs renewed by gw (its inbound SPIs seen - 1)" "$(($(rekey_spis_seen gw) - 1))" 2
check "gw renewed by soft lifetime (event)" ike_event_has gw 'soft lifetime, renewing'
check "gw renewed its ISAKMP SA and the pairs under it (event)" \
	ike_event_has gw 'ISAKMP SA replaced: renewing its 1 IPsec SA pair'
check "gw deleted the emptied old ISAKMP SA (event)" \
	ike_event_has gw 'ISAKMP SA replaced, no IPsec SAs left: deleting it'
check "strongSwan followed the ISAKMP SA Delete" \
	grep -q 'received DELETE for IKE_SA' "$T/swan-laptop/charon.log"
check "strongSwan followed the CHILD_SA Deletes" \
	grep -q 'received DELETE for ESP CHILD_SA' "$T/swan-laptop/charon.log"
check_not "strongSwan never renewed a CHILD_SA itself" \
	grep -Eq 'creating rekey job for CHILD_SA|reauthenticating IKE_SA' \
	"$T/swan-laptop/charon.log"
rekey_swan_end
[ "$N_FAIL" -gt 0 ] && ike_logs gw laptop
stop_coatid gw
swan_down laptop
cp "$T/swan-laptop/charon.log" "$T/swan-laptop/charon-1.log" 2>/dev/null

say "2. strongSwan initiates and renews"
rm -rf "$T/gw/state"
ike_racoon_conf gw 192.0.2.1 gw@coati.test laptop@coati.test > "$T/gw-2.ike"
swan_v1_life 20 20 6 10 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 \
	fqdn:laptop@coati.test fqdn:gw@coati.test > "$T/laptop-2.swanctl"
start_coatid_conf gw "$T/gw-2.ike"
swan_up laptop "$T/laptop-2.swanctl" "$T/swan-extra.conf" || die "charon did not start in laptop"
check "strongSwan initiates, coatid responds" \
	swan laptop --initiate --ike v1 --child net --timeout 20
check "ping laptop -> lan host through the tunnel" ping_first_ok laptop 10.2.0.1 10.1.0.2
rekey_spis_start gw
ping_loss laptop 10.2.0.1 10.1.0.2 "$PINGS" > "$T/ping-2.out"
rekey_spis_stop gw
sed 's/^/    /' "$T/ping-2.out" >&2
check_eq "pings lost while strongSwan renews" "$(tail -n 1 "$T/ping-2.out")" 0
check_gt "pairs renewed by strongSwan (gw's inbound SPIs seen - 1)" \
	"$(($(rekey_spis_seen gw) - 1))" 2
check "strongSwan rekeyed CHILD_SAs" \
	grep -q 'creating rekey job for CHILD_SA' "$T/swan-laptop/charon.log"
check "strongSwan reauthenticated the IKE_SA" \
	grep -q 'reauthenticating IKE_SA' "$T/swan-laptop/charon.log"
check "gw deleted the replaced pairs (event)" ike_event_has gw 'deleting the replaced'
check "strongSwan closed CHILD_SAs gw deleted (through the IKE_SA that adopted them)" \
	grep -q 'closing CHILD_SA' "$T/swan-laptop/charon.log"
check "gw deleted the ISAKMP SA strongSwan replaced, once emptied (event)" \
	ike_event_has gw 'ISAKMP SA replaced, no IPsec SAs left: deleting it'
check "strongSwan followed the ISAKMP SA Delete" \
	grep -q 'received DELETE for IKE_SA' "$T/swan-laptop/charon.log"
rekey_swan_end
ike_finish gw laptop
