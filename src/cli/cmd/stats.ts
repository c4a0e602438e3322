/** -S (NIC statistics) and --phy-statistics. */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import { ETHTOOL, ETH_SS } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import { ERRNO } from '../../ethtool/errno';
import type { DrvinfoCount } from '../../ethtool/ops';
import type { JsonValue } from '../json';


function dumpStats(ctx: Ctx, ss: number, cmd: number, fallback: DrvinfoCount | null, title: string): number {
  const { out } = ctx;
  for (let attempt = 0; ; attempt++) {
    const names = ops.stringSet(ctx.dev, ss, { fallback });
    if (!names.ok) {
      out.perror('Cannot get stats strings information', names.errno);
      return 96;
    }
    const n = names.v.length;
    if (n < 1) {
      out.err('no stats available\n');
      return 94;
    }
    const req = new ops.StatsRequest(ctx.dev, cmd, n);
    const r = req.read(ctx.dev);
    if (r === ops.STATS_MOVED && attempt + 1 < ops.COUNT_ATTEMPTS) continue;
    if (r !== 0) {
      out.perror('Cannot get stats information', r === ops.STATS_MOVED ? ERRNO.EAGAIN : r);
      return 97;
    }
    const lines: string[] = [`${title} statistics:\n`];
    const stats: Record<string, JsonValue> = {};
    for (let i = 0; i < n; i++) {
      const name = names.v[i];
      const v = req.values[i];
      lines.push(`     ${name}: ${v}\n`);
      let key = name;
      for (let k = 2; key in stats; k++) key = `${name} (${k})`;
      stats[key] = v;
    }
    out.print(lines.join(''));
    out.object({ ifname: ctx.devname, statistics: stats });
    return 0;
  }
}

/** -S: the ioctl path takes no options (--all-groups and --groups need netlink). */
export function nic(ctx: Ctx): number {
  if (ctx.args.length > 0) return badArgs(ctx.out);
  return dumpStats(ctx, ETH_SS.STATS, ETHTOOL.GSTATS, 'n_stats', 'NIC');
}

export function phy(ctx: Ctx): number {
  return dumpStats(ctx, ETH_SS.PHY_STATS, ETHTOOL.GPHYSTATS, null, 'PHY');
}
