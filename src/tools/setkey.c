/*
 * coati-setkey (also installed as setkey): manual SAD/SPD management in
 * ipsec-tools' setkey language, over coatid's admin socket. The whole input
 * is parsed before anything is sent; its modifications go to the daemon as
 * ADMIN_BATCH messages (all or nothing), split only around the queries
 * (get, dump, spddump), which run in their place in the order written.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/proto.h"
#include "lib/secmem.h"
#include "tools/setkey_msg.h"
#include "tools/setkey_parse.h"
#include "tools/setkey_print.h"

#define INPUT_MAX (16u << 20)
#define CALL_TIMEOUT_MS 30000

struct opts {
	const char *file; /* -f, or "-" for -c */
	const char *socket;
	bool dump, policy, flush, verbose, noop, json;
};

static const char *progname = "coati-setkey";

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-nv] [-s socket] -c\n"
	        "       %s [-nv] [-s socket] -f file\n"
	        "       %s [-P] [-j|--json] [-s socket] -D\n"
	        "       %s [-P] [-s socket] -F\n",
	        progname, progname, progname, progname);
}

/* Read all of fd (bounded) into a NUL-terminated malloc'ed buffer. */
static int
read_all(FILE *in, char **out, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap), *nb;

	if (!buf)
		return -ENOMEM;
	while ((got = fread(buf + n, 1, cap - n - 1, in)) > 0) {
		n += got;
		if (n + 1 < cap)
			continue;
		if (cap >= INPUT_MAX) {
			free(buf);
			return -EFBIG;
		}
		if (!(nb = realloc(buf, cap * 2))) {
			free(buf);
			return -ENOMEM;
		}
		buf = nb;
		cap *= 2;
	}
	if (ferror(in)) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int
parse_input(const struct opts *o, struct setkey_script *s)
{
	const char *name = strcmp(o->file, "-") == 0 ? "(stdin)" : o->file;
	FILE *in = strcmp(o->file, "-") == 0 ? stdin : fopen(o->file, "r");
	struct setkey_diag d;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!in) {
		fprintf(stderr, "%s: %s: %s\n", progname, o->file, strerror(errno));
		return -errno;
	}
	r = read_all(in, &text, &len);
	if (in != stdin)
		fclose(in);
	if (r < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, name, strerror(-r));
		return r;
	}
	r = setkey_parse(text, len, s, &d);
	secmem_wipe(text, len);
	free(text);
	for (size_t i = 0; i < d.nwarn && i < SETKEY_WARN_MAX; i++)
		fprintf(stderr, "%s:%u:%u: warning: %s\n", name, d.warn[i].line, d.warn[i].col,
		        d.warn[i].msg);
	if (d.failed)
		fprintf(stderr, "%s:%u:%u: %s\n", name, d.error.line, d.error.col, d.error.msg);
	else if (r < 0)
		fprintf(stderr, "%s: %s: %s\n", progname, name, strerror(-r));
	if (r < 0)
		fprintf(stderr, "%s: nothing applied\n", progname);
	return r;
}

static int
connect_daemon(const struct opts *o, struct admin_client *c)
{
	const char *path = admin_socket_path(o->socket);
	int r = admin_connect(c, path);

	if (r < 0)
		fprintf(stderr, "%s: cannot connect to %s: %s%s\n", progname, path, strerror(-r),
		        r == -ENOENT || r == -ECONNREFUSED ? " (is coatid running?)" : "");
	return r;
}

/* "add 10.0.0.1 10.0.0.2 esp spi=..." or "spdadd 10.0.0.0/24 10.1.0.0/24 out": no keys. */
static void
describe_cmd(const struct setkey_cmd *c, char *buf, size_t cap)
{
	char a[PREFIX_STRLEN], b[PREFIX_STRLEN];
	const char *proto = ipsec_proto_name(c->sa.proto);

	switch (c->op) {
	case SETKEY_ADD:
	case SETKEY_UPDATE:
	case SETKEY_GET:
	case SETKEY_DELETE:
		snprintf(buf, cap, "%s %s %s %s spi=%" PRIu32 "(0x%08" PRIx32 ")",
		         setkey_op_name(c->op), addr_ntop(&c->sa.src, a, sizeof(a)),
		         addr_ntop(&c->sa.dst, b, sizeof(b)), proto ? proto : "?", c->sa.spi,
		         c->sa.spi);
		break;
	case SETKEY_DELETEALL:
		snprintf(buf, cap, "deleteall %s %s %s", addr_ntop(&c->sa.src, a, sizeof(a)),
		         addr_ntop(&c->sa.dst, b, sizeof(b)), proto ? proto : "?");
		break;
	case SETKEY_SPDADD:
	case SETKEY_SPDUPDATE:
	case SETKEY_SPDDELETE:
		snprintf(buf, cap, "%s %s %s -P %s", setkey_op_name(c->op),
		         prefix_ntop(&c->pol.sel.src, a, sizeof(a)),
		         prefix_ntop(&c->pol.sel.dst, b, sizeof(b)), ipsec_dir_name(c->pol.dir));
		break;
	default:
		snprintf(buf, cap, "%s %s", setkey_op_name(c->op),
		         c->sa.proto && proto ? proto : "");
		break;
	}
}

static void
echo_cmd(const struct setkey_cmd *c)
{
	char d[256];

	describe_cmd(c, d, sizeof(d));
	fprintf(stderr, "> line %u: %s\n", c->line, d);
}

static const char *
errno_hint(int err)
{
	switch (err) {
	case -EEXIST:
		return " (it already exists: use update or spdupdate to replace it)";
	case -ENOENT:
		return " (no such SA or policy)";
	case -EACCES:
	case -EPERM:
		return " (the admin socket is for root)";
	}
	return "";
}

/* A failed reply may carry a reason string after its status. */
static void
report_failure(const char *what, int status, const uint8_t *reply, size_t len)
{
	char reason[256] = "";
	struct rd r = rd_init(reply, len);

	if (reply && len && admin_string_decode(&r, reason, sizeof(reason)) < 0)
		reason[0] = '\0';
	fprintf(stderr, "%s: %s: %s%s%s%s\n", progname, what, strerror(-status),
	        reason[0] ? ": " : "", reason, errno_hint(status));
}

/* coatid answers a failed batch with the index of the command that failed. */
static void
report_batch_failure(const char *name, const struct setkey_cmd *cmds, size_t n, int status,
                     const uint8_t *reply, size_t len)
{
	struct rd r = rd_init(reply, len);
	uint32_t idx;
	char d[256];

	if (reply && rd_be32(&r, &idx) && rd_end(&r) && idx < n) {
		describe_cmd(&cmds[idx], d, sizeof(d));
		fprintf(stderr, "%s:%u: %s: %s%s\n", name, cmds[idx].line, d, strerror(-status),
		        errno_hint(status));
	} else {
		fprintf(stderr, "%s: %s: %s%s\n", progname, name, strerror(-status),
		        errno_hint(status));
	}
	fprintf(stderr, "%s: nothing applied\n", progname);
}

static int
send_batch(struct admin_client *ac, const char *name, const struct setkey_cmd *cmds, size_t n,
           bool verbose)
{
	uint8_t *buf, *reply = NULL;
	size_t rlen = 0;
	struct wr w;
	int r;

	if (n == 0)
		return 0;
	if (!(buf = malloc(ADMIN_REQ_MAX)))
		return -ENOMEM;
	w = wr_init(buf, ADMIN_REQ_MAX);
	setkey_batch_encode(&w, cmds, n);
	if (!wr_ok(&w)) {
		fprintf(stderr, "%s: too many commands for one request (more than %u bytes)\n",
		        progname, ADMIN_REQ_MAX);
		r = -EMSGSIZE;
		goto out;
	}
	if (verbose) {
		for (size_t i = 0; i < n; i++)
			echo_cmd(&cmds[i]);
		fprintf(stderr, "> batch of %zu command(s), %zu bytes\n", n, w.len);
	}
	r = admin_call(ac, ADMIN_BATCH, buf, w.len, &reply, &rlen, CALL_TIMEOUT_MS);
	if (r < 0)
		report_batch_failure(name, cmds, n, r, reply, rlen);
out:
	secmem_wipe(buf, w.len);
	free(buf);
	free(reply);
	return r;
}

/* Print the SA or policy list of a dump reply. */
static int
print_list(const uint8_t *p, size_t len, bool spd, bool one, bool json)
{
	struct rd r = rd_init(p, len);
	uint32_t n = 1;
	time_t now = time(NULL);

	if (!one && !rd_be32(&r, &n))
		return -EBADMSG;
	if (json)
		fputc('[', stdout);
	else if (n == 0)
		printf("No %s entries.\n", spd ? "SPD" : "SAD");
	for (uint32_t i = 0; i < n; i++) {
		struct admin_sa_info sa;
		struct admin_spd_info pol;

		if (spd ? admin_spd_info_decode(&r, &pol) < 0 : admin_sa_info_decode(&r, &sa) < 0)
			return -EBADMSG;
		if (json && i)
			fputc(',', stdout);
		if (spd)
			(json ? setkey_json_policy : setkey_print_policy)(stdout, &pol, now);
		else
			(json ? setkey_json_sa : setkey_print_sa)(stdout, &sa, now);
		secmem_wipe(&sa, sizeof(sa));
	}
	if (json)
		fputs("]\n", stdout);
	return rd_end(&r) ? 0 : -EBADMSG;
}

static int
run_query(struct admin_client *ac, const struct setkey_cmd *c, const struct opts *o)
{
	uint8_t req[64], *reply = NULL;
	size_t rlen = 0;
	struct wr w = wr_init(req, sizeof(req));
	int r;

	setkey_cmd_encode(&w, c);
	if (o->verbose)
		echo_cmd(c);
	r = admin_call(ac, setkey_cmd_type(c), req, w.len, &reply, &rlen, CALL_TIMEOUT_MS);
	if (r == -ENOENT && c->op == SETKEY_GET)
		fprintf(stderr, "%s: line %u: get: no such SA\n", progname, c->line);
	else if (r < 0)
		report_failure(setkey_op_name(c->op), r, reply, rlen);
	else if ((r = print_list(reply, rlen, c->op == SETKEY_SPDDUMP, c->op == SETKEY_GET,
	                         o->json)) < 0)
		fprintf(stderr, "%s: malformed reply from coatid\n", progname);
	if (reply)
		secmem_wipe(reply, rlen);
	free(reply);
	return r;
}

/* Modifications up to each query go as one batch, then the query runs. */
static int
run_script(struct admin_client *ac, const struct setkey_script *s, const struct opts *o)
{
	const char *name = strcmp(o->file, "-") == 0 ? "(stdin)" : o->file;
	size_t start = 0;
	int r;

	for (size_t i = 0; i < s->n; i++) {
		if (!setkey_op_is_query(s->cmds[i].op))
			continue;
		if ((r = send_batch(ac, name, s->cmds + start, i - start, o->verbose)) < 0 ||
		    (r = run_query(ac, &s->cmds[i], o)) < 0)
			return r;
		start = i + 1;
	}
	return send_batch(ac, name, s->cmds + start, s->n - start, o->verbose);
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "cf:DFPvns:jahpV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->file = "-";
			break;
		case 'f':
			o->file = optarg;
			break;
		case 'D':
			o->dump = true;
			break;
		case 'F':
			o->flush = true;
			break;
		case 'P':
			o->policy = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'n':
			o->noop = true;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'a': /* show dead SAs too: coatid always lists them */
		case 'p': /* ports are always shown */
			break;
		case 'V':
			printf("%s (coati) %s\n", progname, COATI_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc || (!!o->file + o->dump + o->flush) != 1) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct setkey_script s = {0};
	struct setkey_cmd one;
	struct admin_client ac = {.fd = -1};
	int r;

	progname = basename(argv[0]);
	if (parse_args(argc, argv, &o) < 0)
		return 1;
	if (o.file && (r = parse_input(&o, &s)) < 0)
		return 1;
	if (o.noop) {
		if (o.verbose)
			fprintf(stderr, "%s: %zu command(s) OK\n", progname, s.n);
		setkey_script_free(&s);
		return 0;
	}
	if ((r = connect_daemon(&o, &ac)) < 0)
		goto out;
	if (o.file) {
		r = run_script(&ac, &s, &o);
	} else {
		memset(&one, 0, sizeof(one));
		one.op = o.dump ? (o.policy ? SETKEY_SPDDUMP : SETKEY_DUMP)
		                : (o.policy ? SETKEY_SPDFLUSH : SETKEY_FLUSH);
		r = o.dump ? run_query(&ac, &one, &o)
		           : send_batch(&ac, progname, &one, 1, o.verbose);
	}
out:
	admin_close(&ac);
	setkey_script_free(&s);
	return r < 0 ? 1 : 0;
}
