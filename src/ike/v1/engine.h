/*
 * The IKEv1 exchange engine: Main and Aggressive Mode with pre-shared keys, Quick Mode
 * (with and without PFS) and Informational exchanges (RFC 2408, 2409, 3947).
 *
 * Pure: everything outside the protocol (sending datagrams, the clock, timers, random
 * bytes, DH private keys, installing SAs) goes through struct ikev1_env, so the engine
 * runs in-process under cmocka and inside coatid alike. There is no global state.
 */
#ifndef COATI_IKE_V1_ENGINE_H
#define COATI_IKE_V1_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/dh.h"
#include "crypto/sig.h"
#include "crypto/x509.h"
#include "ipsec/ipsec.h"
#include "ike/v1/modecfg.h"
#include "lib/addr.h"

#define IKEV1_CFG_PROPOSALS_MAX 8
#define IKEV1_CFG_ALGS_MAX 8
#define IKEV1_CFG_ID_MAX 512 /* an ASN.1 DN can be long */
#define IKEV1_PSK_MAX 256

/* The two ends of an IKE SA; NAT-T floating moves both ports to 4500 (RFC 3947 4). */
struct ikev1_peer {
	struct addr local, remote;
	uint16_t lport, rport;
};

/* racoon's nat_traversal: off, on (when a NAT is detected), force (always encapsulate). */
enum ikev1_natt_mode {
	IKEV1_NATT_OFF = 0,
	IKEV1_NATT_ON,
	IKEV1_NATT_FORCE,
};

/* racoon's ike_frag: off, on (once the peer announced it), force (from our first message). */
enum ikev1_frag_mode {
	IKEV1_FRAG_OFF = 0,
	IKEV1_FRAG_ON,
	IKEV1_FRAG_FORCE,
};

/* racoon's proposal_check: how the responder treats the initiator's lifetime and PFS. */
enum ikev1_propcheck {
	IKEV1_PROPCHECK_OBEY = 0, /* take the initiator's values */
	IKEV1_PROPCHECK_STRICT,   /* the initiator's lifetime must not exceed ours */
	IKEV1_PROPCHECK_CLAIM,    /* use the shorter lifetime */
	IKEV1_PROPCHECK_EXACT,    /* lifetimes must be equal */
};

/* racoon's rekey: renew phase 1 before it expires while it has IPsec SAs or the remote
 * is not passive (on), never (off), or always (force). */
enum ikev1_p1_rekey {
	IKEV1_REKEY_ON = 0,
	IKEV1_REKEY_OFF,
	IKEV1_REKEY_FORCE,
};

/* A phase 1 proposal as racoon.conf's "proposal" block, with IKEv1 wire values. */
struct ikev1_p1_prop {
	uint16_t enc;    /* enum ikev1_p1_enc: AES_CBC or 3DES */
	uint16_t keylen; /* bits; 0 = the algorithm's default */
	uint16_t hash;   /* enum ikev1_p1_hash */
	uint16_t auth;   /* enum ikev1_auth: IKEV1_AUTH_PSK or IKEV1_AUTH_RSA_SIG */
	uint16_t group;  /* enum dh_group */
	uint32_t lifetime_sec;
};

/* my_identifier / peers_identifier; type 0 means "address" (the IKE endpoint). */
struct ikev1_ident {
	uint8_t type; /* enum ikev1_id_type: FQDN, USER_FQDN, KEY_ID, IPV4/6_ADDR, DER_ASN1_DN, 0 */
	uint16_t len;
	uint8_t data[IKEV1_CFG_ID_MAX];
};

/* One phase 2 cipher of the sainfo's encryption_algorithm list. */
struct ikev1_p2_enc {
	uint8_t enc;     /* enum ipsec_enc */
	uint16_t keylen; /* bits; 0 = default (AES: 128) */
};

/*
 * A racoon.conf sainfo. local/remote with family 0 mean "anonymous": any ID (then the
 * policies come from the SPD or from generate_policy); else the Quick Mode IDs must be
 * exactly these, with proto (0 or IPSEC_ULP_ANY: any) and ports (0: any).
 */
struct ikev1_sainfo {
	struct prefix local, remote;
	uint8_t proto;
	uint16_t lport, rport;
	uint16_t pfs_group; /* enum dh_group, 0 = no PFS */
	uint32_t lifetime_sec;
	uint32_t lifetime_kb; /* lifetime byte, in kilobytes (RFC 2407 4.5); 0 = none */
	struct ikev1_p2_enc enc[IKEV1_CFG_ALGS_MAX];
	size_t n_enc;
	uint8_t auth[IKEV1_CFG_ALGS_MAX]; /* enum ipsec_auth */
	size_t n_auth;
};

/* What the daemon fills from a racoon.conf remote (+ psk.txt); the tests fill it directly. */
struct ikev1_remote {
	uint8_t modes[2]; /* IKEV1_EXCH_MAIN / IKEV1_EXCH_AGGRESSIVE, preferred first */
	size_t n_modes;
	struct ikev1_p1_prop props[IKEV1_CFG_PROPOSALS_MAX];
	size_t n_props;
	enum ikev1_propcheck proposal_check;
	struct ikev1_ident my_id, peers_id; /* peers_id type 0: not verified */
	size_t nonce_size;                  /* 0 = 16 */
	enum ikev1_natt_mode natt;
	bool initial_contact;
	uint8_t psk[IKEV1_PSK_MAX];
	size_t psk_len;
	struct ikev1_sainfo sainfo; /* the one for every Quick Mode when sainfos is empty */
	/* racoon.conf's sainfos for this remote in file order: Quick Mode picks the most
	 * specific one whose IDs fit (both, one side, then anonymous) */
	const struct ikev1_sainfo *sainfos;
	size_t n_sainfos;
	bool generate_policy;
	uint32_t retry_counter;     /* timer { counter }: retransmissions before giving up */
	uint32_t retry_interval_ms; /* timer { interval } */
	uint32_t phase1_ms, phase2_ms; /* timer { phase1; phase2; }: to complete each, 0 = no limit */
	uint32_t aggr_qm_delay_ms;     /* initiator: Quick Mode that long after AM3 (0: at once) */
	enum ikev1_frag_mode frag;  /* ike_frag */
	uint16_t frag_size;         /* IP datagram of one IKE fragment; 0 = 576 (v4), 1280 (v6) */
	uint16_t esp_frag;          /* esp_frag: outer size of ESP-in-UDP packets we send, 0 off */
	/* Dead Peer Detection (RFC 3706): probe after dpd_delay_ms idle (0: never, and no
	 * DPD vendor ID), again every dpd_retry_ms, dead after dpd_maxfail unanswered. */
	uint32_t dpd_delay_ms, dpd_retry_ms, dpd_maxfail;
	/*
	 * RSA signatures (RFC 2409 5.1), certificate_type x509: our certificate and key
	 * (both needed to offer or accept IKEV1_AUTH_RSA_SIG), the CAs the peer's
	 * certificate must chain to (verify_cert) or, instead, the one certificate it must
	 * be (peers_certfile). Owned by the daemon's configuration, never freed here.
	 */
	const struct x509_cert *cert;
	const struct sig_key *key;
	const struct x509_store *ca;
	const struct x509_cert *peers_cert;
	bool send_cert, send_cr, verify_cert;
	bool passive;               /* never initiate; a phase 1 without children is not renewed */
	enum ikev1_p1_rekey p1_rekey;
	/* Remote access (x_txn.c): a phase 1 method XAUTH_INIT_* (auth in props) makes the
	 * responder ask the initiator for an Xauth login before any Quick Mode; with
	 * modecfg_server it answers mode config requests from env->modecfg_lease. */
	bool modecfg_server;
	/* racoon's "mode_cfg on". The client (phase 1 initiator) asks the gateway for an
	 * address after the (optional) Xauth login and Quick Mode runs from it; a gateway
	 * (with modecfg_server) pushes the configuration with SET after the login. */
	bool modecfg_client;
};

/* What to negotiate in Quick Mode: sel.src is our side, sel.dst the peer's. */
struct ikev1_child_req {
	struct ipsec_selector sel;
	uint8_t proto;  /* IPSEC_PROTO_ESP */
	uint8_t mode;   /* IPSEC_MODE_TUNNEL or IPSEC_MODE_TRANSPORT */
	uint32_t reqid; /* a "unique" policy's: its SAs carry it; 0 = shared */
};

/* What one env->install call adds: a pair goes in whole or in two steps (rekey.c). */
enum ikev1_install {
	IKEV1_INSTALL_PAIR = 0,
	IKEV1_INSTALL_IN,  /* the inbound SA (and inbound policy) only */
	IKEV1_INSTALL_OUT, /* the outbound SA (and outbound policy) of a pair whose IN is in */
};

/*
 * A negotiated ESP SA pair: in carries the peer's traffic to us, out ours to the peer,
 * both complete struct ipsec_sa for src/ipsec (keys, UDP encapsulation ports when the
 * ISAKMP SA floated). sel is the traffic from our side (src) to the peer's (dst).
 */
struct ikev1_child {
	struct ikev1_peer peer;
	struct ipsec_sa in, out;
	struct ipsec_selector sel;
	uint16_t encap_mode; /* the negotiated enum ikev1_encap */
	bool udp_encap;
	/* the engine's own bookkeeping for rekeying (rekey.c); the daemon ignores it */
	bool initiator;         /* we sent this pair's QM1 */
	bool rekeying;          /* a new Quick Mode for sel is under way or done */
	uint64_t delete_at_ms;  /* replaced: Delete and remove at this time (0: not yet) */
	bool policy_shared;     /* at env->remove: another pair has sel, its policies stay */
	uint8_t install;        /* enum ikev1_install: what this env->install call adds */
	uint64_t out_at_ms;     /* a renewal we initiated: the outbound SA goes in then */
	uint32_t pending_mid;   /* responder: inbound SA in, awaiting QM3 of this M-ID */
};

struct ikev1_ike_sa;
struct ikev1_engine;

/* What happened to an ISAKMP SA, for racoon's phase1_up/down/dead scripts. */
enum ikev1_phase1_event {
	IKEV1_PHASE1_UP,   /* phase 1 established (a remote access client: once configured) */
	IKEV1_PHASE1_DOWN, /* an established ISAKMP SA is gone (delete, expiry, shutdown) */
	IKEV1_PHASE1_DEAD, /* DPD declared the peer dead (DOWN follows) */
};

/* The SA an ikev1_phase1_event is about; valid during the callback only. */
struct ikev1_phase1_info {
	struct ikev1_peer peer;
	const struct ikev1_remote *cfg;
	const char *remote_id; /* the peer's phase 1 ID as text (racoon's REMOTE_ID), or NULL */
	const struct ikev1_modecfg *modecfg; /* the daemon's: a client's configuration, or NULL */
};

/*
 * The environment. send/now_ms/timer/random/install/remove/event/remote are required;
 * dh_new may be NULL (dh_new() from crypto/dh.h is used), psk and phase1 too (no reports).
 * timer asks for one call of ikev1_timer(engine, sa) after ms (a later request for the
 * same SA replaces it, 0 cancels): the engine's one deadline per SA, the earlier of
 * retransmission and DPD.
 * remote returns the configuration for a peer that contacts us (NULL: ignore it); the
 * engine keeps the pointer for the SA's lifetime.
 */
struct ikev1_env {
	void *arg;
	int (*send)(void *arg, const struct ikev1_peer *p, const uint8_t *msg, size_t len);
	uint64_t (*now_ms)(void *arg);
	void (*timer)(void *arg, struct ikev1_ike_sa *sa, uint64_t ms);
	int (*random)(void *arg, void *buf, size_t n);
	int (*dh_new)(void *arg, enum dh_group group, struct dh **out);
	int (*install)(void *arg, const struct ikev1_child *c);
	void (*remove)(void *arg, const struct ikev1_child *c);
	void (*event)(void *arg, const char *text);
	const struct ikev1_remote *(*remote)(void *arg, const struct ikev1_peer *p);
	/*
	 * Optional: the pre-shared key when the remote has none of its own, as racoon looks it
	 * up in psk.txt: by the peer's phase 1 ID (id_type/id, Aggressive Mode; id NULL in Main
	 * Mode), then by its address. Up to IKEV1_PSK_MAX bytes into key. 0 or -ENOENT.
	 */
	int (*psk)(void *arg, const struct ikev1_peer *p, uint8_t id_type, const uint8_t *id,
		   size_t id_len, uint8_t *key, size_t *key_len);
	void (*phase1)(void *arg, enum ikev1_phase1_event ev, const struct ikev1_phase1_info *info);
	/*
	 * Remote access gateway (x_txn.c), required with xauth_server / modecfg_server:
	 * check a login (0 accepted, -EACCES refused; the password is wiped after the call);
	 * the configuration for the SA's user (the address leased, 0 or -errno); the lease
	 * given back when the ISAKMP SA is gone.
	 */
	int (*xauth_check)(void *arg, const struct ikev1_peer *p, const char *user,
	                   const char *password);
	int (*modecfg_lease)(void *arg, const struct ikev1_peer *p, const char *user,
	                     struct ikev1_modecfg *out);
	void (*modecfg_release)(void *arg, const struct ikev1_peer *p, const struct addr *addr4);
	/*
	 * Remote access client (x_txn_client.c), required with an Xauth method as initiator
	 * or modecfg_client: the login for the gateway (NUL-terminated into user and pass; 0,
	 * or -ENOENT: none, the SA goes); the configuration received (0, or -errno: the SA
	 * goes), given back through modecfg_release when the ISAKMP SA is gone.
	 */
	int (*xauth_login)(void *arg, const struct ikev1_peer *p, char *user, size_t user_cap,
	                   char *pass, size_t pass_cap);
	int (*modecfg_apply)(void *arg, const struct ikev1_peer *p, const struct ikev1_modecfg *mc);
};

/* A snapshot of one ISAKMP SA for status output (racoonctl show-sa isakmp). */
struct ikev1_sa_info {
	struct ikev1_peer peer;
	uint8_t cky_i[8], cky_r[8];
	bool initiator;
	bool established;
	uint8_t exchange;  /* IKEV1_EXCH_MAIN or IKEV1_EXCH_AGGRESSIVE */
	const char *state; /* state name for logs */
	size_t nchildren;
	bool nat;           /* floated to 4500 */
	bool nat_local;     /* a NAT in front of us (NAT-D): we keep its mapping alive */
	const char *user;   /* the Xauth login that succeeded, or NULL */
	struct addr vaddr4; /* the mode config address handed out (family 0: none) */
};

/* The sainfo of cfg for a Quick Mode's selector (src ours, dst the peer's): the most
 * specific fitting one of cfg->sainfos, else cfg->sainfo when the list is empty; NULL if
 * none fits. */
const struct ikev1_sainfo *ikev1_sainfo_pick(const struct ikev1_remote *cfg,
                                             const struct ipsec_selector *sel);

/* A new engine using env (copied). Returns 0, -EINVAL or -ENOMEM. */
int ikev1_engine_new(const struct ikev1_env *env, struct ikev1_engine **out);
/* Removes every child SA through env->remove, wipes and frees all SAs. NULL is fine. */
void ikev1_engine_free(struct ikev1_engine *e);

/*
 * Start phase 1 with cfg's first exchange mode towards peer, then Quick Mode for req
 * (NULL: phase 1 only). cfg must outlive the SA. If an established ISAKMP SA to the same
 * peer exists, only Quick Mode runs. Returns 0, -EINVAL, -ENOMEM or the send error.
 */
int ikev1_initiate(struct ikev1_engine *e, const struct ikev1_peer *peer,
                   const struct ikev1_remote *cfg, const struct ikev1_child_req *req);

/*
 * One received ISAKMP datagram (without the non-ESP marker on 4500). Returns 0 when it
 * was processed or answered as a retransmission, or the negative errno of why it was
 * dropped (-EBADMSG, -ENOENT no SA, -EPROTO out of state, -EACCES authentication failed).
 * A dropped message never changes an SA. An IKE fragment (ike_frag, frag.h) returns 0
 * while its message is incomplete; the last one processes the reassembled message.
 */
int ikev1_input(struct ikev1_engine *e, const struct ikev1_peer *peer, const uint8_t *buf,
                size_t len);

/* The timer env->timer asked for has fired: retransmit (or give up after the counter)
 * and run Dead Peer Detection, whichever is due; then ask for the next deadline. */
void ikev1_timer(struct ikev1_engine *e, struct ikev1_ike_sa *sa);

/* Send Delete payloads for sa's child SAs, remove them (env->remove), keep the ISAKMP SA. */
int ikev1_delete_children(struct ikev1_engine *e, struct ikev1_ike_sa *sa);
/* Delete the children and the ISAKMP SA itself (both announced to the peer); frees sa. */
int ikev1_delete(struct ikev1_engine *e, struct ikev1_ike_sa *sa);

/*
 * A lifetime of one SA of a child pair passed in the SAD (dst and spi name it, either
 * direction). Soft: renew it with a new Quick Mode if this side should (the pair's initiator,
 * or the responder when the initiator has not); the old pair is deleted shortly after the
 * new one is in. Hard: the pair is gone, Delete sent. Unknown SPIs are ignored.
 */
void ikev1_child_expired(struct ikev1_engine *e, const struct addr *dst, uint32_t spi, bool hard);

/*
 * The configuration changed: each ISAKMP SA takes its remote anew from env->remote (the
 * old one may be freed once this returns); an SA whose peer has no remote any more is
 * deleted with its children (Deletes sent).
 */
void ikev1_reconfigure(struct ikev1_engine *e);

/* Call fn for each ISAKMP SA; stop early when fn returns false. */
void ikev1_sa_walk(struct ikev1_engine *e,
                   bool (*fn)(void *arg, struct ikev1_ike_sa *sa, const struct ikev1_sa_info *info),
                   void *arg);

#endif
