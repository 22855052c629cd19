#!/bin/bash
# demo/demo.sh - coati's main job, start to finish, on one machine.
#
# Installs what is missing (apt-get), builds coati (meson + ninja in build/),
# then builds a small network out of namespaces and brings up an IKEv1 tunnel
# through it from racoon.conf and psk.txt, as ipsec-tools' racoon users do:
#
#   [laptop] road warrior, inner 10.2.0.1/24 on top of 192.0.2.1/24
#      |  veth (the "internet": only ESP crosses it)
#   [gw] 192.0.2.2/24, gateway of the office LAN 10.1.0.0/24 (eth1 10.1.0.1)
#      |  veth
#   [lan] 10.1.0.2/24, a server in the office
#
# Then the laptop as a road warrior, racoon's remote access setup: Aggressive Mode with a
# group key, an Xauth login (a throwaway system user), an address from the gateway's
# pool (mode config), `racoonctl vc` and `vd`.
#
# Tunnel: 10.2.0.0/24 <-> 10.1.0.0/24, ESP tunnel mode between 192.0.2.1 and
# 192.0.2.2. The laptop's first packet to the LAN hits a "require" policy with no SA:
# coatid holds it, negotiates Main Mode (PSK, aes128-sha256-modp2048) and Quick Mode
# (ESP aes128 + hmac-sha256, PFS) with the gateway, then sends it. The laptop has no
# route to the LAN except the one coatid installs, so every answer came through the tunnel.
# Everything stays inside namespaces made here and is removed at the end.
#
# Usage: sudo demo/demo.sh   (DEMO_NO_INSTALL=1 skips apt-get; COATI_BUILD=DIR
#        builds in DIR instead of build/)
set -u
DEMO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$DEMO_DIR/.." && pwd)
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n\033[1m### %s\033[0m\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (it makes network namespaces)" >&2; exit 1; }

step "1. dependencies"
PKGS="meson ninja-build pkg-config gcc libssl-dev libcmocka-dev libmnl-dev libnftables-dev zlib1g-dev
	libpam0g-dev libcrypt-dev iproute2 nftables tcpdump iputils-ping netcat-openbsd iperf3 python3 procps
	passwd"
missing=$(for p in $PKGS; do dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
	grep -q 'install ok installed' || echo "$p"; done | tr '\n' ' ')
if [ -z "${missing// /}" ]; then
	echo "all present: $(echo $PKGS)"
elif [ "${DEMO_NO_INSTALL:-0}" = 1 ]; then
	echo "missing: $missing (DEMO_NO_INSTALL=1: not installing)" >&2
	exit 1
else
	echo "installing: $missing"
	apt-get update -q < /dev/null && apt-get install -y -q $missing < /dev/null ||
		{ echo "apt-get failed" >&2; exit 1; }
fi

step "2. build coati"
cd "$REPO" || exit 1
export COATI_BUILD=${COATI_BUILD:-$REPO/build}
if [ ! -f "$COATI_BUILD/build.ninja" ]; then
	meson setup "$COATI_BUILD" < /dev/null || exit 1
fi
# The demo needs the three programs only (the unit tests are tests/run_all.sh's job).
ninja -C "$COATI_BUILD" src/daemon/coatid src/tools/coati-setkey src/tools/coatictl < /dev/null ||
	exit 1

# The namespace, daemon and capture helpers of the end-to-end tests.
. "$REPO/tests/net/lib.sh"
SCEN=demo

step "3. the network: laptop --- gw --- lan (namespaces *-$SFX)"
topo_direct
n laptop ip -br addr show dev eth0
n laptop ip route
check_not "laptop cannot reach the LAN yet (no route)" ping_ok laptop 10.2.0.1 10.1.0.2 1

step "4. IKE configuration: racoon.conf and psk.txt, as racoon reads them"
ike_psk_file laptop
ike_psk_file gw
ike_racoon_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test > "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
echo "--- laptop: racoon.conf (remote 192.0.2.2: Main Mode, pre-shared key, NAT-T; sainfo with PFS)"
cat "$T/laptop.ike"
echo "--- gw: racoon.conf is the same with 'remote anonymous' and generate_policy: it builds"
echo "    its policies from what the laptop proposes"
echo "--- psk.txt (mode 0600, coatid refuses it otherwise):"
sed 's/ .*/ <key>/' "$T/laptop/psk.txt"

step "5. coatid on laptop and on gw; the laptop's policies (setkey): require ESP to the LAN"
start_coatid_conf gw "$T/gw.ike"
start_coatid_conf laptop "$T/laptop.ike"
cat > "$T/laptop.setkey" <<EOF2
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2
cat "$T/laptop.setkey"
setkey laptop "$T/laptop.setkey" || fail "setkey laptop"
echo "coatid routes the policy's destination into its TUN, in its own table (its own packets,"
echo "marked, skip that table):"
table=$(coati_table laptop)
wait_for 5 sh -c "ip netns exec coati-laptop-$SFX ip route show table $table | grep -q ipsec0"
n laptop ip route show table "$table"

step "6. ping the LAN server: the first packet starts IKE (Main Mode + Quick Mode), then goes"
capture_start laptop eth0 wire
check "laptop reaches 10.1.0.2 through the tunnel (first ping held during IKE)" \
	n laptop ping -c 1 -W 10 -I 10.2.0.1 10.1.0.2
n laptop ping -c 3 -i 0.3 -I 10.2.0.1 10.1.0.2
echo "laptop's events:"
ike_events laptop

step "7. a TCP transfer (1 MiB, sha256 compared)"
check "TCP transfer laptop -> lan server" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 1024
capture_stop wire
echo "on the wire between laptop and gw (IKE on 500, then only ESP):"
tcpdump -n -r "$T/wire.pcap" 2>/dev/null | head -n 8
check_gt "IKE packets on the wire" "$(pcap_count wire udp port 500)" 0
check_gt "ESP packets on the wire" "$(pcap_count wire esp)" 0
check_eq "cleartext ICMP or TCP on the wire" "$(pcap_count wire icmp or tcp)" 0

step "8. what coati knows (on gw): racoonctl show-sa isakmp, coati-setkey -D and -DP, stats"
ctl gw show-sa isakmp 2>&1
setkey_cmd gw -D 2>&1
setkey_cmd gw -DP 2>&1
ctl gw stats 2>&1

step "9. the road warrior: Xauth login and mode config (racoon's remote access setup)"
# a throwaway login on this machine for the gateway's "auth_source system" (removed at exit)
RA_USER=coatidemo$SFX
RA_PASS="demo-$SFX-not-a-secret"
trap 'userdel "$RA_USER" 2>/dev/null; cleanup' EXIT
useradd -M -N -s /usr/sbin/nologin "$RA_USER" && printf '%s:%s\n' "$RA_USER" "$RA_PASS" | chpasswd ||
	fail "cannot make the demo user"
stop_coatid laptop
stop_coatid gw
printf 'Welcome to the office LAN (coati demo)\n' > "$T/gw/banner"
printf 'rwgroup %s\n' "$IKE_PSK" > "$T/gw/psk.txt"
printf 'gw.coati.test %s\n' "$IKE_PSK" > "$T/laptop/psk.txt"
ra_sainfo='sainfo anonymous {
	lifetime time 1 hour;
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}'
cat > "$T/gw-ra.ike" <<EOF2
path pre_shared_key "$T/gw/psk.txt";
remote anonymous {
	exchange_mode aggressive;
	my_identifier fqdn "gw.coati.test";
	generate_policy on;
	proposal_check obey;
	dpd_delay 20;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method xauth_psk_server;
		dh_group 14;
	}
}
mode_cfg {
	network4 10.99.99.1;
	pool_size 253;
	netmask4 255.255.255.255;
	dns4 10.1.0.53;
	split_network include 10.1.0.0/24;
	banner "$T/gw/banner";
	auth_source system;
}
$ra_sainfo
EOF2
cat > "$T/laptop-ra.ike" <<EOF2
path pre_shared_key "$T/laptop/psk.txt";
remote 192.0.2.2 {
	exchange_mode aggressive;
	my_identifier keyid tag "rwgroup";
	peers_identifier fqdn "gw.coati.test";
	mode_cfg on;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method xauth_psk_client;
		dh_group 14;
	}
}
$ra_sainfo
EOF2
echo "--- gw: racoon.conf (Aggressive Mode, group key + Xauth, an address pool)"
cat "$T/gw-ra.ike"
rm -rf "$T/gw/state" "$T/laptop/state"
start_coatid_conf gw "$T/gw-ra.ike"
start_coatid_conf laptop "$T/laptop-ra.ike"
echo "\$ racoonctl vc -u $RA_USER 192.0.2.2     (the password comes on stdin here)"
check "vc -u $RA_USER 192.0.2.2 connects" \
	sh -c "printf '%s\\n' '$RA_PASS' | ip netns exec coati-laptop-$SFX $COATICTL \
		-s $(sock_of laptop) vc -u $RA_USER 192.0.2.2"
n laptop ip -4 -br addr show dev ipsec0
check "the laptop reaches the LAN server from its mode config address" \
	n laptop ping -c 3 -i 0.3 10.1.0.2
ctl gw show-sa isakmp 2>&1
check "vd 192.0.2.2 disconnects" ctl laptop vd 192.0.2.2
n laptop ip -4 -br addr show dev ipsec0

step "10. clean up"
finish
