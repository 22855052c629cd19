/*
 * Binary encoding of SAs, policies and counters, shared by the admin
 * protocol and the state store. Decoders take untrusted bytes.
 */
#ifndef COATI_IPSEC_CODEC_H
#define COATI_IPSEC_CODEC_H

#include "ipsec/ipsec.h"
#include "lib/buf.h"

void ipsec_sa_encode(struct wr *w, const struct ipsec_sa *sa);
/* Decode one SA; consumes exactly its encoding. 0 or -EBADMSG (nothing consumed). */
int ipsec_sa_decode(struct rd *r, struct ipsec_sa *out);
void ipsec_policy_encode(struct wr *w, const struct ipsec_policy *pol);
int ipsec_policy_decode(struct rd *r, struct ipsec_policy *out);
void ipsec_selector_encode(struct wr *w, const struct ipsec_selector *sel);
int ipsec_selector_decode(struct rd *r, struct ipsec_selector *out);
void ipsec_counters_encode(struct wr *w, const struct ipsec_counters *c);
int ipsec_counters_decode(struct rd *r, struct ipsec_counters *out);
void addr_encode(struct wr *w, const struct addr *a);
int addr_decode(struct rd *r, struct addr *out);

#endif
