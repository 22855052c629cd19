/* coatid as a remote access client; see ra_client.h. */
#include "daemon/ra_client.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/route.h"
#include "lib/log.h"
#include "lib/secmem.h"

struct ra_client {
	struct addr peer;
	char user[IKEV1_XAUTH_USER_MAX + 1];
	char pass[IKEV1_XAUTH_PASS_MAX + 1];
	bool have_login, applied;
	struct ikev1_modecfg mc;
	struct ra_client *next;
};

struct ra_clients {
	char tun[IF_NAMESIZE];
	char state_dir[256];
	struct rtnl *nl;
	struct ra_client *list;
};

int
ra_clients_new(const char *tun_name, const char *state_dir, struct ra_clients **out)
{
	struct ra_clients *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return -ENOMEM;
	snprintf(c->tun, sizeof(c->tun), "%s", tun_name ? tun_name : "ipsec0");
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", state_dir ? state_dir : "");
	*out = c;
	return 0;
}

static struct ra_client *
client_find(const struct ra_clients *c, const struct addr *peer)
{
	for (struct ra_client *e = c->list; e; e = e->next)
		if (addr_eq(&e->peer, peer))
			return e;
	return NULL;
}

static struct ra_client *
client_get(struct ra_clients *c, const struct addr *peer)
{
	struct ra_client *e = client_find(c, peer);

	if (e || (e = calloc(1, sizeof(*e))) == NULL)
		return e;
	e->peer = *peer;
	e->next = c->list;
	c->list = e;
	return e;
}

static void
client_drop(struct ra_clients *c, struct ra_client *e)
{
	for (struct ra_client **pp = &c->list; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	secmem_wipe(e, sizeof(*e));
	free(e);
}

int
ra_clients_vc(struct ra_clients *c, const struct addr *peer, const char *user,
	      const char *password)
{
	struct ra_client *e = client_get(c, peer);

	if (e == NULL)
		return -ENOMEM;
	secmem_wipe(e->pass, sizeof(e->pass)); /* a shorter one must not leave the old tail */
	snprintf(e->user, sizeof(e->user), "%s", user);
	snprintf(e->pass, sizeof(e->pass), "%s", password);
	e->have_login = true;
	return 0;
}

int
ra_clients_login(struct ra_clients *c, const struct addr *peer, const char *login,
		 const struct psk_db *psk, char *user, size_t ucap, char *pass, size_t pcap)
{
	struct ra_client *e = client_find(c, peer);
	const uint8_t *k;
	size_t len;

	if (e && e->have_login) {
		snprintf(user, ucap, "%s", e->user);
		snprintf(pass, pcap, "%s", e->pass);
		/* used once: a new login needs a new vc */
		secmem_wipe(e->pass, sizeof(e->pass));
		e->have_login = false;
		return 0;
	}
	if (!login || !psk || psk_find(psk, login, &k, &len) < 0 || len >= pcap)
		return -ENOENT;
	snprintf(user, ucap, "%s", login);
	memcpy(pass, k, len);
	pass[len] = 0;
	return 0;
}

static void
resolv_path(const struct ra_clients *c, const struct addr *peer, char *buf, size_t cap)
{
	char a[ADDR_STRLEN];

	snprintf(buf, cap, "%s/resolv.conf.%s", c->state_dir, addr_ntop(peer, a, sizeof(a)));
}

/* nameserver/search lines the user may adopt (the system's resolv.conf is left alone). */
static void
resolv_write(const struct ra_clients *c, const struct addr *peer, const struct ikev1_modecfg *mc)
{
	char path[512], a[ADDR_STRLEN];
	FILE *f;
	int fd;

	if (!c->state_dir[0] || (mc->n_dns4 == 0 && !mc->default_domain[0]))
		return;
	resolv_path(c, peer, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		log_warn("mode_cfg: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	fprintf(f, "# from the mode config of gateway %s\n", addr_ntop(peer, a, sizeof(a)));
	if (mc->default_domain[0] && !strpbrk(mc->default_domain, "\n\r"))
		fprintf(f, "search %s\n", mc->default_domain);
	for (size_t i = 0; i < mc->n_dns4; i++)
		fprintf(f, "nameserver %s\n", addr_ntop(&mc->dns4[i], a, sizeof(a)));
	fclose(f);
}

int
ra_clients_apply(struct ra_clients *c, const struct addr *peer, const struct ikev1_modecfg *mc)
{
	struct ra_client *e = client_get(c, peer);
	unsigned ifindex = if_nametoindex(c->tun);
	char a[ADDR_STRLEN];
	int err;

	if (e == NULL)
		return -ENOMEM;
	if (ifindex == 0)
		return -ENODEV;
	if (c->nl == NULL && (err = rtnl_open(&c->nl)) < 0)
		return err;
	if ((err = rtnl_addr(c->nl, false, (int)ifindex, &mc->addr4, 32)) < 0) {
		log_err("mode_cfg: address %s on %s: %s", addr_ntop(&mc->addr4, a, sizeof(a)),
			c->tun, strerror(-err));
		return err;
	}
	e->mc = *mc;
	e->applied = true;
	resolv_write(c, peer, mc);
	log_notice("mode_cfg: bound to address %s (%s)", addr_ntop(&mc->addr4, a, sizeof(a)),
		   c->tun);
	return 0;
}

const struct ikev1_modecfg *
ra_clients_get(const struct ra_clients *c, const struct addr *peer)
{
	const struct ra_client *e = client_find(c, peer);

	return e && e->applied ? &e->mc : NULL;
}

static void
client_undo(struct ra_clients *c, struct ra_client *e)
{
	unsigned ifindex = if_nametoindex(c->tun);
	char path[512], a[ADDR_STRLEN];

	if (ifindex && c->nl && rtnl_addr(c->nl, true, (int)ifindex, &e->mc.addr4, 32) < 0)
		log_warn("mode_cfg: removing %s from %s failed",
			 addr_ntop(&e->mc.addr4, a, sizeof(a)), c->tun);
	if (c->state_dir[0]) {
		resolv_path(c, &e->peer, path, sizeof(path));
		unlink(path);
	}
	log_notice("mode_cfg: address %s given back", addr_ntop(&e->mc.addr4, a, sizeof(a)));
}

bool
ra_clients_release(struct ra_clients *c, const struct addr *peer, const struct addr *a)
{
	struct ra_client *e = client_find(c, peer);

	if (e == NULL || !e->applied || !addr_eq(&e->mc.addr4, a))
		return false;
	client_undo(c, e);
	client_drop(c, e);
	return true;
}

void
ra_clients_free(struct ra_clients *c)
{
	if (c == NULL)
		return;
	while (c->list) {
		if (c->list->applied)
			client_undo(c, c->list);
		client_drop(c, c->list);
	}
	rtnl_close(c->nl);
	free(c);
}
