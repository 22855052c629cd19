#!/bin/bash
# tests/net/lib.sh - helpers for coati's end-to-end scenarios in network
# namespaces, after WireGuard's tools/testing/selftests/wireguard/netns.sh:
# the topology is drawn at the top of every scenario, namespace names carry a
# per-run suffix, every command is echoed with the namespace it runs in, every
# wait is bounded, and `trap cleanup EXIT` stops the daemons (by PID) and
# deletes the namespaces, also when a scenario fails or is killed.
#
# Source it from a scenario, then call topo_direct or topo_nat.
#
# Topology "direct" (topo_direct):
#
#   [laptop] eth0 192.0.2.1/24 2001:db8:1::1/64
#      |        + inner 10.2.0.1/24 2001:db8:3::1/64 (secondary on eth0: no dummy links here)
#      | veth
#   [gw] eth0 192.0.2.2/24 2001:db8:1::2/64      eth1 10.1.0.1/24 2001:db8:2::1/64
#                                                   | veth
#                                  [lan] eth0 10.1.0.2/24 2001:db8:2::2/64, default via gw
#
# Topology "nat" (topo_nat): a masquerading router between laptop and gw
#
#   [laptop] eth0 198.51.100.2/24 (+ 10.2.0.1/24), default via 198.51.100.1
#      | veth
#   [nat] eth0 198.51.100.1/24   eth1 192.0.2.254/24 (nft masquerade out of eth1)
#      | veth
#   [gw] eth0 192.0.2.2/24 (no route back to 198.51.100.0/24)  eth1 10.1.0.1/24 -- [lan] as above
#
# laptop has no route to the LAN except the ones coatid installs (its own
# table, see coati_table, dev ipsec0), so an answered ping to 10.1.0.2 went
# through the tunnel.
# Addresses exist only inside the namespaces made here.
#
# Environment: COATI_BUILD (build dir, default <repo>/build), COATID,
# COATI_SETKEY, COATICTL (binaries), NET_TMP (work dir, default mktemp),
# NET_LIFETIME (hard cap on each daemon, s), NET_KEEP=1 (keep NET_TMP).

set -u

NET_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$NET_DIR/../.." && pwd)
BUILD=${COATI_BUILD:-$ROOT/build}
COATID=${COATID:-$BUILD/src/daemon/coatid}
SETKEY=${COATI_SETKEY:-$BUILD/src/tools/coati-setkey}
COATICTL=${COATICTL:-$BUILD/src/tools/coatictl}
NET_LIFETIME=${NET_LIFETIME:-300}
SFX=$$
SCEN=$(basename "$0" .sh)
if [ -n "${NET_TMP:-}" ]; then T=$NET_TMP; mkdir -p "$T"; else T=$(mktemp -d /tmp/coati-net.XXXXXX); fi
: > "$T/pids"
: > "$T/netns"
N_OK=0
N_FAIL=0

# ------------------------------------------------------------------ output

# Print a command with where it runs, then run it.
pp() {
	printf '[+] %s\n' "$*" >&2
	"$@"
}

# Run CMD in the namespace of ROLE (laptop, gw, lan, nat), echoing it.
n() {
	local role=$1
	shift
	printf '[+] %s: %s\n' "$role" "$*" >&2
	ip netns exec "coati-$role-$SFX" "$@"
}

# Same as n, without the echo (for loops and captured output).
nq() {
	local role=$1
	shift
	ip netns exec "coati-$role-$SFX" "$@"
}

say() { printf '=== %s: %s\n' "$SCEN" "$*" >&2; }

ok() {
	N_OK=$((N_OK + 1))
	printf 'ok   %s\n' "$*"
}

fail() {
	N_FAIL=$((N_FAIL + 1))
	printf 'FAIL %s\n' "$*"
}

# check "description" CMD...: ok if CMD succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# check_not "description" CMD...: ok if CMD fails.
check_not() {
	local what=$1
	shift
	if "$@"; then fail "$what"; else ok "$what"; fi
}

# check_eq "description" GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else fail "$1 (got '$2', want '$3')"; fi
}

# check_gt "description" GOT MIN: GOT > MIN (integers)
check_gt() {
	if [ -n "$2" ] && [ "$2" -gt "$3" ] 2>/dev/null; then
		ok "$1 ($2 > $3)"
	else
		fail "$1 (got '$2', want > $3)"
	fi
}

# Sanitizer reports (ASan/UBSan/LSan builds) in any coatid's output are failures.
# The daemons are stopped first so that exit-time (leak) reports are in.
sanitizer_check() {
	local d role
	for d in "$T"/*/; do
		role=$(basename "$d")
		[ -f "$d/timeout.pid" ] && stop_coatid "$role" 2>/dev/null
		[ -f "$d/coatid.out" ] || continue
		if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' \
			"$d/coatid.out"; then
			fail "sanitizer report in $role's coatid ($d/coatid.out)"
		fi
	done
}

# End of a scenario: summary line and exit status (the EXIT trap cleans up).
finish() {
	sanitizer_check
	printf '%s: %d ok, %d failed\n' "$SCEN" "$N_OK" "$N_FAIL"
	[ "$N_FAIL" -eq 0 ] && [ "$N_OK" -gt 0 ]
	exit $?
}

# Stop with a failure when a precondition is missing.
die() {
	fail "$*"
	finish
}

# wait_for TIMEOUT_S CMD...: poll CMD every 0.1 s until it succeeds or time runs out.
wait_for() {
	local tmo=$1 i
	shift
	for ((i = 0; i < tmo * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# ------------------------------------------------------------------ cleanup

# Kill a recorded PID only if it still runs one of the programs we start
# (everything is started under timeout or ip netns exec; guards PID reuse).
kill_recorded() {
	local pid=$1 sig=${2:-TERM}
	case $(cat "/proc/$pid/comm" 2>/dev/null) in
	timeout | ip | coatid | tcpdump | iperf3 | nc | ping | python3 | charon) ;;
	*) return 0 ;;
	esac
	kill "-$sig" "$pid" 2>/dev/null
}

cleanup() {
	local pid ns i
	set +e
	for pid in $(tac "$T/pids" 2>/dev/null); do kill_recorded "$pid" TERM; done
	for ((i = 0; i < 30; i++)); do
		local alive=0
		for pid in $(cat "$T/pids" 2>/dev/null); do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.1
	done
	for pid in $(cat "$T/pids" 2>/dev/null); do kill_recorded "$pid" KILL; done
	for ns in $(cat "$T/netns" 2>/dev/null); do ip netns del "$ns" 2>/dev/null; done
	if [ "${NET_KEEP:-0}" = 1 ] || [ "$N_FAIL" -gt 0 ]; then
		echo "logs kept in $T" >&2
	elif [ -z "${NET_TMP:-}" ]; then
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# Remember a background PID for cleanup.
track() { echo "$1" >> "$T/pids"; }

# spawn ROLE OUT ERR CMD...: start CMD in ROLE's namespace in the background,
# stdout to OUT, stderr to ERR. SPAWN_PID is the PID of CMD itself (ip execs
# it; `n ... &` would give a subshell's PID instead), recorded for cleanup.
spawn() {
	local role=$1 out=$2 err=$3
	shift 3
	printf '[+] %s: %s &\n' "$role" "$*" >&2
	ip netns exec "coati-$role-$SFX" "$@" > "$out" 2> "$err" < /dev/null &
	SPAWN_PID=$!
	track $SPAWN_PID
}

# ------------------------------------------------------------------ topology

ns_add() {
	local ns="coati-$1-$SFX"
	pp ip netns add "$ns" || die "cannot create namespace $ns"
	echo "$ns" >> "$T/netns"
	nq "$1" ip link set lo up
	n "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# veth ROLE_A IF_A ROLE_B IF_B: a veth pair between two namespaces, both ends up.
veth() {
	pp ip -n "coati-$1-$SFX" link add "$2" type veth peer name "$4" netns "coati-$3-$SFX"
	n "$1" ip link set "$2" up
	n "$3" ip link set "$4" up
}

addr() { n "$1" ip addr add "$3" dev "$2" nodad 2>/dev/null || n "$1" ip addr add "$3" dev "$2"; }

lan_side() {
	ns_add lan
	veth gw eth1 lan eth0
	addr gw eth1 10.1.0.1/24
	addr gw eth1 2001:db8:2::1/64
	addr lan eth0 10.1.0.2/24
	addr lan eth0 2001:db8:2::2/64
	n lan ip route add default via 10.1.0.1
	n lan ip -6 route add default via 2001:db8:2::1
}

topo_direct() {
	ns_add laptop
	ns_add gw
	veth laptop eth0 gw eth0
	addr laptop eth0 192.0.2.1/24
	addr laptop eth0 2001:db8:1::1/64
	addr laptop eth0 10.2.0.1/24
	addr laptop eth0 2001:db8:3::1/64
	addr gw eth0 192.0.2.2/24
	addr gw eth0 2001:db8:1::2/64
	lan_side
	wait_for 5 nq laptop ping -c1 -W1 192.0.2.2 || die "veth laptop-gw does not pass IPv4"
	wait_for 5 nq laptop ping -6 -c1 -W1 2001:db8:1::2 || die "veth laptop-gw does not pass IPv6"
}

topo_nat() {
	ns_add laptop
	ns_add nat
	ns_add gw
	veth laptop eth0 nat eth0
	veth nat eth1 gw eth0
	addr laptop eth0 198.51.100.2/24
	addr laptop eth0 10.2.0.1/24
	addr nat eth0 198.51.100.1/24
	addr nat eth1 192.0.2.254/24
	addr gw eth0 192.0.2.2/24
	n laptop ip route add default via 198.51.100.1
	n nat nft -f - <<-EOF
	table ip coatinat {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "eth1" masquerade
		}
	}
	EOF
	lan_side
	wait_for 5 nq laptop ping -c1 -W1 192.0.2.2 || die "laptop does not reach gw through the NAT"
}

# ------------------------------------------------------------------ coatid

# Per-daemon files live in $T/ROLE: coatid.conf, coatid.log, admin.sock, state/.
sock_of() { echo "$T/$1/admin.sock"; }

# start_coatid ROLE [EXTRA COATID ARGS...]: run coatid in ROLE's namespace, in
# the foreground under `timeout`, and wait for its admin socket.
start_coatid() {
	local role=$1 d="$T/$1"
	shift
	[ -x "$COATID" ] || die "no coatid at $COATID (build first: meson setup build && ninja -C build)"
	mkdir -p "$d/state"
	chmod 700 "$d/state"
	cat > "$d/coatid.conf" <<-EOF
	# coatid for scenario $SCEN, role $role
	listen {
		adminsock "$d/admin.sock" "root" "root" 0600;
	}
	EOF
	rm -f "$d/admin.sock"
	printf '[+] %s: coatid -F -f %s -d -l %s --state-dir %s %s\n' "$role" "$d/coatid.conf" \
		"$d/coatid.log" "$d/state" "$*" >&2
	ip netns exec "coati-$role-$SFX" timeout -k 5 "$NET_LIFETIME" "$COATID" -F -f "$d/coatid.conf" \
		-d -l "$d/coatid.log" --state-dir "$d/state" --pidfile "$d/coatid.pid" "$@" \
		>> "$d/coatid.out" 2>&1 < /dev/null &
	echo $! > "$d/timeout.pid"
	track $!
	if ! wait_for 10 test -S "$d/admin.sock"; then
		tail -n 20 "$d/coatid.out" "$d/coatid.log" 2>/dev/null >&2
		die "coatid in $role did not open its admin socket"
	fi
	wait_for 5 nq "$role" ip link show "${COATI_TUN:-ipsec0}" || fail "coatid in $role made no TUN"
}

# coati_table ROLE: the routing table coatid routes policy destinations in:
# the table of its fwmark ip rule, else COATI_TABLE (default 221, coatid's own
# default; strongSwan uses 220).
coati_table() {
	local t
	t=$(nq "$1" ip rule show 2>/dev/null |
		sed -n 's/.*fwmark .* lookup \([0-9][0-9]*\).*/\1/p' | head -n1)
	echo "${t:-${COATI_TABLE:-221}}"
}

# PID of the coatid process itself (the child of our timeout).
coatid_pid() {
	local t
	t=$(cat "$T/$1/timeout.pid" 2>/dev/null) || return 1
	ps -o pid= --ppid "$t" | head -n1 | tr -d ' '
}

# stop_coatid ROLE: SIGTERM (through timeout, which passes it on); bounded wait.
stop_coatid() {
	local t
	t=$(cat "$T/$1/timeout.pid" 2>/dev/null) || return 0
	pp kill -TERM "$t" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $t" || kill_recorded "$t" KILL
	wait "$t" 2>/dev/null
	rm -f "$T/$1/timeout.pid"
	return 0
}

# setkey ROLE FILE: load a setkey file into ROLE's coatid.
setkey() { n "$1" "$SETKEY" -s "$(sock_of "$1")" -f "$2"; }

# setkey_cmd ROLE ARGS...: any coati-setkey invocation against ROLE's coatid
# (its output goes to the log, stderr).
setkey_cmd() {
	local role=$1
	shift
	n "$role" "$SETKEY" -s "$(sock_of "$role")" "$@" >&2
}

# ctl ROLE ARGS...: coatictl against ROLE's coatid (output to stderr).
ctl() {
	local role=$1
	shift
	n "$role" "$COATICTL" -s "$(sock_of "$role")" "$@" >&2
}

# counter ROLE KEY [SPI]: with SPI, the counter KEY of that SA (packets, bytes,
# auth_fail, replay, invalid, policy_drop) from `coati-setkey -D --json`;
# without, the global counter KEY from `coatictl --json stats`.
counter() {
	if [ $# -ge 3 ]; then
		nq "$1" "$SETKEY" -s "$(sock_of "$1")" -D --json 2>/dev/null |
			python3 "$NET_DIR/jq.py" pick "$2" "$3"
	else
		nq "$1" "$COATICTL" -s "$(sock_of "$1")" --json stats 2>/dev/null |
			python3 "$NET_DIR/jq.py" pick "$2"
	fi
}

# sum_stats ROLE REGEX: the sum of the global counters whose name matches REGEX.
sum_stats() {
	nq "$1" "$COATICTL" -s "$(sock_of "$1")" --json stats 2>/dev/null |
		python3 "$NET_DIR/jq.py" sum "$2"
}

# count_entries ROLE -D|-DP: number of SAs or policies that `-D --json` lists.
count_entries() {
	nq "$1" "$SETKEY" -s "$(sock_of "$1")" "$2" --json 2>/dev/null | python3 "$NET_DIR/jq.py" count
}

# ------------------------------------------------------------------ keys and setkey files

# key NBYTES LABEL: a fixed test key (hex, 0x...) derived from LABEL.
key() {
	local hex
	hex=$(printf 'coati-test-key-%s' "$2" | sha512sum | cut -c1-128)
	echo "0x${hex:0:$(($1 * 2))}"
}

# alg_opts ALG DIR: setkey options for one algorithm family; DIR keys each direction apart.
alg_opts() {
	case $1 in
	cbc-sha256) echo "-E aes-cbc $(key 16 "e$2") -A hmac-sha256 $(key 32 "a$2")" ;;
	gcm) echo "-E aes-gcm-16 $(key 20 "e$2")" ;;
	chacha) echo "-E chacha20-poly1305 $(key 36 "e$2")" ;;
	ctr-sha1) echo "-E aes-ctr $(key 20 "e$2") -A hmac-sha1 $(key 20 "a$2")" ;;
	3des-md5) echo "-E 3des-cbc $(key 24 "e$2") -A hmac-md5 $(key 16 "a$2")" ;;
	*) echo "unknown algorithm family $1" >&2; return 1 ;;
	esac
}

# tunnel_conf SIDE ALG [OUTER] [ENCAP]: setkey file for the site-to-site tunnel
# 10.2.0.0/24 (laptop) <-> 10.1.0.0/24 (behind gw). SPI 0x1001 laptop->gw,
# 0x2001 gw->laptop. OUTER v6 puts the tunnel on 2001:db8:1::1 <-> ::2;
# ENCAP udp makes the SAs ESP-in-UDP on ports 4500/4500 (RFC 3948). The SAs get
# a replay window of REPLAY_WINDOW packets (default 64): setkey's default, no -r,
# means no replay check at all, as with ipsec-tools.
tunnel_conf() {
	local side=$1 alg=$2 l=192.0.2.1 g=192.0.2.2 dir p='' proto=esp
	[ "${3:-v4}" = v6 ] && { l=2001:db8:1::1; g=2001:db8:1::2; }
	[ "${4:-raw}" = udp ] && { p="[4500]"; proto=esp-udp; }
	echo "flush;"
	echo "spdflush;"
	echo "add $l$p $g$p $proto 0x1001 -m tunnel -r ${REPLAY_WINDOW:-64} $(alg_opts "$alg" lg);"
	echo "add $g$p $l$p $proto 0x2001 -m tunnel -r ${REPLAY_WINDOW:-64} $(alg_opts "$alg" gl);"
	if [ "$side" = laptop ]; then dir=out; else dir=in; fi
	echo "spdadd 10.2.0.0/24 10.1.0.0/24 any -P $dir ipsec esp/tunnel/$l-$g/require;"
	if [ "$side" = laptop ]; then dir=in; else dir=out; fi
	echo "spdadd 10.1.0.0/24 10.2.0.0/24 any -P $dir ipsec esp/tunnel/$g-$l/require;"
}

# setkey_both BODY: write and load a setkey file on laptop and on gw. BODY is
# a function called as BODY SIDE OUT IN (OUT/IN: the direction words for that
# side's policies) that prints the SAs and policies; flush and spdflush come first.
setkey_both() {
	local side o i
	for side in laptop gw; do
		if [ "$side" = laptop ]; then o=out i=in; else o=in i=out; fi
		{
			echo "flush;"
			echo "spdflush;"
			"$1" "$side" "$o" "$i"
		} > "$T/$side.setkey"
		setkey "$side" "$T/$side.setkey" || fail "setkey -f on $side"
	done
}

# esp_wire_bytes CAPTURE SRC: ESP bytes from SRC in a capture (tcpdump's "length N").
esp_wire_bytes() {
	tcpdump -n -r "$T/$1.pcap" "esp and src $2" 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "length") s += $(i + 1) + 0 } END { print s + 0 }'
}

# tunnel_up ALG [OUTER] [ENCAP]: both daemons running, tunnel keyed on both ends.
tunnel_up() {
	tunnel_conf laptop "$1" "${2:-v4}" "${3:-raw}" > "$T/laptop.setkey"
	tunnel_conf gw "$1" "${2:-v4}" "${3:-raw}" > "$T/gw.setkey"
	setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop ($1)"
	setkey gw "$T/gw.setkey" || fail "setkey -f on gw ($1)"
}

# ------------------------------------------------------------------ traffic

# ping_ok ROLE SRC DST [COUNT]: COUNT pings answered (bounded: 2 s per reply).
ping_ok() {
	n "$1" ping -q -c "${4:-3}" -i 0.2 -W 2 -I "$2" "$3" >/dev/null
}

# ping_first_ok ROLE SRC DST: up to 5 single pings; success at the first answer.
ping_first_ok() {
	local i
	printf '[+] %s: ping -I %s %s (up to 5 tries)\n' "$1" "$2" "$3" >&2
	for i in 1 2 3 4 5; do
		nq "$1" ping -q -c 1 -W 2 -I "$2" "$3" >/dev/null 2>&1 && return 0
	done
	return 1
}

# tcp_transfer SRV_ROLE SRV_ADDR CLI_ROLE CLI_ADDR KBYTES [zero]: send a file with
# nc (netcat-openbsd) and compare sha256 on both sides.
tcp_transfer() {
	local srv=$1 dst=$2 cli=$3 src=$4 kb=$5 port=$((20000 + RANDOM % 20000)) sp want got
	if [ "${6:-}" = zero ]; then
		head -c "$((kb * 1024))" /dev/zero > "$T/tx.bin"
	else
		head -c "$((kb * 1024))" /dev/urandom > "$T/tx.bin"
	fi
	rm -f "$T/rx.bin"
	spawn "$srv" "$T/rx.bin" "$T/nc-srv.err" timeout 30 nc -n -l "$dst" "$port"
	sp=$SPAWN_PID
	wait_for 5 sh -c "ip netns exec coati-$srv-$SFX ss -Hltn | grep -q ':$port '" ||
		{ kill "$sp" 2>/dev/null; return 1; }
	n "$cli" timeout 30 nc -n -N -w 10 -s "$src" "$dst" "$port" < "$T/tx.bin" 2>"$T/nc-cli.err"
	wait "$sp"
	want=$(sha256sum < "$T/tx.bin" | cut -d' ' -f1)
	got=$(sha256sum < "$T/rx.bin" | cut -d' ' -f1)
	echo "    sha256 sent $want, received $got ($(stat -c %s "$T/rx.bin" 2>/dev/null) bytes)" >&2
	[ "$want" = "$got" ]
}

# ------------------------------------------------------------------ capture

# capture_start ROLE IFACE NAME [FILTER...]: tcpdump into $T/NAME.pcap,
# bounded by packet count and time; returns once tcpdump is listening.
# --immediate-mode: without it packets wait in the kernel's capture ring and
# are lost when capture_stop ends tcpdump right after the traffic.
capture_start() {
	local role=$1 ifc=$2 name=$3
	shift 3
	rm -f "$T/$name.pcap" "$T/$name.err"
	spawn "$role" /dev/null "$T/$name.err" \
		timeout 60 tcpdump --immediate-mode -U -n -s 0 -c 5000 -i "$ifc" -w "$T/$name.pcap" "$@"
	echo "$SPAWN_PID" > "$T/$name.cap"
	wait_for 5 grep -q 'listening on' "$T/$name.err" || fail "tcpdump on $role $ifc did not start"
}

# capture_stop NAME: stop the capture and wait for it. SIGTERM, not SIGINT: a
# background job of a non-interactive shell ignores SIGINT; tcpdump flushes on TERM.
capture_stop() {
	local pid
	pid=$(cat "$T/$1.cap")
	sleep 0.3
	kill -TERM "$pid" 2>/dev/null
	wait_for 5 sh -c "! kill -0 $pid" || kill_recorded "$pid" KILL
	wait "$pid" 2>/dev/null
	return 0
}

# pcap_count NAME FILTER...: packets in $T/NAME.pcap matching a tcpdump filter.
pcap_count() {
	local name=$1
	shift
	tcpdump -n -r "$T/$name.pcap" "$@" 2>/dev/null | wc -l
}

# ------------------------------------------------------------------ scenario bodies shared by scripts

# Needs: commands this scenario cannot run without.
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || die "missing command $c"
	done
}

need ip tcpdump nc ping python3 timeout ss sha256sum
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"

# ------------------------------------------------------------------ IKEv1, strongSwan peers

# IKEv1 scenarios (ikev1-*.sh): coatid keyed by its IKEv1 daemon from a racoon.conf,
# strongSwan's charon (tests/strongswan/swan.sh, kernel-libipsec) as the peer.
IKE_PSK=coati-test-psk-not-a-secret

# ike_psk_file ROLE [KEY]: $T/ROLE/psk.txt (mode 0600: coatid refuses a file that
# group or others can read) with KEY (default IKE_PSK) for both test IDs and both
# IKE addresses, so that the same file serves either end.
ike_psk_file() {
	local f="$T/$1/psk.txt" k=${2:-$IKE_PSK} id
	mkdir -p "$T/$1"
	rm -f "$f"
	(
		umask 077
		for id in laptop@coati.test gw@coati.test 192.0.2.1 192.0.2.2; do
			printf '%s %s\n' "$id" "$k"
		done > "$f"
	)
	chmod 600 "$f"
}

# ike_racoon_conf ROLE REMOTE MY_ID PEERS_ID [NATT]: the IKEv1 part of a racoon.conf for
# ROLE: Main Mode PSK aes128/sha256/modp2048, sainfo anonymous aes128/hmac_sha256 with
# PFS modp2048, generate_policy on. REMOTE is "anonymous" or an address; NATT is
# racoon's nat_traversal (default on).
ike_racoon_conf() {
	cat <<-EOF
	path pre_shared_key "$T/$1/psk.txt";
	remote $2 {
		exchange_mode main;
		my_identifier fqdn "$3";
		peers_identifier fqdn "$4";
		nat_traversal ${5:-on};
		generate_policy on;
		proposal_check obey;
		proposal {
			encryption_algorithm aes 128;
			hash_algorithm sha256;
			authentication_method pre_shared_key;
			dh_group 14;
		}
	}
	sainfo anonymous {
		pfs_group 14;
		lifetime time 1 hour;
		encryption_algorithm aes 128;
		authentication_algorithm hmac_sha256;
		compression_algorithm deflate;
	}
	EOF
}

# start_coatid_conf ROLE BODY_FILE [EXTRA COATID ARGS...]: start_coatid with the
# configuration $T/ROLE/racoon.conf = the listen section start_coatid writes + BODY_FILE.
# (start_coatid's own -f comes first on the command line; the last -f wins.)
start_coatid_conf() {
	local role=$1 body=$2 d="$T/$1"
	shift 2
	mkdir -p "$d"
	{
		echo "# coatid for scenario $SCEN, role $role (IKE)"
		echo "listen {"
		printf '\tadminsock "%s" "root" "root" 0600;\n' "$d/admin.sock"
		echo "}"
		cat "$body"
	} > "$d/racoon.conf"
	start_coatid "$role" -f "$d/racoon.conf" "$@"
}

# restart_coatid_conf ROLE BODY_FILE: stop ROLE's coatid, forget its state store (no
# restored SAs or policies), start it again from BODY_FILE.
restart_coatid_conf() {
	stop_coatid "$1"
	rm -rf "$T/$1/state"
	start_coatid_conf "$1" "$2"
}

# ike_sas ROLE: one line per SA of ROLE's coatid, from `coati-setkey -D --json`:
# "proto spi(hex) src dst encap_sport encap_dport enc auth origin packets".
ike_sas() {
	nq "$1" "$SETKEY" -s "$(sock_of "$1")" -D --json 2>/dev/null | python3 -c '
import json, sys
def sas(node):
    if isinstance(node, dict):
        if "spi" in node and "proto" in node:
            yield node
        else:
            for v in node.values():
                yield from sas(v)
    elif isinstance(node, list):
        for v in node:
            yield from sas(v)
try:
    doc = json.load(sys.stdin)
except ValueError:
    sys.exit(1)
for s in sas(doc):
    c = s.get("counters") if isinstance(s.get("counters"), dict) else s
    print(s.get("proto"), "%08x" % int(s["spi"]), s.get("src"), s.get("dst"),
          s.get("encap_sport", 0), s.get("encap_dport", 0), s.get("enc"), s.get("auth"),
          s.get("origin"), c.get("packets", s.get("packets", 0)))
'
}

# ike_sa_count ROLE: number of SAs ROLE's coatid holds (0 when it lists none).
ike_sa_count() {
	ike_sas "$1" | grep -c .
}

# ike_sa_count_is ROLE OP N: the SA count compares to N by test's OP (-eq, -ge, ...);
# for wait_for, which re-runs it.
ike_sa_count_is() {
	test "$(ike_sa_count "$1")" "$2" "$3"
}

# ike_sa_packets ROLE: sum of the packet counters of ROLE's SAs.
ike_sa_packets() {
	ike_sas "$1" | awk '{ s += $10 } END { print s + 0 }'
}

# ike_events ROLE: `coatictl show-event` of ROLE's coatid (stdout).
ike_events() {
	nq "$1" "$COATICTL" -s "$(sock_of "$1")" show-event 2>&1
}

# ike_event_has ROLE REGEX: some event of ROLE's coatid matches REGEX.
ike_event_has() {
	ike_events "$1" | grep -Eq "$2"
}

# ike_logs ROLE...: the end of each role's coatid log and charon log (stderr), for failures.
ike_logs() {
	local r f
	for r in "$@"; do
		for f in "$T/$r/coatid.log" "$T/$r/coatid.out" "$T/swan-$r/charon.log"; do
			[ -s "$f" ] || continue
			echo "----- $f (last 40 lines)" >&2
			tail -n 40 "$f" >&2
		done
		[ -S "$T/$r/admin.sock" ] || continue
		echo "----- $r: coatictl show-event" >&2
		ike_events "$r" >&2
	done
}

# swan_v1_conf LOCAL REMOTE LOCAL_TS REMOTE_TS LOCAL_ID REMOTE_ID [PSK]: swanctl.conf for
# IKEv1 Main Mode PSK, connection "v1", child "net": aes128-sha256-modp2048 for IKE,
# ESP aes128-sha256 with PFS modp2048, no DPD, no start action. strongSwan reads a bare
# "a@b" as an RFC 822 (USER_FQDN) ID: write "fqdn:a@b" to match racoon's fqdn "a@b".
swan_v1_conf() {
	cat <<-EOF
	connections {
	    v1 {
	        version = 1
	        aggressive = no
	        local_addrs = $1
	        remote_addrs = $2
	        proposals = aes128-sha256-modp2048
	        dpd_delay = 0
	        local {
	            auth = psk
	            id = $5
	        }
	        remote {
	            auth = psk
	            id = $6
	        }
	        children {
	            net {
	                local_ts = $3
	                remote_ts = $4
	                esp_proposals = aes128-sha256-modp2048
	                start_action = none
	            }
	        }
	    }
	}
	secrets {
	    ike-v1 {
	        id-l = $5
	        id-r = $6
	        secret = "${7:-$IKE_PSK}"
	    }
	}
	EOF
}

# swan_up ROLE CONF [EXTRA]: charon in ROLE's namespace (work dir $T/swan-ROLE), CONF
# loaded, EXTRA (a strongswan.conf fragment) included into its strongswan.conf.
# Its timeout wrapper and charon itself are recorded, so cleanup stops them by PID.
swan_up() {
	local d="$T/swan-$1" p
	SWAN_LIFETIME=${SWAN_LIFETIME:-$NET_LIFETIME}
	. "$ROOT/tests/strongswan/swan.sh"
	command -v swanctl >/dev/null 2>&1 || die "missing command swanctl (strongswan-swanctl)"
	mkdir -p "$d"
	printf '[+] %s: charon (swan.sh start, dir %s)\n' "$1" "$d" >&2
	swan_start "coati-$1-$SFX" "$d" "$2" ${3:+"$3"}
	local rc=$?
	[ -f "$d/timeout.pid" ] && track "$(cat "$d/timeout.pid")"
	p=$(swan_pid "$d") && [ -n "$p" ] && track "$p"
	return $rc
}

# swan_down ROLE: stop ROLE's charon (recorded PID, bounded).
swan_down() {
	swan_stop "$T/swan-$1"
}

# swan ROLE SWANCTL-ARGS...: swanctl against ROLE's charon (output on stdout).
swan() {
	local role=$1
	shift
	printf '[+] %s: swanctl %s\n' "$role" "$*" >&2
	swan_sw "$T/swan-$role" "$@"
}

# swan_sas ROLE: `swanctl --list-sas` of ROLE's charon, quietly.
swan_sas() {
	swan_sw "$T/swan-$1" --list-sas 2>/dev/null
}

# swan_established ROLE: ROLE's charon has an ESTABLISHED IKEv1 SA and an INSTALLED CHILD_SA.
swan_established() {
	local s
	s=$(swan_sas "$1")
	grep -q 'ESTABLISHED, IKEv1' <<< "$s" && grep -q 'INSTALLED' <<< "$s"
}

# swan_child_pkts ROLE in|out: packets of ROLE's (first) CHILD_SA in that direction.
swan_child_pkts() {
	swan_sas "$1" | awk -v d="$2" '$1 == d && $0 ~ /packets/ {
		for (i = 2; i < NF; i++)
			if ($(i + 1) ~ /^packets/) { gsub(/,/, "", $i); print $i; exit }
	}'
}

# swan_child_spis ROLE: the SPIs (hex, in then out) of ROLE's (first) CHILD_SA.
swan_child_spis() {
	swan_sas "$1" | awk '($1 == "in" || $1 == "out") && $2 ~ /^[0-9a-f]+,$/ {
		sub(/,$/, "", $2); printf "%08s\n", $2; if (++n == 2) exit }' | tr ' ' 0
}

# ike_check_sas ROLE udp|raw [A B]: ROLE's coatid holds exactly the two ESP SAs that IKE
# negotiated (origin ike, aes-cbc + hmac-sha256, between A and B, default 192.0.2.1/.2), with
# UDP encapsulation 4500/4500 (udp: `coati-setkey -D` says esp-udp) or without (raw).
ike_check_sas() {
	local role=$1 encap=$2 a=${3:-192.0.2.1} b=${4:-192.0.2.2} sas want
	wait_for 5 ike_sa_count_is "$role" -ge 2
	sas=$(ike_sas "$role")
	printf '    %s SAs: %s\n' "$role" "$sas" | sed '2,$s/^/    /' >&2
	check_eq "$role holds two SAs" "$(grep -c . <<< "$sas")" 2
	check_eq "$role's SAs are ESP aes-cbc/hmac-sha256 from IKE" \
		"$(awk '{ print $1, $7, $8, $9 }' <<< "$sas" | sort -u)" \
		"esp aes-cbc hmac-sha256 ike"
	check_eq "$role's SA endpoints" "$(awk '{ print $3 "-" $4 }' <<< "$sas" | sort | xargs)" \
		"$(printf '%s\n' "$a-$b" "$b-$a" | sort | xargs)"
	if [ "$encap" = udp ]; then want="4500 4500"; else want="0 0"; fi
	check_eq "$role's SAs: UDP encapsulation ports" \
		"$(awk '{ print $5, $6 }' <<< "$sas" | sort -u)" "$want"
	if [ "$encap" = udp ]; then
		check_eq "coati-setkey -D on $role shows esp-udp twice" \
			"$(nq "$role" "$SETKEY" -s "$(sock_of "$role")" -D 2>/dev/null |
				grep -c 'esp-udp')" 2
	fi
}

# ike_check_events ROLE: ROLE's coatid reported both phases in `coatictl show-event`.
ike_check_events() {
	check "$1: show-event reports the ISAKMP SA" ike_event_has "$1" 'ISAKMP SA established'
	check "$1: show-event reports the IPsec SAs" ike_event_has "$1" 'IPsec.SA established'
}

# ike_check_capture NAME udp|raw: in capture NAME (gw's eth0), the tunnel traffic was
# ESP-in-UDP on 4500 (udp) or raw ESP (raw), and nothing from the inner networks
# crossed in clear.
ike_check_capture() {
	if [ "$2" = udp ]; then
		# udp[8:4] != 0: not the non-ESP marker of IKE on 4500 (RFC 3948 2.2)
		check_gt "ESP-in-UDP on port 4500 on the wire" \
			"$(pcap_count "$1" "udp port 4500 and udp[8:4] != 0")" 10
		check_eq "raw ESP on the wire" "$(pcap_count "$1" esp)" 0
	else
		check_gt "raw ESP on the wire" "$(pcap_count "$1" esp)" 10
		check_eq "UDP 4500 on the wire (no NAT, no float)" \
			"$(pcap_count "$1" udp port 4500)" 0
	fi
	check_eq "cleartext 10.x traffic on the wire" "$(pcap_count "$1" net 10.0.0.0/8)" 0
}

# ike_check_spis ROLE SPIS: ROLE's coatid holds SAs with exactly the SPIs SPIS (hex,
# blank-separated, any order; an empty SPIS fails).
ike_check_spis() {
	local got want
	got=$(ike_sas "$1" | awk '{ print $2 }' | sort | xargs)
	want=$(xargs -n1 <<< "$2" | sort | xargs)
	if [ -z "$want" ]; then
		fail "$1's SPIs are the peer's (the peer lists no SPIs; $1 has '$got')"
	else
		check_eq "$1's SPIs are the peer's" "$got" "$want"
	fi
}

# ike_check_delete ROLE TIMEOUT_S CMD...: ROLE holds SAs; CMD (which makes the peer
# delete them) succeeds; within TIMEOUT_S ROLE holds none.
ike_check_delete() {
	local role=$1 tmo=$2 before
	shift 2
	before=$(ike_sa_count "$role")
	check "the peer deletes the SAs: $*" "$@"
	if [ "$before" -eq 0 ]; then
		fail "$role removed its SAs after the Delete ($role held none before)"
	else
		check "$role removed its $before SAs after the Delete" \
			wait_for "$tmo" ike_sa_count_is "$role" -eq 0
	fi
}

# ike_sa_pkts_of ROLE SPI: the packet counter of ROLE's SA SPI (hex, as ike_sas prints it).
ike_sa_pkts_of() {
	ike_sas "$1" | awk -v s="$2" '$2 == s { print $10 }'
}

# ike_check_sa_pkts ROLE MIN: every SA of ROLE counted more than MIN packets.
ike_check_sa_pkts() {
	local spi
	ike_sas "$1" | sed "s/^/    $1 SA: /" >&2
	for spi in $(ike_sas "$1" | awk '{ print $2 }'); do
		check_gt "$1 SA $spi counted packets" "$(ike_sa_pkts_of "$1" "$spi")" "$2"
	done
}

# ike_isakmp ROLE: one line per ISAKMP SA of ROLE's coatid (`coatictl --json show-sa
# isakmp`): "remote state initiator|responder nat-t|no-nat-t ipsec_sa_pairs".
ike_isakmp() {
	nq "$1" "$COATICTL" -s "$(sock_of "$1")" --json show-sa isakmp 2>/dev/null | python3 -c '
import json, sys
try:
    doc = json.load(sys.stdin)
except ValueError:
    sys.exit(1)
for s in doc if isinstance(doc, list) else []:
    print(s.get("remote"), s.get("state"), "initiator" if s.get("initiator") else "responder",
          "nat-t" if s.get("nat_t") else "no-nat-t", s.get("ipsec_sa_pairs"))
'
}

# ike_check_isakmp ROLE WANT: `coatictl show-sa isakmp` on ROLE lists exactly one ISAKMP
# SA, described as WANT (see ike_isakmp).
ike_check_isakmp() {
	check_eq "$1: show-sa isakmp" "$(ike_isakmp "$1" | xargs)" "$2"
}

# ike_finish ROLE...: on failures, the ends of the roles' logs and events; then finish.
ike_finish() {
	[ "$N_FAIL" -gt 0 ] && ike_logs "$@"
	finish
}

# ike_swan_traffic: with capture "wire" running on gw, pings and sha256-checked TCP both
# ways between laptop (10.2.0.1, charon) and the lan host; then gw's SA counters and
# laptop's CHILD_SA counters must have risen, and the wire carried only ESP in UDP.
ike_swan_traffic() {
	local g0 li0 lo0
	g0=$(ike_sa_packets gw)
	li0=$(swan_child_pkts laptop in)
	lo0=$(swan_child_pkts laptop out)
	check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
	check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
	check "TCP 512 KiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 512
	check "TCP 256 KiB lan -> laptop, sha256 equal" tcp_transfer laptop 10.2.0.1 lan 10.1.0.2 256
	capture_stop wire
	ike_check_sa_pkts gw 10
	check_gt "gw SA packet counters rose" "$(ike_sa_packets gw)" "$((${g0:-0} + 20))"
	check_gt "laptop CHILD_SA inbound packets rose" "$(swan_child_pkts laptop in)" \
		"$((${li0:-0} + 10))"
	check_gt "laptop CHILD_SA outbound packets rose" "$(swan_child_pkts laptop out)" \
		"$((${lo0:-0} + 10))"
	ike_check_capture wire udp
}

# ------------------------------------------------------------------ IKEv1 DPD and phase 1 scripts

# ike_hook_script ROLE: $T/ROLE/scripts/hook.sh, which appends one line per run to
# $T/ROLE/hooks.log: "argv1 NAME=value..." with its whole environment, sorted.
ike_hook_script() {
	local d="$T/$1/scripts"
	mkdir -p "$d"
	cat > "$d/hook.sh" <<-EOF
	#!/bin/sh
	echo "\$1 \$(env | sort | tr '\n' ' ')" >> "$T/$1/hooks.log"
	EOF
	chmod 755 "$d/hook.sh"
}

# ike_dpd_conf ROLE DELAY RETRY MAXFAIL: filter a racoon.conf body (stdin, as
# ike_racoon_conf writes it) into one whose remote probes with DPD (dpd_delay DELAY,
# dpd_retry RETRY, dpd_maxfail MAXFAIL) and runs ROLE's hook.sh (ike_hook_script) as
# phase1_up, phase1_down and phase1_dead, named relative to "path script".
ike_dpd_conf() {
	ike_hook_script "$1"
	printf 'path script "%s";\n' "$T/$1/scripts"
	sed "/generate_policy on;/a\\
		dpd_delay $2;\\
		dpd_retry $3;\\
		dpd_maxfail $4;\\
		script \"hook.sh\" phase1_up;\\
		script \"hook.sh\" phase1_down;\\
		script \"hook.sh\" phase1_dead;"
}

# ike_hook_ran ROLE EVENT [REGEX]: ROLE's hook.sh ran for EVENT (phase1_up, ...), with an
# environment matching REGEX.
ike_hook_ran() {
	grep -E "^$2 " "$T/$1/hooks.log" 2>/dev/null | grep -Eq -- "${3:-.}"
}

# ike_informationals NAME SRC: ISAKMP Informational messages (exchange type 5) from SRC
# in capture NAME, on port 500 (no NAT-T) or 4500 (after the non-ESP marker).
ike_informationals() {
	pcap_count "$1" "src $2 and ((udp port 500 and udp[26] = 5) or
		(udp port 4500 and udp[8:4] = 0 and udp[30] = 5))"
}

# ike_pair_up LAPTOP_BODY GW_BODY: the usual coati-to-coati rig: psk.txt on both ends, gw's
# coatid from GW_BODY, laptop's from LAPTOP_BODY with require policies 10.2.0.0/24 <->
# 10.1.0.0/24 in tunnel mode between 192.0.2.1 and 192.0.2.2 (setkey, $T/laptop.setkey).
ike_pair_up() {
	cat > "$T/laptop.setkey" <<-EOF
	spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
	spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
	EOF
	ike_psk_file gw
	ike_psk_file laptop
	start_coatid_conf gw "$2"
	start_coatid_conf laptop "$1"
	setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
}

# ------------------------------------------------------------------ certificates
# IKEv1 authentication by RSA signatures: a throwaway PKI made with `openssl` at run
# time (nothing of value), racoon.conf and swanctl parts that use it.

# pki_ca DIR NAME: a self-signed CA in DIR: NAME.pem, NAME.key (subject C=XX, O=coati
# test, CN=NAME), valid two days, plus an empty index for pki_crl.
pki_ca() {
	mkdir -p "$1"
	openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -keyout "$1/$2.key" \
		-out "$1/$2.pem" -subj "/C=XX/O=coati test/CN=$2" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null ||
		die "openssl: CA $2"
	chmod 600 "$1/$2.key"
}

# pki_cert DIR CA NAME CN SAN: DIR/NAME.pem and DIR/NAME.key (mode 0600), subject
# C=XX, O=coati test, CN=CN, subjectAltName SAN (e.g. "DNS:gw.coati.test,IP:192.0.2.2"),
# issued by DIR/CA.pem.
pki_cert() {
	local d=$1 ca=$2 name=$3
	openssl req -newkey rsa:2048 -nodes -keyout "$d/$name.key" -out "$d/$name.csr" \
		-subj "/C=XX/O=coati test/CN=$4" 2>/dev/null || die "openssl: key for $name"
	printf 'basicConstraints=CA:FALSE\nsubjectAltName=%s\n' "$5" > "$d/$name.ext"
	openssl x509 -req -sha256 -days 1 -in "$d/$name.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" \
		-set_serial "0x$(openssl rand -hex 8)" -extfile "$d/$name.ext" \
		-out "$d/$name.pem" 2>/dev/null || die "openssl: certificate for $name"
	chmod 600 "$d/$name.key"
}

# pki_dn CN: the racoon/strongSwan text form of pki_cert's subject.
pki_dn() { echo "C=XX, O=coati test, CN=$1"; }

# ike_cert_racoon_conf ROLE REMOTE CERT PEER_CN [MODE]: the IKEv1 part of a racoon.conf
# for ROLE authenticating by RSA signatures: path certificate $T/ROLE/cert (the CAs),
# certificate_type x509 CERT.pem CERT.key, my_identifier asn1dn (the subject),
# peers_identifier asn1dn PEER_CN's DN with verify_identifier, verify_cert, send_cert,
# send_cr on; exchange_mode MODE (main); the sainfo of ike_racoon_conf.
ike_cert_racoon_conf() {
	cat <<-EOF
	path certificate "$T/$1/cert";
	remote $2 {
		exchange_mode ${5:-main};
		certificate_type x509 "$3.pem" "$3.key";
		my_identifier asn1dn;
		peers_identifier asn1dn "$(pki_dn "$4")";
		verify_identifier on;
		verify_cert on;
		send_cert on;
		send_cr on;
		nat_traversal on;
		generate_policy on;
		proposal_check obey;
		proposal {
			encryption_algorithm aes 128;
			hash_algorithm sha256;
			authentication_method rsasig;
			dh_group 14;
		}
	}
	EOF
	ike_racoon_conf "$1" "$2" - - | sed -n '/^sainfo/,$p'
}

# swan_certs ROLE PKI_DIR CERT CA...: put CERT.pem/CERT.key and the CAs into ROLE's
# swanctl directories (x509, private, x509ca), before swan_up loads them.
swan_certs() {
	local s="$T/swan-$1/swanctl" pki=$2 cert=$3 ca
	shift 3
	mkdir -p "$s/x509" "$s/private" "$s/x509ca"
	cp "$pki/$cert.pem" "$s/x509/"
	cp "$pki/$cert.key" "$s/private/"
	for ca in "$@"; do cp "$pki/$ca.pem" "$s/x509ca/"; done
}

# swan_v1_cert_conf LOCAL REMOTE LOCAL_TS REMOTE_TS CERT LOCAL_CN REMOTE_CN [AGGRESSIVE]:
# swanctl.conf as swan_v1_conf, but authenticating by RSA signatures (auth = pubkey,
# certs = CERT.pem, DN identities); AGGRESSIVE yes for Aggressive Mode.
swan_v1_cert_conf() {
	swan_v1_conf "$1" "$2" "$3" "$4" "\"$(pki_dn "$6")\"" "\"$(pki_dn "$7")\"" |
		sed -e "s/aggressive = no/aggressive = ${8:-no}/" \
		    -e "s/auth = psk/auth = pubkey/" \
		    -e "/local {/a\\            certs = $5.pem" \
		    -e '/^secrets {/,$d'
}

# ---------------------------------------------------------------- rekeying (ikev1-rekey*.sh)

# ping_loss ROLE SRC DST COUNT: COUNT pings at 10/s (bounded by COUNT/10 + 20 s); prints
# ping's summary, then the number of pings lost on the last line.
ping_loss() {
	local out tx rx
	out=$(n "$1" timeout $(($4 / 10 + 30)) ping -q -i 0.1 -c "$4" -w $(($4 / 10 + 20)) \
		-W 1 -I "$2" "$3" 2>&1)
	printf '%s\n' "$out" | grep -E 'transmitted|rtt'
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<< "$out")
	rx=$(sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p' <<< "$out")
	if [ -z "$tx" ] || [ -z "$rx" ] || [ "$tx" -lt "$4" ]; then
		echo "$4"
	else
		echo $((tx - rx))
	fi
}

# rekey_spis_start ROLE / rekey_spis_stop ROLE: record, every 0.3 s while traffic runs,
# the SPIs of ROLE's SAs whose destination is ROLE's own IKE address (inbound) into
# $T/ROLE.spis; rekey_spis_seen ROLE: how many different ones were seen.
rekey_spis_start() {
	(
		while :; do
			ike_sas "$1" | awk '$4 == "192.0.2.1" || $4 == "192.0.2.2" { print $4, $2 }'
			sleep 0.3
		done
	) > "$T/$1.spis" 2>/dev/null &
	echo $! > "$T/$1.spis.pid"
}
rekey_spis_stop() {
	kill "$(cat "$T/$1.spis.pid")" 2>/dev/null
	wait "$(cat "$T/$1.spis.pid")" 2>/dev/null
}
rekey_spis_seen() {
	local me
	me=$([ "$1" = laptop ] && echo 192.0.2.1 || echo 192.0.2.2)
	awk -v me="$me" '$1 == me { print $2 }' "$T/$1.spis" | sort -u | grep -c .
}

# rekey_settled A B: A and B hold exactly one pair each, with the same SPIs.
rekey_settled() {
	local a b
	a=$(ike_sas "$1" | awk '{ print $2 }' | sort | xargs)
	b=$(ike_sas "$2" | awk '{ print $2 }' | sort | xargs)
	[ "$(wc -w <<< "$a")" -eq 2 ] && [ "$a" = "$b" ]
}

# ike_event_any REGEX ROLE...: an event of some ROLE's coatid matches REGEX.
ike_event_any() {
	local re=$1 r
	shift
	for r in "$@"; do
		ike_event_has "$r" "$re" && return 0
	done
	return 1
}

# ike_rekey_conf P2_S P1_S ROLE REMOTE MY_ID PEERS_ID: ike_racoon_conf with sainfo
# "lifetime time P2_S sec" and, unless P1_S is 0, the proposal's "lifetime time P1_S sec".
ike_rekey_conf() {
	local p2=$1 p1=$2
	shift 2
	if [ "$p1" -gt 0 ]; then
		ike_racoon_conf "$@" | sed -e "s/lifetime time 1 hour;/lifetime time $p2 sec;/" \
			-e "s/dh_group 14;/dh_group 14;\n\t\tlifetime time $p1 sec;/"
	else
		ike_racoon_conf "$@" | sed -e "s/lifetime time 1 hour;/lifetime time $p2 sec;/"
	fi
}

# swan_v1_life IKE_REAUTH IKE_OVER CHILD_REKEY CHILD_LIFE SWAN_V1_CONF_ARGS...: swan_v1_conf
# with those times (seconds, no random part; 0 turns a renewal off).
swan_v1_life() {
	local ra=$1 ov=$2 rk=$3 lt=$4
	shift 4
	swan_v1_conf "$@" | sed \
		-e "s/^\( *\)version = 1$/&\n\1reauth_time = ${ra}s\n\1rekey_time = 0s\n\1over_time = ${ov}s\n\1rand_time = 0s/" \
		-e "s/^\( *\)start_action = none$/&\n\1rekey_time = ${rk}s\n\1life_time = ${lt}s\n\1rand_time = 0s/"
}
