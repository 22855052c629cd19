#!/bin/bash
# ikev1-ctl.sh - racoonctl's IKE verbs against two coatids, and a reload with SAs up.
#
#   [laptop] coatid 192.0.2.1 + inner 10.2.0.1, require policies, remote 192.0.2.2
#      | veth   IKE 500, raw ESP
#   [gw] coatid 192.0.2.2, "remote anonymous", passive, generate_policy --- [lan] 10.1.0.2
#
# gw's remote is passive: establish-sa there is refused, and it still responds.
# establish-sa -w isakmp brings up phase 1 only; reload-config on both ends with the
# ISAKMP SA up (the SA keeps the configuration it was made with: under ASan a freed one
# would show); establish-sa esp for the outbound policy runs Quick Mode through it and
# traffic passes; a selector with no policy is refused by name. delete-sa isakmp, vd and
# flush-sa isakmp each remove the ISAKMP SA and its IPsec SAs on both ends (the peer
# honours the Delete), and traffic brings the tunnel back through the ACQUIRE.
. "$(dirname "$0")/lib.sh"

topo_direct
ike_racoon_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test > "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test |
	sed 's/^remote anonymous {$/&\n\tpassive on;/' > "$T/gw.ike"
ike_pair_up "$T/laptop.ike" "$T/gw.ike"

# isakmp_is ROLE N: ROLE holds N ISAKMP SAs (for wait_for)
isakmp_is() { test "$(ike_isakmp "$1" | grep -c .)" -eq "$2"; }

say "a passive remote only responds"
check_not "gw (passive): establish-sa isakmp is refused" \
	ctl gw establish-sa isakmp inet 192.0.2.2 192.0.2.1
check "the refusal says the remote is passive" \
	grep -q "passive" <(nq gw "$COATICTL" -s "$(sock_of gw)" \
		establish-sa isakmp inet 192.0.2.2 192.0.2.1 2>&1)

say "establish-sa isakmp"
check "establish-sa -w isakmp inet 192.0.2.1 192.0.2.2" \
	ctl laptop establish-sa -w isakmp inet 192.0.2.1 192.0.2.2
ike_check_isakmp laptop "192.0.2.2 established initiator no-nat-t 0"
check "gw: the ISAKMP SA is up" wait_for 5 isakmp_is gw 1
check_eq "phase 1 only: no IPsec SA on laptop" "$(ike_sa_count laptop)" 0

say "reload-config on both ends with the ISAKMP SA up"
check "laptop: reload-config" ctl laptop reload-config
check "gw: reload-config" ctl gw reload-config

say "establish-sa esp through the existing ISAKMP SA"
check_not "establish-sa esp for a selector without a policy is refused" \
	ctl laptop establish-sa esp inet 10.9.0.0/24 10.1.0.0/24 any
check "the refusal names the missing policy" \
	grep -q "no outbound IPsec policy" <(nq laptop "$COATICTL" -s "$(sock_of laptop)" \
		establish-sa esp inet 10.9.0.0/24 10.1.0.0/24 any 2>&1)
check "establish-sa -w esp inet 10.2.0.0/24 10.1.0.0/24 any" \
	ctl laptop establish-sa -w esp inet 10.2.0.0/24 10.1.0.0/24 any
check_eq "laptop installed the ESP pair" "$(ike_sa_count laptop)" 2
check "gw installed the ESP pair" wait_for 5 ike_sa_count_is gw -eq 2
ike_check_isakmp laptop "192.0.2.2 established initiator no-nat-t 1"
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5

say "delete-sa isakmp"
check "delete-sa isakmp inet 192.0.2.1 192.0.2.2" \
	ctl laptop delete-sa isakmp inet 192.0.2.1 192.0.2.2
check_eq "laptop: no ISAKMP SA left" "$(ike_isakmp laptop | grep -c .)" 0
check_eq "laptop: no IPsec SA left" "$(ike_sa_count laptop)" 0
check "gw honoured the Delete: no ISAKMP SA" wait_for 5 isakmp_is gw 0
check "gw honoured the Delete: no IPsec SA" wait_for 5 ike_sa_count_is gw -eq 0
check_not "delete-sa isakmp without an SA fails" \
	ctl laptop delete-sa isakmp inet 192.0.2.1 192.0.2.2

say "traffic brings it back; vd takes it down"
check "ping laptop -> lan host starts a new negotiation" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "vd 192.0.2.2" ctl laptop vd 192.0.2.2
check_eq "laptop: nothing left after vd" "$(ike_sa_count laptop)$(ike_isakmp laptop | grep -c .)" 00
check "gw: nothing left after vd" wait_for 5 ike_sa_count_is gw -eq 0

say "flush-sa isakmp on the responder"
check "ping laptop -> lan host again" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "gw: flush-sa isakmp" ctl gw flush-sa isakmp
check_eq "gw: nothing left after flush-sa isakmp" "$(ike_sa_count gw)$(ike_isakmp gw | grep -c .)" 00
check "laptop honoured the Deletes" wait_for 5 ike_sa_count_is laptop -eq 0
check "laptop: no ISAKMP SA" wait_for 5 isakmp_is laptop 0
ike_finish gw laptop
