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
import type { ParamGroup, IoctlRow } from '../../ethtool/catalog/params';
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
   * Blocks (layout 'blocks'): the ones whose rows share one line ('line'; 'line-blank': and an empty
   * line follows); the others are a line per row and end with an empty line.
   */
  readonly lineBlocks?: Readonly<Record<number, 'line' | 'line-blank'>>;
  /** The netlink set command's exit status when the kernel refuses it. */
  readonly nlSetFailed: number;
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
  group: P.RING, header: 'Ring parameters for %s:', layout: 'maxima', nlSetFailed: 81,
  showGetFailed: ['Cannot get device ring settings', 76],
  setGetFailed: ['Cannot get device ring settings', 76],
  setFailed: ['Cannot set device ring parameters', 81],
  unchanged: ['no ring parameters changed, aborting', 80],
};

export const CHANNELS: ParamSpec = {
  group: P.CHANNELS, header: 'Channel parameters for %s:', layout: 'maxima', nlSetFailed: 1,
  showGetFailed: ['Cannot get device channel parameters', 1],
  setGetFailed: ['Cannot get device channel parameters', 1],
  setFailed: ['Cannot set device channel parameters', 1],
  // Not a failure for ethtool: it reports the current values and exits 0.
  unchanged: ['no channel parameters changed.\ncurrent values: rx {rx} tx {tx} other {other} combined {combined}', 0],
};

export const COALESCE: ParamSpec = {
  group: P.COALESCE, header: 'Coalesce parameters for %s:', layout: 'blocks', nlSetFailed: 1,
  lineBlocks: { 0: 'line', 6: 'line-blank' },
  setOrder: ['adaptive-rx', 'adaptive-tx', 'sample-interval', 'stats-block-usecs'],
  showGetFailed: ['Cannot get device coalesce settings', 82],
  setGetFailed: ['Cannot get device coalesce settings', 76],
  setFailed: ['Cannot set device coalesce parameters', 81],
  unchanged: ['no coalesce parameters changed, aborting', 80],
};

export const PAUSE: ParamSpec = {
  group: P.PAUSE, header: 'Pause parameters for %s:', layout: 'plain', nlSetFailed: 76,
  showGetFailed: ['Cannot get device pause settings', 76],
  setGetFailed: ['Cannot get device pause settings', 77],
  setFailed: ['Cannot set device pause parameters', 79],
  unchanged: ['no pause parameters changed, aborting', 78],
};

// ---- generic machinery ------------------------------------------------------------------

type Raw = Record<string, number>;

/** A setting's value as ethtool prints it: on/off, a number, or (netlink, not reported) n/a. */
export function display(kind: 'u32' | 'bool', v: number | undefined): string {
  if (v === undefined) return 'n/a';
  return kind === 'bool' ? (v ? 'on' : 'off') : String(v >>> 0);
}

/** `text` with every {key} replaced by that setting's value. */
export function fill(spec: ParamSpec, text: string, raw: Raw): string {
  return text.replace(/\{([a-z-]+)\}/g, (_, key: string) => {
    const r = P.paramRow(spec.group, key);
    if (!r?.field) throw new Error(`message names unknown key ${key}`);
    return display(r.kind, raw[r.field]);
  });
}

/** A row as a path sees it: what is printed before it, its value, its maximum (undefined: not reported). */
export interface Shown { text: string; kind: 'u32' | 'bool'; block?: number; value: number | undefined; max?: number | undefined; hasMax: boolean }

/** The listing after the header, as ethtool prints it (either path: the caller says what each row shows). */
export function listing(spec: ParamSpec, rows: readonly Shown[]): string {
  const line = (r: Shown, v = r.value): string => `${r.text}${display(r.kind, v)}\n`;
  switch (spec.layout) {
    case 'maxima':
      return 'Pre-set maximums:\n' + rows.filter(r => r.hasMax).map(r => line(r, r.max)).join('') +
        'Current hardware settings:\n' + rows.map(r => line(r)).join('');
    case 'plain':
      return rows.map(r => line(r)).join('');
    case 'blocks': {
      let text = '';
      for (const b of new Set(rows.map(r => r.block ?? 0))) {
        const block = rows.filter(r => (r.block ?? 0) === b);
        const style = spec.lineBlocks?.[b];
        if (style) text += block.map(r => r.text + display(r.kind, r.value)).join('') + '\n' + (style === 'line-blank' ? '\n' : '');
        else text += block.map(r => line(r)).join('') + '\n';
      }
      return text;
    }
  }
}

/** The ioctl path's rows (its struct's members) with the values read. */
function shownIoctl(spec: ParamSpec, raw: Raw): Shown[] {
  return P.ioctlRows(spec.group).map(r => ({ text: r.text, kind: r.kind, block: r.block, value: raw[r.field], max: r.max ? raw[r.max] : undefined, hasMax: !!r.max }));
}

/** The listing after the header on the ioctl path (maxima lists end with an empty line there). */
export function render(spec: ParamSpec, raw: Raw): string {
  const text = listing(spec, shownIoctl(spec, raw));
  return spec.layout === 'maxima' ? text + '\n' : text;
}

export function toJson(spec: ParamSpec, devname: string, raw: Raw): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { ifname: devname };
  const rows = P.ioctlRows(spec.group);
  const val = (r: IoctlRow, field: string): JsonValue => r.kind === 'bool' ? raw[field] !== 0 : raw[field] >>> 0;
  for (const r of rows) if (r.max) o[`${r.json}-max`] = val(r, r.max);
  for (const r of rows) o[r.json] = val(r, r.field);
  return o;
}

/** The set command's parse table on `path`: one row per key, in ethtool's table order. */
export function keyRows(spec: ParamSpec, path: 'ioctl' | 'netlink' = 'ioctl'): KeyRow[] {
  const rows = path === 'ioctl' ? P.ioctlRows(spec.group) : spec.group.rows;
  const first = (spec.setOrder ?? []).map(key => {
    if (!rows.some(r => r.key === key)) throw new Error(`set order names unknown key ${key}`);
    return key;
  });
  const order = [...first, ...rows.map(r => r.key).filter(k => !first.includes(k))];
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
    const r = P.paramRow(spec.group, k.key) as IoctlRow;
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
