/* rtnetlink routes and rules over libmnl. */
#include "kernel/route.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct rtnl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
};

int
rtnl_open(struct rtnl **out)
{
	struct rtnl *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return -ENOMEM;
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		if (nl->sock)
			mnl_socket_close(nl->sock);
		free(nl);
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	*out = nl;
	return 0;
}

void
rtnl_close(struct rtnl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

/* Send one request and wait for its ACK; returns the kernel's error. */
static int
rtnl_talk(struct rtnl *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ret;

	nlh->nlmsg_seq = ++nl->seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ret = (int)mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	ret = mnl_cb_run(buf, (size_t)ret, nl->seq, nl->portid, NULL, NULL);
	return ret < 0 ? -errno : 0;
}

int
rtnl_route(struct rtnl *nl, bool del, uint32_t table, const struct prefix *dst, int ifindex,
	   const struct addr *prefsrc)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = del ? RTM_DELROUTE : RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | (del ? 0 : NLM_F_CREATE | NLM_F_REPLACE);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = dst->addr.family;
	rtm->rtm_dst_len = dst->len;
	rtm->rtm_table = RT_TABLE_UNSPEC;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	mnl_attr_put(nlh, RTA_DST, addr_len(&dst->addr), dst->addr.bytes);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	if (prefsrc && prefsrc->family == dst->addr.family)
		mnl_attr_put(nlh, RTA_PREFSRC, addr_len(prefsrc), prefsrc->bytes);
	return rtnl_talk(nl, nlh);
}

int
rtnl_addr(struct rtnl *nl, bool del, int ifindex, const struct addr *a, uint8_t plen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = del ? RTM_DELADDR : RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | (del ? 0 : NLM_F_CREATE | NLM_F_REPLACE);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, addr_len(a), a->bytes);
	mnl_attr_put(nlh, IFA_ADDRESS, addr_len(a), a->bytes);
	return rtnl_talk(nl, nlh);
}

int
rtnl_rule(struct rtnl *nl, bool del, uint8_t family, uint32_t table, uint32_t mark,
	  uint32_t prio)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = del ? RTM_DELRULE : RTM_NEWRULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | (del ? 0 : NLM_F_CREATE | NLM_F_EXCL);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = family;
	frh->action = FR_ACT_TO_TBL;
	frh->flags = FIB_RULE_INVERT;
	frh->table = RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	mnl_attr_put_u32(nlh, FRA_FWMARK, mark);
	mnl_attr_put_u32(nlh, FRA_FWMASK, mark);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, prio);
	return rtnl_talk(nl, nlh);
}
