#!/bin/bash
# replay.sh - anti-replay (RFC 4303 3.4.3): captured ESP re-injected is dropped and counted.
#
#   [laptop] 10.2.0.1 / 192.0.2.1 ==== ESP tunnel ==== 192.0.2.2 [gw] eth1 --- [lan] 10.1.0.2
#
# Capture laptop's outgoing ESP during 5 pings, then send the same frames again
# from laptop's eth0 (pcap_inject.py, AF_PACKET). gw's replay counter for SA
# 0x1001 must rise by the number re-sent, its packet counter must not move, and
# nothing may come out of gw towards the LAN but one fresh ping sent afterwards.
. "$(dirname "$0")/lib.sh"

topo_direct
start_coatid laptop
start_coatid gw
tunnel_up gcm
check "tunnel works" ping_first_ok laptop 10.2.0.1 10.1.0.2

capture_start laptop eth0 orig esp and src 192.0.2.1
check "5 pings laptop -> lan" ping_ok laptop 10.2.0.1 10.1.0.2 5
capture_stop orig
captured=$(pcap_count orig)
check_gt "ESP packets captured" "$captured" 4
sleep 0.5

replay0=$(counter gw replay 0x1001)
pkts0=$(counter gw packets 0x1001)
capture_start gw eth1 lanside icmp
sent=$(n laptop python3 "$NET_DIR/pcap_inject.py" eth0 "$T/orig.pcap" 50)
echo "    re-sent $sent ESP frames" >&2
sleep 1
replay1=$(counter gw replay 0x1001)
pkts1=$(counter gw packets 0x1001)
# control: one real ping in the same capture (1 request + 1 reply on eth1)
check "one fresh ping after the replay" ping_ok laptop 10.2.0.1 10.1.0.2 1
capture_stop lanside
check_eq "frames re-sent" "$sent" "$captured"
check_eq "gw replay counter rose by the number re-sent" "$((${replay1:-0} - ${replay0:-0}))" "$sent"
check_eq "gw packet counter unchanged by the replay" "${pkts1:-x}" "${pkts0:-y}"
check_eq "ICMP on gw's LAN side: only the fresh ping's request and reply" "$(pcap_count lanside)" 2
check "tunnel still works after the replay" ping_ok laptop 10.2.0.1 10.1.0.2 2
finish
