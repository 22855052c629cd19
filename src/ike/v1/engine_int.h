/* Internals of the IKEv1 engine shared by its files (not for the daemon). */
#ifndef COATI_IKE_V1_ENGINE_INT_H
#define COATI_IKE_V1_ENGINE_INT_H

#include "crypto/dh.h"
#include "crypto/ikecipher.h"
#include "ike/v1/codec.h"
#include "ike/v1/engine.h"
#include "ike/v1/frag.h"
#include "ike/v1/keys.h"

#define IKEV1_MSG_MAX 4096 /* our messages and decrypted bodies */
#define IKEV1_SAB_MAX 1024 /* the initiator's SA payload body kept for HASH_I/R */
#define IKEV1_IDB_MAX (IKEV1_CFG_ID_MAX + 4)
#define IKEV1_SA_MAX 1024 /* ISAKMP SAs per engine */
#define IKEV1_QM_MAX 8    /* Quick Mode / Informational exchanges in flight per SA */
#define IKEV1_CHILDREN_MAX 16
#define IKEV1_RESEND_MAX 5   /* answers to retransmitted requests per message */
#define IKEV1_NATT_PORT 4500 /* RFC 3947 4 */
#define IKEV1_MIDS_SEEN 32   /* phase 2 M-IDs remembered against replayed QM1s */

enum ikev1_state {
	ST_NONE = 0,
	ST_MM_I1, /* sent MM1, awaiting MM2 */
	ST_MM_R1, /* sent MM2, awaiting MM3 */
	ST_MM_I2, /* sent MM3, awaiting MM4 */
	ST_MM_R2, /* sent MM4, awaiting MM5 */
	ST_MM_I3, /* sent MM5, awaiting MM6 */
	ST_AM_I1, /* sent AM1, awaiting AM2 */
	ST_AM_R1, /* sent AM2, awaiting AM3 */
	ST_P1_DONE,
	ST_QM_I1, /* sent QM1, awaiting QM2 */
	ST_QM_R1, /* sent QM2, awaiting QM3 */
	ST_QM_DONE,
	ST_TX_I1, /* sent a Transaction REQUEST or SET, awaiting its REPLY or ACK */
};

/* Where a remote access gateway's SA is (x_txn.c); Quick Mode waits for RA_OPEN. */
enum ikev1_ra_state {
	RA_OPEN = 0,     /* no Xauth required, or it succeeded and was acknowledged */
	RA_ASKED,        /* Xauth REQUEST sent */
	RA_STATUS_OK,    /* SET status OK sent, awaiting the ACK */
	RA_STATUS_FAIL,  /* SET status FAIL sent: the SA goes once acknowledged */
	RA_PUSHED,       /* gateway: mode config pushed with SET, awaiting the ACK */
	RA_CLIENT_LOGIN, /* client: phase 1 up, awaiting the gateway's Xauth REQUEST/SET */
	RA_CLIENT_CFG,   /* client: our mode config REQUEST sent, awaiting the REPLY */
};

/* The last message we sent for an exchange and a digest of the one that caused it. */
struct ikev1_xmit {
	uint8_t *msg;
	size_t len;
	uint8_t rx_digest[20];
	bool have_rx;
	bool awaiting;  /* we wait for an answer: the timer retransmits */
	uint32_t tries; /* retransmissions or answers to retransmissions so far */
};

/* A Quick Mode exchange (RFC 2409 5.5), keyed by M-ID inside its ISAKMP SA. */
struct ikev1_qm {
	bool used;
	uint32_t mid;
	bool initiator;
	enum ikev1_state state;
	uint8_t iv[IKECIPHER_BLOCK_MAX];
	uint8_t ni[IKEV1_NONCE_MAX], nr[IKEV1_NONCE_MAX];
	size_t ni_len, nr_len;
	struct dh *dh;
	uint8_t gxy[DH_SECRET_MAX];
	size_t gxy_len;
	struct ikev1_child_req req;
	uint32_t spi_in, spi_out;
	uint8_t enc, auth; /* enum ipsec_enc / ipsec_auth */
	uint16_t keylen;   /* bits */
	uint16_t encap_mode;
	uint32_t lifetime_sec, lifetime_kb;
	struct ikev1_sainfo si; /* the sainfo picked for it (a copy: a reload frees the list) */
	uint64_t deadline_ms;   /* timer { phase2 }: given up if not done by then, 0 = none */
	struct ikev1_xmit x;
};

/* What only phase 1 needs (the KE values, nonces, SAi_b): kilobytes that an established
 * SA does without, wiped and freed when phase 1 is done. */
struct ikev1_p1_data {
	struct dh *dh;
	uint8_t gxi[DH_PUBLIC_MAX], gxr[DH_PUBLIC_MAX], gxy[DH_SECRET_MAX];
	size_t gx_len, gxy_len;
	uint8_t ni[IKEV1_NONCE_MAX], nr[IKEV1_NONCE_MAX];
	size_t ni_len, nr_len;
	uint8_t sai_b[IKEV1_SAB_MAX];
	size_t sai_len;
};

struct ikev1_ike_sa {
	struct ikev1_ike_sa *next;
	struct ikev1_engine *eng;
	const struct ikev1_remote *cfg;
	struct ikev1_peer peer;
	enum ikev1_state state;
	bool initiator;
	uint8_t exchange;
	uint8_t cky_i[IKEV1_COOKIE_LEN], cky_r[IKEV1_COOKIE_LEN];
	struct ikev1_p1_prop prop; /* the chosen one */
	struct ikev1_p1_data *ph1; /* phase 1 only: freed once it is established */
	uint8_t idr_b[IKEV1_IDB_MAX]; /* the peer's phase 1 ID body (Aggressive Mode) */
	size_t idr_len;
	struct ikev1_keys keys;
	struct ikecipher *cipher;
	/* phase 1 CBC chain; after phase 1 the last block, the seed of phase 2 IVs */
	uint8_t iv[IKECIPHER_BLOCK_MAX];
	size_t block_len;
	bool natt_peer, natt_draft; /* the peer sent an RFC 3947 / draft NAT-T vendor ID */
	bool nat_here, nat_there;   /* NAT-D verdicts (RFC 3947 3.2) */
	bool floated;
	bool have_req;
	struct ikev1_child_req req; /* Quick Mode to start once phase 1 is up */
	struct ikev1_xmit x;
	/* Quick Mode exchanges, allocated when they start; a finished one stays only where
	 * it may have to answer a retransmission (we sent QM3), ikev1_qm_trim frees the rest */
	struct ikev1_qm *qm[IKEV1_QM_MAX];
	uint32_t mids_seen[IKEV1_MIDS_SEEN]; /* ring of M-IDs of finished exchanges */
	size_t mids_pos;
	struct ikev1_child *children; /* grown by ikev1_children_reserve, at most CHILDREN_MAX */
	size_t nchildren, children_cap;
	bool frag_peer; /* the peer sent the FRAGMENTATION vendor ID (frag.c) */
	/* Dead Peer Detection (dpd.c, RFC 3706); dpd_at is the next step's deadline */
	uint64_t dpd_at;
	bool dpd_peer;          /* the peer sent the DPD vendor ID */
	bool dpd_pending;       /* R-U-THEREs dpd_seq_first..dpd_seq are unanswered */
	uint32_t dpd_seq, dpd_seq_first;
	uint32_t dpd_fails;     /* retry intervals that passed without an answer */
	/* deadlines of this SA's one engine timer besides dpd_at (0: none), on env->now_ms */
	uint64_t retx_at_ms;             /* retransmissions */
	uint64_t p1_deadline_ms;         /* timer { phase1 }: phase 1 done by then, or given up */
	uint64_t qm_start_ms;            /* the pending Quick Mode (req) goes out then */
	uint64_t p1_soft_ms, p1_hard_ms; /* phase 1 renewal, expiry */
	bool replacing;                  /* a newer phase 1 with the peer is started or up */
	bool retire;                     /* replaced: deleted once its children are gone */
	uint16_t lport0, rport0;         /* the ports phase 1 began on (before floating) */
	/* remote access gateway (x_txn.c) */
	enum ikev1_ra_state ra;
	char xauth_user[IKEV1_XAUTH_USER_MAX + 1]; /* "" until a login succeeded */
	struct addr vaddr4;                        /* leased through env->modecfg_lease */
	bool reported_up; /* phase1 UP went out: DOWN follows (a client refused gets neither) */
	uint64_t ra_at;   /* client: the gateway must have finished the login by then (0 none) */
};

struct ikev1_engine {
	struct ikev1_env env;
	struct ikev1_ike_sa *sas;
	size_t nsas;
	struct ikev1_reasm_tab reasm; /* IKE fragments being reassembled (frag.c) */
};

/* A received message on its way through a handler: decrypted payloads plus context. */
struct ikev1_rx {
	struct ikev1_engine *e;
	struct ikev1_ike_sa *sa;
	struct ikev1_qm *qm;
	struct ikev1_peer peer;
	struct ikev1_msg msg;
	const uint8_t *raw;
	size_t raw_len;
	uint8_t digest[20];
	uint8_t plain[IKEV1_MSG_MAX];
	struct rd body;                       /* plaintext payload chain (for HASH(n)) */
	uint8_t iv_next[IKECIPHER_BLOCK_MAX]; /* the CBC chain after this message */
	const struct ikev1_remote *cfg;       /* responder: the config for a new SA */
	const struct ikev1_row *row;
};

/* A microcode row (states.c). */
struct ikev1_row {
	enum ikev1_state from;
	uint8_t exchange;
	bool initiator;
	bool encrypted;
	uint32_t req, opt; /* IKEV1_PLBIT() sets */
	enum ikev1_state next;
	int (*handler)(struct ikev1_rx *rx);
	const char *name;
};

/* Payload type as a bit for the row sets; the private-use types share the high bits. */
#define IKEV1_PLBIT(t)                                                                             \
	(1u << ((t) < 28                      ? (t)                                                \
	        : (t) == IKEV1_PL_NATD_DRAFT  ? 28                                                 \
	        : (t) == IKEV1_PL_NATOA_DRAFT ? 29                                                 \
	                                      : 30))

/* states.c: the row for (state, exchange, role) or NULL; the payload check of a row
 * (-EPROTO for a missing required or an unexpected payload); state names for logs. */
const struct ikev1_row *ikev1_row_find(enum ikev1_state from, uint8_t exchange, bool initiator);
int ikev1_row_check(const struct ikev1_row *row, const struct ikev1_msg *m);
const char *ikev1_state_name(enum ikev1_state st);

/* sa.c: a new SA linked into the table (-ENOSPC past IKEV1_SA_MAX, -ENOMEM); free wipes
 * and unlinks (children are the caller's: ikev1_children_remove first). */
int ikev1_sa_new(struct ikev1_engine *e, const struct ikev1_peer *p, const struct ikev1_remote *cfg,
                 bool initiator, struct ikev1_ike_sa **out);
void ikev1_sa_free(struct ikev1_engine *e, struct ikev1_ike_sa *sa);
/* Wipe and free what only phase 1 needs (sa->ph1 becomes NULL); NULL is fine. */
void ikev1_p1_data_free(struct ikev1_ike_sa *sa);
/* The SA a header belongs to by its cookies, or NULL. */
struct ikev1_ike_sa *ikev1_sa_find(struct ikev1_engine *e, const struct ikev1_hdr *h);
/* The absolute deadline for an exchange limited to limit_ms (timer phase1/phase2), at
 * least two retransmission intervals away; 0 for no limit. */
uint64_t ikev1_deadline(struct ikev1_engine *e, const struct ikev1_remote *cfg, uint32_t limit_ms);
/* The deadlines of timer { phase1; phase2; } that passed: the exchange is given up (sa
 * freed when it was phase 1: true). */
bool ikev1_deadlines_run(struct ikev1_ike_sa *sa, uint64_t now);
/* Phase 2 exchanges: by M-ID (NULL if none), a free slot (NULL if all busy or no memory),
 * release (wipe, the slot stays allocated), free the slots that need not stay. */
struct ikev1_qm *ikev1_qm_find(struct ikev1_ike_sa *sa, uint32_t mid);
struct ikev1_qm *ikev1_qm_alloc(struct ikev1_ike_sa *sa);
void ikev1_qm_release(struct ikev1_qm *qm);
void ikev1_qm_trim(struct ikev1_ike_sa *sa);
/* Phase 2 M-IDs in use or used: a QM1 replayed after its slot was reused is refused. */
void ikev1_mid_remember(struct ikev1_ike_sa *sa, uint32_t mid);
bool ikev1_mid_seen(const struct ikev1_ike_sa *sa, uint32_t mid);
/* One line for env->event, prefixed with the peer and our role. */
void ikev1_sa_event(struct ikev1_ike_sa *sa, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keep msg in x (answer for retransmissions of the request with rx_digest, or retransmit
 * on the timer when awaiting) and send it. Returns the send result or -ENOMEM. */
int ikev1_xmit_send(struct ikev1_ike_sa *sa, struct ikev1_xmit *x, const uint8_t *msg, size_t len,
                    const uint8_t *rx_digest, bool awaiting);
/* A DH key pair through env->dh_new (or dh_new); -EINVAL for an unsupported group. */
int ikev1_dh_new(struct ikev1_engine *e, uint16_t group, struct dh **out);
int ikev1_random(struct ikev1_engine *e, void *buf, size_t n);
/* Remember an installed pair (for Delete); remove all of them through env->remove. */
void ikev1_child_add(struct ikev1_ike_sa *sa, const struct ikev1_child *c);
/* Room for one more child before ikev1_child_add: 0, -ENOSPC (CHILDREN_MAX) or -ENOMEM. */
int ikev1_children_reserve(struct ikev1_ike_sa *sa);
void ikev1_children_remove(struct ikev1_ike_sa *sa);

/*
 * rekey.c: lifetimes and make-before-break renewal. The soft limit of a hard one (the
 * initiator's comes first, both with jitter); arm the SA's one timer for the earliest of
 * its deadlines (retransmission, DPD, lifetimes, child switches and deletes);
 * run the deadlines that passed (true when sa was freed); a pair is in (old pairs for the
 * same selector are deleted shortly after); phase 1 is up (children of older ISAKMP SAs
 * with the peer move over, a replaced one is deleted); remove child i (Delete first when
 * announce); move all children to the newest other ISAKMP SA with the peer (false: none).
 */
uint64_t ikev1_soft_of(struct ikev1_engine *e, uint64_t hard, bool initiator);
void ikev1_sa_arm(struct ikev1_ike_sa *sa);
bool ikev1_lifetimes_run(struct ikev1_ike_sa *sa, uint64_t now);
void ikev1_child_installed(struct ikev1_ike_sa *sa, size_t i);
bool ikev1_p1_replace_done(struct ikev1_ike_sa *sa);
void ikev1_child_remove_at(struct ikev1_ike_sa *sa, size_t i, bool announce);
bool ikev1_children_move(struct ikev1_ike_sa *from);
/* A pair we initiated that renews one: inbound now, outbound later (c->install). A
 * responder's pair awaiting QM3 of mid that will not come: remove its inbound SA. */
void ikev1_child_stage(struct ikev1_ike_sa *sa, struct ikev1_child *c);
void ikev1_child_abandon(struct ikev1_ike_sa *sa, uint32_t mid);
/* The newest established ISAKMP SA with sa's peer other than sa, or NULL. */
struct ikev1_ike_sa *ikev1_sa_sibling(struct ikev1_ike_sa *sa);

/* crypt.c (see there): decrypt a body, encrypt a built message, fill HASH(1)/(2) in a
 * built message, find the received HASH and what follows it, a header for an SA. */
int ikev1_crypt_open(struct ikecipher *c, const struct ikev1_msg *m, const uint8_t *iv,
                     uint8_t *plain, size_t cap, size_t *ret_len, uint8_t *iv_next);
int ikev1_crypt_seal(struct ikecipher *c, uint8_t *msg, size_t len, size_t cap, uint8_t *iv,
                     size_t *ret_len);
int ikev1_hash_fill(struct ikev1_ike_sa *sa, uint8_t *msg, size_t len, uint32_t mid,
                    const struct ikev1_qm *qm, bool hash2);
int ikev1_rest_after_hash(const struct ikev1_rx *rx, struct ikev1_bytes *ret_rest,
                          struct ikev1_bytes *ret_hash);
void ikev1_hdr_for(const struct ikev1_ike_sa *sa, uint8_t exchange, uint32_t mid,
                   struct ikev1_hdr *h);

/* proposal.c: whether a proposal of cfg names an Xauth method (its XAUTH vendor ID). */
bool ikev1_p1_xauth(const struct ikev1_remote *cfg);
/* proposal.c: phase 1 hash and cipher of a proposal (0 / -EINVAL if unknown). */
enum hash_alg ikev1_hash_alg(uint16_t p1_hash);
int ikev1_p1_cipher(const struct ikev1_p1_prop *p, enum ikecipher_alg *alg, size_t *key_len);
/* The responder's choice: a view of the received transform, valid inside the handler. */
struct ikev1_choice {
	uint8_t prop_no;
	struct ikev1_transform xf;
};

/* Phase 1 SA payload: our offer, or with echo the chosen transform (lifetime life). */
void ikev1_p1_sa_build(struct ikev1_out *o, const struct ikev1_remote *cfg,
                       const struct ikev1_choice *echo, uint32_t life);
/* Choose (responder) or check (initiator): 0, -ENOENT nothing fits, -EBADMSG. */
int ikev1_p1_sa_select(const struct ikev1_remote *cfg, const struct ikev1_payload *pl,
                       bool responder, struct ikev1_p1_prop *out, struct ikev1_choice *ret_choice);
/*
 * The responder's first step of Main and Aggressive Mode: choose a proposal from
 * sa_pl (answering NO-PROPOSAL-CHOSEN when none fits), make the ISAKMP SA with the
 * initiator's cookie and a random one of ours. 0 or -errno; *out only on success.
 */
int ikev1_p1_responder_new(struct ikev1_rx *rx, const struct ikev1_payload *sa_pl,
                           uint8_t exchange, struct ikev1_choice *choice,
                           struct ikev1_ike_sa **out);
/* ESP SA payload with qm's SPI: the sainfo's offer, or with echo the chosen transform. */
void ikev1_p2_sa_build(struct ikev1_out *o, const struct ikev1_remote *cfg,
                       const struct ikev1_qm *qm, const struct ikev1_choice *echo);
/* Choose or check the ESP transform into qm: PFS group (0 none), -ENOENT, -EBADMSG. */
int ikev1_p2_sa_select(const struct ikev1_remote *cfg, const struct ikev1_payload *pl,
                       bool responder, uint16_t encap_want, struct ikev1_qm *qm,
                       struct ikev1_choice *ret_choice);
/* KEYMAT bytes each transform takes (cipher key + salt, integrity key); 0 for none. */
size_t ikev1_p2_enc_key_len(uint8_t enc, uint16_t keylen);
size_t ikev1_p2_auth_key_len(uint8_t auth);

/* phase1.c: the KE/nonce step computes into this scratch, committed at once */
struct ikev1_p1_step {
	uint8_t gx_peer[DH_PUBLIC_MAX], gx_mine[DH_PUBLIC_MAX], gxy[DH_SECRET_MAX];
	size_t gx_len, gxy_len;
	uint8_t n_peer[IKEV1_NONCE_MAX], n_mine[IKEV1_NONCE_MAX];
	size_t n_peer_len, n_mine_len;
	struct dh *dh; /* the responder's new key pair */
	struct ikev1_keys keys;
	struct ikecipher *cipher;
	size_t block_len;
};

/* Our nonce of nonce_size bytes (clamped to RFC 2409's 8..256). */
int ikev1_nonce_new(struct ikev1_ike_sa *sa, uint8_t *buf, size_t *len);
/* Our phase 1 ID body; the check of the peer's against peers_identifier (-EACCES). */
int ikev1_p1_id_body(const struct ikev1_ike_sa *sa, uint8_t *buf, size_t cap, size_t *ret_len);
int ikev1_p1_check_id(const struct ikev1_ike_sa *sa, const struct ikev1_payload *pl);
/* The committed phase 1 values as the view keys.h computes over. */
void ikev1_p1_view(const struct ikev1_ike_sa *sa, struct ikev1_phase1 *p1);
/* HASH_I (of_initiator) or HASH_R for the ID body id_b. */
int ikev1_p1_auth_hash(const struct ikev1_ike_sa *sa, const struct ikev1_phase1 *p1,
                       const struct ikev1_keys *k, bool of_initiator, const uint8_t *id_b,
                       size_t id_len, uint8_t *out);
/* KE/nonce step: run (SA untouched), its view, commit into the SA, or clear (wipe). */
int ikev1_p1_step_run(struct ikev1_ike_sa *sa, const struct ikev1_msg *m, struct ikev1_p1_step *st);
void ikev1_p1_step_view(const struct ikev1_ike_sa *sa, const struct ikev1_p1_step *st,
                        struct ikev1_phase1 *p1);
void ikev1_p1_step_commit(struct ikev1_ike_sa *sa, struct ikev1_p1_step *st);
void ikev1_p1_step_clear(struct ikev1_p1_step *st);
/* NAT-T (RFC 3947): our vendor IDs, the peer's, NAT-D out and in, floating to 4500. */
void ikev1_p1_vids(struct ikev1_out *o, const struct ikev1_ike_sa *sa);
void ikev1_p1_vids_seen(struct ikev1_ike_sa *sa, const struct ikev1_msg *m);
void ikev1_p1_natd_build(struct ikev1_out *o, const struct ikev1_ike_sa *sa);
int ikev1_p1_natd_check(const struct ikev1_ike_sa *sa, const struct ikev1_msg *m, bool *here,
                        bool *there);
void ikev1_p1_float(struct ikev1_ike_sa *sa);
/* Phase 1 is up: state, INITIAL-CONTACT, then the pending Quick Mode (initiator). */
int ikev1_p1_established(struct ikev1_ike_sa *sa);

/*
 * p1_auth.c: the phase 1 authentication method. RSA_SIG is a signature method; usable
 * means cfg can do it (PSK always, signatures with a certificate and key). The SA's
 * method (the chosen proposal's, else our first one's). CR payloads when send_cr asks.
 * Our HASH, or [CERT,] SIG over it; the peer's the same way: certificate trusted, ID
 * matching it, signature good, else an event with the reason, an unprotected notify
 * and -EACCES.
 */
bool ikev1_auth_is_sig(uint16_t auth);
bool ikev1_auth_usable(const struct ikev1_remote *cfg, uint16_t auth);
uint16_t ikev1_sa_auth(const struct ikev1_ike_sa *sa);
void ikev1_p1_cr_build(struct ikev1_out *o, const struct ikev1_ike_sa *sa);
int ikev1_p1_auth_build(struct ikev1_out *o, const struct ikev1_ike_sa *sa,
                        const struct ikev1_phase1 *p1, const struct ikev1_keys *k,
                        const uint8_t *id, size_t id_len);
int ikev1_p1_auth_verify(const struct ikev1_rx *rx, struct ikev1_ike_sa *sa,
                         const struct ikev1_phase1 *p1, const struct ikev1_keys *k,
                         struct ikev1_bytes id_b);
/* states.c: the row for an SA's phase 1 message under its authentication method. */
const struct ikev1_row *ikev1_row_find_auth(enum ikev1_state from, uint8_t exchange,
                                            bool initiator, uint16_t auth);

/*
 * Exchange handlers, one per microcode row (states.c): 0 when the message was taken,
 * else why it was dropped with the SA unchanged. *_start build and send the first
 * message of an exchange.
 */
int ikev1_main_start(struct ikev1_ike_sa *sa);
int ikev1_main_r1(struct ikev1_rx *rx);
int ikev1_main_i2(struct ikev1_rx *rx);
int ikev1_main_r2(struct ikev1_rx *rx);
int ikev1_main_i3(struct ikev1_rx *rx);
int ikev1_main_r3(struct ikev1_rx *rx);
int ikev1_main_i4(struct ikev1_rx *rx);
int ikev1_aggr_start(struct ikev1_ike_sa *sa);
int ikev1_aggr_r1(struct ikev1_rx *rx);
int ikev1_aggr_i2(struct ikev1_rx *rx);
int ikev1_aggr_r2(struct ikev1_rx *rx);
int ikev1_quick_start(struct ikev1_ike_sa *sa, const struct ikev1_child_req *req);
int ikev1_quick_r1(struct ikev1_rx *rx);
int ikev1_quick_i2(struct ikev1_rx *rx);
int ikev1_quick_r2(struct ikev1_rx *rx);
int ikev1_info_r(struct ikev1_rx *rx);
int ikev1_info_plain(struct ikev1_rx *rx);
/* Act on the notifications of an authenticated message (INITIAL-CONTACT), log others. */
void ikev1_info_notifies(struct ikev1_ike_sa *sa, const struct ikev1_msg *m);
/* A protected Informational with n and/or d in a fresh M-ID (RFC 2409 5.7). */
int ikev1_info_send(struct ikev1_ike_sa *sa, const struct ikev1_notify *n,
                    const struct ikev1_delete *d);
/* An unprotected error notification answering the header h (before any key exists). */
int ikev1_notify_plain(struct ikev1_engine *e, const struct ikev1_peer *p,
                       const struct ikev1_hdr *h, uint16_t type);

/* Report an ikev1_phase1_event through env->phase1 (with the peer's ID kept in idr_b). */
void ikev1_sa_report(struct ikev1_ike_sa *sa, enum ikev1_phase1_event ev);
/* Keep the peer's phase 1 ID body (for REMOTE_ID) from an authenticated message. */
void ikev1_p1_keep_peer_id(struct ikev1_ike_sa *sa, const struct ikev1_msg *m);

/*
 * dpd.c (RFC 3706): our vendor ID when dpd_delay is set; start probing once phase 1 is
 * up; proof of life from an authenticated message; the DPD deadline passed (returns
 * false when the peer was declared dead and sa freed); an authenticated N payload
 * (true if it was R-U-THERE or R-U-THERE-ACK, answered or checked).
 */
void ikev1_dpd_vid(struct ikev1_out *o, const struct ikev1_ike_sa *sa);
void ikev1_dpd_start(struct ikev1_ike_sa *sa);
void ikev1_dpd_alive(struct ikev1_ike_sa *sa);
bool ikev1_dpd_timer(struct ikev1_ike_sa *sa, uint64_t now);
bool ikev1_dpd_notified(struct ikev1_ike_sa *sa, const struct ikev1_notify *n);

/*
 * x_txn.c (Transaction exchange: Xauth and mode config gateway): start Xauth once phase 1
 * is up as responder; the rows' handlers; whether Quick Mode may run (Xauth done); the
 * lease given back when the SA goes; a Transaction exchange that timed out.
 */
int ikev1_txn_established(struct ikev1_ike_sa *sa);
/* Whether the chosen phase 1 method makes the initiator log in with Xauth (the one
 * place that knows which methods do; the exchange itself does not depend on them). */
bool ikev1_txn_xauth(const struct ikev1_ike_sa *sa);
int ikev1_txn_i2(struct ikev1_rx *rx);
int ikev1_txn_r1(struct ikev1_rx *rx);
bool ikev1_txn_qm_allowed(const struct ikev1_ike_sa *sa, const struct ipsec_selector *peer_sel);
void ikev1_txn_release(struct ikev1_ike_sa *sa);
/* Message helpers shared with x_txn_client.c: open HDR*, HASH, ATTR(type, identifier);
 * close, hash, seal with qm's chain and send; a slot with a fresh M-ID and IV for an
 * exchange of ours; mark it in use (ST_TX_I1); check a received one's HASH and take its
 * one ATTR payload. */
void ikev1_txn_begin(struct ikev1_ike_sa *sa, const struct ikev1_qm *qm, struct ikev1_out *o,
                     uint8_t *buf, size_t cap, uint8_t type, uint16_t identifier);
int ikev1_txn_send(struct ikev1_ike_sa *sa, struct ikev1_qm *qm, struct ikev1_out *o, uint8_t *buf,
                   size_t cap, const uint8_t *rx_digest, bool awaiting);
int ikev1_txn_new(struct ikev1_ike_sa *sa, struct ikev1_qm **out);
void ikev1_txn_commit(struct ikev1_ike_sa *sa, struct ikev1_qm *qm);
int ikev1_txn_verify(struct ikev1_rx *rx, struct ikev1_cfg *c);
/* x_txn_client.c (Xauth and mode config client, phase 1 initiator): phase 1 is up; the
 * gateway's REQUEST or SET; the REPLY to our mode config REQUEST. */
void ikev1_txn_client_established(struct ikev1_ike_sa *sa);
int ikev1_txn_client_r1(struct ikev1_rx *rx, const struct ikev1_cfg *c);
int ikev1_txn_client_i2(struct ikev1_rx *rx, const struct ikev1_cfg *c);
/* The ra_at deadline passed: false when the login never completed and sa was freed. */
bool ikev1_txn_client_timer(struct ikev1_ike_sa *sa);
/* sa.c: how long the timer section lets a peer take: (counter + 1) * interval. */
uint64_t ikev1_retry_window_ms(const struct ikev1_remote *cfg);

#endif
