#!/bin/bash
# ra-swan-gw.sh - remote access: coatictl vc against strongSwan's charon as the gateway.
#
#   [laptop] coatid 192.0.2.1, remote 192.0.2.2 { mode_cfg on; xauth_psk_client }
#      | veth   IKE 500 -> 4500 (charon's libipsec fakes NAT-D), ESP-in-UDP
#   [gw] charon (kernel-libipsec) 192.0.2.2: Aggressive Mode PSK + xauth-generic, pool
#        10.3.0.10-10.3.0.99, dns 10.1.0.53, split_include 10.1.0.0/24 --- [lan] 10.1.0.2
#
# As scenario c of the strongSwan notes, with coati in the road warrior's place: a wrong
# password first (vc fails, nothing left behind on the laptop), then the right one: vc
# prints the address charon's pool gave, ipsec0 holds it, the split network is routed
# from it, the LAN host answers an unbound ping; vd restores addresses and routes.
. "$(dirname "$0")/lib.sh"

RA_USER=alice
RA_PASS="pw-$SFX-not-a-secret"

topo_direct
mkdir -p "$T/laptop"
printf 'gw.coati.test %s\n' "$IKE_PSK" > "$T/laptop/psk.txt"
chmod 600 "$T/laptop/psk.txt"
cat > "$T/laptop.ike" <<EOF2
path pre_shared_key "$T/laptop/psk.txt";
remote 192.0.2.2 {
	exchange_mode aggressive;
	my_identifier keyid tag "rwgroup";
	peers_identifier fqdn "gw.coati.test";
	nat_traversal on;
	mode_cfg on;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method xauth_psk_client;
		dh_group 14;
	}
}
sainfo anonymous {
	lifetime time 1 hour;
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}
EOF2
cat > "$T/gw.swanctl" <<EOF2
connections {
    rw {
        version = 1
        aggressive = yes
        local_addrs = 192.0.2.2
        remote_addrs = %any
        pools = rwpool
        proposals = aes128-sha256-modp2048
        dpd_delay = 0
        local {
            auth = psk
            id = fqdn:gw.coati.test
        }
        remote-psk {
            round = 1
            auth = psk
            id = keyid:rwgroup
        }
        remote-xauth {
            round = 2
            auth = xauth-generic
        }
        children {
            rw {
                local_ts = 10.1.0.0/24
                esp_proposals = aes128-sha256
            }
        }
    }
}
pools {
    rwpool {
        addrs = 10.3.0.10-10.3.0.99
        dns = 10.1.0.53
        split_include = 10.1.0.0/24
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
        secret = "$RA_PASS"
    }
}
EOF2
printf 'charon {\n    i_dont_care_about_security_and_use_aggressive_mode_psk = yes\n}\n' \
	> "$T/gw.strongswan"
swan_up gw "$T/gw.swanctl" "$T/gw.strongswan" || die "charon did not start in gw"
start_coatid_conf laptop "$T/laptop.ike"

ra_vc() { printf '%s\n' "$1" | nq laptop "$COATICTL" -s "$(sock_of laptop)" vc -u "$RA_USER" 192.0.2.2; }
ra_addrs() { nq laptop ip -4 -o addr show dev ipsec0 | awk '{ print $4 }' | xargs; }
ra_routes() { nq laptop ip -4 route show table "$(coati_table laptop)" | xargs; }
ra_no_isakmp() { [ -z "$(ike_isakmp "$1")" ]; }
ra_swan_no_ike() { ! swan_sas gw | grep -q ESTABLISHED; }
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
check "charon: XAuth failed" grep -q "XAuth authentication of '$RA_USER' failed" \
	"$T/swan-gw/charon.log"
check "laptop: no ISAKMP SA left" wait_for 10 ra_no_isakmp laptop
check_eq "laptop: ipsec0 addresses unchanged" "$(ra_addrs)" "$addrs0"
check_eq "laptop: routes unchanged" "$(ra_routes)" "$routes0"

say "right password"
check "charon dropped the failed SA" wait_for 10 ra_swan_no_ike
out=$(ra_vc "$RA_PASS" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    vc: /' >&2
check_eq "vc exits 0" "$rc" 0
check "vc: Bound to address 10.3.0.10" grep -qx 'Bound to address 10.3.0.10' <<< "$out"
sas=$(swan_sas gw)
printf '%s\n' "$sas" | sed 's/^/    /' >&2
check "charon: XAuth of the user succeeded" grep -q "XAuth authentication of '$RA_USER' successful" \
	"$T/swan-gw/charon.log"
check "charon: CHILD_SA 10.1.0.0/24 === 10.3.0.10/32" grep -Eq 'remote +10\.3\.0\.10/32' <<< "$sas"
check_eq "laptop: 10.3.0.10 on ipsec0" "$(ra_addrs)" "$(xargs <<< "$addrs0 10.3.0.10/32")"
check "laptop: route to the split network from 10.3.0.10" \
	grep -q '10.1.0.0/24 dev ipsec0 .*src 10.3.0.10' <<< "$(ra_routes)"
check "laptop: resolv.conf fragment" grep -qx 'nameserver 10.1.0.53' \
	"$T/laptop/state/resolv.conf.192.0.2.2"
check "laptop: unbound ping to the lan host" ra_unbound_ping
check "5 pings lan host -> 10.3.0.10" ping_ok lan 10.1.0.2 10.3.0.10 5

say "vd"
check "vd 192.0.2.2" ctl laptop vd 192.0.2.2
check "laptop: no ISAKMP SA left" wait_for 5 ra_no_isakmp laptop
check "charon: the IKE SA went on the Delete" wait_for 10 ra_swan_no_ike
check_eq "laptop: ipsec0 addresses restored" "$(ra_addrs)" "$addrs0"
check_eq "laptop: routes restored" "$(ra_routes)" "$routes0"
ike_finish laptop gw
