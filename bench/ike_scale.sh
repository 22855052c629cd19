#!/bin/bash
# bench/ike_scale.sh - IKEv1 responders under N road warriors: negotiations per second and
# memory per tunnel, coati vs strongSwan in one run; plus the first-packet delay of an
# ACQUIRE-driven tunnel.
#
#   [laptop] bench/ike_load: N initiators from 198.18.0.1, .2, ... (addresses on eth0)
#      | veth
#   [gw] the responder: coatid (remote anonymous, generate_policy) or charon
#        (kernel-libipsec, remote_addrs %any); 10.1.0.0/24 behind it
#
# Each initiator runs Main Mode PSK (aes128-sha256-modp2048) + Quick Mode (ESP aes128-sha256,
# PFS modp2048, tunnel 198.18.x.y/32 <-> 10.1.0.0/24), C at a time. The responder's RSS is
# read from /proc before the load and once all N are up; (after - before) / N is its
# memory per phase 1 + phase 2 pair. The same generator drives both responders, so the
# ratio compares the responders.
# First packet: coatid on gw with a require policy and remote 192.0.2.1 (coatid on
# laptop responds); `ping -c 1` from the lan host: the ping's own RTT, which holds the
# ACQUIRE, both exchanges and the queued packet's trip, median of RUNS.
#
# Usage: sudo [COATI_BUILD=DIR] bench/ike_scale.sh [N] [C] [RUNS]   (defaults 1000 50 5;
# appends to bench/RESULTS.md, NO_APPEND=1 only prints). Benchmarks are never assertions.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
N=${1:-1000}
C=${2:-50}
RUNS=${3:-5}
SCEN=ike_scale
NET_LIFETIME=${NET_LIFETIME:-900}
. "$HERE/../tests/net/lib.sh"
LOAD=${IKE_LOAD:-$BUILD/bench/ike_load}
LOAD_PSK=coati-load-test-secret
[ -x "$LOAD" ] || die "no $LOAD (build first)"
die() {
	fail "$*"
	return 1
}

median() { sort -g | awk '{a[NR]=$1} END { if (NR == 0) { print "-"; exit }
	if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR/2] + a[NR/2 + 1]) / 2 }'; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# the initiators' addresses on laptop, a route back to them on gw
load_addrs() {
	local i
	for ((i = 0; i < N; i++)); do
		printf 'addr add 198.18.%d.%d/32 dev eth0\n' $(((i + 1) / 256)) $(((i + 1) % 256))
	done > "$T/addrs.batch"
	nq laptop ip -batch "$T/addrs.batch" || die "cannot add $N addresses"
	n gw ip route add 198.18.0.0/15 via 192.0.2.1
}

swan_gw_conf() {
	cat <<-EOF
	connections {
	    rw {
	        version = 1
	        aggressive = no
	        local_addrs = 192.0.2.2
	        remote_addrs = %any
	        proposals = aes128-sha256-modp2048
	        dpd_delay = 0
	        local {
	            auth = psk
	            id = fqdn:gw@coati.test
	        }
	        remote {
	            auth = psk
	            id = fqdn:load@coati.test
	        }
	        children {
	            net {
	                local_ts = 10.1.0.0/24
	                remote_ts = dynamic
	                esp_proposals = aes128-sha256-modp2048
	                start_action = none
	            }
	        }
	    }
	}
	secrets {
	    ike-load {
	        id-l = fqdn:gw@coati.test
	        id-r = fqdn:load@coati.test
	        secret = "$LOAD_PSK"
	    }
	}
	EOF
}

# load PID NAME: run the generator against gw, read PID's RSS before and when all are up.
# Prints "rate_per_s ok_of_n kb_per_tunnel".
load() {
	local pid=$1 out="$T/load-$2.out" before after i
	before=$(rss_kb "$pid")
	nq laptop "$LOAD" -n "$N" -c "$C" -b 198.18.0.1 -r 192.0.2.2 -t 10.1.0.0/24 -g 14 \
		-k "$LOAD_PSK" -i load@coati.test -H 20 -T 600 > "$out" 2>&1 &
	local lp=$!
	track "$lp"
	for ((i = 0; i < 6000; i++)); do
		grep -q '^ready' "$out" && break
		sleep 0.1
	done
	sleep 1 # the responder finishes its side of the last Quick Modes
	after=$(rss_kb "$pid")
	kill "$lp" 2>/dev/null
	wait "$lp" 2>/dev/null
	sed 's/^/    load: /' "$out" >&2
	awk -v b="$before" -v a="$after" -v n="$N" '
		/^established/ { split($2, f, "/"); ok = f[1]; rate = $6; sub(/\(/, "", rate) }
		END { printf "%s %s/%s %.1f\n", rate, ok, n, ok ? (a - b) / ok : 0 }' "$out"
}

topo_direct
load_addrs
# Main Mode: racoon finds the key by the peer's address, so one line per initiator
for ((i = 0; i < N; i++)); do
	printf '198.18.%d.%d %s\n' $(((i + 1) / 256)) $(((i + 1) % 256)) "$LOAD_PSK"
done > "$T/psk.txt"
mkdir -p "$T/gw"
install -m 600 "$T/psk.txt" "$T/gw/psk.txt"
ike_racoon_conf gw anonymous gw@coati.test load@coati.test > "$T/gw.ike"

say "coati responder, $N initiators, $C at a time"
start_coatid_conf gw "$T/gw.ike" -v
read -r c_rate c_ok c_kb <<< "$(load "$(coatid_pid gw)" coati)"
c_sas=$(ike_sa_count gw)
stop_coatid gw

say "strongSwan responder, $N initiators, $C at a time"
swan_gw_conf > "$T/gw.swanctl"
swan_up gw "$T/gw.swanctl" >/dev/null 2>&1 || die "charon did not start in gw"
. "$ROOT/tests/strongswan/swan.sh"
read -r s_rate s_ok s_kb <<< "$(load "$(swan_pid "$T/swan-gw")" swan)"
swan_down gw

say "first packet through an ACQUIRE-driven tunnel"
ike_psk_file gw
ike_psk_file laptop
ike_racoon_conf gw 192.0.2.1 gw@coati.test laptop@coati.test > "$T/gw1.ike"
ike_racoon_conf laptop anonymous laptop@coati.test gw@coati.test > "$T/laptop1.ike"
printf '%s\n' "spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;" \
	"spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;" \
	> "$T/gw1.setkey"
fp=()
for ((r = 0; r < RUNS; r++)); do
	restart_coatid_conf laptop "$T/laptop1.ike" >/dev/null 2>&1
	restart_coatid_conf gw "$T/gw1.ike" >/dev/null 2>&1
	setkey gw "$T/gw1.setkey" >/dev/null 2>&1
	fp+=("$(nq lan ping -c 1 -W 5 -I 10.1.0.2 10.2.0.1 2>/dev/null |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p')")
done
stop_coatid gw
stop_coatid laptop
mfp=$(printf '%s\n' "${fp[@]}" | grep . | median)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
table=$(cat <<EOF

## $(date -u '+%Y-%m-%d %H:%M') UTC: IKEv1 responders at $N tunnels

Command: \`${COATI_BUILD:+COATI_BUILD=$COATI_BUILD }bench/ike_scale.sh $N $C $RUNS\` (bench/ike_load: $N initiators from
distinct addresses, $C at a time, each Main Mode PSK aes128-sha256-modp2048 + Quick Mode ESP
aes128-sha256 with PFS modp2048; responder RSS from /proc; load average $(cut -d' ' -f1-3 /proc/loadavg)).

| responder | established | negotiations (MM+QM) per s | RSS per tunnel (kB) |
|---|---|---|---|
| coati | $c_ok | $c_rate | $c_kb |
| strongSwan (kernel-libipsec) | $s_ok | $s_rate | $s_kb |
| coati / strongSwan | | $(ratio "$c_rate" "$s_rate") | $(ratio "$c_kb" "$s_kb") |

coati held $c_sas SAs (two per tunnel) at the end. First packet of an ACQUIRE-driven tunnel
(coati to coati: the ping that triggers Main Mode + Quick Mode with PFS, its RTT): median
$mfp ms of ${fp[*]}.
EOF
)
printf '%s\n' "$table"
[ "${NO_APPEND:-0}" = 1 ] || printf '%s\n' "$table" >> "$HERE/RESULTS.md"
ok "measured"
finish
