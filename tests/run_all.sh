#!/bin/bash
# tests/run_all.sh - every test coati has, in one non-interactive command.
#
#   1. apt-get the build and test dependencies that are missing
#   2. build with gcc (meson + ninja in build-ci-gcc/) and run the cmocka unit tests
#   3. run the end-to-end scenarios in network namespaces (tests/net/run.sh)
#   4. build with ASan+UBSan (build-ci-asan/) and run the unit tests and the scenarios
#      again against the sanitized coatid (RUN_ALL_ASAN_NET=0 skips the scenarios)
#   4b. build with clang, ASan+UBSan and libFuzzer (build-ci-fuzz/): unit tests, then every
#      fuzz harness over its seed corpus plus FUZZ_SECONDS (20) of fuzzing
#   5. print "N passed, N failed" over every unit test case and scenario; exit 1 on any failure
#
# Made for CI: root, no stdin, CI=true; nothing prompts. On 2 cores it takes
# about 5-10 minutes. Environment: RUN_ALL_NO_INSTALL=1 (skip apt-get),
# RUN_ALL_ASAN_NET=0, FUZZ_SECONDS, NET_TIMEOUT (per scenario, see tests/net/run.sh).
set -u
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 1
export DEBIAN_FRONTEND=noninteractive
LOG=${RUN_ALL_LOGDIR:-$(mktemp -d /tmp/coati-run-all.XXXXXX)}
PASSED=0
FAILED=0
STEPS=()

note() { printf '\n==== %s\n' "$*"; }

# tally NAME PASSED FAILED
tally() {
	PASSED=$((PASSED + $2))
	FAILED=$((FAILED + $3))
	STEPS+=("$(printf '%-28s %4d passed, %4d failed' "$1" "$2" "$3")")
}

install_deps() {
	local pkgs="meson ninja-build pkg-config gcc libssl-dev libcmocka-dev libmnl-dev libnftables-dev zlib1g-dev
		libpam0g-dev libcrypt-dev
		iproute2 nftables tcpdump tshark iputils-ping netcat-openbsd iperf3 python3 procps
		clang libclang-rt-14-dev util-linux strongswan-charon strongswan-swanctl
		libcharon-extra-plugins libcharon-extauth-plugins libstrongswan-extra-plugins"
	local missing
	missing=$(for p in $pkgs; do dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
		grep -q 'install ok installed' || echo "$p"; done | tr '\n' ' ')
	if [ -z "${missing// /}" ]; then
		echo "dependencies present"
		return 0
	fi
	if [ "${RUN_ALL_NO_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
		echo "missing packages: $missing (not installing)"
		return 1
	fi
	echo "installing: $missing"
	apt-get update -q < /dev/null > "$LOG/apt.log" 2>&1 &&
		apt-get install -y -q --no-install-recommends $missing < /dev/null >> "$LOG/apt.log" 2>&1 ||
		{ tail -n 20 "$LOG/apt.log"; return 1; }
}

# build DIR [MESON OPTIONS...]
build() {
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		CC=${CC:-gcc} meson setup "$dir" "$@" < /dev/null > "$LOG/$(basename "$dir")-setup.log" 2>&1 ||
			{ tail -n 30 "$LOG/$(basename "$dir")-setup.log"; return 1; }
	fi
	ninja -C "$dir" < /dev/null > "$LOG/$(basename "$dir")-ninja.log" 2>&1 ||
		{ grep -E -m 20 'error|undefined' "$LOG/$(basename "$dir")-ninja.log"; return 1; }
}

# unit DIR NAME: meson test --suite unit; counts cmocka cases (a test program
# that dies before cmocka's summary counts as one failure).
unit() {
	local dir=$1 name=$2 out p f mf
	out="$LOG/$name-unit.log"
	meson test -C "$dir" --suite unit --print-errorlogs < /dev/null > "$out" 2>&1
	p=$(grep -ho '\[  PASSED  \] [0-9]* test' "$dir/meson-logs/testlog.txt" 2>/dev/null |
		awk '{ s += $4 } END { print s + 0 }')
	f=$(grep -ho '\[  FAILED  \] [0-9]* test' "$dir/meson-logs/testlog.txt" 2>/dev/null |
		awk '{ s += $4 } END { print s + 0 }')
	mf=$(awk '/^(Fail|Timeout|Unexpected Pass):/ { s += $2 } END { print s + 0 }' "$out")
	[ "$mf" -gt "$f" ] && f=$mf
	grep -E '^ *[0-9]+/[0-9]+ ' "$out" | sed 's/^/  /'
	tally "$name unit tests" "$p" "$f"
}

# net DIR NAME: the namespace scenarios against the programs in DIR.
net() {
	local dir=$1 name=$2 out line
	out="$LOG/$name-net.log"
	if [ "$(id -u)" != 0 ]; then
		echo "not root: the network namespace scenarios cannot run"
		tally "$name net scenarios" 0 1
		return
	fi
	COATI_BUILD=$dir NET_LOGDIR="$LOG/$name-net" timeout -k 30 1200 "$REPO/tests/net/run.sh" \
		< /dev/null > "$out" 2>&1
	sed 's/^/  /' "$out"
	line=$(tail -n 1 "$out")
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		tally "$name net scenarios" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
	else
		tally "$name net scenarios" 0 1
	fi
}

note "dependencies"
install_deps || tally "dependencies" 0 1

note "gcc build (build-ci-gcc)"
if build build-ci-gcc; then
	note "unit tests (gcc)"
	unit build-ci-gcc gcc
	note "network namespace scenarios (gcc build)"
	net "$REPO/build-ci-gcc" gcc
else
	tally "gcc build" 0 1
fi

note "ASan+UBSan build (build-ci-asan)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if build build-ci-asan -Db_sanitize=address,undefined -Db_lundef=false; then
	note "unit tests (ASan+UBSan)"
	unit build-ci-asan asan
	if [ "${RUN_ALL_ASAN_NET:-1}" = 1 ]; then
		note "network namespace scenarios (ASan+UBSan build)"
		net "$REPO/build-ci-asan" asan
	fi
else
	tally "asan build" 0 1
fi

# fuzz DIR: every libFuzzer harness replays its seed corpus, then fuzzes briefly.
fuzz() {
	local dir=$1 f name p=0 fl=0 corpus work
	for f in "$REPO/$dir"/tests/fuzz/fuzz_*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		name=$(basename "$f")
		corpus="$REPO/tests/fuzz/corpus/${name#fuzz_}"
		work=$(mktemp -d "$LOG/$name.XXXXXX")
		[ -d "$corpus" ] && cp "$corpus"/* "$work"/ 2>/dev/null
		if (cd "$work" && timeout -k 5 $((FUZZ_SECONDS + 60)) "$f" -max_total_time="$FUZZ_SECONDS" \
			-rss_limit_mb=2048 "$work" < /dev/null > "$LOG/$name.log" 2>&1); then
			p=$((p + 1))
			echo "  ok   $name ($(grep -o 'Done [0-9]* runs' "$LOG/$name.log" | tail -n 1))"
		else
			fl=$((fl + 1))
			echo "  FAIL $name (log $LOG/$name.log)"
			grep -m 5 -E 'ERROR|runtime error|SUMMARY' "$LOG/$name.log" | sed 's/^/       /'
		fi
	done
	tally "clang fuzz harnesses" "$p" "$fl"
}

note "clang build with libFuzzer harnesses (build-ci-fuzz)"
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
if CC=clang build build-ci-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false; then
	note "unit tests (clang)"
	unit build-ci-fuzz clang
	note "fuzz harnesses (${FUZZ_SECONDS}s each after the seeds)"
	fuzz build-ci-fuzz
else
	tally "clang build" 0 1
fi

note "summary (logs in $LOG)"
printf '  %s\n' "${STEPS[@]}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
