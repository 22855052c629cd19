#!/bin/bash
# ikev1-coati.sh - IKEv1 Main Mode PSK between two coatids, both from racoon.conf.
#
#   [laptop] coatid 192.0.2.1 + inner 10.2.0.1, "remote 192.0.2.2", require policies
#      | veth   IKE on 500 only (no NAT: nat_traversal on does not float), raw ESP
#   [gw] coatid 192.0.2.2, "remote anonymous", generate_policy on --- [lan] 10.1.0.2
#
# A ping from laptop hits its outbound require policy with no SA: laptop's coatid
# queues it, raises an ACQUIRE and negotiates Main Mode + Quick Mode (PFS modp2048)
# with gw, which builds its policies from the Quick Mode IDs. The queued packet then
# goes out and its answer comes back.
# First a wrong PSK on laptop: the negotiation must fail and neither end hold an SA.
# Then the right one: the first ping answered, two raw ESP SAs on each end with
# matching SPIs, events and `show-sa isakmp` on both, pings and TCP both ways, packet
# counters rising on both ends, only raw ESP on the wire.
. "$(dirname "$0")/lib.sh"

topo_direct
ike_racoon_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test > "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
cat > "$T/laptop.setkey" <<EOF2
flush;
spdflush;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2
ike_psk_file gw
start_coatid_conf gw "$T/gw.ike"

say "wrong PSK on laptop"
ike_psk_file laptop wrong-psk-not-the-secret
start_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
capture_start gw eth0 wrong
check_not "ping laptop -> lan host with a wrong PSK on laptop" \
	n laptop ping -q -c 1 -W 6 -I 10.2.0.1 10.1.0.2
capture_stop wrong
check_gt "gw answered Main Mode (MM2, MM4) before the PSK mattered" \
	"$(pcap_count wrong "udp and src 192.0.2.2 and src port 500")" 1
check "laptop raised an ACQUIRE" ike_event_has laptop 'ACQUIRE'
check_eq "gw installed no SA" "$(ike_sa_count gw)" 0
check_eq "laptop installed no SA" "$(ike_sa_count laptop)" 0
ike_events laptop | sed 's/^/    laptop event: /' >&2
ike_events gw | sed 's/^/    gw event: /' >&2

say "right PSK"
ike_psk_file laptop
restart_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
capture_start gw eth0 wire
check "first ping laptop -> lan host (queued during the negotiation) is answered" \
	n laptop ping -q -c 1 -W 15 -I 10.2.0.1 10.1.0.2
ike_check_sas laptop raw
ike_check_sas gw raw
check_eq "gw generated two policies from the Quick Mode IDs" "$(count_entries gw -DP)" 2
ike_check_spis gw "$(ike_sas laptop | awk '{ print $2 }')"
check "laptop: show-event reports the ACQUIRE" ike_event_has laptop 'ACQUIRE'
ike_check_events laptop
ike_check_events gw
ike_check_isakmp laptop "192.0.2.2 established initiator no-nat-t 1"
ike_check_isakmp gw "192.0.2.1 established responder no-nat-t 1"

g0=$(ike_sa_packets gw)
l0=$(ike_sa_packets laptop)
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
check "TCP 512 KiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 512
check "TCP 256 KiB lan -> laptop, sha256 equal" tcp_transfer laptop 10.2.0.1 lan 10.1.0.2 256
capture_stop wire
ike_check_sa_pkts laptop 10
ike_check_sa_pkts gw 10
check_gt "gw SA packet counters rose" "$(ike_sa_packets gw)" "$((${g0:-0} + 20))"
check_gt "laptop SA packet counters rose" "$(ike_sa_packets laptop)" "$((${l0:-0} + 20))"
ike_check_capture wire raw
ike_finish gw laptop
