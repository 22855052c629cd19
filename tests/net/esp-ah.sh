#!/bin/bash
# esp-ah.sh - ESP + AH bundle, transport mode, host to host over IPv4.
#
#   [laptop] 192.0.2.1 ==== AH(ESP(payload)) (veth) ==== 192.0.2.2 [gw]
#
# SPD: 192.0.2.1 <-> 192.0.2.2 any esp/transport//require ah/transport//require
# (ESP innermost, AH outside: IP | AH | ESP | payload).
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
keys() {
	local o=$2 i=$3
	cat <<-EOF2
	add 192.0.2.1 192.0.2.2 esp 0x1501 -m transport $(alg_opts cbc-sha256 lg);
	add 192.0.2.2 192.0.2.1 esp 0x2501 -m transport $(alg_opts cbc-sha256 gl);
	add 192.0.2.1 192.0.2.2 ah 0x1502 -A hmac-sha256 $(key 32 ah-lg);
	add 192.0.2.2 192.0.2.1 ah 0x2502 -A hmac-sha256 $(key 32 ah-gl);
	spdadd 192.0.2.1 192.0.2.2 any -P $o ipsec esp/transport//require ah/transport//require;
	spdadd 192.0.2.2 192.0.2.1 any -P $i ipsec esp/transport//require ah/transport//require;
	EOF2
}
setkey_both keys

capture_start laptop eth0 wire
check "ping laptop -> gw through ESP+AH" ping_first_ok laptop 192.0.2.1 192.0.2.2
check "TCP 256 KiB through ESP+AH, sha256 equal" tcp_transfer gw 192.0.2.2 laptop 192.0.2.1 256
capture_stop wire
check_gt "AH packets on the veth" "$(pcap_count wire ah)" 20
check_eq "packets with AH whose next header is not ESP" "$(pcap_count wire 'ah and ip[20] != 50')" 0
check_eq "IPv4 packets without AH" "$(pcap_count wire 'ip and not ah')" 0
check_gt "gw counted packets on ESP SA 0x1501" "$(counter gw packets 0x1501)" 0
check_gt "gw counted packets on AH SA 0x1502" "$(counter gw packets 0x1502)" 0
finish
