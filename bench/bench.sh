#!/bin/bash
# bench/bench.sh - data-plane throughput side by side: bare veth, coati, strongSwan.
#
#   [laptop] 192.0.2.1 (+10.2.0.1) ==== veth ==== 192.0.2.2 [gw] (+10.1.0.1 on eth1)
#
# One run, the same two namespaces, one after the other:
#   bare        iperf3 laptop 192.0.2.1 -> gw 192.0.2.2 on the veth
#   coati       coatid on both ends, manual keys (setkey), 10.2.0.1 -> 10.1.0.1
#   strongswan  charon + kernel-libipsec on both ends, IKEv2 PSK, 10.2.0.1 -> 10.1.0.1
# For each ESP family: iperf3 TCP, 1 stream and -P 4 (receiver Mbit/s), ping RTT
# (average of 20), and the CPU the two daemons used during the 1-stream run
# (utime+stime from /proc/PID/stat, % of one core). Each figure is the median of
# RUNS runs. Prints a markdown table with ratios against bare and strongSwan and
# appends it, with the command and the date, to bench/RESULTS.md.
# Benchmarks are never assertions: nothing here fails on a slow number.
#
# Usage: bench/bench.sh [-t SECONDS] [-r RUNS] [-a "gcm chacha cbc-sha256"]
#                       [-e udp|raw] [--no-coati] [--no-swan] [--no-append]
#   -e   coati's encapsulation: udp (ESP-in-UDP 4500, the same wire format as
#        strongSwan's libipsec, default) or raw (IP protocol 50)
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CMDLINE="${COATI_BUILD:+COATI_BUILD=$COATI_BUILD }bench/bench.sh${*:+ $*}"
SECS=5
RUNS=3
ALGS="gcm chacha cbc-sha256"
ENCAP=udp
DO_COATI=1
DO_SWAN=1
APPEND=1
while [ $# -gt 0 ]; do
	case $1 in
	-t) SECS=$2; shift 2 ;;
	-r) RUNS=$2; shift 2 ;;
	-a) ALGS=$2; shift 2 ;;
	-e) ENCAP=$2; shift 2 ;;
	--no-coati) DO_COATI=0; shift ;;
	--no-swan) DO_SWAN=0; shift ;;
	--no-append) APPEND=0; shift ;;
	*) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
	esac
done

. "$HERE/../tests/net/lib.sh"
. "$HERE/../tests/strongswan/swan.sh"
SCEN=bench
need iperf3
# A benchmark reports what it could not measure instead of stopping.
die() {
	fail "$*"
	return 1
}

RES="$T/results.txt"
: > "$RES"
HZ=$(getconf CLK_TCK)

# strongSwan's names for our algorithm families.
swan_esp() {
	case $1 in
	gcm) echo aes128gcm16 ;;
	chacha) echo chacha20poly1305 ;;
	cbc-sha256) echo aes128-sha256 ;;
	esac
}

alg_label() {
	case $1 in
	gcm) echo "aes-gcm-16-128" ;;
	chacha) echo "chacha20-poly1305" ;;
	cbc-sha256) echo "aes-cbc-128+hmac-sha256" ;;
	*) echo "$1" ;;
	esac
}

record() { echo "$1|$2|$3|$4" >> "$RES"; }

# iperf DST SRC PARALLEL -> receiver Mbit/s (server in gw, client in laptop)
iperf() {
	local dst=$1 src=$2 par=$3 sp out
	spawn gw /dev/null /dev/null timeout $((SECS + 30)) iperf3 -s -1 -B "$dst" -p 5201
	sp=$SPAWN_PID
	wait_for 5 sh -c "ip netns exec coati-gw-$SFX ss -Hltn | grep -q ':5201 '"
	out=$(nq laptop timeout $((SECS + 20)) iperf3 -J -c "$dst" -B "$src" -p 5201 -t "$SECS" \
		-P "$par" 2>/dev/null)
	wait "$sp" 2>/dev/null
	echo "$out" | python3 -c 'import json,sys
try:
    print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print("nan")'
}

ping_avg() {
	nq laptop ping -q -c 20 -i 0.05 -W 2 -I "$1" "$2" 2>/dev/null |
		awk -F/ '/^rtt|^round-trip/ { print $5 }'
}

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# measure PATH ALG SRC DST [PID_LAPTOP PID_GW]
measure() {
	local path=$1 alg=$2 src=$3 dst=$4 pl=${5:-} pg=${6:-} r a0 b0 v n0
	for ((r = 1; r <= RUNS; r++)); do
		n0=$(wc -l < "$RES")
		[ -n "$pl" ] && { a0=$(ticks "$pl"); b0=$(ticks "$pg"); }
		v=$(iperf "$dst" "$src" 1)
		record "$path" "$alg" tcp1 "$v"
		if [ -n "$pl" ]; then
			record "$path" "$alg" cpu_l $((($(ticks "$pl") - a0) * 100 / HZ / SECS))
			record "$path" "$alg" cpu_g $((($(ticks "$pg") - b0) * 100 / HZ / SECS))
		fi
		record "$path" "$alg" tcp4 "$(iperf "$dst" "$src" 4)"
		record "$path" "$alg" rtt "$(ping_avg "$src" "$dst")"
		say "$path $alg run $r:" \
			"$(tail -n +$((n0 + 1)) "$RES" | cut -d'|' -f3,4 | tr '\n' ' ')"
	done
}

med() { # path alg metric -> median (or -)
	grep "^$1|$2|$3|" "$RES" | cut -d'|' -f4 | grep -v '^nan$' | grep . | sort -g |
		awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit }
			if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'
}

say "topology"
topo_direct > "$T/topo.log" 2>&1
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
say "load before: $LOAD0"

say "bare veth"
measure bare - 192.0.2.1 192.0.2.2

if [ $DO_SWAN = 1 ]; then
	say "strongSwan (charon + kernel-libipsec)"
	SL="$T/swan-laptop"
	SG="$T/swan-gw"
	mkdir -p "$SL" "$SG"
	esps=""
	for a in $ALGS; do esps="$esps${esps:+, }$(swan_esp "$a")"; done
	swan_gen_s2s 192.0.2.2 %any 10.1.0.0/24 10.2.0.0/24 "$esps" > "$T/swan-gw.conf"
	swan_gen_s2s 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 aes128gcm16 > "$T/swan-laptop.conf"
	if swan_start "coati-gw-$SFX" "$SG" "$T/swan-gw.conf" && track "$(cat "$SG/timeout.pid")" &&
		swan_start "coati-laptop-$SFX" "$SL" "$T/swan-laptop.conf" && track "$(cat "$SL/timeout.pid")"; then
		for a in $ALGS; do
			swan_gen_s2s 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 "$(swan_esp "$a")" \
				> "$SL/swanctl/swanctl.conf"
			swan_sw "$SL" --load-conns > /dev/null 2>&1
			swan_sw "$SL" --terminate --ike s2s --timeout 10 > /dev/null 2>&1
			if ms=$(swan_initiate "$SL" s2s net) && ping_first_ok laptop 10.2.0.1 10.1.0.1; then
				say "strongSwan $a up in $ms ms"
				measure strongswan "$a" 10.2.0.1 10.1.0.1 "$(swan_pid "$SL")" "$(swan_pid "$SG")"
			else
				fail "strongSwan tunnel $a"
			fi
		done
	else
		fail "strongSwan did not start"
	fi
	swan_stop "$SL"
	swan_stop "$SG"
fi

if [ $DO_COATI = 1 ]; then
	say "coati (coatid, manual keys, encapsulation $ENCAP)"
	if [ -x "$COATID" ] && start_coatid laptop && start_coatid gw &&
		[ -S "$(sock_of laptop)" ] && [ -S "$(sock_of gw)" ]; then
		for a in $ALGS; do
			tunnel_up "$a" v4 "$ENCAP"
			if ping_first_ok laptop 10.2.0.1 10.1.0.1; then
				measure coati "$a" 10.2.0.1 10.1.0.1 "$(coatid_pid laptop)" "$(coatid_pid gw)"
			else
				fail "coati tunnel $a"
			fi
		done
	else
		fail "coatid not available or did not start ($COATID)"
	fi
	stop_coatid laptop
	stop_coatid gw
fi

table() {
	local bare1 bare4 p a s1 s4 m1 m4
	bare1=$(med bare - tcp1)
	bare4=$(med bare - tcp4)
	printf '| %s ' path ESP "TCP 1 stream Mbit/s" "TCP -P 4 Mbit/s" "RTT ms (avg of 20)" \
		"CPU % laptop / gw daemon (1 stream)" "1 stream vs bare" "1 stream vs strongSwan" \
		"-P 4 vs strongSwan"
	echo "|"
	echo "|---|---|---|---|---|---|---|---|---|"
	echo "| bare veth | - | $bare1 | $bare4 | $(med bare - rtt) | - | 1.00 | - | - |"
	for p in strongswan coati; do
		for a in $ALGS; do
			grep -q "^$p|$a|tcp1|" "$RES" || continue
			s1=$(med strongswan "$a" tcp1)
			s4=$(med strongswan "$a" tcp4)
			[ $p = strongswan ] && { s1=-; s4=-; }
			m1=$(med $p "$a" tcp1)
			m4=$(med $p "$a" tcp4)
			printf '| %s ' "$p" "$(alg_label "$a")" "$m1" "$m4" "$(med $p "$a" rtt)" \
				"$(med $p "$a" cpu_l) / $(med $p "$a" cpu_g)" "$(ratio "$m1" "$bare1")" \
				"$(ratio "$m1" "$s1")" "$(ratio "$m4" "$s4")"
			echo "|"
		done
	done
}

{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Command: \`$CMDLINE\` (iperf3 ${SECS} s x ${RUNS} runs, medians;" \
		"coati encapsulation: $ENCAP; coati tree: $(git -C "$HERE/.." describe --always --dirty \
		2>/dev/null || echo unknown))."
	echo "Machine: $(nproc) cores, kernel $(uname -r), loadavg before: $LOAD0, after:" \
		"$(cut -d' ' -f1-3 /proc/loadavg). strongSwan $(dpkg-query -W -f '${Version}' strongswan-charon 2>/dev/null)" \
		"(charon + kernel-libipsec, always ESP-in-UDP)."
	echo
	table
	[ "$N_FAIL" -gt 0 ] && echo && echo "Not measured: $N_FAIL part(s) failed, see the log."
} > "$T/table.md"
cat "$T/table.md"
if [ $APPEND = 1 ]; then
	cat "$T/table.md" >> "$HERE/RESULTS.md"
	echo "appended to $HERE/RESULTS.md" >&2
fi
exit 0
