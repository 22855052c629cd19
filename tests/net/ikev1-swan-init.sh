#!/bin/bash
# ikev1-swan-init.sh - IKEv1 Main Mode PSK: coatid initiates from an ACQUIRE, strongSwan responds.
#
#   [laptop] charon (kernel-libipsec), 192.0.2.1 + inner 10.2.0.1
#      | veth   IKE 500, then 4500 (libipsec fakes NAT-D: both ends float), ESP-in-UDP
#   [gw] coatid 192.0.2.2, "remote 192.0.2.1", require policies --- [lan] 10.1.0.2
#
# gw's policies (coati-setkey) require ESP for 10.1.0.0/24 <-> 10.2.0.0/24; a ping from
# the lan host hits the outbound policy with no SA: coatid queues it, raises an ACQUIRE
# and negotiates Main Mode + Quick Mode (PFS modp2048) with strongSwan; the queued
# packet then goes out and its answer comes back.
# First a wrong PSK on gw: the negotiation must fail and gw hold no SA. Then the right
# one: the first ping answered, IKE SA ESTABLISHED and CHILD_SA INSTALLED on strongSwan,
# two ESP-in-UDP SAs on gw with the same SPIs, events and `show-sa isakmp` on gw, pings
# and TCP both ways, packet counters rising on both sides, only ESP-in-UDP on the wire;
# strongSwan deletes the SAs and gw removes them; then racoonctl's verbs on gw:
# establish-sa -w isakmp, establish-sa -w esp for the policy, traffic, and delete-sa
# isakmp, which strongSwan honours.
. "$(dirname "$0")/lib.sh"

topo_direct
ike_racoon_conf gw 192.0.2.1 gw@coati.test laptop@coati.test > "$T/gw.ike"
cat > "$T/gw.setkey" <<EOF2
flush;
spdflush;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
EOF2
swan_v1_conf 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 fqdn:laptop@coati.test fqdn:gw@coati.test \
	> "$T/laptop.swanctl"
swan_up laptop "$T/laptop.swanctl" || die "charon did not start in laptop"

say "wrong PSK on gw"
ike_psk_file gw wrong-psk-not-the-secret
start_coatid_conf gw "$T/gw.ike"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
check_not "ping lan host -> laptop with a wrong PSK on gw" \
	n lan ping -q -c 1 -W 6 -I 10.1.0.2 10.2.0.1
check "gw raised an ACQUIRE" ike_event_has gw 'ACQUIRE'
check "coatid initiated Main Mode up to MM3 (KE, nonce, NAT-D)" \
	grep -q 'parsed ID_PROT request 0 \[ KE No NAT-D NAT-D \]' "$T/swan-laptop/charon.log"
check_not "no IKE SA established on laptop" swan_established laptop
check_eq "gw installed no SA" "$(ike_sa_count gw)" 0
ike_events gw | sed 's/^/    gw event: /' >&2

say "right PSK"
ike_psk_file gw
restart_coatid_conf gw "$T/gw.ike"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
capture_start gw eth0 wire
check "first ping lan host -> laptop (queued during the negotiation) is answered" \
	n lan ping -q -c 1 -W 15 -I 10.1.0.2 10.2.0.1
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" wait_for 5 swan_established laptop
sas=$(swan_sas laptop)
printf '%s\n' "$sas" | sed 's/^/    /' >&2
check "laptop: IKE floated to 4500" grep -q "@ 192.0.2.2\[4500\]" <<< "$sas"
check "laptop: CHILD_SA is TUNNEL-in-UDP" grep -q 'INSTALLED, TUNNEL-in-UDP' <<< "$sas"
ike_check_sas gw udp
ike_check_spis gw "$(swan_child_spis laptop)"
check "gw: show-event reports the ACQUIRE" ike_event_has gw 'ACQUIRE'
ike_check_events gw
ike_check_isakmp gw "192.0.2.1 established initiator nat-t 1"

ike_swan_traffic

say "strongSwan deletes the SAs"
ike_check_delete gw 10 swan laptop --terminate --ike v1 --timeout 10

say "establish-sa and delete-sa isakmp on gw"
swan_no_ike() { ! swan_sas "$1" | grep -q 'ESTABLISHED'; }
check "gw: establish-sa -w isakmp inet 192.0.2.2 192.0.2.1" \
	ctl gw establish-sa -w isakmp inet 192.0.2.2 192.0.2.1
check "gw: establish-sa -w esp inet 10.1.0.0/24 10.2.0.0/24 any" \
	ctl gw establish-sa -w esp inet 10.1.0.0/24 10.2.0.0/24 any
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" swan_established laptop
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
check "gw: delete-sa isakmp inet 192.0.2.2 192.0.2.1" \
	ctl gw delete-sa isakmp inet 192.0.2.2 192.0.2.1
check_eq "gw: no SA left" "$(ike_sa_count gw)" 0
check "laptop deleted its IKE SA on the Delete" wait_for 5 swan_no_ike laptop
ike_finish gw laptop
