#!/bin/bash
# ra-coati.sh - remote access, both ends coati: coatictl vc on the road warrior.
#
#   [laptop] coatid 192.0.2.1, remote 192.0.2.2 { mode_cfg on; xauth_psk_client }
#      | veth   IKE 500 (no NAT: raw ESP)
#   [gw] coatid 192.0.2.2, remote anonymous, Aggressive Mode, xauth_psk_server,
#        mode_cfg { network4 10.3.0.10; auth_source system; split_network include
#        10.1.0.0/24; dns4; banner } --- [lan] 10.1.0.2
#
# The login is a throwaway system user made for this run (random name, its password
# set with chpasswd, deleted at exit): auth_source system reads it from the shadow file
# through crypt(3). `coatictl vc -u USER 192.0.2.2` gets the password on stdin (not a
# terminal here), prints "Bound to address 10.3.0.10" and the banner and returns once
# the tunnel is up. The laptop then holds 10.3.0.10 on ipsec0, a route to the split
# network with it as source, and a resolv.conf fragment; an unbound ping reaches the LAN
# host. `vd` takes all of it away again. First a wrong password: vc fails with a clear
# message, both sides log it, nothing is left behind. Last, the gateway with "mode_cfg
# on" in its remote pushes the configuration (SET) instead of answering a request.
. "$(dirname "$0")/lib.sh"

RA_USER=coatira$SFX
RA_PASS="pw-$SFX-not-a-secret"
trap 'userdel "$RA_USER" 2>/dev/null; cleanup' EXIT

need useradd userdel chpasswd
useradd -M -N -s /usr/sbin/nologin "$RA_USER" || die "useradd $RA_USER"
printf '%s:%s\n' "$RA_USER" "$RA_PASS" | chpasswd || die "chpasswd"

topo_direct
mkdir -p "$T/gw" "$T/laptop"
printf 'Welcome to the coati test LAN\n' > "$T/gw/banner"
printf 'rwgroup %s\n' "$IKE_PSK" > "$T/gw/psk.txt"
printf 'gw.coati.test %s\n' "$IKE_PSK" > "$T/laptop/psk.txt"
chmod 600 "$T/gw/psk.txt" "$T/laptop/psk.txt"
ra_sainfo() {
	cat <<-EOF2
	sainfo anonymous {
		lifetime time 1 hour;
		encryption_algorithm aes 128;
		authentication_algorithm hmac_sha256;
		compression_algorithm deflate;
	}
	EOF2
}
cat > "$T/gw.ike" <<EOF2
path pre_shared_key "$T/gw/psk.txt";
remote anonymous {
	exchange_mode aggressive;
	my_identifier fqdn "gw.coati.test";
	generate_policy on;
	proposal_check obey;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method xauth_psk_server;
		dh_group 14;
	}
}
mode_cfg {
	network4 10.3.0.10;
	pool_size 4;
	netmask4 255.255.255.255;
	dns4 10.1.0.53;
	default_domain "coati.test";
	split_network include 10.1.0.0/24;
	banner "$T/gw/banner";
	auth_source system;
	auth_throttle 1;
}
$(ra_sainfo)
EOF2
ike_hook_script laptop
cat > "$T/laptop.ike" <<EOF2
path pre_shared_key "$T/laptop/psk.txt";
path script "$T/laptop/scripts";
remote 192.0.2.2 {
	exchange_mode aggressive;
	script "hook.sh" phase1_up;
	script "hook.sh" phase1_down;
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
$(ra_sainfo)
EOF2
start_coatid_conf gw "$T/gw.ike"
start_coatid_conf laptop "$T/laptop.ike"

ra_vc() { printf '%s\n' "$1" | nq laptop "$COATICTL" -s "$(sock_of laptop)" vc -u "$RA_USER" 192.0.2.2; }
ra_addrs() { nq laptop ip -4 -o addr show dev ipsec0 | awk '{ print $4 }' | xargs; }
ra_routes() { nq laptop ip -4 route show table "$(coati_table laptop)" | xargs; }
ra_no_isakmp() { [ -z "$(ike_isakmp "$1")" ]; }
ra_unbound_ping() {
	local i
	for i in 1 2 3 4 5; do nq laptop ping -q -c 1 -W 2 10.1.0.2 >/dev/null 2>&1 && return 0; done
	return 1
}
addrs0=$(ra_addrs)
routes0=$(ra_routes)

say "wrong password"
out=$(ra_vc "wrong-$RA_PASS" 2>&1)
rc=$?
printf '    vc: %s (exit %d)\n' "$out" "$rc" >&2
check "vc with a wrong password exits non-zero" [ "$rc" -ne 0 ]
check "vc says the connection failed" grep -q 'VPN connection to 192.0.2.2 failed' <<< "$out"
check "laptop: show-event says the gateway refused the login" \
	ike_event_has laptop 'Xauth: the gateway refused the login'
check "gw: show-event names the refused login" ike_event_has gw "Xauth: login of user $RA_USER refused"
check "gw: the failure is logged with the peer" grep -q "Xauth: 192.0.2.1: login of $RA_USER failed" \
	"$T/gw/coatid.log"
check "laptop: no ISAKMP SA left" wait_for 5 ra_no_isakmp laptop
check "gw: no ISAKMP SA left" wait_for 5 ra_no_isakmp gw
check_eq "laptop: no IPsec SA" "$(ike_sa_count laptop)" 0
check_eq "laptop: ipsec0 addresses unchanged" "$(ra_addrs)" "$addrs0"
check_eq "laptop: routes unchanged" "$(ra_routes)" "$routes0"

say "right password"
sleep 1 # auth_throttle 1
out=$(ra_vc "$RA_PASS" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    vc: /' >&2
check_eq "vc exits 0" "$rc" 0
check "vc: Bound to address 10.3.0.10" grep -qx 'Bound to address 10.3.0.10' <<< "$out"
check "vc: the banner" grep -qx 'Welcome to the coati test LAN' <<< "$out"
check_eq "laptop: 10.3.0.10 on ipsec0" "$(ra_addrs)" "$(xargs <<< "$addrs0 10.3.0.10/32")"
check "laptop: route to the split network from 10.3.0.10" \
	grep -q '10.1.0.0/24 dev ipsec0 .*src 10.3.0.10' <<< "$(ra_routes)"
check "laptop: resolv.conf fragment" grep -qx 'nameserver 10.1.0.53' \
	"$T/laptop/state/resolv.conf.192.0.2.2"
check "laptop: resolv.conf fragment has the domain" grep -qx 'search coati.test' \
	"$T/laptop/state/resolv.conf.192.0.2.2"
check "laptop: show-event has the address" ike_event_has laptop \
	'192.0.2.2: mode config: bound to address 10.3.0.10'
check "laptop: show-sa isakmp shows the address" sh -c \
	"ip netns exec coati-laptop-$SFX '$COATICTL' -s '$(sock_of laptop)' show-sa isakmp | grep -q 'address 10.3.0.10'"
check "gw: show-sa isakmp shows user and address" sh -c \
	"ip netns exec coati-gw-$SFX '$COATICTL' -s '$(sock_of gw)' show-sa isakmp | grep -q 'user $RA_USER address 10.3.0.10'"
check "gw: status lists the user and address" sh -c \
	"ip netns exec coati-gw-$SFX '$COATICTL' -s '$(sock_of gw)' status | grep -Eq 'vpn 192.0.2.1.*user $RA_USER address 10.3.0.10'"
check "laptop: unbound ping to the lan host (source 10.3.0.10)" ra_unbound_ping
check "5 pings lan host -> 10.3.0.10" ping_ok lan 10.1.0.2 10.3.0.10 5
check "TCP 256 KiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.3.0.10 256
check "laptop: phase1_up ran with the mode config" wait_for 5 ike_hook_ran laptop phase1_up \
	'INTERNAL_ADDR4=10.3.0.10 .*INTERNAL_DNS4=10.1.0.53 '
check "laptop: phase1_up has DEFAULT_DOMAIN and SPLIT_INCLUDE_CIDR" ike_hook_ran laptop \
	phase1_up 'DEFAULT_DOMAIN=coati.test .*SPLIT_INCLUDE_CIDR=10.1.0.0/24 '
check_not "laptop: no phase1_down for the refused login (it never was up)" ike_hook_ran laptop phase1_down
check_not "the password is in no log" grep -rq -- "$RA_PASS" "$T/gw/coatid.log" \
	"$T/laptop/coatid.log" "$T/laptop/coatid.out" "$T/gw/coatid.out"
check_not "the password is in no event" sh -c \
	"ip netns exec coati-laptop-$SFX '$COATICTL' -s '$(sock_of laptop)' show-event | grep -q -- '$RA_PASS'"

say "vd"
check "vd 192.0.2.2" ctl laptop vd 192.0.2.2
check "laptop: no ISAKMP SA left" wait_for 5 ra_no_isakmp laptop
check "gw: its SA went on the Delete" wait_for 5 ra_no_isakmp gw
check "gw: the address went back to the pool" grep -q 'mode_cfg: 10.3.0.10 released' \
	"$T/gw/coatid.log"
check_eq "laptop: no IPsec SA" "$(ike_sa_count laptop)" 0
check_eq "laptop: ipsec0 addresses restored" "$(ra_addrs)" "$addrs0"
check_eq "laptop: routes restored" "$(ra_routes)" "$routes0"
check_not "laptop: resolv.conf fragment removed" test -e "$T/laptop/state/resolv.conf.192.0.2.2"
check "laptop: phase1_down ran with INTERNAL_ADDR4" wait_for 5 ike_hook_ran laptop phase1_down \
	'INTERNAL_ADDR4=10.3.0.10 '
check_eq "laptop: phase1_up ran once" "$(grep -c '^phase1_up ' "$T/laptop/hooks.log")" 1

say "the gateway pushes (mode_cfg on in its remote)"
sed -i 's/^\tgenerate_policy on;/\tgenerate_policy on;\n\tmode_cfg on;/' "$T/gw.ike"
restart_coatid_conf gw "$T/gw.ike"
out=$(ra_vc "$RA_PASS" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    vc: /' >&2
check_eq "vc exits 0" "$rc" 0
check "vc: Bound to address 10.3.0.10" grep -qx 'Bound to address 10.3.0.10' <<< "$out"
check "gw: the address was pushed" ike_event_has gw "mode config: address 10.3.0.10 pushed to $RA_USER"
check "laptop: unbound ping to the lan host" ra_unbound_ping
check "vd 192.0.2.2" ctl laptop vd 192.0.2.2
check "laptop: no ISAKMP SA left" wait_for 5 ra_no_isakmp laptop
check_eq "laptop: ipsec0 addresses restored" "$(ra_addrs)" "$addrs0"
check_eq "laptop: routes restored" "$(ra_routes)" "$routes0"
ike_finish gw laptop
