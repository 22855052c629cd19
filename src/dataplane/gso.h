/*
 * TUN offloads: the virtio_net_hdr in front of every packet of an
 * IFF_VNET_HDR TUN device, segmentation of the super-segments the kernel
 * hands us (TSO/USO), checksum completion, and the fast Internet checksum
 * both directions need.
 */
#ifndef COATI_DATAPLANE_GSO_H
#define COATI_DATAPLANE_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/ip.h"
#include "dataplane/pkt.h"
#include "lib/buf.h"

#define VNET_HDR_LEN 10 /* struct virtio_net_hdr, without num_buffers */

/* virtio 1.2 5.1.6 "Device Operation": flags and gso_type of struct virtio_net_hdr. */
enum vnet_flag {
	VNET_F_NEEDS_CSUM = 1, /* csum_start/csum_offset name a checksum to complete */
	VNET_F_DATA_VALID = 2,
};

enum vnet_gso {
	VNET_GSO_NONE = 0,
	VNET_GSO_TCPV4 = 1,
	VNET_GSO_UDP = 3, /* UFO: IP fragmentation, never enabled by us */
	VNET_GSO_TCPV6 = 4,
	VNET_GSO_UDP_L4 = 5,
	VNET_GSO_ECN = 0x80, /* modifier bit: the TCP flow uses ECN */
};

/* Fields in host order. The TUN device uses the host's byte order (little endian here). */
struct vnet_hdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset;
};

/* Read a virtio_net_hdr. false (nothing consumed) if r is too short. */
bool vnet_hdr_read(struct rd *r, struct vnet_hdr *out);
/* Write h as VNET_HDR_LEN bytes at p. */
void vnet_hdr_write(uint8_t *p, const struct vnet_hdr *h);

/*
 * Ones' complement sum (RFC 1071) of len bytes added to sum, in network
 * order, not folded. Pieces summed one after the other must have even
 * lengths except the last.
 */
uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len);
/* Fold a csum_add sum to 16 bits (not complemented). */
uint16_t csum_fold(uint64_t sum);
/* The pseudo-header sum (RFC 9293 3.1, RFC 8200 8.1) for proto and l4_len bytes. */
uint64_t csum_pseudo(const struct ip_info *ii, uint8_t proto, size_t l4_len);

/* Walks one packet read from the TUN device, yielding wire-ready packets. */
struct gso_iter {
	const uint8_t *pkt;  /* the IP packet after the virtio_net_hdr */
	size_t len;
	struct vnet_hdr vh;
	struct ip_info ii;
	size_t hdr_len;      /* IP + TCP/UDP header copied into every segment */
	size_t off;          /* next payload byte to emit */
	unsigned idx;        /* segments emitted */
	bool done;
};

/*
 * Check the virtio_net_hdr and headers of one TUN read (buf = header +
 * packet) and prepare to split it. Accepts plain packets (one segment,
 * checksum completed if asked), TCPv4/v6 and UDP_L4 GSO. 0 or -EBADMSG
 * (unknown GSO type, offsets outside the packet, wrong protocol).
 */
int gso_begin(struct gso_iter *it, const uint8_t *buf, size_t len);
/*
 * Write the next segment into out (reset first): headers with lengths,
 * IPv4 ID and checksum, TCP sequence number and flags, and a complete
 * TCP/UDP checksum. false when every segment has been produced.
 */
bool gso_next(struct gso_iter *it, struct pkt *out);

#endif
