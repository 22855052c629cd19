/*
 * coatictl (also installed as racoonctl): control of a running coatid over
 * the admin socket. The verbs come from the token tree in ctl_grammar.c;
 * racoonctl's options (-l, -d, -s) and verbs are accepted under both names.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin/proto.h"
#include "ipsec/codec.h"
#include "lib/secmem.h"
#include "tools/ctl.h"
#include "tools/json.h"
#include "tools/setkey_print.h"

#define CALL_TIMEOUT_MS 30000
#define TEXT_MAX 1024

const char *ctl_progname = "coatictl";
#define progname ctl_progname

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-s socket] [-j|--json] command [args]\ncommands:\n", progname);
	ctl_grammar_usage(f);
}

int
ctl_call(struct ctl *c, const char *verb, uint8_t type, const void *req, size_t len, uint8_t **reply,
     size_t *rlen)
{
	const char *path = admin_socket_path(c->socket);
	int r;

	if (c->ac.fd < 0 && (r = admin_connect(&c->ac, path)) < 0) {
		fprintf(stderr, "%s: cannot connect to %s: %s%s\n", progname, path, strerror(-r),
		        r == -ENOENT || r == -ECONNREFUSED ? " (is coatid running?)" : "");
		return r;
	}
	*reply = NULL;
	*rlen = 0;
	r = admin_call(&c->ac, type, req, len, reply, rlen, CALL_TIMEOUT_MS);
	if (r < 0) {
		const char *why = c->explain ? c->explain(r) : NULL;

		fprintf(stderr, "%s: %s: %s\n", progname, verb, why ? why : strerror(-r));
		free(*reply);
		*reply = NULL;
	}
	return r;
}

int
ctl_malformed(uint8_t *reply)
{
	free(reply);
	fprintf(stderr, "%s: malformed reply from coatid\n", progname);
	return -EBADMSG;
}

/* stats (string, be64) and status (string, string) lists. */
static int
do_pairs(struct ctl *c, const char *verb, uint8_t type, bool numeric)
{
	uint8_t *reply;
	size_t rlen;
	uint32_t n;
	struct rd r;
	int ret;

	if ((ret = ctl_call(c, verb, type, NULL, 0, &reply, &rlen)) < 0)
		return ret;
	r = rd_init(reply, rlen);
	if (!rd_be32(&r, &n))
		return ctl_malformed(reply);
	fputs(c->json ? "{" : "", stdout);
	for (uint32_t i = 0; i < n; i++) {
		char key[TEXT_MAX], val[TEXT_MAX];
		uint64_t v = 0;

		if (admin_string_decode(&r, key, sizeof(key)) < 0 ||
		    (numeric ? !rd_be64(&r, &v) : admin_string_decode(&r, val, sizeof(val)) < 0))
			return ctl_malformed(reply);
		if (numeric)
			snprintf(val, sizeof(val), "%" PRIu64, v);
		if (c->json) {
			int first = i == 0;

			json_key(stdout, key, &first);
			numeric ? (void)fputs(val, stdout) : json_string(stdout, val);
		} else {
			printf("%-24s %s\n", key, val);
		}
	}
	fputs(c->json ? "}\n" : "", stdout);
	free(reply);
	return rd_end(&r) ? 0 : ctl_malformed(NULL);
}

static int
do_events(struct ctl *c)
{
	uint8_t *reply;
	size_t rlen;
	uint32_t n;
	struct rd r;
	int ret;

	if ((ret = ctl_call(c, "show-event", ADMIN_EVENTS, NULL, 0, &reply, &rlen)) < 0)
		return ret;
	r = rd_init(reply, rlen);
	if (!rd_be32(&r, &n))
		return ctl_malformed(reply);
	fputs(c->json ? "[" : "", stdout);
	for (uint32_t i = 0; i < n; i++) {
		char text[TEXT_MAX], when[32];
		uint64_t t;
		time_t tt;
		struct tm tm;

		if (!rd_be64(&r, &t) || admin_string_decode(&r, text, sizeof(text)) < 0)
			return ctl_malformed(reply);
		if (c->json) {
			printf("%s{\"time\":%" PRIu64 ",\"text\":", i ? "," : "", t);
			json_string(stdout, text);
			fputc('}', stdout);
			continue;
		}
		tt = (time_t)t;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&tt, &tm));
		printf("%s %s\n", when, text);
	}
	fputs(c->json ? "]\n" : "", stdout);
	free(reply);
	return rd_end(&r) ? 0 : ctl_malformed(NULL);
}

static int
do_show_sa(struct ctl *c, uint8_t proto)
{
	uint8_t *reply, req[1] = {proto};
	size_t rlen;
	uint32_t n;
	struct rd r;
	time_t now = time(NULL);
	int ret;

	if ((ret = ctl_call(c, "show-sa", ADMIN_SA_DUMP, req, sizeof(req), &reply, &rlen)) < 0)
		return ret;
	r = rd_init(reply, rlen);
	if (!rd_be32(&r, &n))
		return ctl_malformed(reply);
	if (c->json)
		fputc('[', stdout);
	else if (n == 0)
		printf("No SAD entries.\n");
	for (uint32_t i = 0; i < n; i++) {
		struct admin_sa_info sa;

		if (admin_sa_info_decode(&r, &sa) < 0) {
			secmem_wipe(reply, rlen);
			return ctl_malformed(reply);
		}
		if (c->json && i)
			fputc(',', stdout);
		(c->json ? setkey_json_sa : setkey_print_sa)(stdout, &sa, now);
		secmem_wipe(&sa, sizeof(sa));
	}
	if (c->json)
		fputs("]\n", stdout);
	secmem_wipe(reply, rlen);
	free(reply);
	return rd_end(&r) ? 0 : ctl_malformed(NULL);
}

int
ctl_simple(struct ctl *c, const char *verb, uint8_t type, const void *req, size_t len)
{
	uint8_t *reply;
	size_t rlen;
	int r = ctl_call(c, verb, type, req, len, &reply, &rlen);

	free(reply);
	return r;
}

int
ctl_parse_host(const char *s, struct addr *out)
{
	char buf[ADDR_STRLEN + 16];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (addr_parse(buf, out) < 0) {
		fprintf(stderr, "%s: '%s' is not a numeric IPv4 or IPv6 address\n", progname, s);
		return -EINVAL;
	}
	return 0;
}

static int
do_delete(struct ctl *c, const struct ctl_cmd *cmd)
{
	struct addr src, dst;
	uint8_t buf[64];
	struct wr w = wr_init(buf, sizeof(buf));
	unsigned long long spi;
	char *end, **a = cmd->args;
	int na = cmd->nargs;
	enum ipsec_proto proto;

	if (cmd->verb == CTL_DELETE_SA_PAIR) {
		if (strcmp(a[0], "inet") == 0 || strcmp(a[0], "inet6") == 0)
			a++, na--;
		if (na < 2 || ctl_parse_host(a[0], &src) < 0 || ctl_parse_host(a[1], &dst) < 0)
			return -EINVAL;
		addr_encode(&w, &src);
		addr_encode(&w, &dst);
		wr_u8(&w, cmd->proto);
		return ctl_simple(c, "delete-sa", ADMIN_SA_DELETEALL, buf, w.len);
	}
	proto = strcmp(a[2], "esp") == 0      ? IPSEC_PROTO_ESP
	        : strcmp(a[2], "ah") == 0     ? IPSEC_PROTO_AH
	        : strcmp(a[2], "ipcomp") == 0 ? IPSEC_PROTO_IPCOMP
	                                      : IPSEC_PROTO_ANY;
	errno = 0;
	spi = strtoull(a[3], &end, 0);
	if (ctl_parse_host(a[0], &src) < 0 || ctl_parse_host(a[1], &dst) < 0)
		return -EINVAL;
	if (proto == IPSEC_PROTO_ANY || errno || *end || !a[3][0] || spi > UINT32_MAX) {
		fprintf(stderr, "%s: usage: delete-sa SRC DST esp|ah|ipcomp SPI\n", progname);
		return -EINVAL;
	}
	addr_encode(&w, &dst);
	wr_u8(&w, (uint8_t)proto);
	wr_be32(&w, (uint32_t)spi);
	return ctl_simple(c, "delete-sa", ADMIN_SA_DELETE, buf, w.len);
}

static int
do_ping(struct ctl *c)
{
	uint8_t *reply;
	size_t rlen;
	char version[TEXT_MAX] = "";
	struct rd r;
	int ret;

	if ((ret = ctl_call(c, "ping", ADMIN_PING, NULL, 0, &reply, &rlen)) < 0)
		return ret;
	r = rd_init(reply, rlen);
	if (rlen && admin_string_decode(&r, version, sizeof(version)) < 0)
		return ctl_malformed(reply);
	free(reply);
	if (c->json) {
		printf("{\"alive\":true,\"version\":");
		json_string(stdout, version);
		printf("}\n");
	} else {
		printf("coatid %s is alive\n", version);
	}
	return 0;
}

static int
run(struct ctl *c, const struct ctl_cmd *cmd)
{
	uint8_t proto = cmd->proto;

	switch (cmd->verb) {
	case CTL_STATS:
		return do_pairs(c, "stats", ADMIN_STATS, true);
	case CTL_STATUS:
		return do_pairs(c, "status", ADMIN_STATUS, false);
	case CTL_PING:
		return do_ping(c);
	case CTL_SHOW_SA:
		return do_show_sa(c, proto);
	case CTL_FLUSH_SA:
		return ctl_simple(c, "flush-sa", ADMIN_SA_FLUSH, &proto, 1);
	case CTL_DELETE_SA:
	case CTL_DELETE_SA_PAIR:
		return do_delete(c, cmd);
	case CTL_SHOW_EVENT:
		return do_events(c);
	case CTL_SHOW_ISAKMP:
		return ctl_show_isakmp(c);
	case CTL_ESTABLISH:
		return ctl_establish(c, cmd);
	case CTL_VPN_CONNECT:
		return ctl_vpn_connect(c, cmd);
	case CTL_DELETE_ISAKMP:
	case CTL_VPN_DISCONNECT:
		return ctl_delete_isakmp(c, cmd);
	case CTL_FLUSH_ISAKMP:
		return ctl_simple(c, "flush-sa isakmp", ADMIN_IKE_FLUSH, NULL, 0);
	case CTL_RELOAD:
		return ctl_simple(c, "reload-config", ADMIN_RELOAD, NULL, 0);
	case CTL_UNSUPPORTED:
		fprintf(stderr, "%s: %s%s%s: not supported by this coatid yet (needs %s)\n",
		        progname, cmd->name, cmd->last != cmd->name ? " " : "",
		        cmd->last != cmd->name ? cmd->last : "", cmd->missing);
		return -ENOTSUP;
	case CTL_NONE:
		break;
	}
	return -EINVAL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {"socket", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct ctl c = {.ac = {.fd = -1}};
	struct ctl_cmd cmd;
	char err[512];
	int ch, r;

	progname = basename(argv[0]);
	/* "+": options stop at the verb, so verb arguments may start with '-' */
	while ((ch = getopt_long(argc, argv, "+s:jldhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			c.socket = optarg;
			break;
		case 'j':
			c.json = true;
			break;
		case 'l': /* racoonctl: longer show-sa output; ours is always complete */
		case 'd': /* racoonctl: debug */
			break;
		case 'V':
			printf("%s (coati) %s\n", progname, COATI_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (ctl_grammar_match(argc - optind, argv + optind, &cmd, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return 1;
	}
	r = run(&c, &cmd);
	admin_close(&c.ac);
	return r < 0 ? 1 : 0;
}
