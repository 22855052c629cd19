#!/bin/bash
# bench/ike_setup.sh - IKEv1 setup time: Main Mode PSK (aes128-sha256-modp2048) + Quick Mode
# (ESP aes128-sha256, PFS modp2048), side by side on the same two namespaces:
#
#   [laptop] 192.0.2.1 (+10.2.0.1) ==== veth ==== 192.0.2.2 [gw] --- [lan] 10.1.0.2
#
#   coati -> coati        gw's coatid initiates from an ACQUIRE (a ping from lan), laptop's responds
#   coati -> strongSwan   the same, charon (kernel-libipsec) responds on laptop
#   strongSwan -> strongSwan  charon on both ends, swanctl --initiate on laptop
# coatid: from its ACQUIRE log line to its "IPsec SA established" line (ms, its own clock).
# strongSwan: swanctl --initiate wall time minus the median wall time of a swanctl --stats
# call (swanctl's own start-up), so both count the same thing: the two exchanges.
# Usage: sudo [COATI_BUILD=DIR] [AUTH=rsasig] bench/ike_setup.sh [RUNS]   (default 7; medians;
# appends to bench/RESULTS.md; NO_APPEND=1 only prints). Needs strongSwan (tests/strongswan/swan.sh).
# AUTH=rsasig authenticates by RSA-2048 signatures with certificates from a CA made at run time.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNS=${1:-7}
SCEN=ike_setup
. "$HERE/../tests/net/lib.sh"

median() { sort -g | awk '{a[NR]=$1} END { if (NR == 0) { print "-"; exit }
	if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR/2] + a[NR/2 + 1]) / 2 }'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ms from the last ACQUIRE to the first IPsec SA after it, in ROLE's coatid log
coati_setup_ms() {
	python3 - "$T/$1/coatid.log" <<-'PY'
	import sys, datetime
	t0 = t1 = None
	for line in open(sys.argv[1]):
	    if len(line) < 23:
	        continue
	    try:
	        t = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f")
	    except ValueError:
	        continue
	    if "ACQUIRE" in line:
	        t0, t1 = t, None
	    elif "IPsec SA established" in line and t0 and not t1:
	        t1 = t
	print("%.1f" % ((t1 - t0).total_seconds() * 1000) if t0 and t1 else "-")
	PY
}

gw_policies() {
	printf '%s\n' "flush;" "spdflush;" \
		"spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;" \
		"spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;"
}

# one coatid-initiated negotiation; prints its setup ms
coati_round() {
	restart_coatid_conf gw "$T/gw.ike" >/dev/null 2>&1
	setkey gw "$T/gw.setkey" >/dev/null 2>&1
	nq lan ping -q -c 1 -W 10 -I 10.1.0.2 10.2.0.1 >/dev/null 2>&1
	coati_setup_ms gw
}

# swanctl.conf for ROLE's charon (LOCAL REMOTE LOCAL_TS REMOTE_TS ME PEER), by AUTH
swan_bench_conf() {
	if [ "$AUTH" = rsasig ]; then
		swan_certs "$1" "$T/pki" "$6" "coati test CA"
		swan_v1_cert_conf "$2" "$3" "$4" "$5" "$6" "$(cn_of "$6")" "$(cn_of "$7")"
	else
		swan_v1_conf "$2" "$3" "$4" "$5" "fqdn:$6@coati.test" "fqdn:$7@coati.test"
	fi
}
cn_of() { [ "$1" = gw ] && echo gw.coati.test || echo "$1"; }

AUTH=${AUTH:-psk}
topo_direct
if [ "$AUTH" = rsasig ]; then
	AUTH_TXT="RSA signatures (RSA-2048 certificates)"
	pki_ca "$T/pki" "coati test CA"
	for r in gw laptop; do
		pki_cert "$T/pki" "coati test CA" "$r" "$(cn_of "$r")" "DNS:$(cn_of "$r")"
		mkdir -p "$T/$r/cert"
		cp -p "$T/pki/coati test CA.pem" "$T/pki/$r.pem" "$T/pki/$r.key" "$T/$r/cert/"
	done
	ike_cert_racoon_conf gw 192.0.2.1 gw laptop > "$T/gw.ike"
	ike_cert_racoon_conf laptop anonymous laptop gw.coati.test > "$T/laptop.ike"
else
	AUTH_TXT="PSK"
	ike_psk_file gw
	ike_psk_file laptop
	ike_racoon_conf gw 192.0.2.1 gw@coati.test laptop@coati.test > "$T/gw.ike"
	ike_racoon_conf laptop anonymous laptop@coati.test gw@coati.test > "$T/laptop.ike"
fi
gw_policies > "$T/gw.setkey"

cc=()
start_coatid_conf laptop "$T/laptop.ike" >/dev/null 2>&1
for i in $(seq "$RUNS"); do
	restart_coatid_conf laptop "$T/laptop.ike" >/dev/null 2>&1
	cc+=("$(coati_round)")
done
stop_coatid laptop

swan_bench_conf laptop 192.0.2.1 192.0.2.2 10.2.0.0/24 10.1.0.0/24 laptop gw > "$T/laptop.swanctl"
swan_up laptop "$T/laptop.swanctl" >/dev/null 2>&1 || die "charon did not start in laptop"
cs=()
for i in $(seq "$RUNS"); do
	cs+=("$(coati_round)")
	swan laptop --terminate --ike v1 --timeout 5 >/dev/null 2>&1
done
stop_coatid gw

swan_bench_conf gw 192.0.2.2 192.0.2.1 10.1.0.0/24 10.2.0.0/24 gw laptop > "$T/gw.swanctl"
swan_up gw "$T/gw.swanctl" >/dev/null 2>&1 || die "charon did not start in gw"
ss=()
base=()
for i in $(seq "$RUNS"); do
	t0=$(now_ms)
	swan laptop --stats >/dev/null 2>&1
	base+=($(($(now_ms) - t0)))
	t0=$(now_ms)
	swan laptop --initiate --ike v1 --child net --timeout 10 >/dev/null 2>&1
	ss+=($(($(now_ms) - t0)))
	swan laptop --terminate --ike v1 --timeout 5 >/dev/null 2>&1
done
b=$(printf '%s\n' "${base[@]}" | median)
sw=$(printf '%s\n' "${ss[@]}" | median)
swadj=$(awk -v a="$sw" -v b="$b" 'BEGIN { printf "%.1f", a - b }')
mcc=$(printf '%s\n' "${cc[@]}" | grep -v -- - | median)
mcs=$(printf '%s\n' "${cs[@]}" | grep -v -- - | median)

table=$(cat <<EOF

## $(date -u '+%Y-%m-%d %H:%M') UTC: IKEv1 setup time

Command: \`${COATI_BUILD:+COATI_BUILD=$COATI_BUILD }${AUTH:+AUTH=$AUTH }bench/ike_setup.sh $RUNS\` (Main Mode $AUTH_TXT aes128-sha256-modp2048 + Quick Mode ESP
aes128-sha256 with PFS modp2048, $RUNS runs each, medians; load average $(cut -d' ' -f1-3 /proc/loadavg)).

| initiator -> responder | setup ms (median) | runs |
|---|---|---|
| coati -> coati | $mcc | ${cc[*]} |
| coati -> strongSwan | $mcs | ${cs[*]} |
| strongSwan -> strongSwan | $swadj | swanctl --initiate ${ss[*]} minus swanctl start-up (median $b) |
EOF
)
printf '%s\n' "$table"
[ "${NO_APPEND:-0}" = 1 ] || printf '%s\n' "$table" >> "$HERE/RESULTS.md"
ok "measured"
finish
