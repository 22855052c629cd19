#!/bin/bash
# ikev1-cert-swan.sh - IKEv1 by RSA signatures with X.509 certificates against strongSwan.
#
#   [laptop] charon (kernel-libipsec), 192.0.2.1 + inner 10.2.0.1
#      | veth   IKE 500, then 4500 (libipsec fakes NAT-D: both ends float), ESP-in-UDP
#   [gw] coatid 192.0.2.2 --- [lan] 10.1.0.2
#
# A CA, gw's and laptop's certificates made with `openssl` here; charon has its own in
# swanctl/x509 + private and the CA in x509ca (auth = pubkey, DN identities); coatid has
# certificate_type x509, the CA in path certificate, my_identifier asn1dn, peers_identifier
# asn1dn with verify_identifier, verify_cert, send_cert, send_cr.
#  1. Main Mode, strongSwan initiates, coatid responds ("remote anonymous"): both log the
#     other's certificate, SAs with the same SPIs, pings and TCP both ways, Delete.
#  2. Aggressive Mode, strongSwan initiates, coatid responds: ping through.
#  3. Main Mode, coatid initiates from an ACQUIRE ("remote 192.0.2.1"), strongSwan
#     responds: the queued ping is answered.
#  4. Aggressive Mode, coatid initiates, strongSwan responds: ping through.
. "$(dirname "$0")/lib.sh"

need openssl
topo_direct
P="$T/pki"
pki_ca "$P" "coati test CA"
pki_cert "$P" "coati test CA" gw gw.coati.test "DNS:gw.coati.test"
pki_cert "$P" "coati test CA" laptop laptop "DNS:laptop.coati.test"
mkdir -p "$T/gw/cert"
cp "$P/coati test CA.pem" "$T/gw/cert/ca.pem"
cp -p "$P/gw.pem" "$P/gw.key" "$T/gw/cert/"
ike_cert_racoon_conf gw anonymous gw laptop "main, aggressive" > "$T/gw-resp.ike"
ike_cert_racoon_conf gw 192.0.2.1 gw laptop main > "$T/gw-init.ike"
ike_cert_racoon_conf gw 192.0.2.1 gw laptop aggressive > "$T/gw-init-aggr.ike"
for m in no yes; do
	swan_v1_cert_conf 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 laptop laptop gw.coati.test \
		$m > "$T/laptop-aggr-$m.swanctl"
done
cat > "$T/gw.setkey" <<EOF2
flush;
spdflush;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
EOF2

# swan_cert_up MODE(no|yes): charon in laptop with its certificate, Aggressive Mode MODE.
swan_cert_up() {
	swan_certs laptop "$P" laptop "coati test CA"
	swan_up laptop "$T/laptop-aggr-$1.swanctl" || die "charon did not start in laptop"
}

# both_authenticated EXCHANGE: charon and coatid each verified the other's certificate.
both_authenticated() {
	check "laptop: IKE SA ESTABLISHED, CHILD_SA INSTALLED" wait_for 5 swan_established laptop
	check "gw authenticated laptop's certificate" ike_event_has gw \
		"peer authenticated by RSA signature, certificate 'C=XX, O=coati test, CN=laptop'"
	check "gw: ISAKMP SA established ($1)" ike_event_has gw "ISAKMP SA established \($1"
	check "charon authenticated gw's certificate (RSA signature)" grep -q \
		'authentication of .C=XX, O=coati test, CN=gw.coati.test. with RSA.* successful' \
		"$T/swan-laptop/charon.log"
	check "charon verified gw's certificate against the CA" grep -q \
		'reached self-signed root ca with a path length of 0' "$T/swan-laptop/charon.log"
}

say "1. Main Mode: strongSwan initiates, coatid responds"
start_coatid_conf gw "$T/gw-resp.ike"
swan_cert_up no
capture_start gw eth0 wire
check "strongSwan initiates Main Mode with certificates" \
	swan laptop --initiate --ike v1 --child net --timeout 20
swan_sas laptop | sed 's/^/    /' >&2
both_authenticated "main mode"
check "charon received coatid's CERT and SIG in MM6" grep -q \
	'parsed ID_PROT response 0 \[ ID CERT SIG' "$T/swan-laptop/charon.log"
ike_check_sas gw udp
ike_check_spis gw "$(swan_child_spis laptop)"
ike_check_isakmp gw "192.0.2.1 established responder nat-t 1"
check "ping laptop -> lan host through the tunnel" ping_first_ok laptop 10.2.0.1 10.1.0.2
ike_swan_traffic
ike_check_delete gw 10 swan laptop --terminate --ike v1 --timeout 10
swan_down laptop

say "2. Aggressive Mode: strongSwan initiates, coatid responds"
swan_cert_up yes
check "strongSwan initiates Aggressive Mode with certificates" \
	swan laptop --initiate --ike v1 --child net --timeout 20
both_authenticated "aggressive mode"
check "charon received coatid's CERT and SIG in AM2" grep -q \
	'parsed AGGRESSIVE response 0 \[ SA KE No ID CERT SIG' "$T/swan-laptop/charon.log"
check "ping laptop -> lan host through the tunnel" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
swan_down laptop
stop_coatid gw

say "3. Main Mode: coatid initiates, strongSwan responds"
swan_cert_up no
rm -rf "$T/gw/state"
start_coatid_conf gw "$T/gw-init.ike"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
check "first ping lan host -> laptop (queued during the negotiation) is answered" \
	n lan ping -q -c 1 -W 15 -I 10.1.0.2 10.2.0.1
both_authenticated "main mode"
ike_check_sas gw udp
ike_check_spis gw "$(swan_child_spis laptop)"
ike_check_isakmp gw "192.0.2.1 established initiator nat-t 1"
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
swan_down laptop

say "4. Aggressive Mode: coatid initiates, strongSwan responds"
swan_cert_up yes
restart_coatid_conf gw "$T/gw-init-aggr.ike"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"
check "first ping lan host -> laptop (queued during the negotiation) is answered" \
	n lan ping -q -c 1 -W 15 -I 10.1.0.2 10.2.0.1
both_authenticated "aggressive mode"
ike_check_isakmp gw "192.0.2.1 established initiator nat-t 1"
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
ike_finish gw laptop
