/**
 * --get-tunable / --set-tunable: ETHTOOL_GTUNABLE / STUNABLE, for the tunables ethtool 6.1
 * knows (by its names), each with its type and size.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import { ETHTOOL, PHY_TUNABLE, PHY_TUNABLE_VALUE as PV, TUNABLE_TYPE } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import { parseUnsigned } from '../../common/numbers';
import type { JsonValue } from '../json';

/** enum tunable_id / tunable_type_id, in ethtool's table order. */
export const TUNABLES: readonly { name: string; id: number; type: number; size: number; max: number }[] = [
  { name: 'rx-copybreak', id: 1, type: 3, size: 4, max: 0xffffffff },
  { name: 'tx-copybreak', id: 2, type: 3, size: 4, max: 0xffffffff },
  { name: 'pfc-prevention-tout', id: 3, type: 2, size: 2, max: 0xffff },
  { name: 'tx-buf-size', id: 4, type: 3, size: 4, max: 0xffffffff },
];

/** tunable_strings, by id. */
const ID_NAMES: readonly string[] = ['Unspec', 'rx-copybreak', 'tx-copybreak', 'pfc-prevention-tout', 'tx-buf-size'];

/** print_tunable */
function line(t: ops.Tunable): string {
  const name = ID_NAMES[t.id] ?? '';
  return t.value === null ? `${name}: Unknown format\n` : `${name}: ${t.value}\n`;
}

/** Names in the order given; each read and printed before the next is looked at. */
export function get(ctx: Ctx): number {
  if (ctx.args.length < 1) return badArgs(ctx.out);
  const values: Record<string, JsonValue> = {};
  for (const arg of ctx.args) {
    const k = TUNABLES.find(x => x.name === arg);
    // ethtool has printed the names before it; JSON mode has no partial document.
    if (!k) return badArgs(ctx.out);
    const r = ops.getTunable(ctx.dev, ETHTOOL.GTUNABLE, k.id, k.type, k.size);
    if (!r.ok) {
      ctx.out.err(`${k.name}: Cannot get tunable\n`);
      ctx.out.fail(`${k.name}: Cannot get tunable`);
      return 255;
    }
    ctx.out.print(line(r.v));
    values[k.name] = r.v.value === null ? null : r.v.value;
  }
  ctx.out.object({ ifname: ctx.devname, tunables: values });
  return 0;
}

/** NAME N …: all parsed first (bad ones: bad arguments), then one SET each in ethtool's table order. */
export function set(ctx: Ctx): number {
  const a = ctx.args;
  const wanted = new Map<string, number>();
  for (let i = 0; i < a.length; i += 2) {
    const k = TUNABLES.find(x => x.name === a[i]);
    if (!k || i + 1 >= a.length) return badArgs(ctx.out);
    const v = parseUnsigned(a[i + 1], k.max);
    if (v === null) return badArgs(ctx.out);
    wanted.set(k.name, v);
  }
  if (wanted.size === 0) return badArgs(ctx.out);
  for (const k of TUNABLES) {
    const v = wanted.get(k.name);
    if (v === undefined) continue;
    const r = ops.setTunable(ctx.dev, ETHTOOL.STUNABLE, k.id, k.type, k.size, BigInt(v));
    if (r < 0) {
      ctx.out.perror(k.name, -r);
      return 255;
    }
  }
  ctx.out.object({ ifname: ctx.devname, tunables: Object.fromEntries(wanted) });
  return 0;
}

const PHY_DOWNSHIFT = PHY_TUNABLE.DOWNSHIFT, PHY_FAST_LINK_DOWN = PHY_TUNABLE.FAST_LINK_DOWN, PHY_EDPD = PHY_TUNABLE.EDPD;
const FAST_LINK_DOWN_ON = PV.ETHTOOL_PHY_FAST_LINK_DOWN_ON, FAST_LINK_DOWN_OFF = PV.ETHTOOL_PHY_FAST_LINK_DOWN_OFF;
const EDPD_DISABLE = PV.ETHTOOL_PHY_EDPD_DISABLE, EDPD_NO_TX = PV.ETHTOOL_PHY_EDPD_NO_TX;

/** --get-phy-tunable NAME (words after the name are not looked at): PHY_GTUNABLE, 87 on failure. */
export function getPhy(ctx: Ctx): number {
  if (ctx.args.length < 1) return badArgs(ctx.out);
  const which = ctx.args[0];
  const ask = (id: number, type: number, len: number, what: string): number | null => {
    const r = ops.getTunable(ctx.dev, ETHTOOL.PHY_GTUNABLE, id, type, len);
    if (r.ok) return Number(r.v.value ?? 0n);
    ctx.out.perror(what, r.errno);
    return null;
  };
  let text: string;
  let json: Record<string, JsonValue>;
  if (which === 'downshift') {
    const n = ask(PHY_DOWNSHIFT, TUNABLE_TYPE.U8, 1, 'Cannot Get PHY downshift count');
    if (n === null) return 87;
    text = n ? `Downshift count: ${n}\n` : 'Downshift disabled\n';
    json = { downshift: n !== 0, count: n };
  } else if (which === 'fast-link-down') {
    const n = ask(PHY_FAST_LINK_DOWN, TUNABLE_TYPE.U8, 1, 'Cannot Get PHY Fast Link Down value');
    if (n === null) return 87;
    text = n === FAST_LINK_DOWN_ON ? 'Fast Link Down enabled\n' : n === FAST_LINK_DOWN_OFF ? 'Fast Link Down disabled\n' : `Fast Link Down enabled, ${n} msecs\n`;
    json = { 'fast-link-down': n !== FAST_LINK_DOWN_OFF, msecs: n === FAST_LINK_DOWN_ON || n === FAST_LINK_DOWN_OFF ? null : n };
  } else if (which === 'energy-detect-power-down') {
    const n = ask(PHY_EDPD, TUNABLE_TYPE.U16, 2, 'Cannot Get PHY Energy Detect Power Down value');
    if (n === null) return 87;
    text = n === EDPD_DISABLE ? 'Energy Detect Power Down: disabled\n' : n === EDPD_NO_TX ? 'Energy Detect Power Down: enabled, TX disabled\n' : `Energy Detect Power Down: enabled, TX ${n} msecs\n`;
    json = { 'energy-detect-power-down': n !== EDPD_DISABLE, msecs: n === EDPD_DISABLE || n === EDPD_NO_TX ? null : n };
  } else {
    return badArgs(ctx.out);
  }
  ctx.out.print(text);
  ctx.out.object({ ifname: ctx.devname, ...json });
  return 0;
}

/**
 * --set-phy-tunable: one tunable, the first NAME on|off of the line (with its optional number;
 * the words after it are not looked at, as in ethtool), checked, then one PHY_STUNABLE; 87
 * when the kernel refuses it.
 */
export function setPhy(ctx: Ctx): number {
  const a = ctx.args;
  const out = ctx.out;
  // parse_named_bool: NAME and a value; a value other than on/off is "Invalid boolean".
  const named = (name: string): boolean | null | undefined => {
    if (a.length < 2 || a[0] !== name) return undefined;
    if (a[1] === 'on') return true;
    if (a[1] === 'off') return false;
    return null;
  };
  // parse_named_u8/u16 after the pair: NAME N (a bad N is bad arguments), or not there.
  const number = (name: string, max: number): number | null | undefined => {
    if (a.length < 4 || a[2] !== name) return undefined;
    return parseUnsigned(a[3], max);
  };
  let which: 'downshift' | 'fast-link-down' | 'energy-detect-power-down' | undefined;
  let on: boolean | null | undefined;
  for (const name of ['downshift', 'fast-link-down', 'energy-detect-power-down'] as const) {
    on = named(name);
    if (on !== undefined) { which = name; break; }
  }
  if (which === undefined) return badArgs(out);
  if (on === null) {
    out.err('Invalid boolean\n');
    return badArgs(out);
  }
  const enabled = on === true;
  let id: number, type: number, len: number, value: number, what: string;
  let json: Record<string, JsonValue>;
  if (which === 'downshift') {
    const n = number('count', 0xff);
    if (n === null) return badArgs(out);
    if (!on && n !== undefined) {
      out.err("'count' may not be set when downshift is off.\n");
      return badArgs(out);
    }
    if (on && n === 0) {
      out.err("'count' may not be zero.\n");
      return badArgs(out);
    }
    value = on ? n ?? PV.DOWNSHIFT_DEV_DEFAULT_COUNT : PV.DOWNSHIFT_DEV_DISABLE;
    [id, type, len, what] = [PHY_DOWNSHIFT, TUNABLE_TYPE.U8, 1, 'Cannot Set PHY downshift count'];
    json = { downshift: enabled, count: value };
  } else if (which === 'fast-link-down') {
    const n = on ? number('msecs', 0xff) : undefined;
    if (n === null) return badArgs(out);
    value = on ? n ?? FAST_LINK_DOWN_ON : FAST_LINK_DOWN_OFF;
    if (on && value === FAST_LINK_DOWN_OFF) return badArgs(out);
    [id, type, len, what] = [PHY_FAST_LINK_DOWN, TUNABLE_TYPE.U8, 1, 'Cannot Set PHY Fast Link Down value'];
    json = { 'fast-link-down': enabled, msecs: on && value !== FAST_LINK_DOWN_ON ? value : null };
  } else {
    const n = on ? number('msecs', 0xffff) : undefined;
    if (n === null) return badArgs(out);
    // Without msecs ethtool starts from ETHTOOL_PHY_EDPD_DFLT_TX_MSECS, above the limit it checks.
    value = on ? n ?? PV.ETHTOOL_PHY_EDPD_DFLT_TX_MSECS : EDPD_DISABLE;
    if (on && value === 0) value = EDPD_NO_TX;
    else if (on && value > EDPD_NO_TX) {
      out.err(`'msecs' max value is ${EDPD_NO_TX - 1}.\n`);
      return badArgs(out);
    }
    [id, type, len, what] = [PHY_EDPD, TUNABLE_TYPE.U16, 2, 'Cannot Set PHY Energy Detect Power Down'];
    json = { 'energy-detect-power-down': enabled, msecs: on && value !== EDPD_NO_TX ? value : null };
  }
  const r = ops.setTunable(ctx.dev, ETHTOOL.PHY_STUNABLE, id, type, len, BigInt(value));
  if (r < 0) {
    out.perror(what, -r);
    return 87;
  }
  out.object({ ifname: ctx.devname, ...json });
  return 0;
}
