/**
 * -S DEV --groups G… / --all-groups (ethtool 6.1's netlink/stats.c): the standard statistics
 * (eth-phy, eth-mac, eth-ctrl, rmon, … as the kernel names them in ETH_SS_STATS_STD) with
 * STATS_GET. Each group's counters are named by the group's own string set; RMON histograms
 * follow a group's counters, rx first.
 */
import type { Reply } from '../../ethtool/netlink/client';
import type { Attrs } from '../../ethtool/netlink/attrs';
import { Bitset } from '../../ethtool/netlink/bitset';
import { ETH_SS } from '../../ethtool/netlink/constants';
import { ETH_SS_COUNT_ETHTOOL } from '../../ethtool/constants';
import { NlCtx, devOk, getRequest, isDump, replyDev } from './cmd';
import { Param, parse } from './parser';
import { bitsetNames } from './bitset-args';

/** A global string set, or none when it cannot be had (ethtool then finds no names). */
export function globalSet(c: NlCtx, id: number): string[] {
  // A group newer than ethtool 6.1 (its ETH_SS_COUNT) has no names there: nothing is printed for it.
  if (id >= ETH_SS_COUNT_ETHTOOL) return [];
  try {
    return c.nl.globalStringSet(id);
  } catch {
    return [];
  }
}

const PARAMS: readonly Param[] = [
  { arg: '--groups', attr: 'groups', handler: bitsetNames({ noMask: true }), minArgc: 1, altGroup: 1 },
  {
    arg: '--all-groups', attr: 'groups', minArgc: 0, altGroup: 1,
    handler: (s, into, attr) => {
      const n = globalSet(s.c, ETH_SS.STATS_STD).length;
      into[attr!] = Bitset.list(n, Array.from({ length: n }, (_, i) => i));
      return true;
    },
  },
];

/** -S DEV --groups …: nl_gstats (no check of the kernel's ops: ethtool sends it regardless). */
export function groups(c: NlCtx): number {
  const parsed = parse(c, '-S', PARAMS);
  if (!parsed) return 1;
  c.out.alwaysDocument();
  return getRequest(c, 'STATS_GET', r => statsReply(c, r), {}, parsed.attrs);
}

interface Hist { hist_bkt_low?: number; hist_bkt_hi?: number; hist_val?: bigint }

/** parse_rmon_hist: one direction's histogram; false after a bad entry (the rest is not shown). */
function histogram(c: NlCtx, grp: string, key: string, dir: string, entries: readonly Hist[]): void {
  const p = c.p;
  p.openArray(key, '');
  for (const e of entries) {
    if (e.hist_bkt_low === undefined || e.hist_bkt_hi === undefined || e.hist_val === undefined) {
      c.out.err('invalid kernel response - histogram entry missing attributes\n');
      break;
    }
    const low = e.hist_bkt_low >>> 0, hi = e.hist_bkt_hi >>> 0, val = e.hist_val;
    if (!p.json) {
      const head = `${dir}-${grp}-etherStatsPkts`;
      if (low && hi) p.text(`${head}${low}to${hi}Octets: ${val}\n`);
      else if (hi) p.text(`${head}${hi}Octets: ${val}\n`);
      else if (low) p.text(`${head}${low}toMaxOctets: ${val}\n`);
      else {
        p.text(head);
        c.out.err('invalid kernel response - bad histogram entry bounds\n');
        break;
      }
    } else {
      p.openObject(null);
      p.jsonField('low', low);
      p.jsonField('high', hi);
      p.jsonField('val', val);
      p.closeObject();
    }
  }
  p.closeArray('');
}

/** parse_grp: one group; false when the reply is unusable. */
function group(c: NlCtx, g: Attrs, std: readonly string[]): boolean {
  if (typeof g.id !== 'number') return false;
  if (typeof g.ss_id !== 'number') return true;
  const names = globalSet(c, g.ss_id);
  const stdName = std[g.id] ?? '(null)';
  const p = c.p;
  p.openObject(stdName);
  const stats = (g.stat as Record<number, bigint> | undefined) ?? {};
  for (const [id, val] of Object.entries(stats)) {
    const name = names[Number(id)];
    if (!name) continue;
    p.text(`${stdName}-${name}: `);
    p.field(name, `${val}\n`, val);
  }
  const rx = (g.hist_rx as Hist[] | undefined) ?? [];
  const tx = (g.hist_tx as Hist[] | undefined) ?? [];
  if (rx.length) histogram(c, stdName, 'rx-pktsNtoM', 'rx', rx);
  if (tx.length) histogram(c, stdName, 'tx-pktsNtoM', 'tx', tx);
  p.closeObject();
  return true;
}

/** stats_reply_cb: one device's STATS_GET_REPLY. */
export function statsReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c) || c.st.isMonitor;
  const dev = replyDev(r);
  if (!devOk(c, dev)) return silent;
  const std = globalSet(c, ETH_SS.STATS_STD);
  if (silent) c.p.nl();
  c.p.openObject(null);
  c.p.field('ifname', `Standard stats for ${dev}:\n`, dev);
  for (const g of (r.attrs.grp as Attrs[] | undefined) ?? []) {
    if (!group(c, g, std)) {
      c.p.closeObject();
      return silent;
    }
  }
  c.p.closeObject();
  return true;
}
