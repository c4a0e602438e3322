/** --show-eee / --set-eee over the ioctl: ETHTOOL_GEEE / ETHTOOL_SEEE (struct ethtool_eee). */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import { parseKeyValues, KeyRow } from '../parse';
import { linkModesLine } from './settings';
import type { JsonValue } from '../json';

interface Eee {
  supported: number; advertised: number; lp_advertised: number; eee_active: number;
  eee_enabled: number; tx_lpi_enabled: number; tx_lpi_timer: number;
}

/** --set-eee's keys → struct members, in ethtool's order. */
const KEYS: readonly (KeyRow & { field: keyof Eee })[] = [
  { key: 'advertise', kind: 'u32', field: 'advertised' },
  { key: 'tx-lpi', kind: 'bool', field: 'tx_lpi_enabled' },
  { key: 'tx-timer', kind: 'u32', field: 'tx_lpi_timer' },
  { key: 'eee', kind: 'bool', field: 'eee_enabled' },
];

function read(ctx: Ctx): Eee | null {
  const got = ops.getStruct<Eee>(ctx.dev, S.ethtool_eee, ETHTOOL.GEEE);
  if (got.ok) return got.v;
  ctx.out.perror('Cannot get EEE settings', got.errno);
  return null;
}

export function show(ctx: Ctx): number {
  if (ctx.args.length !== 0) return badArgs(ctx.out);
  const e = read(ctx);
  if (!e) return 1;
  let t = `EEE Settings for ${ctx.devname}:\n\tEEE status: `;
  const o: Record<string, JsonValue> = { ifname: ctx.devname };
  if (!e.supported) {
    ctx.out.print(t + 'not supported\n');
    ctx.out.object({ ...o, supported: false });
    return 0;
  }
  t += !e.eee_enabled ? 'disabled\n' : `enabled - ${e.eee_active ? 'active' : 'inactive'}\n`;
  t += '\tTx LPI:' + (e.tx_lpi_enabled ? ` ${e.tx_lpi_timer | 0} (us)\n` : ' disabled\n');
  const sup = linkModesLine('Supported EEE', [e.supported]);
  const adv = linkModesLine('Advertised EEE', [e.advertised]);
  const lp = linkModesLine('Link partner advertised EEE', [e.lp_advertised]);
  ctx.out.print(t + sup.text + adv.text + lp.text);
  ctx.out.object({
    ...o, supported: true, enabled: e.eee_enabled !== 0, active: e.eee_active !== 0,
    'tx-lpi': e.tx_lpi_enabled !== 0, 'tx-timer': e.tx_lpi_timer >>> 0,
    'supported-link-modes': sup.names, 'advertised-link-modes': adv.names, 'link-partner-advertised-link-modes': lp.names,
  });
  return 0;
}

/** Parse, GEEE, then SEEE only when a given value differs (ethtool's do_generic_set). */
export function set(ctx: Ctx): number {
  if (ctx.args.length === 0) return badArgs(ctx.out);
  const parsed = parseKeyValues(ctx.args, KEYS);
  if (!parsed) return badArgs(ctx.out);
  const e = read(ctx);
  if (!e) return 1;
  const next: Record<string, number> = { ...e };
  const requested: Record<string, JsonValue> = {};
  let changed = false;
  for (const k of KEYS) {
    const v = parsed.get(k.key);
    if (v === undefined) continue;
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number) >>> 0;
    // ethtool's "not given" is a wanted value of -1: a u32 of 0xffffffff changes nothing.
    if (n === 0xffffffff) continue;
    requested[k.key] = v;
    if ((e[k.field] >>> 0) !== n) { next[k.field] = n; changed = true; }
  }
  if (changed) {
    const r = ops.setStruct(ctx.dev, S.ethtool_eee, ETHTOOL.SEEE, next);
    if (r < 0) {
      ctx.out.perror('Cannot set EEE settings', -r);
      return 1;
    }
  }
  ctx.out.object({ ifname: ctx.devname, requested });
  return 0;
}
