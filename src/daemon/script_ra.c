/* phase1_up/down variables from mode config; see script_ra.h. */
#include "daemon/script_ra.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

struct env_out {
	char *buf;
	size_t cap, used;
	char **envp;
	size_t *n, max;
};

/* Start "NAME=" in the buffer; then env_add pieces; env_end publishes it. */
static char *
env_begin(struct env_out *o, const char *name)
{
	int w;

	if (*o->n >= o->max || o->used >= o->cap)
		return NULL;
	w = snprintf(o->buf + o->used, o->cap - o->used, "%s=", name);
	if (w < 0 || (size_t)w >= o->cap - o->used)
		return NULL;
	return o->buf + o->used;
}

static bool
env_add(struct env_out *o, char *var, const char *piece)
{
	size_t at, room;

	if (var == NULL)
		return false;
	at = strlen(var);
	room = o->cap - (size_t)(var - o->buf);
	if (at + strlen(piece) + 1 > room)
		return false;
	strcpy(var + at, piece);
	return true;
}

static void
env_end(struct env_out *o, char *var, bool ok)
{
	if (var == NULL || !ok)
		return;
	o->envp[(*o->n)++] = var;
	o->used += strlen(var) + 1;
}

static void
env_addrs(struct env_out *o, const char *name, const struct addr *a, size_t n)
{
	char t[ADDR_STRLEN], *v = env_begin(o, name);
	bool ok = v != NULL;

	for (size_t i = 0; ok && i < n; i++)
		ok = (i == 0 || env_add(o, v, " ")) && env_add(o, v, addr_ntop(&a[i], t, sizeof(t)));
	env_end(o, v, ok && n > 0);
}

static void
env_text(struct env_out *o, const char *name, const char *s)
{
	char *v = env_begin(o, name), c[2] = {0, 0};
	bool ok = v != NULL && *s;

	for (; ok && *s; s++) {
		c[0] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
		ok = env_add(o, v, c);
	}
	env_end(o, v, ok);
}

/* "a/mask ..." (racoon's SPLIT_INCLUDE) or "a/len ..." (the _CIDR form). */
static void
env_nets(struct env_out *o, const char *name, const struct ikev1_modecfg *mc, bool cidr)
{
	char t[ADDR_STRLEN + 8], m[ADDR_STRLEN], *v = env_begin(o, name);
	bool ok = v != NULL;

	for (size_t i = 0; ok && i < mc->n_split_net; i++) {
		const struct prefix *p = &mc->split_net[i];
		struct addr mask = {.family = AF_INET};

		mask.v4.s_addr = htonl(p->len ? ~0u << (32 - p->len) : 0);
		snprintf(t, sizeof(t), "%s/", addr_ntop(&p->addr, m, sizeof(m)));
		if (cidr)
			snprintf(t + strlen(t), sizeof(t) - strlen(t), "%u", p->len);
		else
			addr_ntop(&mask, t + strlen(t), sizeof(t) - strlen(t));
		ok = (i == 0 || env_add(o, v, " ")) && env_add(o, v, t);
	}
	env_end(o, v, ok && mc->n_split_net > 0);
}

void
script_env_modecfg(const struct ikev1_modecfg *mc, char *buf, size_t cap, char **envp,
		   size_t *n, size_t max)
{
	struct env_out o = {buf, cap, 0, envp, n, max};
	char cidr[4];
	uint8_t len = 32;

	env_addrs(&o, "INTERNAL_ADDR4", &mc->addr4, mc->addr4.family ? 1 : 0);
	if (mc->netmask4.family) {
		env_addrs(&o, "INTERNAL_NETMASK4", &mc->netmask4, 1);
		len = 0;
		for (uint32_t m = ntohl(mc->netmask4.v4.s_addr); m & 0x80000000u; m <<= 1)
			len++;
	}
	snprintf(cidr, sizeof(cidr), "%u", len);
	if (mc->addr4.family)
		env_text(&o, "INTERNAL_CIDR4", cidr);
	env_addrs(&o, "INTERNAL_DNS4", mc->dns4, mc->n_dns4 ? 1 : 0);
	env_addrs(&o, "INTERNAL_DNS4_LIST", mc->dns4, mc->n_dns4);
	env_addrs(&o, "INTERNAL_WINS4", mc->wins4, mc->n_wins4 ? 1 : 0);
	env_addrs(&o, "INTERNAL_WINS4_LIST", mc->wins4, mc->n_wins4);
	env_text(&o, "DEFAULT_DOMAIN", mc->default_domain);
	if (mc->split == IKEV1_SPLIT_INCLUDE) {
		env_nets(&o, "SPLIT_INCLUDE", mc, false);
		env_nets(&o, "SPLIT_INCLUDE_CIDR", mc, true);
	} else if (mc->split == IKEV1_SPLIT_LOCAL_LAN) {
		env_nets(&o, "SPLIT_LOCAL", mc, false);
		env_nets(&o, "SPLIT_LOCAL_CIDR", mc, true);
	}
}
