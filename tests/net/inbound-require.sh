#!/bin/bash
# inbound-require.sh - cleartext that an inbound "require" policy forbids is dropped.
#
#   [laptop] 192.0.2.1 / 2001:db8:1::1 ==== ESP transport ==== 192.0.2.2 / 2001:db8:1::2 [gw]
#
# Both ends: esp/transport//require for v4 and v6. gw then pings laptop with
# coatid's firewall mark on the socket (ping -m), which bypasses gw's policy
# routing, so the echo request leaves in clear: laptop must drop it (no kernel
# SPD here: coatid's nftables table does), while protected traffic still flows.
# A "none" in-policy for ICMP (higher priority) lets the same cleartext in.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
keys() {
	local o=$2 i=$3
	cat <<-EOF2
	add 192.0.2.1 192.0.2.2 esp 0x1801 -m transport $(alg_opts gcm lg);
	add 192.0.2.2 192.0.2.1 esp 0x2801 -m transport $(alg_opts gcm gl);
	add 2001:db8:1::1 2001:db8:1::2 esp 0x1802 -m transport $(alg_opts gcm lg6);
	add 2001:db8:1::2 2001:db8:1::1 esp 0x2802 -m transport $(alg_opts gcm gl6);
	spdadd 192.0.2.1 192.0.2.2 any -P $o ipsec esp/transport//require;
	spdadd 192.0.2.2 192.0.2.1 any -P $i ipsec esp/transport//require;
	spdadd 2001:db8:1::1 2001:db8:1::2 any -P $o ipsec esp/transport//require;
	spdadd 2001:db8:1::2 2001:db8:1::1 any -P $i ipsec esp/transport//require;
	EOF2
}
setkey_both keys
mark=$(printf '%d' "$(nq gw ip rule show | sed -n 's/.*fwmark \(0x[0-9a-f]*\).*/\1/p' | head -n1)")

check "protected ping laptop -> gw" ping_first_ok laptop 192.0.2.1 192.0.2.2
check "protected ping6 laptop -> gw" n laptop ping -6 -q -c 2 -W 2 2001:db8:1::2
check "protected ping gw -> laptop" ping_ok gw 192.0.2.2 192.0.2.1 2
check_not "cleartext ping gw -> laptop (bypass mark $mark) is dropped" \
	n gw ping -q -c 2 -W 1 -m "$mark" -I 192.0.2.2 192.0.2.1
check_not "cleartext ping6 gw -> laptop is dropped" \
	n gw ping -6 -q -c 2 -W 1 -m "$mark" 2001:db8:1::1
check "laptop's filter counted the dropped cleartext" \
	sh -c "ip netns exec coati-laptop-$SFX nft list table inet coati | grep -q 'counter packets [1-9]'"
check "protected ping6 still works after the drops (neighbour discovery passes)" \
	n laptop ping -6 -q -c 2 -W 2 2001:db8:1::2

echo "spdadd 192.0.2.2 192.0.2.1 icmp -P in prio 100 none;" > "$T/bypass.setkey"
check "a higher-priority 'none' in-policy for ICMP is accepted" setkey laptop "$T/bypass.setkey"
check "that cleartext ICMP now gets in" n gw ping -q -c 2 -W 1 -m "$mark" -I 192.0.2.2 192.0.2.1
stop_coatid laptop
check_not "the nftables table is gone after SIGTERM" \
	sh -c "ip netns exec coati-laptop-$SFX nft list table inet coati 2>/dev/null"
finish
