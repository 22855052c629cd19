#!/bin/bash
# ah.sh - AH alone (RFC 4302), transport mode, host to host over IPv4.
#
#   [laptop] 192.0.2.1 ==== AH transport (veth) ==== 192.0.2.2 [gw]
#
# SPD: 192.0.2.1 <-> 192.0.2.2 any ah/transport//require, hmac-sha256.
# AH does not encrypt: the check is that every packet carries AH (protocol 51),
# none goes without it, and a tampered key on one side makes traffic fail.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
ah_conf() { # side auth-key-label-suffix
	if [ "$1" = laptop ]; then o=out i=in; else o=in i=out; fi
	cat <<-EOF2
	flush;
	spdflush;
	add 192.0.2.1 192.0.2.2 ah 0x1401 -A hmac-sha256 $(key 32 "ah-lg$2");
	add 192.0.2.2 192.0.2.1 ah 0x2401 -A hmac-sha256 $(key 32 "ah-gl");
	spdadd 192.0.2.1 192.0.2.2 any -P $o ipsec ah/transport//require;
	spdadd 192.0.2.2 192.0.2.1 any -P $i ipsec ah/transport//require;
	EOF2
}
ah_conf laptop "" > "$T/laptop.setkey"
ah_conf gw "" > "$T/gw.setkey"
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"

capture_start laptop eth0 wire
check "ping laptop -> gw under AH" ping_first_ok laptop 192.0.2.1 192.0.2.2
check "TCP 256 KiB under AH, sha256 equal" tcp_transfer gw 192.0.2.2 laptop 192.0.2.1 256
capture_stop wire
check_gt "AH packets on the veth" "$(pcap_count wire ah)" 20
check_eq "IPv4 packets without AH on the veth" "$(pcap_count wire 'ip and not ah')" 0
check_gt "gw counted packets on AH SA 0x1401" "$(counter gw packets 0x1401)" 0

say "wrong AH key on laptop's outbound SA: gw must reject"
ah_conf laptop "-wrong" > "$T/laptop-bad.setkey"
setkey laptop "$T/laptop-bad.setkey" || fail "setkey -f (wrong key) on laptop"
check_not "ping with a wrong AH key fails" ping_ok laptop 192.0.2.1 192.0.2.2 2
check_gt "gw counted ICV failures on SA 0x1401" "$(counter gw auth_fail 0x1401)" 0
finish
