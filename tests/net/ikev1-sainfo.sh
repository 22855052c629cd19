#!/bin/bash
# ikev1-sainfo.sh - the responder picks the most specific sainfo for the Quick Mode IDs.
#
#   [laptop] coatid, require policies for 10.2.0.0/24 <-> 10.1.0.0/24 and <-> 10.9.0.0/24,
#      |     sainfo anonymous offering aes 256 and aes 128
#   [gw] coatid, "remote anonymous", two sainfos in this order:
#        sainfo anonymous                                          aes 128
#        sainfo address 10.1.0.0/24 any address 10.2.0.0/24 any    aes 256
#
# Quick Mode for 10.2.0.0/24 <-> 10.1.0.0/24 gets the specific sainfo (aes 256) although
# the anonymous one comes first; 10.2.0.0/24 <-> 10.9.0.0/24 gets the anonymous one
# (aes 128). A gw whose only sainfo names other IDs refuses the Quick Mode by name.
. "$(dirname "$0")/lib.sh"

topo_direct
ike_racoon_conf laptop 192.0.2.2 laptop@coati.test gw@coati.test |
	sed '/^sainfo/,/^}/s/encryption_algorithm aes 128;$/encryption_algorithm aes 256, aes 128;/' \
	> "$T/laptop.ike"
ike_racoon_conf gw anonymous gw@coati.test laptop@coati.test > "$T/gw.ike"
cat >> "$T/gw.ike" <<EOF2
sainfo address 10.1.0.0/24 any address 10.2.0.0/24 any {
	pfs_group 14;
	lifetime time 1 hour;
	encryption_algorithm aes 256;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}
EOF2
ike_pair_up "$T/laptop.ike" "$T/gw.ike"
setkey_cmd laptop -c <<EOF2
spdadd 10.2.0.0/24 10.9.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.9.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;
EOF2

# key_bytes ROLE SRC_NET: bytes of the cipher key of ROLE's SA whose policy traffic is from
# SRC_NET (gw's inbound SA of that pair), from coati-setkey -D --json
key_bytes() {
	nq "$1" "$SETKEY" -s "$(sock_of "$1")" -D --json 2>/dev/null | python3 -c '
import json, sys
def sas(n):
    if isinstance(n, dict):
        if "spi" in n and "proto" in n:
            yield n
        else:
            for v in n.values():
                yield from sas(v)
    elif isinstance(n, list):
        for v in n:
            yield from sas(v)
for s in sas(json.load(sys.stdin)):
    if s.get("src") == "192.0.2.1":
        k = s.get("enc_key", "")
        print(len(k[2:] if k.startswith("0x") else k) // 2)
' | sort -u | xargs
}

say "the specific sainfo for 10.2.0.0/24 <-> 10.1.0.0/24"
check "ping laptop -> lan host" ping_first_ok laptop 10.2.0.1 10.1.0.2
check_eq "gw's pair has a 256-bit AES key (the second, specific sainfo)" "$(key_bytes gw)" 32
check "gw: flush-sa isakmp" ctl gw flush-sa isakmp
check "laptop lost its SAs" wait_for 5 ike_sa_count_is laptop -eq 0

say "the anonymous sainfo for 10.2.0.0/24 <-> 10.9.0.0/24"
check "establish-sa -w esp inet 10.2.0.0/24 10.9.0.0/24 any" \
	ctl laptop establish-sa -w esp inet 10.2.0.0/24 10.9.0.0/24 any
check_eq "gw's pair has a 128-bit AES key (the anonymous sainfo)" "$(key_bytes gw)" 16

say "no sainfo fits"
check "gw: flush-sa isakmp" ctl gw flush-sa isakmp
sed -i '/^sainfo anonymous {$/,/^}$/d' "$T/gw/racoon.conf"
check "gw: reload-config without the anonymous sainfo" ctl gw reload-config
check "establish-sa esp for 10.9.0.0/24 starts a Quick Mode" \
	ctl laptop establish-sa esp inet 10.2.0.0/24 10.9.0.0/24 any
check "gw refuses it: the IDs match no sainfo" wait_for 5 ike_event_has gw 'IDs match no sainfo'
check_eq "gw installed nothing for it" "$(ike_sa_count gw)" 0
ike_finish gw laptop
