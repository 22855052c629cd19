/* coatictl's verb tree (coati's verbs and racoonctl's). */
#include "tools/ctl_grammar.h"

#include <errno.h>
#include <string.h>

#include "ipsec/ipsec.h"

static const struct ctl_node sa_protos[] = {
    {"esp", CTL_SHOW_SA, IPSEC_PROTO_ESP, 0, 0, NULL, NULL, NULL},
    {"ah", CTL_SHOW_SA, IPSEC_PROTO_AH, 0, 0, NULL, NULL, NULL},
    {"ipcomp", CTL_SHOW_SA, IPSEC_PROTO_IPCOMP, 0, 0, NULL, NULL, NULL},
    {"ipsec", CTL_SHOW_SA, 0, 0, 0, NULL, NULL, NULL},
    {"isakmp", CTL_SHOW_ISAKMP, 0, 0, 0, NULL, NULL, NULL},
    {NULL, CTL_NONE, 0, 0, 0, NULL, NULL, NULL},
};

static const struct ctl_node flush_protos[] = {
    {"esp", CTL_FLUSH_SA, IPSEC_PROTO_ESP, 0, 0, NULL, NULL, NULL},
    {"ah", CTL_FLUSH_SA, IPSEC_PROTO_AH, 0, 0, NULL, NULL, NULL},
    {"ipcomp", CTL_FLUSH_SA, IPSEC_PROTO_IPCOMP, 0, 0, NULL, NULL, NULL},
    {"ipsec", CTL_FLUSH_SA, 0, 0, 0, NULL, NULL, NULL},
    {"isakmp", CTL_FLUSH_ISAKMP, 0, 0, 0, NULL, NULL, NULL},
    {NULL, CTL_NONE, 0, 0, 0, NULL, NULL, NULL},
};

/* racoonctl's saopts: "{esp|ah} [inet|inet6] src/plen/port dst/plen/port ulp". */
static const struct ctl_node delete_forms[] = {
    {"esp", CTL_DELETE_SA_PAIR, IPSEC_PROTO_ESP, 2, 4, "[inet|inet6] SRC DST [ULP]", NULL, NULL},
    {"ah", CTL_DELETE_SA_PAIR, IPSEC_PROTO_AH, 2, 4, "[inet|inet6] SRC DST [ULP]", NULL, NULL},
    {"isakmp", CTL_DELETE_ISAKMP, 0, 2, 3, "[inet|inet6] SRC DST", NULL, NULL},
    {NULL, CTL_NONE, 0, 0, 0, NULL, NULL, NULL},
};

static const struct ctl_node root[] = {
    {"status", CTL_STATUS, 0, 0, 0, NULL, NULL, NULL},
    {"stats", CTL_STATS, 0, 0, 0, NULL, NULL, NULL},
    {"ping", CTL_PING, 0, 0, 0, NULL, NULL, NULL},
    {"show-sa", CTL_SHOW_SA, 0, 0, 0, "[esp|ah|ipcomp|ipsec|isakmp]", NULL, sa_protos},
    {"flush-sa", CTL_FLUSH_SA, 0, 0, 0, "[esp|ah|ipcomp|ipsec|isakmp]", NULL, flush_protos},
    {"delete-sa", CTL_DELETE_SA, 0, 4, 4, "SRC DST esp|ah|ipcomp SPI", NULL, delete_forms},
    {"show-event", CTL_SHOW_EVENT, 0, 0, 0, NULL, NULL, NULL},
    {"reload-config", CTL_RELOAD, 0, 0, 0, NULL, NULL, NULL},
    {"vpn-connect", CTL_VPN_CONNECT, 0, 1, 3, "[-u USER] HOST", NULL, NULL},
    {"vc", CTL_VPN_CONNECT, 0, 1, 3, "[-u USER] HOST", NULL, NULL},
    {"vpn-disconnect", CTL_VPN_DISCONNECT, 0, 1, 1, "HOST", NULL, NULL},
    {"vd", CTL_VPN_DISCONNECT, 0, 1, 1, "HOST", NULL, NULL},
    {"establish-sa", CTL_ESTABLISH, 0, 3, 12,
     "[-w] [-n REMOTE] isakmp [inet|inet6] SRC DST | "
     "esp [inet|inet6] SRC/PLEN[/PORT] DST/PLEN[/PORT] [ULP]",
     NULL, NULL},
    {"logout-user", CTL_UNSUPPORTED, 0, 0, 0, NULL, "Xauth user sessions", NULL},
    {"show-schedule", CTL_UNSUPPORTED, 0, 0, 0, NULL, "the IKE scheduler", NULL},
    {"get-sa-cert", CTL_UNSUPPORTED, 0, 0, 0, NULL, "IKE certificates", NULL},
    {NULL, CTL_NONE, 0, 0, 0, NULL, NULL, NULL},
};

static const struct ctl_node *
find_word(const struct ctl_node *list, const char *w)
{
	for (; list && list->word; list++)
		if (strcmp(list->word, w) == 0)
			return list;
	return NULL;
}

static void
list_words(const struct ctl_node *list, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (; list && list->word && off < cap; list++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", off ? ", " : "", list->word);
}

int
ctl_grammar_match(int argc, char **argv, struct ctl_cmd *out, char *err, size_t errlen)
{
	const struct ctl_node *list = root, *cur = NULL, *n;
	char words[256];
	int i = 0, left;

	memset(out, 0, sizeof(*out));
	if (argc == 0) {
		snprintf(err, errlen, "no command given");
		return -EINVAL;
	}
	while (i < argc && (n = find_word(list, argv[i])) != NULL) {
		if (!cur)
			out->name = n->word;
		out->last = n->word;
		if (n->proto)
			out->proto = n->proto;
		cur = n;
		list = n->sub;
		i++;
		if (n->verb == CTL_UNSUPPORTED)
			break;
	}
	if (!cur) {
		list_words(root, words, sizeof(words));
		snprintf(err, errlen, "unknown command '%s' (known: %s)", argv[0], words);
		return -EINVAL;
	}
	out->verb = cur->verb;
	out->missing = cur->missing;
	if (cur->verb == CTL_UNSUPPORTED)
		return 0;
	left = argc - i;
	if (left < cur->min_args || left > cur->max_args) {
		list_words(cur->sub, words, sizeof(words));
		if (left > 0 && cur->max_args == 0)
			snprintf(err, errlen, "%s: unexpected '%s'%s%s", out->name, argv[i],
			         words[0] ? ", expected one of: " : "", words);
		else
			snprintf(err, errlen, "usage: %s %s", out->name,
			         cur->usage ? cur->usage : "");
		return -EINVAL;
	}
	out->args = argv + i;
	out->nargs = left;
	return 0;
}

void
ctl_grammar_usage(FILE *f)
{
	for (const struct ctl_node *n = root; n->word; n++) {
		if (n->verb == CTL_UNSUPPORTED)
			continue;
		fprintf(f, "  %s%s%s\n", n->word, n->usage ? " " : "", n->usage ? n->usage : "");
	}
}
