#!/bin/bash
# tshark-decrypt.sh - Wireshark's ESP decoder decrypts coati's ESP with the setkey keys.
#
#   [laptop] 10.2.0.1 / 192.0.2.1 ==== ESP tunnel ==== 192.0.2.2 [gw] --- [lan] 10.1.0.2
#
# An independent implementation as oracle: for each family tshark 4.0 (Debian 12)
# knows, capture pings, decrypt with the keys from the setkey file (esp_sa UAT:
# protocol, src, dst, SPI, encryption, key, authentication, key) and require the
# inner ICMP echo request and reply, with a correct ICV where there is an HMAC.
# tshark 4.0 has no ChaCha20-Poly1305 for ESP (4.2 has), so that family is
# covered by esp-algs.sh only.
. "$(dirname "$0")/lib.sh"
need tshark

# ws_algs FAMILY -> "encryption|authentication" as tshark's esp_sa UAT spells them
ws_algs() {
	case $1 in
	cbc-sha256) echo "AES-CBC [RFC3602]|HMAC-SHA-256-128 [RFC4868]" ;;
	gcm) echo "AES-GCM with 16 octet ICV [RFC4106]|NULL" ;;
	ctr-sha1) echo "AES-CTR [RFC3686]|HMAC-SHA-1-96 [RFC2404]" ;;
	3des-md5) echo "TripleDES-CBC [RFC2451]|HMAC-MD5-96 [RFC2403]" ;;
	esac
}

# uat SRC DST SPI FAMILY DIR: one esp_sa UAT entry with the keys alg_opts gives.
uat() {
	local w enc auth ek ak
	w=$(ws_algs "$4")
	enc=${w%%|*}
	auth=${w#*|}
	# split the setkey options into words: -E ALG KEY [-A ALG KEY]
	# shellcheck disable=SC2046
	set -- "$1" "$2" "$3" $(alg_opts "$4" "$5")
	ek=$6
	ak=${9:-}
	printf '"IPv4","%s","%s","%s","%s","%s","%s","%s"' "$1" "$2" "$3" "$enc" "$ek" "$auth" "$ak"
}

topo_direct
start_coatid laptop
start_coatid gw
for alg in cbc-sha256 gcm ctr-sha1 3des-md5; do
	say "family $alg"
	tunnel_up $alg
	capture_start laptop eth0 "esp-$alg" esp
	check "[$alg] ping laptop -> lan host" ping_first_ok laptop 10.2.0.1 10.1.0.2
	check "[$alg] 3 pings" ping_ok laptop 10.2.0.1 10.1.0.2 3
	capture_stop "esp-$alg"
	ts=(tshark -n -r "$T/esp-$alg.pcap" -o esp.enable_encryption_decode:TRUE
		-o esp.enable_authentication_check:TRUE
		-o "uat:esp_sa:$(uat 192.0.2.1 192.0.2.2 0x00001001 $alg lg)"
		-o "uat:esp_sa:$(uat 192.0.2.2 192.0.2.1 0x00002001 $alg gl)")
	pp "${ts[@]}" 2>/dev/null | tail -n 6 >&2
	req=$("${ts[@]}" -Y 'icmp.type == 8 && ip.src == 10.2.0.1 && ip.dst == 10.1.0.2' 2>/dev/null | wc -l)
	rep=$("${ts[@]}" -Y 'icmp.type == 0 && ip.src == 10.1.0.2 && ip.dst == 10.2.0.1' 2>/dev/null | wc -l)
	check_gt "[$alg] tshark decrypts echo requests (SPI 0x1001)" "$req" 2
	check_gt "[$alg] tshark decrypts echo replies (SPI 0x2001)" "$rep" 2
	if [ $alg != gcm ]; then
		bad=$("${ts[@]}" -Y 'esp.icv_bad == 1' 2>/dev/null | wc -l)
		good=$("${ts[@]}" -Y 'esp.icv_good == 1' 2>/dev/null | wc -l)
		check_eq "[$alg] ICVs tshark finds bad" "$bad" 0
		check_gt "[$alg] ICVs tshark finds good" "$good" 5
	fi
done
finish
