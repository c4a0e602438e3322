/** --show-fec and --set-fec: ETHTOOL_GFECPARAM / ETHTOOL_SFECPARAM (struct ethtool_fecparam). */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL, FEC } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';

/** The FEC encodings as ethtool names them, in the order it prints them. */
export const FEC_ENCODINGS: readonly { bit: number; name: string; arg: string | null }[] = [
  { bit: FEC.NONE, name: 'None', arg: null },
  { bit: FEC.AUTO, name: 'Auto', arg: 'auto' },
  { bit: FEC.OFF, name: 'Off', arg: 'off' },
  { bit: FEC.BASER, name: 'BaseR', arg: 'baser' },
  { bit: FEC.RS, name: 'RS', arg: 'rs' },
  { bit: FEC.LLRS, name: 'LLRS', arg: 'llrs' },
];

function names(mask: number): string[] {
  return FEC_ENCODINGS.filter(e => (mask & e.bit) !== 0).map(e => e.name);
}

/** --show-fec: one GET; any failure is the perror line and exit 255 (ethtool returns -1). */
export function show(ctx: Ctx): number {
  const got = ops.getStruct(ctx.dev, S.ethtool_fecparam, ETHTOOL.GFECPARAM);
  if (!got.ok) {
    ctx.out.perror('Cannot get FEC settings', got.errno);
    return 255;
  }
  const config = names(got.v.fec >>> 0), active = names(got.v.active_fec >>> 0);
  const line = (l: string[]): string => l.map(n => ' ' + n).join('') + '\n';
  ctx.out.print(`FEC parameters for ${ctx.devname}:\nSupported/Configured FEC encodings:${line(config)}Active FEC encoding:${line(active)}`);
  ctx.out.object({ ifname: ctx.devname, config, active });
  return 0;
}

/**
 * --set-fec encoding MODE... : "encoding" switches to mode words (case-insensitive, may repeat,
 * modes accumulate); anything else, an unknown mode or no mode at all is a bad argument.
 * No GET first: one SET with the ORed modes.
 */
export function set(ctx: Ctx): number {
  let inEncoding = false;
  let mask = 0;
  for (const a of ctx.args) {
    if (a === 'encoding') { inEncoding = true; continue; }
    if (!inEncoding) return badArgs(ctx.out);
    const e = FEC_ENCODINGS.find(x => x.arg !== null && x.arg === a.toLowerCase());
    if (!e) return badArgs(ctx.out);
    mask |= e.bit;
  }
  if (mask === 0) return badArgs(ctx.out);
  const r = ops.setStruct(ctx.dev, S.ethtool_fecparam, ETHTOOL.SFECPARAM, { active_fec: 0, fec: mask, reserved: 0 });
  if (r < 0) {
    ctx.out.perror('Cannot set FEC settings', -r);
    return 255;
  }
  ctx.out.object({ ifname: ctx.devname, encoding: names(mask) });
  return 0;
}
