#!/bin/bash
# ikev1-swan-resp.sh - IKEv1 Main Mode PSK: strongSwan initiates, coatid responds.
#
#   [laptop] charon (kernel-libipsec), 192.0.2.1 + inner 10.2.0.1
#      | veth   IKE 500, then 4500 (libipsec fakes NAT-D: both ends float), ESP-in-UDP
#   [gw] coatid 192.0.2.2, "remote anonymous", generate_policy on --- [lan] 10.1.0.2
#
# IDs fqdn laptop@coati.test / gw@coati.test, aes128-sha256-modp2048, ESP aes128-sha256
# with PFS modp2048, tunnel 10.2.0.0/24 <-> 10.1.0.0/24.
# First a wrong PSK on strongSwan's side: the negotiation must fail and gw hold no SA.
# Then the right one: IKE SA ESTABLISHED and CHILD_SA INSTALLED on strongSwan, two
# ESP-in-UDP SAs on gw with the same SPIs, events and `show-sa isakmp` on gw, pings
# both ways, TCP both ways with sha256 compare, packet counters rising on both sides,
# only ESP-in-UDP on the wire; finally strongSwan deletes the SAs and gw removes them.
. "$(dirname "$0")/lib.sh"

topo_direct
ike_psk_file gw
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
start_coatid_conf gw "$T/gw.ike"
swan_v1_conf 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 fqdn:laptop@coati.test fqdn:gw@coati.test \
	> "$T/laptop.swanctl"
swan_v1_conf 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 fqdn:laptop@coati.test fqdn:gw@coati.test \
	wrong-psk-not-the-secret > "$T/laptop-wrong.swanctl"

say "wrong PSK on strongSwan's side"
swan_up laptop "$T/laptop-wrong.swanctl" || die "charon did not start in laptop"
check_not "initiate with a wrong PSK fails" \
	swan laptop --initiate --ike v1 --child net --timeout 8
check_not "no IKE SA established on laptop" swan_established laptop
check "coatid answered Main Mode up to MM4 (KE, nonce, NAT-D)" \
	grep -q 'parsed ID_PROT response 0 \[ KE No NAT-D NAT-D \]' "$T/swan-laptop/charon.log"
check_eq "gw installed no SA" "$(ike_sa_count gw)" 0
check "gw's show-event names the undecryptable MM5 (wrong pre-shared key?)" \
	ike_event_has gw 'dropped.*wrong pre-shared key'
ike_events gw | sed 's/^/    gw event: /' >&2
swan_down laptop
cp "$T/swan-laptop/charon.log" "$T/swan-laptop/charon-wrong-psk.log" 2>/dev/null

say "right PSK"
swan_up laptop "$T/laptop.swanctl" || die "charon did not start in laptop"
capture_start gw eth0 wire
check "strongSwan initiates, coatid responds" \
	swan laptop --initiate --ike v1 --child net --timeout 20
sas=$(swan_sas laptop)
printf '%s\n' "$sas" | sed 's/^/    /' >&2
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" swan_established laptop
check "laptop: IKE floated to 4500" grep -q "@ 192.0.2.2\[4500\]" <<< "$sas"
check "laptop: CHILD_SA is TUNNEL-in-UDP" grep -q 'INSTALLED, TUNNEL-in-UDP' <<< "$sas"
ike_check_sas gw udp
check_eq "gw generated two policies from the Quick Mode IDs" "$(count_entries gw -DP)" 2
ike_check_spis gw "$(swan_child_spis laptop)"
ike_check_events gw
ike_check_isakmp gw "192.0.2.1 established responder nat-t 1"

check "ping laptop -> lan host through the tunnel" ping_first_ok laptop 10.2.0.1 10.1.0.2
ike_swan_traffic

say "strongSwan deletes the SAs"
ike_check_delete gw 10 swan laptop --terminate --ike v1 --timeout 10
ike_finish gw laptop
