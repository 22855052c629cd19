#!/bin/bash
# ikev1-listen.sh - racoon.conf's listen { isakmp ADDR [PORT]; strict_address; } and a
# remote on another port.
#
#   [laptop] coatid, listen isakmp 192.0.2.1 [500], remote 192.0.2.2 [7000]
#      | veth   IKE 192.0.2.1:500 <-> 192.0.2.2:7000, raw ESP
#   [gw] coatid, listen isakmp 192.0.2.2 [7000] (+ 192.0.2.99, not on the host) --- [lan]
#
# gw listens on 192.0.2.2:7000 alone (no wildcard socket, nothing on 500), warns with
# file:line about 192.0.2.99 and binds it for later; a ping from laptop starts Main Mode
# to port 7000 and traffic passes. Then the same gw configuration with strict_address
# refuses to start, naming the file:line of the missing address.
. "$(dirname "$0")/lib.sh"

topo_direct
{
	printf 'listen {\n\tisakmp 192.0.2.1 [500];\n}\n'
	ike_racoon_conf laptop "192.0.2.2 [7000]" laptop@coati.test gw@coati.test
} > "$T/laptop.ike"
{
	printf 'listen {\n\tisakmp 192.0.2.2 [7000];\n\tisakmp 192.0.2.99 [7000];\n}\n'
	ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test
} > "$T/gw.ike"
ike_pair_up "$T/laptop.ike" "$T/gw.ike"

# udp_listening ROLE: "addr:port" of each UDP socket coatid holds in ROLE
udp_listening() {
	nq "$1" ss -Hulnp 2>/dev/null | awk '/coatid/ { print $4 }' | sort | xargs
}

say "listen isakmp"
socks=$(udp_listening gw)
echo "    gw UDP sockets: $socks" >&2
check "gw listens on 192.0.2.2:7000" grep -qw '192.0.2.2:7000' <<< "$socks"
check "gw listens on 192.0.2.99:7000 (freebind)" grep -qw '192.0.2.99:7000' <<< "$socks"
check_not "gw has no IKE socket on port 500" grep -Eq ':500( |$)' <<< "$socks"
check "gw warned about 192.0.2.99 with its file:line" \
	grep -q "racoon.conf:7: listen isakmp 192.0.2.99: not an address of this host" \
	"$T/gw/coatid.out"

capture_start gw eth0 wire
check "first ping laptop -> lan host (Main Mode to port 7000) is answered" \
	n laptop ping -q -c 1 -W 15 -I 10.2.0.1 10.1.0.2
ike_check_isakmp laptop "192.0.2.2 established initiator no-nat-t 1"
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
capture_stop wire
check_gt "IKE went 192.0.2.1:500 -> 192.0.2.2:7000" \
	"$(pcap_count wire "udp and src host 192.0.2.1 and src port 500 and dst port 7000")" 1
check_gt "and back" "$(pcap_count wire "udp and src host 192.0.2.2 and src port 7000")" 1
check_eq "no IKE on 192.0.2.2:500" "$(pcap_count wire "udp and host 192.0.2.2 and port 500 and not port 7000")" 0

say "strict_address"
mkdir -p "$T/strict/state"
chmod 700 "$T/strict/state"
{
	printf 'listen {\n\tadminsock "%s" "root" "root" 0600;\n\tstrict_address;\n' \
		"$T/strict/admin.sock"
	printf '\tisakmp 192.0.2.2 [7001];\n\tisakmp 192.0.2.99 [7001];\n}\n'
	ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test
} > "$T/strict/racoon.conf"
cp "$T/gw/psk.txt" "$T/strict/psk.txt"
sed -i "s|$T/gw/psk.txt|$T/strict/psk.txt|" "$T/strict/racoon.conf"
n gw timeout -k 2 10 "$COATID" -F -f "$T/strict/racoon.conf" --state-dir "$T/strict/state" \
	--pidfile "$T/strict/coatid.pid" --tun ipsec9 > "$T/strict/out" 2>&1 < /dev/null
rc=$?
sed 's/^/    strict: /' "$T/strict/out" >&2
check_eq "coatid with strict_address and a missing address exits 1" "$rc" 1
check "the error names racoon.conf:5 and the address" \
	grep -q "racoon.conf:5: listen isakmp 192.0.2.99 \[7001\]: Cannot assign requested address" \
	"$T/strict/out"
check_not "nothing of it is left: no ipsec9" nq gw ip link show ipsec9
ike_finish gw laptop
