/** --show-fec and --set-fec: ETHTOOL_GFECPARAM / ETHTOOL_SFECPARAM (struct ethtool_fecparam). */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import { fecNames, fecBit } from '../../ethtool/catalog/fec';
import * as ops from '../../ethtool/ops';

/** --show-fec: one GET; any failure is the perror line and exit 255 (ethtool returns -1). */
export function show(ctx: Ctx): number {
  const got = ops.getStruct(ctx.dev, S.ethtool_fecparam, ETHTOOL.GFECPARAM);
  if (!got.ok) {
    ctx.out.perror('Cannot get FEC settings', got.errno);
    return 255;
  }
  const config = fecNames(got.v.fec >>> 0), active = fecNames(got.v.active_fec >>> 0);
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
    const bit = fecBit(a);
    if (bit === null) return badArgs(ctx.out);
    mask |= bit;
  }
  if (mask === 0) return badArgs(ctx.out);
  const r = ops.setStruct(ctx.dev, S.ethtool_fecparam, ETHTOOL.SFECPARAM, { active_fec: 0, fec: mask, reserved: 0 });
  if (r < 0) {
    ctx.out.perror('Cannot set FEC settings', -r);
    return 255;
  }
  ctx.out.object({ ifname: ctx.devname, encoding: fecNames(mask) });
  return 0;
}
