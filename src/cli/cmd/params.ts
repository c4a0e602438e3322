/**
 * -g/-G (rings), -l/-L (channels), -c/-C (coalescing), -a/-A (pause): four commands of one
 * shape — a fixed kernel struct read with one GET, shown as labelled numbers, changed with
 * KEY VALUE pairs and one SET. The settings are the catalog's rows (../../ethtool/catalog/params);
 * this file adds what the ethtool command line says around them: headers, the layout of the
 * listing, messages and exit codes.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import * as P from '../../ethtool/catalog/params';
import type { ParamGroup, ParamRow } from '../../ethtool/catalog/params';
import { BIT, testBit } from '../../ethtool/linkmodes';
import { parseKeyValues, KeyRow } from '../parse';
import type { JsonValue } from '../json';

/** [message, exit status] */
type Failure = readonly [string, number];

export interface ParamSpec {
  readonly group: ParamGroup;
  /** First stdout line of the show command; %s = device name. */
  readonly header: string;
  /** How the rows are laid out: maxima then current values (rings, channels), blocks (coalesce), or a plain list. */
  readonly layout: 'maxima' | 'blocks' | 'plain';
  /**
   * Keys in ethtool's parse-table order (the order of "unmodified" messages) where it differs
   * from the print order; keys it does not name follow in print order.
   */
  readonly setOrder?: readonly string[];
  readonly showGetFailed: Failure;
  readonly setGetFailed: Failure;
  readonly setFailed: Failure;
  /** What the set command says when nothing would change ({key} is the current value). */
  readonly unchanged: Failure;
}

export const RING: ParamSpec = {
  group: P.RING, header: 'Ring parameters for %s:', layout: 'maxima',
  showGetFailed: ['Cannot get device ring settings', 76],
  setGetFailed: ['Cannot get device ring settings', 76],
  setFailed: ['Cannot set device ring parameters', 81],
  unchanged: ['no ring parameters changed, aborting', 80],
};

export const CHANNELS: ParamSpec = {
  group: P.CHANNELS, header: 'Channel parameters for %s:', layout: 'maxima',
  showGetFailed: ['Cannot get device channel parameters', 1],
  setGetFailed: ['Cannot get device channel parameters', 1],
  setFailed: ['Cannot set device channel parameters', 1],
  // Not a failure for ethtool: it reports the current values and exits 0.
  unchanged: ['no channel parameters changed.\ncurrent values: rx {rx} tx {tx} other {other} combined {combined}', 0],
};

export const COALESCE: ParamSpec = {
  group: P.COALESCE, header: 'Coalesce parameters for %s:', layout: 'blocks',
  setOrder: ['adaptive-rx', 'adaptive-tx', 'sample-interval', 'stats-block-usecs'],
  showGetFailed: ['Cannot get device coalesce settings', 82],
  setGetFailed: ['Cannot get device coalesce settings', 76],
  setFailed: ['Cannot set device coalesce parameters', 81],
  unchanged: ['no coalesce parameters changed, aborting', 80],
};

export const PAUSE: ParamSpec = {
  group: P.PAUSE, header: 'Pause parameters for %s:', layout: 'plain',
  showGetFailed: ['Cannot get device pause settings', 76],
  setGetFailed: ['Cannot get device pause settings', 77],
  setFailed: ['Cannot set device pause parameters', 79],
  unchanged: ['no pause parameters changed, aborting', 78],
};

// ---- generic machinery ------------------------------------------------------------------

type Raw = Record<string, number>;

function display(r: ParamRow, v: number): string {
  return r.kind === 'bool' ? (v ? 'on' : 'off') : String(v >>> 0);
}

/** `text` with every {key} replaced by that setting's value. */
export function fill(spec: ParamSpec, text: string, raw: Raw): string {
  return text.replace(/\{([a-z-]+)\}/g, (_, key: string) => {
    const r = P.paramRow(spec.group, key);
    if (!r) throw new Error(`message names unknown key ${key}`);
    return display(r, raw[r.field]);
  });
}

/** The listing after the header, as ethtool prints it. */
export function render(spec: ParamSpec, raw: Raw): string {
  const rows = spec.group.rows;
  const line = (r: ParamRow, field = r.field): string => `${r.text}${display(r, raw[field])}\n`;
  switch (spec.layout) {
    case 'maxima':
      return 'Pre-set maximums:\n' + rows.map(r => line(r, r.max)).join('') +
        'Current hardware settings:\n' + rows.map(r => line(r)).join('') + '\n';
    case 'plain':
      return rows.map(r => line(r)).join('');
    case 'blocks': {
      // Block 0 (adaptive rx/tx) shares one line; the others are a line each and end in a blank line.
      let text = '';
      for (const b of new Set(rows.map(r => r.block ?? 0))) {
        const block = rows.filter(r => (r.block ?? 0) === b);
        text += b === 0 ? block.map(r => r.text + display(r, raw[r.field])).join('') + '\n' : block.map(r => line(r)).join('') + '\n';
      }
      return text;
    }
  }
}

export function toJson(spec: ParamSpec, devname: string, raw: Raw): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { ifname: devname };
  const rows = spec.group.rows;
  const val = (r: ParamRow, field: string): JsonValue => r.kind === 'bool' ? raw[field] !== 0 : raw[field] >>> 0;
  for (const r of rows) if (r.max) o[`${r.json}-max`] = val(r, r.max);
  for (const r of rows) o[r.json] = val(r, r.field);
  return o;
}

/** The set command's parse table: one row per key, in ethtool's table order. */
export function keyRows(spec: ParamSpec): KeyRow[] {
  const first = (spec.setOrder ?? []).map(key => {
    if (!P.paramRow(spec.group, key)) throw new Error(`set order names unknown key ${key}`);
    return key;
  });
  const order = [...first, ...spec.group.rows.map(r => r.key).filter(k => !first.includes(k))];
  return order.map(key => ({ key, kind: P.paramRow(spec.group, key)!.kind === 'bool' ? 'bool' : 's32' }));
}

function get(spec: ParamSpec, ctx: Ctx): ops.Res<Raw> {
  return ops.getStruct<Raw>(ctx.dev, spec.group.layout, spec.group.getCmd);
}

function show(spec: ParamSpec, ctx: Ctx, extra?: (raw: Raw) => { text: string; json: Record<string, JsonValue> } | number): number {
  const { out, devname } = ctx;
  out.print(spec.header.replace('%s', devname) + '\n');
  const got = get(spec, ctx);
  if (!got.ok) {
    out.perror(spec.showGetFailed[0], got.errno);
    return spec.showGetFailed[1];
  }
  let text = render(spec, got.v);
  const json = toJson(spec, devname, got.v);
  if (extra) {
    const e = extra(got.v);
    if (typeof e === 'number') return e;
    text += e.text;
    Object.assign(json, e.json);
  }
  out.print(text);
  out.object(json);
  return 0;
}

function change(spec: ParamSpec, ctx: Ctx): number {
  const { out } = ctx;
  const keys = keyRows(spec);
  const given = parseKeyValues(ctx.args, keys);
  if (!given) return badArgs(out);

  const got = get(spec, ctx);
  if (!got.ok) {
    out.perror(spec.setGetFailed[0], got.errno);
    return spec.setGetFailed[1];
  }
  const cur = got.v;
  const next: Raw = { ...cur };
  const changed: Record<string, JsonValue> = {};
  const unmodified: string[] = [];
  for (const k of keys) {
    if (!given.has(k.key)) continue;
    const v = given.get(k.key)!;
    const want = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number);
    if (want < 0) continue; // ethtool: a negative number means "not given"
    const r = P.paramRow(spec.group, k.key)!;
    if ((cur[r.field] | 0) === want) {
      out.err(`${k.key} unmodified, ignoring\n`);
      unmodified.push(k.key);
      continue;
    }
    next[r.field] = want;
    changed[k.key] = r.kind === 'bool' ? want !== 0 : want;
  }
  const result = { ifname: ctx.devname, changed, unmodified };

  if (Object.keys(changed).length === 0) {
    const [msg, code] = spec.unchanged;
    const text = fill(spec, msg, cur);
    if (code !== 0) out.error(text.replace(/\n/g, ' '), text + '\n');
    else {
      out.err(text + '\n');
      const current: Record<string, JsonValue> = toJson(spec, ctx.devname, cur);
      delete current.ifname;
      out.object({ ...result, current });
    }
    return code;
  }
  const r = ops.setStruct(ctx.dev, spec.group.layout, spec.group.setCmd, next);
  if (r < 0) {
    out.perror(spec.setFailed[0], -r);
    return spec.setFailed[1];
  }
  out.object(result);
  return 0;
}

// ---- the commands -------------------------------------------------------------------------

export const showRing = (ctx: Ctx): number => show(RING, ctx);
export const setRing = (ctx: Ctx): number => change(RING, ctx);
export const showChannels = (ctx: Ctx): number => show(CHANNELS, ctx);
export const setChannels = (ctx: Ctx): number => change(CHANNELS, ctx);
export const showCoalesce = (ctx: Ctx): number => show(COALESCE, ctx);
export const setCoalesce = (ctx: Ctx): number => change(COALESCE, ctx);
export const setPause = (ctx: Ctx): number => change(PAUSE, ctx);

/**
 * -a: with pause autonegotiation on, ethtool also reads the legacy ETHTOOL_GSET to resolve
 * what was negotiated (IEEE 802.3 annex 28B) from our and the partner's pause bits.
 */
export function showPause(ctx: Ctx): number {
  return show(PAUSE, ctx, (raw): { text: string; json: Record<string, JsonValue> } | number => {
    if (!raw.autoneg) return { text: '\n', json: {} };
    const gset = ops.getStruct<Raw>(ctx.dev, S.ethtool_cmd, ETHTOOL.GSET);
    if (!gset.ok) {
      ctx.out.perror('Cannot get device settings', gset.errno);
      return 1;
    }
    const adv = [gset.v.advertising], lp = [gset.v.lp_advertising];
    let rx = false, tx = false;
    const both = (b: number): boolean => testBit(adv, b) && testBit(lp, b);
    if (both(BIT.Pause)) {
      rx = tx = true;
    } else if (both(BIT.Asym_Pause)) {
      if (testBit(adv, BIT.Pause)) rx = true;
      else if (testBit(lp, BIT.Pause)) tx = true;
    }
    const onoff = (x: boolean): string => (x ? 'on' : 'off');
    const text = lp[0] !== 0 ? `RX negotiated:\t${onoff(rx)}\nTX negotiated:\t${onoff(tx)}\n\n` : '\n';
    return { text, json: { negotiated: { rx, tx } } };
  });
}
