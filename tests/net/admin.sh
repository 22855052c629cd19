#!/bin/bash
# admin.sh - the admin socket and the daemon's control: who may talk to coatid,
# all-or-nothing setkey files, SIGHUP reload that keeps a good configuration.
#
#   [laptop] coatid, admin socket mode 0600 root:root
#
# Checks: an unprivileged user is refused by the socket's mode and allowed once
# the mode lets it in; a setkey file whose third command fails leaves nothing
# applied (daemon-side rollback); a file with a bad key length names its
# line:column and applies nothing; SIGHUP with a broken racoon.conf keeps the
# daemon and its SAs, and a fixed file reloads.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
d="$T/laptop"
table=$(coati_table laptop)
nobody() { n laptop setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# A hard link in a world-searchable directory reaches the same socket inode,
# so only the socket's own mode decides (the work directory is 0700).
P=$(mktemp -d /tmp/coati-perm.XXXXXX)
chmod 755 "$P"
ln "$d/admin.sock" "$P/admin.sock"
check_not "uid 65534 is refused by a 0600 root socket" nobody "$COATICTL" -s "$P/admin.sock" ping
chmod 666 "$d/admin.sock"
check "uid 65534 gets in once the socket mode allows it" \
	nobody "$COATICTL" -s "$P/admin.sock" ping
chmod 600 "$d/admin.sock"
rm -rf "$P"

{
	echo "add 192.0.2.1 192.0.2.2 esp 0x1001 -m tunnel -E aes-gcm-16 $(key 20 one);"
	echo "spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;"
	echo "add 192.0.2.1 192.0.2.2 esp 0x1001 -m tunnel -E aes-gcm-16 $(key 20 two);"
} > "$T/bad-batch.setkey"
check_not "a file whose third command fails is refused" setkey laptop "$T/bad-batch.setkey"
check_eq "SAs left after the refused file" "$(count_entries laptop -D)" 0
check_eq "policies left after the refused file" "$(count_entries laptop -DP)" 0
check_not "no route left after the refused file" \
	sh -c "ip netns exec coati-laptop-$SFX ip route show table $table | grep -q ipsec0"

{
	echo "add 192.0.2.1 192.0.2.2 esp 0x1001 -m tunnel -E aes-gcm-16 $(key 20 one);"
	echo "add 192.0.2.1 192.0.2.2 esp 0x1002 -E aes-cbc 0x0011 -A hmac-sha1 $(key 20 a);"
} > "$T/syntax.setkey"
msg=$(nq laptop "$SETKEY" -s "$d/admin.sock" -f "$T/syntax.setkey" 2>&1)
check "a bad key length is reported with file:line:column" \
	grep -q "syntax.setkey:2:[0-9]*:.*aes-cbc needs a key of 16, 24 or 32 bytes" <<< "$msg"
check_eq "SAs after the file with a bad key" "$(count_entries laptop -D)" 0

tunnel_up gcm
check_eq "SAs after a good file" "$(count_entries laptop -D)" 2
check "a good file routes its policy into ipsec0 (table $table)" \
	sh -c "ip netns exec coati-laptop-$SFX ip route show table $table | grep -q ipsec0"
cp "$d/coatid.conf" "$d/coatid.conf.good"
printf 'listen {\n\tadminsock "%s" "root" "root" 0600\n}\n' "$d/admin.sock" > "$d/coatid.conf"
pp kill -HUP "$(coatid_pid laptop)"
check "the daemon answers after a failed reload" \
	wait_for 5 nq laptop "$COATICTL" -s "$d/admin.sock" ping
check "show-event reports the failed reload" \
	sh -c "ip netns exec coati-laptop-$SFX $COATICTL -s $d/admin.sock show-event | grep -q 'reload.*failed'"
check_eq "SAs kept across the failed reload" "$(count_entries laptop -D)" 2
cp "$d/coatid.conf.good" "$d/coatid.conf"
check "reload-config with a good file succeeds" ctl laptop reload-config
check "show-event reports the reload" \
	sh -c "ip netns exec coati-laptop-$SFX $COATICTL -s $d/admin.sock show-event | grep -q 'reloaded'"

say "a dump larger than the socket takes at once"
for ((i = 0; i < 3000; i++)); do
	printf 'add 192.0.2.1 192.0.2.2 esp 0x%x -m tunnel -E aes-gcm-16 0x%040x;\n' $((0x10000 + i)) "$i"
done > "$T/many.setkey"
check "3000 SAs in one setkey file" setkey laptop "$T/many.setkey"
check_eq "coati-setkey -D lists all of them (over a megabyte of reply)" \
	"$(nq laptop "$SETKEY" -s "$d/admin.sock" -D 2>&1 | grep -c "^192.0.2.1 192.0.2.2")" 3001
check_eq "and --json" "$(count_entries laptop -D)" 3002
finish
