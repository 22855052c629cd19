#!/bin/bash
# esp-algs.sh - the tunnel of tunnel-v4.sh once per ESP algorithm family.
#
#   [laptop] 10.2.0.1 / 192.0.2.1 ==== ESP tunnel ==== 192.0.2.2 [gw] --- [lan] 10.1.0.2
#
# Families: aes-cbc + hmac-sha256, aes-gcm-16 (RFC 4106), chacha20-poly1305
# (RFC 7634), aes-ctr + hmac-sha1 (RFC 3686), 3des-cbc + hmac-md5 (an "old peer").
# Each: re-key with setkey (flush, spdflush, add), ping, 256 KiB TCP with sha256
# compare, only ESP on the wire, no ICV failures. Cross-checked against Wireshark's
# ESP decoder in tshark-decrypt.sh.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
for alg in cbc-sha256 gcm chacha ctr-sha1 3des-md5; do
	say "algorithm family $alg"
	tunnel_up $alg
	capture_start laptop eth0 "wire-$alg"
	check "[$alg] ping laptop -> lan host" ping_first_ok laptop 10.2.0.1 10.1.0.2
	check "[$alg] 3 pings lan -> laptop" ping_ok lan 10.1.0.2 10.2.0.1 3
	check "[$alg] TCP 256 KiB, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 256
	capture_stop "wire-$alg"
	check_gt "[$alg] ESP on the veth" "$(pcap_count "wire-$alg" esp)" 10
	check_eq "[$alg] cleartext ICMP/TCP on the veth" "$(pcap_count "wire-$alg" icmp or tcp)" 0
	check_eq "[$alg] ICV failures at gw" "$(counter gw auth_fail 0x1001)" 0
	check_eq "[$alg] ICV failures at laptop" "$(counter laptop auth_fail 0x2001)" 0
done
finish
