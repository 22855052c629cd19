#!/bin/bash
# run.sh - run every scenario in tests/net, each under a timeout, and summarise.
#
#   tests/net/run.sh [SCENARIO...]      (default: all *.sh here but lib.sh and run.sh)
#
# Prints PASS/FAIL per scenario and ends with "N passed, N failed"; exits 1 if
# any failed. Each scenario gets its own work dir (NET_TMP) and log; after it
# ends (also when killed by the timeout) any daemon PID or namespace it recorded
# is removed here, so one broken scenario cannot leak into the next.
# Environment: NET_TIMEOUT (per scenario, s, default 240), NET_LOGDIR, and
# everything lib.sh reads (COATI_BUILD, ...).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMO=${NET_TIMEOUT:-240}
LOGDIR=${NET_LOGDIR:-$(mktemp -d /tmp/coati-netrun.XXXXXX)}
mkdir -p "$LOGDIR"

if [ $# -gt 0 ]; then
	scenarios=("$@")
else
	scenarios=()
	for f in "$HERE"/*.sh; do
		case $(basename "$f") in lib.sh | run.sh) continue ;; esac
		scenarios+=("$(basename "$f" .sh)")
	done
fi

# Leftovers of a scenario that was killed: its recorded PIDs and namespaces.
sweep() {
	local d=$1 pid ns
	for pid in $(cat "$d/pids" 2>/dev/null); do
		case $(cat "/proc/$pid/comm" 2>/dev/null) in
		timeout | ip | coatid | tcpdump | iperf3 | nc | ping | python3 | charon)
			kill -KILL "$pid" 2>/dev/null ;;
		esac
	done
	for ns in $(cat "$d/netns" 2>/dev/null); do ip netns del "$ns" 2>/dev/null; done
}

pass=0
failed=0
for s in "${scenarios[@]}"; do
	s=${s%.sh}
	work="$LOGDIR/$s"
	mkdir -p "$work"
	t0=$(date +%s)
	NET_TMP=$work NET_KEEP=1 timeout -k 10 "$TMO" bash "$HERE/$s.sh" > "$LOGDIR/$s.log" 2>&1 < /dev/null
	rc=$?
	sweep "$work"
	dt=$(($(date +%s) - t0))
	# a scenario passes only if it reached finish() with checks that all held
	summary=$(grep -E "^$s: [1-9][0-9]* ok, 0 failed$" "$LOGDIR/$s.log" | tail -n 1)
	[ $rc -eq 0 ] && [ -z "$summary" ] && rc=125
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		printf 'PASS %-18s %3ds  %s\n' "$s" "$dt" "$summary"
	else
		failed=$((failed + 1))
		why="rc=$rc"
		[ $rc -eq 124 ] && why="timeout after ${TMO}s"
		[ $rc -eq 125 ] && why="ended without its summary line"
		printf 'FAIL %-18s %3ds  %s; log %s\n' "$s" "$dt" "$why" "$LOGDIR/$s.log"
		grep '^FAIL ' "$LOGDIR/$s.log" | head -n 5 | sed 's/^/       /'
	fi
done
echo "logs: $LOGDIR"
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
