/*
 * modeeprom.so - LD_PRELOAD shim that plugs an emulated transceiver module into one interface.
 *
 *   ETHKIT_MODULE_IFNAME=va ETHKIT_MODULE_IMAGE=test/fixtures/module/sfp-dom.bin \
 *     LD_PRELOAD=native/build/modeeprom.so ethtool -m va
 *
 * The image is the module memory as the ioctl API lays it out (SFP: A0h then A2h; QSFP/CMIS:
 * lower memory, then the upper half of page N at 128 + 128 * N), and for pages past those, the
 * upper half of page P of bank B at 128 + 128 * (P + 256 * B).
 *
 * ioctl: SIOCETHTOOL ETHTOOL_GMODULEINFO / ETHTOOL_GMODULEEEPROM for that interface are
 * answered from the image, with the kernel's checks (offset + length wrapping or beyond the
 * EEPROM length: EINVAL); bytes within the length but past the image fail with EIO (a short
 * module). Every other ioctl goes to libc.
 *
 * netlink: an ETHTOOL_MSG_MODULE_EEPROM_GET for that interface is first sent to the kernel,
 * which checks the request (policy, page boundaries, device) and, for a device without module
 * EEPROM ops, says EOPNOTSUPP; that answer alone is replaced by a reply with the image's bytes
 * (a page past the image: EINVAL, as the kernel's own fallback says of an offset past the
 * EEPROM). Other answers, and every other message, are the kernel's. Replies wait in a queue
 * that recv/recvfrom/recvmsg/read and poll see. ETHKIT_MODULE_NETLINK=0 turns this part off.
 *
 * Environment: ETHKIT_MODULE_TYPE (ETH_MODULE_SFF_*; default from the identifier byte and the
 * size), ETHKIT_MODULE_LEN (GMODULEINFO's eeprom_len; default the image size, at most 640 for
 * QSFP/CMIS and 512 for SFP).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockios.h>

#define EXPORT __attribute__((visibility("default")))

static int loaded;
static const char *ifname;
static unsigned char *image;
static size_t image_len;
static uint32_t mod_type, mod_len;
static int nl_on = 1;
static int family_id = -1;

typedef int (*ioctl_fn)(int, unsigned long, void *);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);
typedef ssize_t (*send_fn)(int, const void *, size_t, int);
typedef ssize_t (*recvfrom_fn)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
typedef ssize_t (*recvmsg_fn)(int, struct msghdr *, int);
typedef ssize_t (*recv_fn)(int, void *, size_t, int);
typedef ssize_t (*read_fn)(int, void *, size_t);
typedef int (*poll_fn)(struct pollfd *, nfds_t, int);
typedef int (*close_fn)(int);

#define NEXT(name) ((name##_fn)next_sym(#name))
static void *next_sym(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

static void load(void)
{
	const char *path, *v;
	struct stat st;
	int fd;

	if (loaded)
		return;
	loaded = 1;
	ifname = getenv("ETHKIT_MODULE_IFNAME");
	path = getenv("ETHKIT_MODULE_IMAGE");
	v = getenv("ETHKIT_MODULE_NETLINK");
	if (v && !strcmp(v, "0"))
		nl_on = 0;
	if (!ifname || !path)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "modeeprom: cannot open %s\n", path);
		ifname = NULL;
		if (fd >= 0)
			close(fd);
		return;
	}
	image_len = st.st_size;
	image = calloc(1, image_len + 1);
	if (!image || read(fd, image, image_len) != (ssize_t)image_len) {
		fprintf(stderr, "modeeprom: cannot read %s\n", path);
		ifname = NULL;
	}
	close(fd);
	if (!ifname)
		return;
	v = getenv("ETHKIT_MODULE_TYPE");
	if (v) {
		mod_type = strtoul(v, NULL, 0);
	} else if (image_len && image[0] == 0x03) {
		mod_type = image_len >= ETH_MODULE_SFF_8472_LEN ? ETH_MODULE_SFF_8472 : ETH_MODULE_SFF_8079;
	} else {
		mod_type = ETH_MODULE_SFF_8636;
	}
	v = getenv("ETHKIT_MODULE_LEN");
	if (v) {
		mod_len = strtoul(v, NULL, 0);
	} else {
		size_t max = mod_type == ETH_MODULE_SFF_8472 ? ETH_MODULE_SFF_8472_LEN
			   : mod_type == ETH_MODULE_SFF_8079 ? ETH_MODULE_SFF_8079_LEN
			   : ETH_MODULE_SFF_8636_MAX_LEN;
		mod_len = image_len < max ? image_len : max;
	}
}

/* ---- ioctl ------------------------------------------------------------------------------ */

static int module_ioctl(struct ifreq *ifr)
{
	uint32_t cmd;

	memcpy(&cmd, ifr->ifr_data, sizeof(cmd));
	if (cmd == ETHTOOL_GMODULEINFO) {
		struct ethtool_modinfo mi;

		memcpy(&mi, ifr->ifr_data, sizeof(mi));
		mi.type = mod_type;
		mi.eeprom_len = mod_len;
		memcpy(ifr->ifr_data, &mi, sizeof(mi));
		return 0;
	}
	if (cmd == ETHTOOL_GMODULEEEPROM) {
		struct ethtool_eeprom ee;

		memcpy(&ee, ifr->ifr_data, sizeof(ee));
		if (ee.offset + ee.len <= ee.offset || ee.offset + ee.len > mod_len) {
			errno = EINVAL;
			return -1;
		}
		if ((size_t)ee.offset + ee.len > image_len) {
			errno = EIO;
			return -1;
		}
		memcpy((char *)ifr->ifr_data + sizeof(ee), image + ee.offset, ee.len);
		return 0;
	}
	return 1; /* not ours */
}

EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	load();
	if (ifname && request == SIOCETHTOOL && arg) {
		struct ifreq *ifr = arg;

		if (!strncmp(ifr->ifr_name, ifname, IFNAMSIZ)) {
			int r = module_ioctl(ifr);

			if (r <= 0)
				return r;
		}
	}
	return NEXT(ioctl)(fd, request, arg);
}

/* ---- netlink ---------------------------------------------------------------------------- */

#define QMAX 16
struct queued {
	int fd;
	size_t len;
	unsigned char *buf;
};
/* Datagrams waiting, oldest first (all sockets together). */
static struct queued queue[QMAX];
static int queued_n;

static int queue_find(int fd)
{
	for (int i = 0; i < queued_n; i++)
		if (queue[i].fd == fd)
			return i;
	return -1;
}

static void queue_push(int fd, const void *buf, size_t len)
{
	if (queued_n == QMAX)
		return;
	queue[queued_n].buf = malloc(len);
	memcpy(queue[queued_n].buf, buf, len);
	queue[queued_n].len = len;
	queue[queued_n].fd = fd;
	queued_n++;
}

static void queue_pop(int idx)
{
	free(queue[idx].buf);
	memmove(&queue[idx], &queue[idx + 1], (queued_n - idx - 1) * sizeof(queue[0]));
	queued_n--;
}

static void queue_drop(int fd)
{
	int i;

	while ((i = queue_find(fd)) >= 0)
		queue_pop(i);
}

static int is_genl(int fd)
{
	int v = 0;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &l) < 0 || v != AF_NETLINK)
		return 0;
	l = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &l) < 0 || v != NETLINK_GENERIC)
		return 0;
	return 1;
}

#define NLA_OK(nla, rem) ((rem) >= (int)sizeof(struct nlattr) && (nla)->nla_len >= sizeof(struct nlattr) && (nla)->nla_len <= (rem))
#define NLA_NEXT(nla, rem) ((rem) -= NLA_ALIGN((nla)->nla_len), (struct nlattr *)((char *)(nla) + NLA_ALIGN((nla)->nla_len)))
#define NLA_DATA(nla) ((void *)((char *)(nla) + NLA_HDRLEN))

/* The ethtool family's id, asked of the kernel once on a socket of the shim's own. */
static int ethtool_family(void)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} req;
	unsigned char buf[8192];
	struct nlattr *a;
	int fd, rem;
	ssize_t n;

	if (family_id >= 0)
		return family_id;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = 1;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	a = (struct nlattr *)req.attrs;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(ETHTOOL_GENL_NAME);
	memcpy(NLA_DATA(a), ETHTOOL_GENL_NAME, sizeof(ETHTOOL_GENL_NAME));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
	if (NEXT(send)(fd, &req, req.n.nlmsg_len, 0) < 0 || (n = NEXT(recv)(fd, buf, sizeof(buf), 0)) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	if ((size_t)n < NLMSG_LENGTH(GENL_HDRLEN) || ((struct nlmsghdr *)buf)->nlmsg_type != GENL_ID_CTRL)
		return -1;
	rem = ((struct nlmsghdr *)buf)->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (a = (struct nlattr *)(buf + NLMSG_LENGTH(GENL_HDRLEN)); NLA_OK(a, rem); a = NLA_NEXT(a, rem))
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			family_id = *(uint16_t *)NLA_DATA(a);
	return family_id;
}

struct eeprom_req {
	int ours;
	uint32_t offset, length;
	uint8_t page, bank, i2c;
};

/* Parse a MODULE_EEPROM_GET; ours when its header names the emulated interface. */
static void parse_request(const struct nlmsghdr *n, struct eeprom_req *r)
{
	const struct nlattr *a, *h;
	int rem, hrem;
	unsigned int want = if_nametoindex(ifname);

	memset(r, 0, sizeof(*r));
	rem = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (a = (const struct nlattr *)((const char *)n + NLMSG_LENGTH(GENL_HDRLEN)); NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case ETHTOOL_A_MODULE_EEPROM_HEADER:
			hrem = a->nla_len - NLA_HDRLEN;
			for (h = NLA_DATA(a); NLA_OK(h, hrem); h = NLA_NEXT(h, hrem)) {
				if ((h->nla_type & NLA_TYPE_MASK) == ETHTOOL_A_HEADER_DEV_NAME &&
				    !strncmp(NLA_DATA(h), ifname, IFNAMSIZ))
					r->ours = 1;
				if ((h->nla_type & NLA_TYPE_MASK) == ETHTOOL_A_HEADER_DEV_INDEX && want &&
				    *(uint32_t *)NLA_DATA(h) == want)
					r->ours = 1;
			}
			break;
		case ETHTOOL_A_MODULE_EEPROM_OFFSET: r->offset = *(uint32_t *)NLA_DATA(a); break;
		case ETHTOOL_A_MODULE_EEPROM_LENGTH: r->length = *(uint32_t *)NLA_DATA(a); break;
		case ETHTOOL_A_MODULE_EEPROM_PAGE: r->page = *(uint8_t *)NLA_DATA(a); break;
		case ETHTOOL_A_MODULE_EEPROM_BANK: r->bank = *(uint8_t *)NLA_DATA(a); break;
		case ETHTOOL_A_MODULE_EEPROM_I2C_ADDRESS: r->i2c = *(uint8_t *)NLA_DATA(a); break;
		}
	}
}

static uint32_t portid_of(int fd)
{
	struct sockaddr_nl sa;
	socklen_t l = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	getsockname(fd, (struct sockaddr *)&sa, &l);
	return sa.nl_pid;
}

static size_t put_attr(unsigned char *at, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)at;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(at + NLA_HDRLEN, data, len);
	memset(at + NLA_HDRLEN + len, 0, NLA_ALIGN(a->nla_len) - a->nla_len);
	return NLA_ALIGN(a->nla_len);
}

static void push_ack(int fd, const struct nlmsghdr *req, int error)
{
	unsigned char buf[NLMSG_LENGTH(sizeof(struct nlmsgerr))];
	struct nlmsghdr *n = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(n);

	memset(buf, 0, sizeof(buf));
	n->nlmsg_len = sizeof(buf);
	n->nlmsg_type = NLMSG_ERROR;
	n->nlmsg_flags = NLM_F_CAPPED;
	n->nlmsg_seq = req->nlmsg_seq;
	n->nlmsg_pid = portid_of(fd);
	e->error = error;
	e->msg = *req;
	queue_push(fd, buf, sizeof(buf));
}

/* The emulated driver's page read: the image offset, or -1 past the image. */
static long image_offset(const struct eeprom_req *r)
{
	long off = (long)r->page * 128 + r->offset + (long)r->bank * 256 * 128;

	if (mod_type == ETH_MODULE_SFF_8472 && r->i2c == 0x51)
		off += 256;
	if (off + r->length > (long)image_len)
		return -1;
	return off;
}

static void push_reply(int fd, const struct nlmsghdr *req, const struct eeprom_req *r)
{
	unsigned char *buf = calloc(1, 256 + r->length + 64);
	struct nlmsghdr *n = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(n);
	unsigned char *at = buf + NLMSG_LENGTH(GENL_HDRLEN), *nest = at;
	uint32_t idx = if_nametoindex(ifname);
	long off = image_offset(r);

	if (off < 0) {
		free(buf);
		push_ack(fd, req, -EINVAL);
		return;
	}
	n->nlmsg_type = req->nlmsg_type;
	n->nlmsg_seq = req->nlmsg_seq;
	n->nlmsg_pid = portid_of(fd);
	g->cmd = ETHTOOL_MSG_MODULE_EEPROM_GET_REPLY;
	g->version = ETHTOOL_GENL_VERSION;
	at += NLA_HDRLEN;
	at += put_attr(at, ETHTOOL_A_HEADER_DEV_INDEX, &idx, sizeof(idx));
	at += put_attr(at, ETHTOOL_A_HEADER_DEV_NAME, ifname, strlen(ifname) + 1);
	((struct nlattr *)nest)->nla_type = ETHTOOL_A_MODULE_EEPROM_HEADER | NLA_F_NESTED;
	((struct nlattr *)nest)->nla_len = at - nest;
	at += put_attr(at, ETHTOOL_A_MODULE_EEPROM_DATA, image + off, r->length);
	n->nlmsg_len = at - buf;
	queue_push(fd, buf, n->nlmsg_len);
	free(buf);
	if (req->nlmsg_flags & NLM_F_ACK)
		push_ack(fd, req, 0);
}

/* Wait for, and take, the kernel's answer to what was just sent on fd. */
static ssize_t kernel_answer(int fd, unsigned char *buf, size_t size)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n = NEXT(recv)(fd, buf, size, MSG_DONTWAIT);

		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return n;
		NEXT(poll)(&p, 1, 5000);
	}
}

/* A message on a generic netlink socket: 1 when the shim took it over (len sent). */
static int intercept(int fd, const void *msg, size_t len, ssize_t *ret)
{
	const struct nlmsghdr *n = msg;
	const struct genlmsghdr *g;
	struct eeprom_req r;
	unsigned char ans[16384];
	ssize_t got;

	load();
	if (!ifname || !nl_on || len < NLMSG_LENGTH(GENL_HDRLEN) || n->nlmsg_len != len || !is_genl(fd))
		return 0;
	g = NLMSG_DATA(n);
	if (g->cmd != ETHTOOL_MSG_MODULE_EEPROM_GET || ethtool_family() < 0 || n->nlmsg_type != family_id)
		return 0;
	parse_request(n, &r);
	if (!r.ours)
		return 0;
	*ret = NEXT(send)(fd, msg, len, 0);
	if (*ret < 0)
		return 1;
	got = kernel_answer(fd, ans, sizeof(ans));
	if (got < 0) {
		*ret = -1;
		return 1;
	}
	if ((size_t)got >= NLMSG_LENGTH(sizeof(struct nlmsgerr)) && ((struct nlmsghdr *)ans)->nlmsg_type == NLMSG_ERROR &&
	    ((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)ans))->error == -EOPNOTSUPP)
		push_reply(fd, n, &r);
	else
		queue_push(fd, ans, got);
	return 1;
}

EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen)
{
	ssize_t r;

	if (intercept(fd, buf, len, &r))
		return r;
	return NEXT(sendto)(fd, buf, len, flags, addr, alen);
}

EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	ssize_t r;

	if (intercept(fd, buf, len, &r))
		return r;
	return NEXT(send)(fd, buf, len, flags);
}

EXPORT ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	ssize_t r;

	if (m->msg_iovlen == 1 && intercept(fd, m->msg_iov[0].iov_base, m->msg_iov[0].iov_len, &r))
		return r;
	return NEXT(sendmsg)(fd, m, flags);
}

/* Deliver the oldest queued datagram of fd into buf: -2 when there is none. */
static ssize_t deliver(int fd, void *buf, size_t size, int flags, int *truncated, struct sockaddr *addr, socklen_t *alen)
{
	int i = queue_find(fd);
	size_t n;

	if (i < 0)
		return -2;
	n = queue[i].len < size ? queue[i].len : size;
	memcpy(buf, queue[i].buf, n);
	if (truncated)
		*truncated = n < queue[i].len;
	if (addr && alen) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

		memcpy(addr, &sa, *alen < sizeof(sa) ? *alen : sizeof(sa));
		*alen = sizeof(sa);
	}
	n = (flags & MSG_TRUNC) ? queue[i].len : n;
	if (!(flags & MSG_PEEK))
		queue_pop(i);
	return n;
}

EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	ssize_t r = deliver(fd, buf, len, flags, NULL, addr, alen);

	return r != -2 ? r : NEXT(recvfrom)(fd, buf, len, flags, addr, alen);
}

EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	ssize_t r = deliver(fd, buf, len, flags, NULL, NULL, NULL);

	return r != -2 ? r : NEXT(recv)(fd, buf, len, flags);
}

EXPORT ssize_t read(int fd, void *buf, size_t len)
{
	ssize_t r = deliver(fd, buf, len, 0, NULL, NULL, NULL);

	return r != -2 ? r : NEXT(read)(fd, buf, len);
}

EXPORT ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	int trunc = 0;
	ssize_t r;

	if (queue_find(fd) < 0 || m->msg_iovlen < 1)
		return NEXT(recvmsg)(fd, m, flags);
	r = deliver(fd, m->msg_iov[0].iov_base, m->msg_iov[0].iov_len, flags, &trunc,
		    (struct sockaddr *)m->msg_name, m->msg_name ? &m->msg_namelen : NULL);
	m->msg_flags = trunc ? MSG_TRUNC : 0;
	m->msg_controllen = 0;
	return r;
}

EXPORT int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	int ready = 0;

	for (nfds_t i = 0; i < nfds; i++)
		if (queue_find(fds[i].fd) >= 0)
			ready++;
	if (!ready)
		return NEXT(poll)(fds, nfds, timeout);
	for (nfds_t i = 0; i < nfds; i++)
		fds[i].revents = queue_find(fds[i].fd) >= 0 ? (fds[i].events & POLLIN) : 0;
	return ready;
}

EXPORT int close(int fd)
{
	queue_drop(fd);
	return NEXT(close)(fd);
}
