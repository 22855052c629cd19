#!/bin/bash
# ikev1-cert.sh - IKEv1 Main Mode authenticated by RSA signatures between two coatids.
#
#   [laptop] coatid 192.0.2.1 + inner 10.2.0.1, "remote 192.0.2.2", require policies
#      | veth   IKE on 500, raw ESP
#   [gw] coatid 192.0.2.2, "remote anonymous", generate_policy on --- [lan] 10.1.0.2
#
# A CA, a gw and a laptop certificate made with `openssl` here; each coatid has the CA
# in its "path certificate" directory (gw's under its c_rehash hashed name, laptop's
# under a plain PEM name), certificate_type x509, my_identifier asn1dn, peers_identifier
# asn1dn with verify_identifier, verify_cert, send_cert, send_cr.
# First laptop presents a certificate with its own subject from another CA: gw must
# refuse it with "untrusted CA", answer INVALID-CERTIFICATE, and nobody hold an SA.
# Then the right certificate: the ping that started the negotiation is answered, SAs
# with the same SPIs on both ends, both report the peer's certificate, traffic both ways.
# Last, configuration errors: a key that is not the certificate's makes a reload fail
# with racoon.conf's file:line and the SAs stay; after a good reload, Quick Mode still
# runs over the ISAKMP SA made before it; a missing certificate stops a start.
. "$(dirname "$0")/lib.sh"

need openssl
topo_direct
P="$T/pki"
pki_ca "$P" "coati test CA"
pki_ca "$P" "rogue CA"
pki_cert "$P" "coati test CA" gw gw.coati.test "DNS:gw.coati.test,IP:192.0.2.2"
pki_cert "$P" "coati test CA" laptop laptop "email:laptop@coati.test"
pki_cert "$P" "rogue CA" laptop-rogue laptop "email:laptop@coati.test"
mkdir -p "$T/gw/cert" "$T/laptop/cert"
cp "$P/coati test CA.pem" "$T/gw/cert/$(openssl x509 -noout -hash -in "$P/coati test CA.pem").0"
cp "$P/coati test CA.pem" "$T/laptop/cert/ca.pem"
for c in gw laptop laptop-rogue; do
	role=${c%-rogue}
	cp -p "$P/$c.pem" "$P/$c.key" "$T/$role/cert/"
done
ls -l "$T/gw/cert" "$T/laptop/cert" | sed 's/^/    /' >&2

ike_cert_racoon_conf gw anonymous gw laptop > "$T/gw.ike"
ike_cert_racoon_conf laptop 192.0.2.2 laptop gw.coati.test > "$T/laptop.ike"
sed 's/"laptop\.pem" "laptop\.key"/"laptop-rogue.pem" "laptop-rogue.key"/' "$T/laptop.ike" \
	> "$T/laptop-rogue.ike"
cat > "$T/laptop.setkey" <<EOF2
flush;
spdflush;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2
start_coatid_conf gw "$T/gw.ike"

say "laptop's certificate from another CA"
start_coatid_conf laptop "$T/laptop-rogue.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
check_not "ping laptop -> lan host with a certificate gw does not trust" \
	n laptop ping -q -c 1 -W 6 -I 10.2.0.1 10.1.0.2
check "gw's event names the untrusted CA" \
	ike_event_has gw "authentication failed: certificate '$(pki_dn laptop)' refused: untrusted CA"
check "laptop heard INVALID_CERTIFICATE from gw" ike_event_has laptop 'INVALID_CERTIFICATE'
check_eq "gw installed no SA" "$(ike_sa_count gw)" 0
check_eq "laptop installed no SA" "$(ike_sa_count laptop)" 0
check_eq "gw has no established ISAKMP SA" "$(ike_isakmp gw | grep -c established)" 0
ike_events gw | sed 's/^/    gw event: /' >&2

say "the right certificate"
restart_coatid_conf laptop "$T/laptop.ike"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
capture_start gw eth0 wire
check "first ping laptop -> lan host (queued during the negotiation) is answered" \
	n laptop ping -q -c 1 -W 15 -I 10.2.0.1 10.1.0.2
ike_check_sas laptop raw
ike_check_sas gw raw
ike_check_spis gw "$(ike_sas laptop | awk '{ print $2 }')"
check "gw authenticated laptop's certificate" \
	ike_event_has gw "peer authenticated by RSA signature, certificate '$(pki_dn laptop)'"
check "laptop authenticated gw's certificate" \
	ike_event_has laptop "peer authenticated by RSA signature, certificate '$(pki_dn gw.coati.test)'"
ike_check_events laptop
ike_check_events gw
ike_check_isakmp laptop "192.0.2.2 established initiator no-nat-t 1"
ike_check_isakmp gw "192.0.2.1 established responder no-nat-t 1"
check "5 pings laptop -> lan host" ping_ok laptop 10.2.0.1 10.1.0.2 5
check "5 pings lan host -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 5
check "TCP 256 KiB laptop -> lan, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 256
capture_stop wire
ike_check_sa_pkts gw 5
ike_check_capture wire raw

say "configuration errors"
d="$T/gw"
cp "$d/racoon.conf" "$d/racoon.conf.good"
line=$(grep -n 'certificate_type' "$d/racoon.conf" | cut -d: -f1)
sed -i 's/"gw\.key"/"laptop.key"/' "$d/racoon.conf"
cp -p "$T/laptop/cert/laptop.key" "$d/cert/"
pp kill -HUP "$(coatid_pid gw)"
check "gw answers after the failed reload" wait_for 5 nq gw "$COATICTL" -s "$(sock_of gw)" ping
check "the log names racoon.conf:$line: the key is not the certificate's" \
	wait_for 5 grep -q "racoon.conf:$line: private key .*laptop.key: does not match the cert" \
	"$d/coatid.log" "$d/coatid.out"
check "show-event reports the failed reload" ike_event_has gw 'reload.*failed'
check_eq "gw's SAs kept across the failed reload" "$(ike_sa_count gw)" 2
check "ping laptop -> lan host after the failed reload" ping_ok laptop 10.2.0.1 10.1.0.2 2
cp "$d/racoon.conf.good" "$d/racoon.conf"
check "reload-config with the good file succeeds" ctl gw reload-config
setkey_cmd laptop -F
check "after gw's reload, a new Quick Mode over the ISAKMP SA made before it" \
	n laptop ping -q -c 1 -W 10 -I 10.2.0.1 10.1.0.2
check_eq "gw: still one ISAKMP SA, now with two IPsec SA pairs" "$(ike_isakmp gw | xargs)" \
	"192.0.2.1 established responder no-nat-t 2"
sed 's/"gw\.pem"/"missing.pem"/' "$T/gw.ike" > "$T/gw-missing.ike"
{
	echo "listen {"
	printf '\tadminsock "%s" "root" "root" 0600;\n' "$T/bad/admin.sock"
	echo "}"
	cat "$T/gw-missing.ike"
} > "$T/gw-missing.conf"
mkdir -p "$T/bad"
chmod 700 "$T/bad"
line=$(grep -n 'certificate_type' "$T/gw-missing.conf" | cut -d: -f1)
nq lan timeout 10 "$COATID" -F -f "$T/gw-missing.conf" -l "$T/bad/coatid.log" \
	--state-dir "$T/bad" --pidfile "$T/bad/coatid.pid" > "$T/bad/coatid.out" 2>&1
rc=$?
out=$(cat "$T/bad/coatid.log" "$T/bad/coatid.out" 2>/dev/null)
printf '%s\n' "$out" | tail -n 3 | sed 's/^/    coatid: /' >&2
check "coatid refuses to start without its certificate" test "$rc" -ne 0 -a "$rc" -ne 124
check "the error names gw-missing.conf:$line and the file" \
	grep -q "gw-missing.conf:$line: certificate .*missing.pem: No such file" <<< "$out"
ike_finish gw laptop
