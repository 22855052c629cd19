/* The TUN device that carries traffic covered by IPsec policies. */
#ifndef COATI_DATAPLANE_TUN_H
#define COATI_DATAPLANE_TUN_H

#include <net/if.h>

/*
 * Create (or attach to) TUN device name, non-blocking, without packet
 * information. The device disappears when the fd is closed. Returns the fd
 * or -errno; the kernel's name for it goes to ret_name.
 */
int tun_open(const char *name, char ret_name[IFNAMSIZ]);
/* Set the MTU and bring the device up. 0 or -errno. */
int tun_up(const char *name, int mtu);

#endif
