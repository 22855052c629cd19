/*
 * coatictl's IKE verbs, as racoonctl spells them: show-sa isakmp, establish-sa,
 * delete-sa isakmp, vpn-disconnect and flush-sa isakmp.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipsec/codec.h"
#include "tools/ctl.h"
#include "tools/json.h"

#define WAIT_MS 60000
#define POLL_MS 100

static void
print_isakmp(const struct ctl *c, const struct admin_ike_sa_info *i, bool first)
{
	char l[ADDR_STRLEN], a[ADDR_STRLEN], v[ADDR_STRLEN] = "", cky[34];

	for (int k = 0; k < 8; k++) {
		snprintf(cky + 2 * k, 3, "%02x", i->cky_i[k]);
		snprintf(cky + 17 + 2 * k, 3, "%02x", i->cky_r[k]);
	}
	cky[16] = ':';
	addr_ntop(&i->local, l, sizeof(l));
	addr_ntop(&i->remote, a, sizeof(a));
	if (i->vaddr4.family)
		addr_ntop(&i->vaddr4, v, sizeof(v));
	if (c->json) {
		printf("%s{\"local\":\"%s\",\"local_port\":%u,\"remote\":\"%s\",\"remote_port\":%u,"
		       "\"cookies\":\"%s\",\"initiator\":%s,\"established\":%s,\"nat_t\":%s,"
		       "\"exchange\":%u,\"state\":",
		       first ? "" : ",", l, i->lport, a, i->rport, cky,
		       i->flags & ADMIN_IKE_F_INITIATOR ? "true" : "false",
		       i->flags & ADMIN_IKE_F_ESTABLISHED ? "true" : "false",
		       i->flags & ADMIN_IKE_F_NAT ? "true" : "false", i->exchange);
		json_string(stdout, i->state);
		printf(",\"ipsec_sa_pairs\":%u,\"user\":", i->nchildren);
		json_string(stdout, i->user);
		printf(",\"address\":\"%s\"}", v);
		return;
	}
	printf("%-22s %s %-10s %s %s%s, %u IPsec-SA pair(s)", a, cky,
	       i->exchange == 4 ? "aggressive" : "main", i->state,
	       i->flags & ADMIN_IKE_F_INITIATOR ? "initiator" : "responder",
	       i->flags & ADMIN_IKE_F_NAT ? ", NAT-T" : "", i->nchildren);
	if (i->user[0])
		printf(", user %s", i->user);
	if (v[0])
		printf(" address %s", v);
	putchar('\n');
}

/*
 * The ISAKMP SAs, each passed to fn (stop early when it returns false).
 * 0, or <0 after printing why.
 */
int
ctl_isakmp_walk(struct ctl *c, bool (*fn)(void *arg, const struct admin_ike_sa_info *i, uint32_t k),
	    void *arg)
{
	struct admin_ike_sa_info i;
	uint8_t *reply;
	size_t rlen;
	uint32_t n;
	struct rd r;
	int ret;

	if ((ret = ctl_call(c, "show-sa isakmp", ADMIN_IKE_SA_DUMP, NULL, 0, &reply, &rlen)) < 0)
		return ret;
	r = rd_init(reply, rlen);
	if (!rd_be32(&r, &n))
		return ctl_malformed(reply);
	for (uint32_t k = 0; k < n; k++) {
		if (admin_ike_sa_info_decode(&r, &i) < 0)
			return ctl_malformed(reply);
		if (!fn(arg, &i, k))
			break;
	}
	free(reply);
	return 0;
}

static bool
show_one(void *arg, const struct admin_ike_sa_info *i, uint32_t k)
{
	print_isakmp(arg, i, k == 0);
	return true;
}

int
ctl_show_isakmp(struct ctl *c)
{
	int ret;

	if (c->json)
		fputc('[', stdout);
	else
		printf("%-22s %-33s %-10s %s\n", "Destination", "Cookies", "Exchange", "State");
	ret = ctl_isakmp_walk(c, show_one, c);
	fputs(c->json ? "]\n" : "", stdout);
	return ret;
}

/* "inet" / "inet6" before the addresses is optional, as racoonctl's family word. */
static void
skip_family(char ***a, int *n)
{
	if (*n > 0 && (strcmp((*a)[0], "inet") == 0 || strcmp((*a)[0], "inet6") == 0)) {
		(*a)++;
		(*n)--;
	}
}

/* racoonctl's "ADDR/PLEN[/PORT]" (a bare address is a host prefix, port any). */
static int
parse_endpoint(const char *s, struct prefix *p, uint16_t *port)
{
	char buf[ADDR_STRLEN + 16], *slash, *end;
	unsigned long v = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	*port = 0;
	if ((slash = strchr(buf, '/')) && (slash = strchr(slash + 1, '/'))) {
		*slash = '\0';
		if (strcmp(slash + 1, "any") != 0) {
			v = strtoul(slash + 1, &end, 10);
			if (*end || !slash[1] || v > 65535)
				goto bad;
		}
		*port = (uint16_t)v;
	}
	if (prefix_parse(buf, p) == 0)
		return 0;
bad:
	fprintf(stderr, "%s: '%s' is not ADDRESS[/PREFIXLEN[/PORT]]\n", ctl_progname, s);
	return -EINVAL;
}

static int
parse_ulp(const char *s, uint8_t *out)
{
	const struct protoent *pe;
	char *end;
	unsigned long v;

	if (strcmp(s, "any") == 0) {
		*out = IPSEC_ULP_ANY;
		return 0;
	}
	v = strtoul(s, &end, 10);
	if (s[0] && !*end && v < IPSEC_ULP_ANY) {
		*out = (uint8_t)v;
		return 0;
	}
	if ((pe = getprotobyname(s)) != NULL && pe->p_proto < IPSEC_ULP_ANY) {
		*out = (uint8_t)pe->p_proto;
		return 0;
	}
	fprintf(stderr, "%s: unknown upper-layer protocol '%s'\n", ctl_progname, s);
	return -EINVAL;
}

struct wait_isakmp {
	const struct addr *remote;
	bool seen, up;
	uint32_t pairs; /* IPsec SA pairs under the established ones */
};

static bool
wait_one(void *arg, const struct admin_ike_sa_info *i, uint32_t k)
{
	struct wait_isakmp *w = arg;

	(void)k;
	if (!addr_eq(&i->remote, w->remote))
		return true;
	w->seen = true;
	if (i->flags & ADMIN_IKE_F_ESTABLISHED) {
		w->up = true;
		w->pairs += i->nchildren;
	}
	return true;
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * -w: until an ISAKMP SA with remote is established and (pairs_before >= 0) holds more
 * IPsec SA pairs than before, or the negotiation went away, or WAIT_MS passed.
 */
static int
wait_isakmp(struct ctl *c, const struct addr *remote, int64_t pairs_before)
{
	const struct timespec pause = {0, POLL_MS * 1000000L};
	uint64_t deadline = mono_ms() + WAIT_MS;
	bool was_seen = false;
	char a[ADDR_STRLEN];
	int ret;

	addr_ntop(remote, a, sizeof(a));
	while (mono_ms() < deadline) {
		struct wait_isakmp w = {remote, false, false, 0};

		if ((ret = ctl_isakmp_walk(c, wait_one, &w)) < 0)
			return ret;
		if (w.up && (pairs_before < 0 || w.pairs > pairs_before)) {
			printf(pairs_before < 0 ? "ISAKMP SA with %s established\n"
						: "IPsec SAs with %s established\n",
			       a);
			return 0;
		}
		if (was_seen && !w.seen)
			break;
		was_seen = w.seen;
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "%s: establish-sa: no %s SA with %s (see show-event)\n", ctl_progname,
		pairs_before < 0 ? "ISAKMP" : "IPsec", a);
	return -ETIMEDOUT;
}

static const char *
explain_establish(int err)
{
	return err == -ESRCH    ? "no outbound IPsec policy with that selector"
	       : err == -ENOENT ? "no remote section for that peer"
	       : err == -EPERM  ? "the remote is passive (it only responds)"
	                        : NULL;
}

static const char *
explain_delete(int err)
{
	return err == -ENOENT ? "no ISAKMP SA with that peer" : NULL;
}

/*
 * establish-sa [-w] [-n REMOTE] isakmp [inet|inet6] SRC DST
 * establish-sa [-w] [-n REMOTE] esp [inet|inet6] SRC/PLEN[/PORT] DST/PLEN[/PORT] [ULP]
 * The second negotiates for the outbound policy with that selector (coatid finds
 * the peer in it); -w waits for the ISAKMP SA.
 */
int
ctl_establish(struct ctl *c, const struct ctl_cmd *cmd)
{
	char **a = cmd->args;
	int n = cmd->nargs, ret;
	const char *remote_name = "";
	bool wait = false, isakmp = false;
	uint8_t buf[256];
	struct wr w = wr_init(buf, sizeof(buf));
	struct ipsec_selector sel;
	struct addr src, dst, peer;
	uint8_t *reply;
	size_t rlen;
	uint32_t before = 0;
	struct rd r;

	for (; n > 0 && a[0][0] == '-'; a++, n--) {
		if (strcmp(a[0], "-w") == 0) {
			wait = true;
		} else if (strcmp(a[0], "-n") == 0 && n > 1) {
			remote_name = (++a)[0];
			n--;
		} else if (strcmp(a[0], "-u") == 0) {
			fprintf(stderr, "%s: establish-sa -u: for an Xauth login use vc -u USER HOST\n",
				ctl_progname);
			return -ENOTSUP;
		} else {
			break;
		}
	}
	if (n < 1)
		goto usage;
	admin_string_encode(&w, remote_name);
	if (strcmp(a[0], "isakmp") == 0) {
		isakmp = true;
		a++, n--;
		skip_family(&a, &n);
		if (n != 2 || ctl_parse_host(a[0], &src) < 0 || ctl_parse_host(a[1], &dst) < 0)
			goto usage;
		wr_u8(&w, 0);
		addr_encode(&w, &src);
		addr_encode(&w, &dst);
	} else if (strcmp(a[0], "esp") == 0) {
		a++, n--;
		skip_family(&a, &n);
		memset(&sel, 0, sizeof(sel));
		sel.proto = IPSEC_ULP_ANY;
		if (n < 2 || n > 3 || parse_endpoint(a[0], &sel.src, &sel.sport) < 0 ||
		    parse_endpoint(a[1], &sel.dst, &sel.dport) < 0 ||
		    (n == 3 && parse_ulp(a[2], &sel.proto) < 0))
			goto usage;
		wr_u8(&w, IPSEC_PROTO_ESP);
		ipsec_selector_encode(&w, &sel);
	} else {
		goto usage;
	}
	c->explain = explain_establish;
	if ((ret = ctl_call(c, "establish-sa", ADMIN_IKE_ESTABLISH, buf, w.len, &reply, &rlen)) < 0)
		return ret;
	r = rd_init(reply, rlen);
	/* the pairs counted before Quick Mode started, which may end before we look */
	ret = addr_decode(&r, &peer) < 0 || !rd_be32(&r, &before) || !rd_end(&r)
		      ? ctl_malformed(reply)
		      : 0;
	if (ret == 0)
		free(reply);
	if (ret < 0 || !wait)
		return ret;
	return wait_isakmp(c, &peer, isakmp ? -1 : (int64_t)before);
usage:
	fprintf(stderr, "%s: usage: establish-sa %s\n", ctl_progname,
		"[-w] [-n REMOTE] isakmp [inet|inet6] SRC DST | "
		"esp [inet|inet6] SRC/PLEN[/PORT] DST/PLEN[/PORT] [ULP]");
	return -EINVAL;
}

/* delete-sa isakmp [inet|inet6] SRC DST, and vpn-disconnect HOST (any local address). */
int
ctl_delete_isakmp(struct ctl *c, const struct ctl_cmd *cmd)
{
	char **a = cmd->args;
	int n = cmd->nargs;
	uint8_t buf[64];
	struct wr w = wr_init(buf, sizeof(buf));
	struct addr src, dst;

	skip_family(&a, &n);
	memset(&src, 0, sizeof(src));
	if (cmd->verb == CTL_VPN_DISCONNECT) {
		if (n != 1 || ctl_parse_host(a[0], &dst) < 0)
			return -EINVAL;
		src.family = dst.family; /* the unspecified address: any local one */
	} else if (n != 2 || ctl_parse_host(a[0], &src) < 0 || ctl_parse_host(a[1], &dst) < 0) {
		fprintf(stderr, "%s: usage: delete-sa isakmp [inet|inet6] SRC DST\n", ctl_progname);
		return -EINVAL;
	}
	addr_encode(&w, &src);
	addr_encode(&w, &dst);
	c->explain = explain_delete;
	return ctl_simple(c, cmd->name, ADMIN_IKE_DELETE, buf, w.len);
}
