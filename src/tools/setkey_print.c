/*
 * Dumps in ipsec-tools' libipsec/pfkey_dump.c layout, so that scripts and
 * eyes used to "setkey -D" keep working, plus coati's counters, which
 * answer "is my traffic really going through IPsec?".
 */
#include "tools/setkey_print.h"

#include <inttypes.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/secmem.h"
#include "tools/json.h"

/* ipsec-tools' str_time: "Mon DD HH:MM:SS YYYY", blank for "never". */
static const char *
str_time(time_t t, char buf[32])
{
	char tmp[32];

	if (t == 0 || !ctime_r(&t, tmp) || strlen(tmp) < 24) {
		memset(buf, ' ', 20);
	} else {
		memcpy(buf, tmp + 4, 20);
	}
	buf[20] = '\0';
	return buf;
}

static time_t
ago(time_t now, uint64_t secs)
{
	if (secs == UINT64_MAX || secs > (uint64_t)now)
		return 0;
	return now - (time_t)secs;
}

/* Names of values a newer daemon may send that this tool does not know. */
static const char *
nm(const char *name)
{
	return name ? name : "?";
}

const char *
setkey_state_name(unsigned state)
{
	static const char *const names[] = {"mature", "dying", "dead"};

	return state < 3 ? names[state] : "unknown";
}

/* ipsec_hexdump: 4-byte groups, 32 bytes a line. */
static void
print_key(FILE *f, const struct ipsec_key *k)
{
	for (unsigned i = 0; i < k->len; i++) {
		if (i && i % 32 == 0)
			fputs("\n\t\t", f);
		if (i % 4 == 0)
			fputc(' ', f);
		fprintf(f, "%02x", k->bytes[i]);
	}
	fputc('\n', f);
}

static void
print_sa_head(FILE *f, const struct ipsec_sa *sa)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	bool natt = sa->encap_sport || sa->encap_dport;

	addr_ntop(&sa->src, a, sizeof(a));
	addr_ntop(&sa->dst, b, sizeof(b));
	if (natt)
		fprintf(f, "%s[%u] %s[%u] \n\tesp-udp ", a, sa->encap_sport, b, sa->encap_dport);
	else
		fprintf(f, "%s %s \n\t%s ", a, b, nm(ipsec_proto_name(sa->proto)));
	fprintf(f, "mode=%s spi=%" PRIu32 "(0x%08" PRIx32 ") reqid=%" PRIu32 "(0x%08" PRIx32 ")\n",
	        nm(ipsec_mode_name(sa->mode)), sa->spi, sa->spi, sa->reqid, sa->reqid);
	if (sa->proto == IPSEC_PROTO_IPCOMP)
		fprintf(f, "\tC: %s \n", nm(ipsec_comp_name(sa->comp)));
	if (sa->proto == IPSEC_PROTO_ESP) {
		fprintf(f, "\tE: %s ", nm(ipsec_enc_name(sa->enc)));
		print_key(f, &sa->enc_key);
	}
	if (sa->auth != IPSEC_AUTH_NONE) {
		fprintf(f, "\tA: %s ", nm(ipsec_auth_name(sa->auth)));
		print_key(f, &sa->auth_key);
	}
}

void
setkey_print_sa(FILE *f, const struct admin_sa_info *i, time_t now)
{
	const struct ipsec_sa *sa = &i->sa;
	const struct ipsec_counters *c = &i->ctr;
	char t1[32], t2[32];
	time_t created = ago(now, i->age);

	print_sa_head(f, sa);
	if (sa->esn)
		fprintf(f, "\tseq=0x%016" PRIx64, i->seq_out);
	else
		fprintf(f, "\tseq=0x%08" PRIx32, (uint32_t)i->seq_out);
	fprintf(f, " replay=%u flags=0x00000000 state=%s \n", sa->replay,
	        setkey_state_name(i->state));
	fprintf(f, "\tcreated: %s\tcurrent: %s\n", str_time(created, t1), str_time(now, t2));
	fprintf(f, "\tdiff: %" PRIu64 "(s)\thard: %" PRIu64 "(s)\tsoft: %" PRIu64 "(s)\n",
	        created ? i->age : 0, sa->hard.add_seconds, sa->soft.add_seconds);
	fprintf(f, "\tlast: %s\thard: %" PRIu64 "(s)\tsoft: %" PRIu64 "(s)\n",
	        str_time(ago(now, i->idle), t1), sa->hard.use_seconds, sa->soft.use_seconds);
	fprintf(f,
	        "\tcurrent: %" PRIu64 "(bytes)\thard: %" PRIu64 "(bytes)\tsoft: %" PRIu64
	        "(bytes)\n",
	        c->bytes, sa->hard.bytes, sa->soft.bytes);
	fprintf(f, "\tallocated: 0\thard: 0\tsoft: 0\n");
	fprintf(f,
	        "\tpackets: %" PRIu64 "\tauth_fail: %" PRIu64 "\treplay: %" PRIu64
	        "\tinvalid: %" PRIu64 "\tpolicy_drop: %" PRIu64 "\tseq_overflow: %" PRIu64 "\n",
	        c->packets, c->auth_fail, c->replay, c->invalid, c->policy_drop, c->seq_overflow);
	if (sa->esn)
		fprintf(f, "\tesn=on\n");
	fprintf(f, "\tsadb_seq=%" PRIu64 " pid=0 refcnt=0\n", i->id);
}

/* str_prefport: "/len" unless a host prefix, "[port]" unless ICMP-like. */
static void
print_range(FILE *f, const struct prefix *p, uint16_t port, uint8_t proto)
{
	char a[ADDR_STRLEN];

	fputs(addr_ntop(&p->addr, a, sizeof(a)), f);
	if (p->len != addr_bits(&p->addr))
		fprintf(f, "/%u", p->len);
	if (proto == 1 || proto == 58 || proto == 47)
		return;
	if (port)
		fprintf(f, "[%u]", port);
	else
		fputs("[any]", f);
}

static const char *
upper_name(uint8_t proto, char buf[8])
{
	switch (proto) {
	case IPSEC_ULP_ANY:
		return "any";
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 47:
		return "gre";
	case 58:
		return "ipv6-icmp";
	case 132:
		return "sctp";
	}
	snprintf(buf, 8, "%u", proto);
	return buf;
}

/* ipsec_dump_policy's priority: the nearest of low/def/high and an offset. */
static void
print_priority(FILE *f, uint32_t prio)
{
	const int64_t def = 0x80000000LL, q = def / 4;
	int64_t base, off;
	const char *name;

	if (prio == 0)
		return;
	if (prio < q * 3) {
		base = def / 2;
		name = "high";
	} else if (prio < q * 5) {
		base = def;
		name = "def";
	} else {
		base = def + def / 2;
		name = "low";
	}
	off = base - (int64_t)prio;
	if (off == 0)
		fprintf(f, " prio %s", name);
	else
		fprintf(f, " prio %s %c %" PRId64, name, off < 0 ? '-' : '+', off < 0 ? -off : off);
}

static void
print_request(FILE *f, const struct ipsec_request *r)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];

	fprintf(f, "\t%s/%s/", nm(ipsec_proto_name(r->proto)), nm(ipsec_mode_name(r->mode)));
	if (r->src.family)
		fprintf(f, "%s-%s", addr_ntop(&r->src, a, sizeof(a)),
		        addr_ntop(&r->dst, b, sizeof(b)));
	fprintf(f, "/%s", nm(ipsec_level_name(r->level)));
	if (r->reqid)
		fprintf(f, "%c%" PRIu32, r->reqid >= IPSEC_REQID_AUTO_MIN ? '#' : ':', r->reqid);
	fputc('\n', f);
}

void
setkey_print_policy(FILE *f, const struct admin_spd_info *i, time_t now)
{
	const struct ipsec_policy *pol = &i->pol;
	const struct ipsec_selector *sel = &pol->sel;
	char t1[32], t2[32], ub[8];

	print_range(f, &sel->src, sel->sport, sel->proto);
	fputc(' ', f);
	print_range(f, &sel->dst, sel->dport, sel->proto);
	fprintf(f, " %s", upper_name(sel->proto, ub));
	if ((sel->proto == 1 || sel->proto == 58) && (sel->sport || sel->dport))
		fprintf(f, " %u,%u", sel->sport, sel->dport);
	fprintf(f, "\n\t%s", nm(ipsec_dir_name(pol->dir)));
	print_priority(f, pol->priority);
	fprintf(f, " %s\n", nm(ipsec_action_name(pol->action)));
	for (unsigned k = 0; k < pol->nreq && k < IPSEC_BUNDLE_MAX; k++)
		print_request(f, &pol->req[k]);
	fprintf(f, "\tcreated: %s  lastused: %s\n", str_time(ago(now, i->age), t1),
	        str_time(ago(now, i->idle), t2));
	fprintf(f, "\tlifetime: 0(s) validtime: 0(s)\n");
	fprintf(f, "\tspid=%" PRIu64 " seq=0 pid=0\n", i->id);
	fprintf(f, "\trefcnt=1\n");
	fprintf(f, "\thits=%" PRIu64 "\n", i->hits);
}

static void
json_u64(FILE *f, const char *key, uint64_t v, int *first)
{
	json_key(f, key, first);
	fprintf(f, "%" PRIu64, v);
}

static void
json_str(FILE *f, const char *key, const char *v, int *first)
{
	json_key(f, key, first);
	if (v)
		json_string(f, v);
	else
		fputs("null", f);
}

static void
json_hexkey(FILE *f, const char *key, const struct ipsec_key *k, int *first)
{
	char hex[2 * IPSEC_KEY_MAX + 1];

	hex_encode(k->bytes, k->len, hex);
	json_str(f, key, hex, first);
	secmem_wipe(hex, sizeof(hex));
}

static void
json_lifetime(FILE *f, const char *key, const struct ipsec_lifetime *l, int *first)
{
	int lf = 1;

	json_key(f, key, first);
	fputc('{', f);
	json_u64(f, "bytes", l->bytes, &lf);
	json_u64(f, "add_seconds", l->add_seconds, &lf);
	json_u64(f, "use_seconds", l->use_seconds, &lf);
	fputc('}', f);
}

static void
json_counters(FILE *f, const struct ipsec_counters *c, int *first)
{
	int cf = 1;

	json_key(f, "counters", first);
	fputc('{', f);
	json_u64(f, "packets", c->packets, &cf);
	json_u64(f, "bytes", c->bytes, &cf);
	json_u64(f, "auth_fail", c->auth_fail, &cf);
	json_u64(f, "replay", c->replay, &cf);
	json_u64(f, "invalid", c->invalid, &cf);
	json_u64(f, "policy_drop", c->policy_drop, &cf);
	json_u64(f, "seq_overflow", c->seq_overflow, &cf);
	fputc('}', f);
}

/* Age/idle as seconds, idle null for "never used". */
static void
json_times(FILE *f, uint64_t age, uint64_t idle, time_t now, int *first)
{
	json_u64(f, "created", (uint64_t)ago(now, age), first);
	json_u64(f, "age", age, first);
	json_key(f, "idle", first);
	if (idle == UINT64_MAX)
		fputs("null", f);
	else
		fprintf(f, "%" PRIu64, idle);
}

void
setkey_json_sa(FILE *f, const struct admin_sa_info *i, time_t now)
{
	const struct ipsec_sa *sa = &i->sa;
	char a[ADDR_STRLEN];
	int first = 1;

	fputc('{', f);
	json_u64(f, "id", i->id, &first);
	json_str(f, "src", addr_ntop(&sa->src, a, sizeof(a)), &first);
	json_str(f, "dst", addr_ntop(&sa->dst, a, sizeof(a)), &first);
	json_str(f, "proto", ipsec_proto_name(sa->proto), &first);
	json_str(f, "mode", ipsec_mode_name(sa->mode), &first);
	json_u64(f, "spi", sa->spi, &first);
	json_u64(f, "reqid", sa->reqid, &first);
	json_u64(f, "replay", sa->replay, &first);
	json_key(f, "esn", &first);
	fputs(sa->esn ? "true" : "false", f);
	json_u64(f, "encap_sport", sa->encap_sport, &first);
	json_u64(f, "encap_dport", sa->encap_dport, &first);
	json_str(f, "enc", sa->enc ? ipsec_enc_name(sa->enc) : NULL, &first);
	json_hexkey(f, "enc_key", &sa->enc_key, &first);
	json_str(f, "auth", sa->auth ? ipsec_auth_name(sa->auth) : NULL, &first);
	json_hexkey(f, "auth_key", &sa->auth_key, &first);
	json_str(f, "comp", sa->comp ? ipsec_comp_name(sa->comp) : NULL, &first);
	json_lifetime(f, "hard", &sa->hard, &first);
	json_lifetime(f, "soft", &sa->soft, &first);
	json_str(f, "origin", sa->origin == IPSEC_ORIGIN_IKE ? "ike" : "manual", &first);
	json_str(f, "state", setkey_state_name(i->state), &first);
	json_u64(f, "seq", i->seq_out, &first);
	json_times(f, i->age, i->idle, now, &first);
	json_counters(f, &i->ctr, &first);
	fputc('}', f);
}

static void
json_request(FILE *f, const struct ipsec_request *r)
{
	char a[ADDR_STRLEN];
	int first = 1;

	fputc('{', f);
	json_str(f, "proto", ipsec_proto_name(r->proto), &first);
	json_str(f, "mode", ipsec_mode_name(r->mode), &first);
	json_str(f, "src", r->src.family ? addr_ntop(&r->src, a, sizeof(a)) : NULL, &first);
	json_str(f, "dst", r->dst.family ? addr_ntop(&r->dst, a, sizeof(a)) : NULL, &first);
	json_str(f, "level", ipsec_level_name(r->level), &first);
	json_u64(f, "reqid", r->reqid, &first);
	fputc('}', f);
}

void
setkey_json_policy(FILE *f, const struct admin_spd_info *i, time_t now)
{
	const struct ipsec_policy *pol = &i->pol;
	char a[PREFIX_STRLEN];
	int first = 1;

	fputc('{', f);
	json_u64(f, "id", i->id, &first);
	json_str(f, "src", prefix_ntop(&pol->sel.src, a, sizeof(a)), &first);
	json_str(f, "dst", prefix_ntop(&pol->sel.dst, a, sizeof(a)), &first);
	json_u64(f, "sport", pol->sel.sport, &first);
	json_u64(f, "dport", pol->sel.dport, &first);
	json_key(f, "upper", &first);
	if (pol->sel.proto == IPSEC_ULP_ANY)
		json_string(f, "any");
	else
		fprintf(f, "%u", pol->sel.proto);
	json_str(f, "dir", ipsec_dir_name(pol->dir), &first);
	json_str(f, "action", ipsec_action_name(pol->action), &first);
	json_u64(f, "priority", pol->priority, &first);
	json_key(f, "requests", &first);
	fputc('[', f);
	for (unsigned k = 0; k < pol->nreq && k < IPSEC_BUNDLE_MAX; k++) {
		if (k)
			fputc(',', f);
		json_request(f, &pol->req[k]);
	}
	fputc(']', f);
	json_str(f, "origin", pol->origin == IPSEC_ORIGIN_IKE ? "ike" : "manual", &first);
	json_u64(f, "hits", i->hits, &first);
	json_times(f, i->age, i->idle, now, &first);
	fputc('}', f);
}
