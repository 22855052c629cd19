/* The TUN device that carries traffic covered by IPsec policies. */
#ifndef COATI_DATAPLANE_TUN_H
#define COATI_DATAPLANE_TUN_H

#include <net/if.h>
#include <stdbool.h>

/*
 * Create (or attach to) TUN device name, non-blocking, without packet
 * information, with a virtio_net_hdr (gso.h) in front of every packet read
 * and written. The device disappears when the fd is closed. Returns the fd
 * or -errno; the kernel's name for it goes to ret_name.
 */
int tun_open(const char *name, char ret_name[IFNAMSIZ]);
/*
 * Let the kernel hand us unchecksummed packets and TCP (and, where the
 * kernel has it, UDP) super-segments up to 64 KiB. ret_uso tells whether
 * UDP segmentation offload was accepted. 0 or -errno.
 */
int tun_set_offload(int fd, bool *ret_uso);
/*
 * Quiet the device (no IPv6 link-local address, router solicitations or
 * DAD; rp_filter off, since decrypted packets come from networks routed
 * elsewhere), set the MTU and bring it up. 0 or -errno.
 */
int tun_up(const char *name, int mtu);

#endif
