/* Well-known vendor ID payloads: the bytes we send and the classifier for those we receive. */
#include "ike/v1/codec.h"

#include <string.h>

struct vid_def {
	const char *name;
	/* bytes compared on receipt; FRAGMENTATION may carry 4 capability bytes after them */
	uint8_t len;
	uint8_t bytes[16];
};

/*
 * MD5 digests of the strings given, except DPD (a fixed value from RFC 3706 3.2, whose
 * last two bytes are the version 1.0). Unity is MD5("CISCO-UNITY") with its last two
 * bytes replaced by the version 1.0; Xauth is the first 8 bytes of its MD5.
 */
static const struct vid_def vids[] = {
    [IKEV1_VID_UNKNOWN] = {"UNKNOWN", 0, {0}},
    /* MD5("RFC 3947"), RFC 3947 3.1 */
    [IKEV1_VID_NATT_RFC3947] = {"RFC 3947",
                                16,
                                {0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45, 0x5c, 0x57, 0x28,
                                 0xf2, 0x0e, 0x95, 0x45, 0x2f}},
    /* MD5("draft-ietf-ipsec-nat-t-ike-00") */
    [IKEV1_VID_NATT_DRAFT_00] = {"draft-ietf-ipsec-nat-t-ike-00",
                                 16,
                                 {0x44, 0x85, 0x15, 0x2d, 0x18, 0xb6, 0xbb, 0xcd, 0x0b, 0xe8, 0xa8,
                                  0x46, 0x95, 0x79, 0xdd, 0xcc}},
    /* MD5("draft-ietf-ipsec-nat-t-ike-01") */
    [IKEV1_VID_NATT_DRAFT_01] = {"draft-ietf-ipsec-nat-t-ike-01",
                                 16,
                                 {0x16, 0xf6, 0xca, 0x16, 0xe4, 0xa4, 0x06, 0x6d, 0x83, 0x82, 0x1a,
                                  0x0f, 0x0a, 0xea, 0xa8, 0x62}},
    /* MD5("draft-ietf-ipsec-nat-t-ike-02") */
    [IKEV1_VID_NATT_DRAFT_02] = {"draft-ietf-ipsec-nat-t-ike-02",
                                 16,
                                 {0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8, 0x7c, 0xfd, 0xb2,
                                  0xfc, 0x68, 0xb6, 0xa4, 0x48}},
    /* MD5("draft-ietf-ipsec-nat-t-ike-02\n"), the value draft 02 printed; strongSwan sends it */
    [IKEV1_VID_NATT_DRAFT_02N] = {"draft-ietf-ipsec-nat-t-ike-02\\n",
                                  16,
                                  {0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e, 0x08, 0x63, 0x81,
                                   0xb5, 0xec, 0x42, 0x7b, 0x1f}},
    /* MD5("draft-ietf-ipsec-nat-t-ike-03") */
    [IKEV1_VID_NATT_DRAFT_03] = {"draft-ietf-ipsec-nat-t-ike-03",
                                 16,
                                 {0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f, 0x2c, 0x17, 0x9d,
                                  0x92, 0x15, 0x52, 0x9d, 0x56}},
    /* RFC 3706 3.2 */
    [IKEV1_VID_DPD] = {"DPD",
                       16,
                       {0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9, 0x6b, 0x86, 0x96, 0xfc,
                        0x77, 0x57, 0x01, 0x00}},
    /* MD5("FRAGMENTATION"), racoon vendorid.h / Cisco */
    [IKEV1_VID_FRAG] = {"FRAGMENTATION",
                        16,
                        {0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85, 0x25, 0xe7, 0xde, 0x7f,
                         0x00, 0xd6, 0xc2, 0xd3}},
    /* MD5("draft-ietf-ipsra-isakmp-xauth-06.txt")[0..7] */
    [IKEV1_VID_XAUTH] = {"XAUTH", 8, {0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12}},
    /* MD5("CISCO-UNITY")[0..13] then version 1.0 */
    [IKEV1_VID_UNITY] = {"CISCO-UNITY",
                         16,
                         {0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9, 0x70, 0x2d, 0x9f, 0xe2,
                          0x74, 0xcc, 0x01, 0x00}},
};

#define VIDS_N (sizeof(vids) / sizeof(vids[0]))
#define FRAG_CAPS_LEN 4

static bool
vid_is_frag(const struct rd *vid)
{
	const struct vid_def *d = &vids[IKEV1_VID_FRAG];

	if (vid->len != d->len && vid->len != (size_t)d->len + FRAG_CAPS_LEN)
		return false;
	return memcmp(vid->p, d->bytes, d->len) == 0;
}

enum ikev1_vid
ikev1_vid_classify(const struct rd *vid)
{
	if (vid_is_frag(vid))
		return IKEV1_VID_FRAG;
	for (size_t i = 1; i < VIDS_N; i++) {
		if (vid->len == vids[i].len && memcmp(vid->p, vids[i].bytes, vids[i].len) == 0)
			return (enum ikev1_vid)i;
	}
	return IKEV1_VID_UNKNOWN;
}

bool
ikev1_vid_bytes(enum ikev1_vid vid, struct rd *out)
{
	if (vid <= IKEV1_VID_UNKNOWN || (size_t)vid >= VIDS_N)
		return false;
	*out = rd_init(vids[vid].bytes, vids[vid].len);
	return true;
}

bool
ikev1_vid_frag_caps(const struct rd *vid, uint32_t *out)
{
	struct rd r = *vid;
	uint32_t caps = 0;

	if (!vid_is_frag(vid))
		return false;
	rd_skip(&r, vids[IKEV1_VID_FRAG].len);
	if (!rd_end(&r))
		rd_be32(&r, &caps);
	*out = caps;
	return true;
}

const char *
ikev1_vid_name(unsigned v)
{
	return v < VIDS_N ? vids[v].name : "UNKNOWN";
}
