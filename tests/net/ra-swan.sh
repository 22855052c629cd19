#!/bin/bash
# ra-swan.sh - remote access: strongSwan's charon as the road warrior of a coati gateway.
#
#   [laptop] charon (kernel-libipsec), 192.0.2.1, asks for a virtual IP (vips 0.0.0.0)
#      | veth   IKE 500 -> 4500 (libipsec fakes NAT-D), ESP-in-UDP
#   [gw] coatid 192.0.2.2, remote anonymous, Aggressive Mode, xauth_psk_server,
#        mode_cfg { network4 10.3.0.10; pool_size 4; auth_source pam; ... } --- [lan] 10.1.0.2
#
# Phase 1 is Aggressive Mode with a group key (KEY_ID "rwgroup", auth method
# XAUTHInitPreShared), then the gateway asks for an Xauth login in a Transaction
# exchange, checks it with PAM (a stack made for this run: pam_exec with a checker
# script, service name through COATI_PAM_SERVICE, removed at exit), and answers
# charon's mode config request with an address from its pool, DNS and the split
# network. Quick Mode runs from the leased address; generate_policy makes gw's
# policies for it; the LAN host is pinged through the tunnel.
# First a wrong password: charon's XAuth fails, gw logs the refusal, holds no IPsec
# SA and no lease. Then the right one; then charon disconnects and gw frees everything;
# a second connect gets the same address back (stable per user).
. "$(dirname "$0")/lib.sh"

RA_USER=rw$SFX
RA_PASS="pw-$SFX-not-a-secret"
PAM_SVC=coati-test-$SFX
PAMF=/etc/pam.d/$PAM_SVC
trap 'rm -f "$PAMF"; cleanup' EXIT

topo_direct
mkdir -p "$T/gw"
# the PAM stack of this run: pam_exec hands the password on stdin to check.sh
cat > "$T/gw/check.sh" <<EOF2
#!/bin/bash
IFS= read -r -d '' pw
[ "\$PAM_USER" = "$RA_USER" ] && [ "\$pw" = "$RA_PASS" ]
EOF2
chmod 700 "$T/gw/check.sh"
printf 'auth required pam_exec.so expose_authtok quiet %s\naccount required pam_permit.so\n' \
	"$T/gw/check.sh" > "$PAMF"
export COATI_PAM_SERVICE=$PAM_SVC
printf 'Welcome to the coati test LAN\n' > "$T/gw/banner"
printf 'rwgroup %s\n' "$IKE_PSK" > "$T/gw/psk.txt"
chmod 600 "$T/gw/psk.txt"
cat > "$T/gw.ike" <<EOF2
path pre_shared_key "$T/gw/psk.txt";
remote anonymous {
	exchange_mode aggressive;
	my_identifier fqdn "gw.coati.test";
	nat_traversal on;
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
	auth_source pam;
	auth_throttle 1;
}
sainfo anonymous {
	lifetime time 1 hour;
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}
EOF2
start_coatid_conf gw "$T/gw.ike"

ra_no_isakmp() { [ -z "$(ike_isakmp "$1")" ]; }
ra_isakmp_has() { nq "$1" "$COATICTL" -s "$(sock_of "$1")" show-sa isakmp | grep -q -- "$2"; }

# swan_ra_conf PASSWORD: charon's road warrior, as scenario c of the strongSwan notes
swan_ra_conf() {
	cat <<-EOF2
	connections {
	    rw {
	        version = 1
	        aggressive = yes
	        local_addrs = 192.0.2.1
	        remote_addrs = 192.0.2.2
	        vips = 0.0.0.0
	        proposals = aes128-sha256-modp2048
	        dpd_delay = 0
	        local-psk {
	            round = 1
	            auth = psk
	            id = keyid:rwgroup
	        }
	        local-xauth {
	            round = 2
	            auth = xauth
	            xauth_id = $RA_USER
	        }
	        remote {
	            auth = psk
	            id = fqdn:gw.coati.test
	        }
	        children {
	            rw {
	                remote_ts = 10.1.0.0/24
	                esp_proposals = aes128-sha256
	                start_action = none
	            }
	        }
	    }
	}
	secrets {
	    ike-group {
	        id-c = keyid:rwgroup
	        id-g = fqdn:gw.coati.test
	        secret = "$IKE_PSK"
	    }
	    xauth-user {
	        id = $RA_USER
	        secret = "$1"
	    }
	}
	EOF2
}
printf 'charon {\n    i_dont_care_about_security_and_use_aggressive_mode_psk = yes\n}\n' \
	> "$T/laptop.strongswan"
swan_ra_conf "wrong-$RA_PASS" > "$T/laptop-wrong.swanctl"
swan_ra_conf "$RA_PASS" > "$T/laptop.swanctl"

say "wrong Xauth password"
swan_up laptop "$T/laptop-wrong.swanctl" "$T/laptop.strongswan" || die "charon did not start"
check_not "initiate with a wrong password fails" swan laptop --initiate --ike rw --child rw \
	--timeout 10
check "charon saw the XAuth failure" grep -qi 'xauth.*fail' "$T/swan-laptop/charon.log"
check "gw: show-event names the refused login" ike_event_has gw "Xauth: login of user $RA_USER refused"
check "gw: the ISAKMP SA goes after the failed login" wait_for 5 ra_no_isakmp gw
check_eq "gw installed no SA" "$(ike_sa_count gw)" 0
check_not "gw leased no address" grep -q 'leased' "$T/gw/coatid.log"
check_not "the password is not in gw's log" grep -q -- "$RA_PASS" "$T/gw/coatid.log"
swan_down laptop
cp "$T/swan-laptop/charon.log" "$T/swan-laptop/charon-wrong.log" 2>/dev/null

say "right Xauth password"
sleep 1 # auth_throttle 1: the gateway refuses this peer for a second after a failure
swan_up laptop "$T/laptop.swanctl" "$T/laptop.strongswan" || die "charon did not start"
check "strongSwan connects: Xauth, mode config, Quick Mode" \
	swan laptop --initiate --ike rw --child rw --timeout 20
sas=$(swan_sas laptop)
printf '%s\n' "$sas" | sed 's/^/    /' >&2
check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" swan_established laptop
check "laptop: virtual IP 10.3.0.10 from gw's pool" grep -Eq 'local +10\.3\.0\.10/32' <<< "$sas"
check "charon: XAuth succeeded" grep -q "XAuth authentication of '$RA_USER' (myself) successful" \
	"$T/swan-laptop/charon.log"
check "charon: installed the virtual IP" grep -q 'installing new virtual IP 10.3.0.10' \
	"$T/swan-laptop/charon.log"
check "charon: mode config request answered" grep -q 'parsed TRANSACTION response .* CPRP(ADDR)' \
	"$T/swan-laptop/charon.log"
check "gw: show-event has the login" ike_event_has gw "Xauth: user $RA_USER logged in"
check "gw: show-event has the address" ike_event_has gw "mode config: address 10.3.0.10 for $RA_USER"
ike_check_sas gw udp
check_eq "gw generated two policies for the leased address" \
	"$(nq gw "$SETKEY" -s "$(sock_of gw)" -DP --json 2>/dev/null | grep -o '"10.3.0.10/32"' | wc -l)" 2
check "ping laptop (10.3.0.10) -> lan host through the tunnel" \
	ping_first_ok laptop 10.3.0.10 10.1.0.2
check "5 pings lan host -> laptop's virtual IP" ping_ok lan 10.1.0.2 10.3.0.10 5
check "gw: show-sa isakmp shows user and address" ra_isakmp_has gw "user $RA_USER address 10.3.0.10"
check_not "the password is not in gw's log" grep -q -- "$RA_PASS" "$T/gw/coatid.log"

say "charon disconnects, then connects again"
ike_check_delete gw 10 swan laptop --terminate --ike rw --timeout 10
check "gw released the address" wait_for 5 grep -q 'mode_cfg: 10.3.0.10 released' "$T/gw/coatid.log"
check "reconnect" swan laptop --initiate --ike rw --child rw --timeout 20
check "the user gets the same address back" grep -Eq 'local +10\.3\.0\.10/32' <<< "$(swan_sas laptop)"
check "ping laptop -> lan host again" ping_first_ok laptop 10.3.0.10 10.1.0.2
ike_finish gw laptop
