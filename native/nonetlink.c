/*
 * nonetlink.so - LD_PRELOAD shim that makes every AF_NETLINK socket fail.
 *
 * socket(AF_NETLINK, ...) returns -1 with errno EAFNOSUPPORT (exactly what a
 * kernel built without netlink would report); every other socket() call is
 * forwarded unchanged to the next definition in the lookup chain (libc).
 * Used to force netlink-capable tools onto their SIOCETHTOOL ioctl path, e.g.
 *
 *   LD_PRELOAD=native/build/nonetlink.so ethtool eth0
 *
 * Only socket() is interposed: socketpair(AF_NETLINK, ...) is not a thing,
 * and nothing else can produce a netlink descriptor.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>

typedef int (*socket_fn)(int, int, int);

static socket_fn next_socket(void)
{
	static socket_fn fn;

	if (!fn)
		fn = (socket_fn)dlsym(RTLD_NEXT, "socket");
	return fn;
}

__attribute__((visibility("default")))
int socket(int domain, int type, int protocol)
{
	socket_fn fn;

	if (domain == AF_NETLINK) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	fn = next_socket();
	if (!fn) {
		errno = ENOSYS;
		return -1;
	}
	return fn(domain, type, protocol);
}
