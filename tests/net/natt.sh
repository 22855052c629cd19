#!/bin/bash
# natt.sh - ESP-in-UDP (RFC 3948) through a masquerading NAT router.
#
#   [laptop] 10.2.0.1 / 198.51.100.2
#      | veth
#   [nat] 198.51.100.1 | 192.0.2.254 (masquerade out of eth1)
#      | veth
#   [gw] 192.0.2.2  --- [lan] 10.1.0.2
#
# Manual keys, encapsulation ports 4500/4500 (setkey "esp-udp" with addr[port]).
# gw sees laptop as 192.0.2.254:4500 (masquerade keeps the port when it is free).
# Checks: ping both ways (laptop first, to open the NAT mapping), TCP with sha256
# compare, only UDP 4500 on the NAT's outside interface (no raw ESP, no cleartext).
. "$(dirname "$0")/lib.sh"

topo_nat
start_coatid laptop
start_coatid gw
L=198.51.100.2
N=192.0.2.254
G=192.0.2.2
cat > "$T/laptop.setkey" <<EOF2
flush;
spdflush;
add ${L}[4500] ${G}[4500] esp-udp 0x1701 -m tunnel $(alg_opts gcm lg);
add ${G}[4500] ${L}[4500] esp-udp 0x2701 -m tunnel $(alg_opts gcm gl);
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/$L-$G/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/$G-$L/require;
EOF2
cat > "$T/gw.setkey" <<EOF2
flush;
spdflush;
add ${N}[4500] ${G}[4500] esp-udp 0x1701 -m tunnel $(alg_opts gcm lg);
add ${G}[4500] ${N}[4500] esp-udp 0x2701 -m tunnel $(alg_opts gcm gl);
spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/$N-$G/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/$G-$N/require;
EOF2
setkey laptop "$T/laptop.setkey" || fail "setkey -f on laptop"
setkey gw "$T/gw.setkey" || fail "setkey -f on gw"

capture_start nat eth1 outside
capture_start laptop eth0 inside
check "ping laptop -> lan host through the NAT" ping_first_ok laptop 10.2.0.1 10.1.0.2
check "3 pings lan host -> laptop (back through the mapping)" ping_ok lan 10.1.0.2 10.2.0.1 3
check "TCP 512 KiB through the NAT, sha256 equal" tcp_transfer lan 10.1.0.2 laptop 10.2.0.1 512
capture_stop outside
capture_stop inside
check_gt "UDP 4500 from the NAT to gw" "$(pcap_count outside "udp and src $N and dst port 4500")" 10
check_gt "UDP 4500 from gw back to the NAT" "$(pcap_count outside "udp and src $G and src port 4500")" 10
check_eq "raw ESP (protocol 50) outside" "$(pcap_count outside esp)" 0
check_eq "cleartext ICMP/TCP outside" "$(pcap_count outside icmp or tcp)" 0
check_gt "laptop sent UDP from port 4500" "$(pcap_count inside "udp and src $L and src port 4500")" 10
check_gt "gw counted packets on SA 0x1701" "$(counter gw packets 0x1701)" 0
finish
