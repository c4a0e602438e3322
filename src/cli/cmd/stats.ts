/** -S (NIC statistics) and --phy-statistics. */
import type { Ctx } from '../run';
import { badArgs } from '../run';
import * as S from '../../ethtool/structs';
import { ETHTOOL, ETH_SS } from '../../ethtool/constants';
import { request } from '../../ethtool/layout';
import { view } from '../dev';
import type { JsonValue } from '../json';

function dumpStats(ctx: Ctx, ss: number, cmd: number, drvinfoField: string | null, title: string): number {
  const { out } = ctx;
  const names = ctx.dev.stringSet(ss, drvinfoField, false);
  if (!names.ok) {
    out.perror('Cannot get stats strings information', names.errno);
    return 96;
  }
  const n = names.names.length;
  if (n < 1) {
    out.err('no stats available\n');
    return 94;
  }
  const T = S.ethtool_stats;
  const buf = request(T, cmd, 8 * n);
  view(buf).setUint32(4, n, true);
  const r = ctx.dev.ioctl(buf);
  if (r < 0) {
    out.perror('Cannot get stats information', -r);
    return 97;
  }
  const dv = view(buf);
  const base = T.flex!.offset;
  const lines: string[] = [`${title} statistics:\n`];
  const stats: Record<string, JsonValue> = {};
  for (let i = 0; i < n; i++) {
    const name = names.names[i];
    const v = dv.getBigUint64(base + 8 * i, true);
    lines.push(`     ${name}: ${v}\n`);
    let key = name;
    for (let k = 2; key in stats; k++) key = `${name} (${k})`;
    stats[key] = v;
  }
  out.print(lines.join(''));
  out.object({ ifname: ctx.devname, statistics: stats });
  return 0;
}

/** -S: the ioctl path takes no options (--all-groups and --groups need netlink). */
export function nic(ctx: Ctx): number {
  if (ctx.args.length > 0) return badArgs(ctx.out);
  return dumpStats(ctx, ETH_SS.STATS, ETHTOOL.GSTATS, 'n_stats', 'NIC');
}

const GPHYSTATS = 0x4a;

export function phy(ctx: Ctx): number {
  return dumpStats(ctx, ETH_SS.PHY_STATS, GPHYSTATS, null, 'PHY');
}
