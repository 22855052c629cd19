#!/bin/bash
# ikev1-garbage.sh - coatid as an IKE responder under a storm of malformed ISAKMP.
#
#   [laptop] tests/net/ike_mangle.py: mutated ISAKMP (real messages from the fuzz corpus,
#      |     bit-flipped, truncated, mis-sized, re-cookied, out of state, oversized)
#      | veth   UDP 500 and 4500 (non-ESP marker)
#   [gw] coatid 192.0.2.2, "remote anonymous" --- [lan] 10.1.0.2
#
# 3000 datagrams to port 500 and 1500 to 4500, at most 20 s each. Afterwards gw's coatid
# still runs and answers its admin socket, holds no IPsec SA and no established ISAKMP
# SA, and said what it dropped (rate-limited events). Then laptop's coatid negotiates
# normally with it and traffic passes. Under the ASan+UBSan build this doubles as a
# memory-safety check of the whole receive path.
. "$(dirname "$0")/lib.sh"

topo_direct
ike_racoon_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test > "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
ike_psk_file gw
start_coatid_conf gw "$T/gw.ike"
seeds=("$ROOT"/tests/fuzz/corpus/ikev1/*.bin)

say "malformed ISAKMP at gw"
sent=$(nq laptop timeout 30 python3 "$NET_DIR/ike_mangle.py" 192.0.2.2 500 3000 20 "${seeds[@]}")
check_gt "mangled datagrams sent to port 500" "${sent:-0}" 2000
sent=$(nq laptop timeout 30 python3 "$NET_DIR/ike_mangle.py" 192.0.2.2 4500 1500 20 "${seeds[@]}")
check_gt "mangled datagrams sent to port 4500" "${sent:-0}" 1000
check "gw's coatid still runs" kill -0 "$(coatid_pid gw)"
check "gw's coatid answers its admin socket" ctl gw ping
check_eq "gw installed no SA" "$(ike_sa_count gw)" 0
check_eq "gw has no established ISAKMP SA" \
	"$(ike_isakmp gw | awk '$2 == "established"' | grep -c .)" 0
check "gw reported dropped messages" ike_event_has gw 'message from 192.0.2.1.* dropped'
half=$(ike_isakmp gw | grep -c .)
echo "    gw holds $half half-open ISAKMP SAs (they expire by the timer section)" >&2

say "a real negotiation after the storm"
ike_psk_file laptop
cat > "$T/laptop.setkey" <<EOF2
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2
start_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
check "first ping laptop -> lan host is answered" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
check_eq "gw holds the one pair" "$(ike_sa_count gw)" 2
ike_finish gw laptop
