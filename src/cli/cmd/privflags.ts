/**
 * --show-priv-flags / --set-priv-flags over the ioctl: the driver's ETH_SS_PRIV_FLAGS names
 * (GSSET_INFO, else GDRVINFO's n_priv_flags), then ETHTOOL_GPFLAGS (and SPFLAGS). The ioctl
 * covers the first 32 flags only.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import { ETHTOOL, ETH_SS } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import { parseFlags } from '../parse';
import type { JsonValue } from '../json';

/** The flag names, or ethtool's message and status (1) when there are none. */
function flagNames(ctx: Ctx, verb: string): string[] | number {
  const names = ops.stringSet(ctx.dev, ETH_SS.PRIV_FLAGS, { fallback: 'n_priv_flags', nulTerminate: true });
  if (!names.ok) {
    ctx.out.perror('Cannot get private flag names', names.errno);
    return 1;
  }
  if (names.v.length === 0) {
    ctx.out.error('No private flags defined');
    return 1;
  }
  if (names.v.length > 32) {
    ctx.out.err(`Only ${verb} first 32 private flags\n`);
    return names.v.slice(0, 32);
  }
  return names.v;
}

/** The flags word as "NAME: on|off" lines, names padded to the longest. */
export function privFlagsText(dev: string, names: readonly string[], on: (i: number) => boolean): string {
  const w = Math.max(0, ...names.map(n => n.length));
  return `Private flags for ${dev}:\n` + names.map((n, i) => `${n.padEnd(w)}: ${on(i) ? 'on' : 'off'}\n`).join('');
}

export function show(ctx: Ctx): number {
  if (ctx.args.length !== 0) return badArgs(ctx.out);
  const names = flagNames(ctx, 'showing');
  if (typeof names === 'number') return names;
  const got = ops.value(ctx.dev, ETHTOOL.GPFLAGS);
  if (got.r < 0) {
    ctx.out.perror('Cannot get private flags', -got.r);
    return 1;
  }
  const on = (i: number): boolean => ((got.data >>> i) & 1) === 1;
  ctx.out.print(privFlagsText(ctx.devname, names, on));
  const flags: Record<string, JsonValue> = {};
  names.forEach((n, i) => { flags[n] = on(i); });
  ctx.out.object({ ifname: ctx.devname, 'private-flags': flags });
  return 0;
}

/** NAME on|off …: unknown names or values are bad arguments (after the names are read, as ethtool). */
export function set(ctx: Ctx): number {
  const names = flagNames(ctx, 'setting');
  if (typeof names === 'number') return names;
  const parsed = parseFlags(ctx.args, n => names.includes(n));
  if (!parsed) return badArgs(ctx.out);
  let seen = 0, wanted = 0;
  names.forEach((n, i) => {
    // ethtool matches a name to its first index.
    if (names.indexOf(n) !== i) return;
    if (parsed.seen.has(n)) seen |= 1 << i;
    if (parsed.on.has(n)) wanted |= 1 << i;
  });
  const got = ops.value(ctx.dev, ETHTOOL.GPFLAGS);
  if (got.r < 0) {
    ctx.out.perror('Cannot get private flags', -got.r);
    return 1;
  }
  const data = ((got.data & ~seen) | wanted) >>> 0;
  const r = ops.value(ctx.dev, ETHTOOL.SPFLAGS, data);
  if (r.r < 0) {
    ctx.out.perror('Cannot set private flags', -r.r);
    return 1;
  }
  const flags: Record<string, JsonValue> = {};
  for (const n of parsed.seen) flags[n] = parsed.on.has(n);
  ctx.out.object({ ifname: ctx.devname, 'private-flags': flags });
  return 0;
}
