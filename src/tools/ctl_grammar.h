/*
 * coatictl's verbs as a token tree: each node is a word, the verb it selects
 * and the words that may follow, so that IKE verbs (vpn-connect, show-sa
 * isakmp, ...) slot in as new nodes without new parsing code.
 */
#ifndef COATI_TOOLS_CTL_GRAMMAR_H
#define COATI_TOOLS_CTL_GRAMMAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ctl_verb {
	CTL_NONE = 0, /* more words needed */
	CTL_STATS,
	CTL_STATUS,
	CTL_PING,
	CTL_SHOW_SA,
	CTL_FLUSH_SA,
	CTL_DELETE_SA,      /* SRC DST PROTO SPI */
	CTL_DELETE_SA_PAIR, /* racoonctl "delete-sa esp SRC DST [ulp]": all SAs of the pair */
	CTL_SHOW_EVENT,
	CTL_SHOW_ISAKMP,
	CTL_RELOAD,
	CTL_ESTABLISH,     /* racoonctl establish-sa [-w] [-n REMOTE] isakmp|esp ... */
	CTL_DELETE_ISAKMP, /* delete-sa isakmp [inet|inet6] SRC DST */
	CTL_FLUSH_ISAKMP,
	CTL_VPN_DISCONNECT, /* vd HOST: delete-sa isakmp from any local address */
	CTL_VPN_CONNECT,    /* vc [-u USER] HOST: Xauth login and mode config */
	CTL_UNSUPPORTED, /* a racoonctl verb coatid cannot serve yet */
};

struct ctl_node {
	const char *word;
	enum ctl_verb verb;
	uint8_t proto;              /* IPsec protocol this word selects (0: all/unchanged) */
	int min_args, max_args;     /* free arguments accepted after this word */
	const char *usage;          /* their names, for help and errors */
	const char *missing;        /* CTL_UNSUPPORTED: the feature coatid lacks */
	const struct ctl_node *sub; /* words that may follow; ends with a NULL word */
};

struct ctl_cmd {
	enum ctl_verb verb;
	uint8_t proto;
	const char *name; /* the verb word as typed */
	const char *last; /* the last word matched in the tree (name for one-word verbs) */
	const char *missing;
	char **args; /* the free arguments (views into argv) */
	int nargs;
};

/* Match argv against the tree: 0, or -EINVAL with a message in err. */
int ctl_grammar_match(int argc, char **argv, struct ctl_cmd *out, char *err, size_t errlen);
/* One line per verb path with its arguments, for usage messages. */
void ctl_grammar_usage(FILE *f);

#endif
