/**
 * -Q|--per-queue [queue_mask MASK] SUB-COMMAND: --show-coalesce / --coalesce applied per queue
 * (ETHTOOL_PERQUEUE with GCOALESCE / SCOALESCE). Without a mask: every queue the channel counts
 * give (max(rx, tx) + combined). ethtool's own quirks are kept: the exits -EFAULT (242) and
 * -EOPNOTSUPP (161), its failed GET reported twice, and a refused SET that still exits 0.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL, MAX_NUM_QUEUE } from '../../ethtool/constants';
import { ERRNO } from '../../ethtool/errno';
import * as ops from '../../ethtool/ops';
import * as pq from '../../ethtool/perqueue';
import * as P from '../../ethtool/catalog/params';
import type { IoctlRow } from '../../ethtool/catalog/params';
import type { Coalesce } from '../../ethtool/types';
import { COALESCE, keyRows, render, toJson } from './params';
import { parseKeyValues } from '../parse';
import type { JsonValue } from '../json';

/** A C function's negative return as the exit status. */
const EXIT_EFAULT = 256 - ERRNO.EFAULT;
const EXIT_EOPNOTSUPP = 256 - ERRNO.EOPNOTSUPP;

/** parse_hex_u32_bitmap: hex digits (an optional 0x before at least one), at most 8 per word; null when invalid. */
export function parseQueueMask(s: string): Uint32Array | null {
  let t = s;
  if (t.length > 2 && /^0x/i.test(t)) t = t.slice(2);
  if (t.length > 8 * pq.QUEUE_MASK_WORDS || !/^[0-9a-fA-F]*$/.test(t)) return null;
  const m = new Uint32Array(pq.QUEUE_MASK_WORDS);
  for (let i = 0; i < t.length; i++) {
    const shift = (t.length - 1 - i) * 4;
    m[shift >> 5] |= parseInt(t[i], 16) << (shift & 31);
  }
  return m;
}

type Raw = Record<string, number>;

export function perQueue(ctx: Ctx): number {
  const { out } = ctx;
  let args = ctx.args;
  if (args.length === 0) return badArgs(out);
  let mask: Uint32Array;
  if (args[0] !== 'queue_mask') {
    const ch = ops.getStruct<Raw>(ctx.dev, S.ethtool_channels, ETHTOOL.GCHANNELS);
    if (!ch.ok) {
      out.perror('Cannot get number of queues', ch.errno);
      return EXIT_EFAULT;
    }
    const n = Math.min(Math.max(ch.v.rx_count, ch.v.tx_count) + ch.v.combined_count, MAX_NUM_QUEUE);
    mask = pq.queueMask(Array.from({ length: n }, (_, q) => q));
    out.print(`The sub commands will be applied to all ${n} queues\n`);
  } else {
    if (args.length <= 2) return badArgs(out);
    const m = parseQueueMask(args[1]);
    if (!m) {
      out.print('Invalid queue mask\n');
      out.fail('Invalid queue mask');
      return 255;
    }
    mask = m;
    args = args.slice(2);
  }
  const queues = pq.maskQueues(mask);
  const sub = ctx.options.find(o => o.names.includes(args[0]));
  if (!sub) return badArgs(out);
  const show = sub.names.includes('--show-coalesce');
  if (!show && !sub.names.includes('--coalesce')) {
    // ethtool prints whatever errno was left: nothing has failed by then.
    out.perror('The subcommand is not supported yet', 0);
    return EXIT_EOPNOTSUPP;
  }
  const got = pq.getPerQueueCoalesce(ctx.dev, mask, queues.length);
  if (!got.ok) {
    const left = out.perror('Cannot get device per queue parameters', got.errno);
    out.perror('Cannot get device per queue parameters', left);
    return EXIT_EFAULT;
  }
  if (show) {
    const list: JsonValue[] = [];
    queues.forEach((q, i) => {
      const raw = got.v[i] as unknown as Raw;
      out.print(`Queue: ${q}\n` + render(COALESCE, raw));
      const { ifname: _ifname, ...o } = toJson(COALESCE, ctx.devname, raw);
      list.push({ queue: q, ...o });
    });
    out.object({ ifname: ctx.devname, queues: list });
    return 0;
  }
  return setCoalesce(ctx, args.slice(1), mask, queues, got.v);
}

/** set_per_queue_coalesce: the keys applied to each queue's values, then one SCOALESCE for all. */
function setCoalesce(ctx: Ctx, args: readonly string[], mask: Uint32Array, queues: readonly number[], current: readonly Coalesce[]): number {
  const { out } = ctx;
  const keys = keyRows(COALESCE);
  const given = parseKeyValues(args, keys);
  if (!given) return badArgs(out);
  const next: Coalesce[] = [];
  const list: JsonValue[] = [];
  queues.forEach((q, i) => {
    const cur = current[i] as unknown as Raw;
    const v: Raw = { ...cur };
    const changed: Record<string, JsonValue> = {};
    const unmodified: string[] = [];
    for (const k of keys) {
      if (!given.has(k.key)) continue;
      const g = given.get(k.key)!;
      const want = typeof g === 'boolean' ? (g ? 1 : 0) : (g as number);
      if (want < 0) continue;
      const r = P.paramRow(COALESCE.group, k.key) as IoctlRow;
      if ((cur[r.field] | 0) === want) {
        out.err(`${k.key} unmodified, ignoring\n`);
        unmodified.push(k.key);
      } else {
        v[r.field] = want;
        changed[k.key] = r.kind === 'bool' ? want !== 0 : want;
      }
    }
    if (Object.keys(changed).length === 0) out.err(`Queue ${q}, no coalesce parameters changed\n`);
    next.push(v as unknown as Coalesce);
    list.push({ queue: q, changed, unmodified });
  });
  const r = pq.setPerQueueCoalesce(ctx.dev, mask, next);
  if (r < 0) out.perror('Cannot set device per queue parameters', -r);
  out.object({ ifname: ctx.devname, queues: list });
  return 0;
}
