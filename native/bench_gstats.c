/* Baseline for bench/gstats.ts: the same SIOCETHTOOL requests from a plain C loop.
 *
 *   bench_gstats IFNAME CALLS gstats   ETHTOOL_GSSET_INFO once, then CALLS x ETHTOOL_GSTATS
 *                                      into one reused buffer
 *   bench_gstats IFNAME CALLS drvinfo  CALLS x ETHTOOL_GDRVINFO
 *
 * Prints "ns_per_call <float> n_stats <n>" for the timed loop only (after a short warm-up).
 * Read-only requests: safe on any interface. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int xioctl(int fd, struct ifreq *ifr, void *data)
{
	ifr->ifr_data = data;
	return ioctl(fd, SIOCETHTOOL, ifr);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s IFNAME CALLS gstats|drvinfo\n", argv[0]);
		return 2;
	}
	const char *ifname = argv[1];
	long calls = atol(argv[2]);
	int drvinfo = strcmp(argv[3], "drvinfo") == 0;
	if (calls <= 0 || strlen(ifname) >= IFNAMSIZ || (!drvinfo && strcmp(argv[3], "gstats") != 0)) {
		fprintf(stderr, "%s: bad arguments\n", argv[0]);
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);

	uint32_t n = 0;
	struct ethtool_stats *stats = NULL;
	struct ethtool_drvinfo info;
	if (!drvinfo) {
		struct {
			struct ethtool_sset_info hdr;
			uint32_t buf[1];
		} sset;
		memset(&sset, 0, sizeof(sset));
		sset.hdr.cmd = ETHTOOL_GSSET_INFO;
		sset.hdr.sset_mask = 1ULL << ETH_SS_STATS;
		if (xioctl(fd, &ifr, &sset) < 0) {
			fprintf(stderr, "%s: GSSET_INFO: %s\n", ifname, strerror(errno));
			return 1;
		}
		n = sset.hdr.sset_mask ? sset.buf[0] : 0;
		stats = calloc(1, sizeof(*stats) + n * sizeof(uint64_t));
		if (!stats)
			return 1;
	}

	long warm = calls / 10 + 1;
	double t0 = 0;
	for (long i = 0; i < warm + calls; i++) {
		if (i == warm)
			t0 = now_ns();
		int r;
		if (drvinfo) {
			memset(&info, 0, sizeof(info));
			info.cmd = ETHTOOL_GDRVINFO;
			r = xioctl(fd, &ifr, &info);
		} else {
			stats->cmd = ETHTOOL_GSTATS;
			stats->n_stats = n;
			r = xioctl(fd, &ifr, stats);
		}
		if (r < 0) {
			fprintf(stderr, "%s: ioctl: %s\n", ifname, strerror(errno));
			return 1;
		}
	}
	double per = (now_ns() - t0) / (double)calls;
	printf("ns_per_call %.1f n_stats %u\n", per, drvinfo ? info.n_stats : n);
	free(stats);
	close(fd);
	return 0;
}
