/** --reset: ETHTOOL_RESET (an ethtool_value whose data the driver answers with what it did not reset). */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import { ETHTOOL } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';

/** The named components (enum ethtool_reset_flags); NAME-shared is the bit shifted by 16. */
export const RESET_COMPONENTS: readonly (readonly [string, number])[] = [
  ['mgmt', 1 << 0], ['irq', 1 << 1], ['dma', 1 << 2], ['filter', 1 << 3], ['offload', 1 << 4],
  ['mac', 1 << 5], ['phy', 1 << 6], ['ram', 1 << 7], ['ap', 1 << 8],
];
const RESET_SHARED_SHIFT = 16;
const RESET_DEDICATED = 0x0000ffff;
const RESET_ALL = 0xffffffff;

/** strtoul(s, NULL, 0) as a u32: the longest number at the start (0 for none), wrapped. */
function strtoulPrefix(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F])|0)?([0-9a-fA-F]*)/.exec(s)!;
  const neg = m[1] === '-';
  const prefix = m[2] ?? '';
  const base = /^0[xX]/.test(prefix) ? 16 : prefix === '0' ? 8 : 10;
  const digits = /^[0-9a-fA-F]*/.exec(m[3])![0].split('').filter((_, i, a) => a.slice(0, i + 1).every(ch => parseInt(ch, 16) < base)).join('');
  let v = 0n;
  for (const ch of digits) v = v * BigInt(base) + BigInt(parseInt(ch, 16));
  const ULONG_MAX = (1n << 64n) - 1n;
  if (v > ULONG_MAX) v = ULONG_MAX;
  else if (neg) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return Number(v & 0xffffffffn);
}

/** parse_reset: NAME or NAME-shared (a word that only starts with NAME is not one). */
function component(arg: string): number {
  for (const [name, bit] of RESET_COMPONENTS) {
    if (!arg.startsWith(name)) continue;
    const rest = arg.slice(name.length);
    if (rest === '') return bit;
    if (rest === '-shared') return (bit << RESET_SHARED_SHIFT) >>> 0;
    return 0;
  }
  return 0;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

export function reset(ctx: Ctx): number {
  const a = ctx.args;
  if (a.length === 0) return badArgs(ctx.out);
  let data = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 'flags') {
      if (++i >= a.length) return badArgs(ctx.out);
      const f = strtoulPrefix(a[i]);
      if (f === 0) return badArgs(ctx.out);
      data |= f;
    } else if (a[i] === 'dedicated') data |= RESET_DEDICATED;
    else if (a[i] === 'all') data |= RESET_ALL;
    else {
      const bit = component(a[i]);
      if (!bit) return badArgs(ctx.out);
      data |= bit;
    }
  }
  data >>>= 0;
  ctx.out.print(`ETHTOOL_RESET ${hex(data)}\n`);
  const r = ops.value(ctx.dev, ETHTOOL.RESET, data);
  if (r.r < 0) {
    ctx.out.perror('Cannot issue ETHTOOL_RESET', -r.r);
    return 1;
  }
  const left = r.data >>> 0;
  ctx.out.print(`Components reset:     ${hex(data & ~left)}\n` + (left ? `Components not reset: ${hex(left)}\n` : ''));
  ctx.out.object({ ifname: ctx.devname, requested: data, reset: (data & ~left) >>> 0, 'not-reset': left });
  return 0;
}
