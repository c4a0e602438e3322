/**
 * -g/-G (rings), -l/-L (channels), -c/-C (coalescing), -a/-A (pause): four commands of one
 * shape — a fixed kernel struct read with one GET, shown as labelled numbers, changed with
 * KEY VALUE pairs and one SET. Each is described once, as data: per field the kernel struct
 * member, the command-line key (when settable), the JSON name, and the output template that
 * places it. Parsing, the "unmodified" checks, printing and JSON all walk the same rows.
 */
import type { Ctx } from '../run';
import { badArgs } from '../run';
import type { StructLayout } from '../../ethtool/layout';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import { parseKeyValues, KeyRow } from '../parse';
import type { JsonValue } from '../json';

export interface ParamField {
  /** Member of the kernel struct. */
  readonly field: string;
  /** Name in JSON output and in the output template. */
  readonly json: string;
  /** Command-line key of the set command; absent for read-only fields (maxima). */
  readonly key?: string;
  readonly kind: 'u32' | 'bool';
}

/** [message, exit status] */
type Failure = readonly [string, number];

export interface ParamSpec {
  readonly layout: StructLayout;
  readonly getCmd: number;
  readonly setCmd: number;
  /** First stdout line of the show command; %s = device name. */
  readonly header: string;
  readonly fields: readonly ParamField[];
  /**
   * Settable keys in ethtool's parse-table order (the order of "unmodified" messages);
   * defaults to the settable fields in `fields` order.
   */
  readonly setOrder?: readonly string[];
  /** Output lines after the header; {json-name} is replaced by the field's value. */
  readonly template: readonly string[];
  readonly showGetFailed: Failure;
  readonly setGetFailed: Failure;
  readonly setFailed: Failure;
  /** What the set command says when nothing would change. */
  readonly unchanged: Failure;
}

const u = (field: string, json: string, key?: string): ParamField => ({ field, json, key, kind: 'u32' });
const b = (field: string, json: string, key?: string): ParamField => ({ field, json, key, kind: 'bool' });

export const RING: ParamSpec = {
  layout: S.ethtool_ringparam, getCmd: ETHTOOL.GRINGPARAM, setCmd: ETHTOOL.SRINGPARAM,
  header: 'Ring parameters for %s:',
  fields: [
    u('rx_max_pending', 'rx-max'), u('rx_mini_max_pending', 'rx-mini-max'),
    u('rx_jumbo_max_pending', 'rx-jumbo-max'), u('tx_max_pending', 'tx-max'),
    u('rx_pending', 'rx', 'rx'), u('rx_mini_pending', 'rx-mini', 'rx-mini'),
    u('rx_jumbo_pending', 'rx-jumbo', 'rx-jumbo'), u('tx_pending', 'tx', 'tx'),
  ],
  template: [
    'Pre-set maximums:', 'RX:\t\t{rx-max}', 'RX Mini:\t{rx-mini-max}', 'RX Jumbo:\t{rx-jumbo-max}', 'TX:\t\t{tx-max}',
    'Current hardware settings:', 'RX:\t\t{rx}', 'RX Mini:\t{rx-mini}', 'RX Jumbo:\t{rx-jumbo}', 'TX:\t\t{tx}', '',
  ],
  showGetFailed: ['Cannot get device ring settings', 76],
  setGetFailed: ['Cannot get device ring settings', 76],
  setFailed: ['Cannot set device ring parameters', 81],
  unchanged: ['no ring parameters changed, aborting', 80],
};

export const CHANNELS: ParamSpec = {
  layout: S.ethtool_channels, getCmd: ETHTOOL.GCHANNELS, setCmd: ETHTOOL.SCHANNELS,
  header: 'Channel parameters for %s:',
  fields: [
    u('max_rx', 'rx-max'), u('max_tx', 'tx-max'), u('max_other', 'other-max'), u('max_combined', 'combined-max'),
    u('rx_count', 'rx', 'rx'), u('tx_count', 'tx', 'tx'), u('other_count', 'other', 'other'),
    u('combined_count', 'combined', 'combined'),
  ],
  template: [
    'Pre-set maximums:', 'RX:\t\t{rx-max}', 'TX:\t\t{tx-max}', 'Other:\t\t{other-max}', 'Combined:\t{combined-max}',
    'Current hardware settings:', 'RX:\t\t{rx}', 'TX:\t\t{tx}', 'Other:\t\t{other}', 'Combined:\t{combined}', '',
  ],
  showGetFailed: ['Cannot get device channel parameters', 1],
  setGetFailed: ['Cannot get device channel parameters', 1],
  setFailed: ['Cannot set device channel parameters', 1],
  // Not a failure for ethtool: it reports the current values and exits 0.
  unchanged: ['no channel parameters changed.\ncurrent values: rx {rx} tx {tx} other {other} combined {combined}', 0],
};

export const COALESCE: ParamSpec = {
  layout: S.ethtool_coalesce, getCmd: ETHTOOL.GCOALESCE, setCmd: ETHTOOL.SCOALESCE,
  header: 'Coalesce parameters for %s:',
  fields: [
    b('use_adaptive_rx_coalesce', 'adaptive-rx', 'adaptive-rx'),
    b('use_adaptive_tx_coalesce', 'adaptive-tx', 'adaptive-tx'),
    u('stats_block_coalesce_usecs', 'stats-block-usecs', 'stats-block-usecs'),
    u('rate_sample_interval', 'sample-interval', 'sample-interval'),
    u('pkt_rate_low', 'pkt-rate-low', 'pkt-rate-low'),
    u('pkt_rate_high', 'pkt-rate-high', 'pkt-rate-high'),
    u('rx_coalesce_usecs', 'rx-usecs', 'rx-usecs'),
    u('rx_max_coalesced_frames', 'rx-frames', 'rx-frames'),
    u('rx_coalesce_usecs_irq', 'rx-usecs-irq', 'rx-usecs-irq'),
    u('rx_max_coalesced_frames_irq', 'rx-frames-irq', 'rx-frames-irq'),
    u('tx_coalesce_usecs', 'tx-usecs', 'tx-usecs'),
    u('tx_max_coalesced_frames', 'tx-frames', 'tx-frames'),
    u('tx_coalesce_usecs_irq', 'tx-usecs-irq', 'tx-usecs-irq'),
    u('tx_max_coalesced_frames_irq', 'tx-frames-irq', 'tx-frames-irq'),
    u('rx_coalesce_usecs_low', 'rx-usecs-low', 'rx-usecs-low'),
    u('rx_max_coalesced_frames_low', 'rx-frames-low', 'rx-frames-low'),
    u('tx_coalesce_usecs_low', 'tx-usecs-low', 'tx-usecs-low'),
    u('tx_max_coalesced_frames_low', 'tx-frames-low', 'tx-frames-low'),
    u('rx_coalesce_usecs_high', 'rx-usecs-high', 'rx-usecs-high'),
    u('rx_max_coalesced_frames_high', 'rx-frames-high', 'rx-frames-high'),
    u('tx_coalesce_usecs_high', 'tx-usecs-high', 'tx-usecs-high'),
    u('tx_max_coalesced_frames_high', 'tx-frames-high', 'tx-frames-high'),
  ],
  setOrder: [
    'adaptive-rx', 'adaptive-tx', 'sample-interval', 'stats-block-usecs', 'pkt-rate-low', 'pkt-rate-high',
    'rx-usecs', 'rx-frames', 'rx-usecs-irq', 'rx-frames-irq', 'tx-usecs', 'tx-frames', 'tx-usecs-irq',
    'tx-frames-irq', 'rx-usecs-low', 'rx-frames-low', 'tx-usecs-low', 'tx-frames-low', 'rx-usecs-high',
    'rx-frames-high', 'tx-usecs-high', 'tx-frames-high',
  ],
  template: [
    'Adaptive RX: {adaptive-rx}  TX: {adaptive-tx}',
    'stats-block-usecs: {stats-block-usecs}', 'sample-interval: {sample-interval}',
    'pkt-rate-low: {pkt-rate-low}', 'pkt-rate-high: {pkt-rate-high}', '',
    'rx-usecs: {rx-usecs}', 'rx-frames: {rx-frames}', 'rx-usecs-irq: {rx-usecs-irq}', 'rx-frames-irq: {rx-frames-irq}', '',
    'tx-usecs: {tx-usecs}', 'tx-frames: {tx-frames}', 'tx-usecs-irq: {tx-usecs-irq}', 'tx-frames-irq: {tx-frames-irq}', '',
    'rx-usecs-low: {rx-usecs-low}', 'rx-frames-low: {rx-frames-low}', 'tx-usecs-low: {tx-usecs-low}', 'tx-frames-low: {tx-frames-low}', '',
    'rx-usecs-high: {rx-usecs-high}', 'rx-frames-high: {rx-frames-high}', 'tx-usecs-high: {tx-usecs-high}', 'tx-frames-high: {tx-frames-high}', '',
  ],
  showGetFailed: ['Cannot get device coalesce settings', 82],
  setGetFailed: ['Cannot get device coalesce settings', 76],
  setFailed: ['Cannot set device coalesce parameters', 81],
  unchanged: ['no coalesce parameters changed, aborting', 80],
};

export const PAUSE: ParamSpec = {
  layout: S.ethtool_pauseparam, getCmd: ETHTOOL.GPAUSEPARAM, setCmd: ETHTOOL.SPAUSEPARAM,
  header: 'Pause parameters for %s:',
  fields: [b('autoneg', 'autonegotiate', 'autoneg'), b('rx_pause', 'rx', 'rx'), b('tx_pause', 'tx', 'tx')],
  template: ['Autonegotiate:\t{autonegotiate}', 'RX:\t\t{rx}', 'TX:\t\t{tx}'],
  showGetFailed: ['Cannot get device pause settings', 76],
  setGetFailed: ['Cannot get device pause settings', 77],
  setFailed: ['Cannot set device pause parameters', 79],
  unchanged: ['no pause parameters changed, aborting', 78],
};

// ---- generic machinery ------------------------------------------------------------------

type Raw = Record<string, number>;

function display(f: ParamField, v: number): string {
  return f.kind === 'bool' ? (v ? 'on' : 'off') : String(v >>> 0);
}

export function fill(spec: ParamSpec, text: string, raw: Raw): string {
  return text.replace(/\{([a-z-]+)\}/g, (_, name: string) => {
    const f = spec.fields.find(x => x.json === name);
    if (!f) throw new Error(`template names unknown field ${name}`);
    return display(f, raw[f.field]);
  });
}

export function render(spec: ParamSpec, devname: string, raw: Raw): string {
  return spec.template.map(line => fill(spec, line, raw) + '\n').join('');
}

export function toJson(spec: ParamSpec, devname: string, raw: Raw): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { ifname: devname };
  for (const f of spec.fields) o[f.json] = f.kind === 'bool' ? raw[f.field] !== 0 : raw[f.field] >>> 0;
  return o;
}

/** The set command's parse table: one row per settable key, in ethtool's table order. */
export function keyRows(spec: ParamSpec): KeyRow[] {
  const settable = spec.fields.filter(f => f.key);
  const order = spec.setOrder ?? settable.map(f => f.key!);
  return order.map(key => {
    const f = settable.find(x => x.key === key);
    if (!f) throw new Error(`set order names unknown key ${key}`);
    return { key, kind: f.kind === 'bool' ? 'bool' : 's32' };
  });
}

function show(spec: ParamSpec, ctx: Ctx, extra?: (raw: Raw) => { text: string; json: Record<string, JsonValue> } | number): number {
  const { out, devname } = ctx;
  out.print(spec.header.replace('%s', devname) + '\n');
  const got = ctx.dev.get<Raw>(spec.layout, spec.getCmd);
  if (!got.ok) {
    out.perror(spec.showGetFailed[0], got.errno);
    return spec.showGetFailed[1];
  }
  let text = render(spec, devname, got.v);
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
  const rows = keyRows(spec);
  const given = parseKeyValues(ctx.args, rows);
  if (!given) return badArgs(out);

  const got = ctx.dev.get<Raw>(spec.layout, spec.getCmd);
  if (!got.ok) {
    out.perror(spec.setGetFailed[0], got.errno);
    return spec.setGetFailed[1];
  }
  const cur = got.v;
  const next: Raw = { ...cur };
  const changed: Record<string, JsonValue> = {};
  const unmodified: string[] = [];
  for (const row of rows) {
    if (!given.has(row.key)) continue;
    const v = given.get(row.key)!;
    const want = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number);
    if (want < 0) continue; // ethtool: a negative number means "not given"
    const f = spec.fields.find(x => x.key === row.key)!;
    if ((cur[f.field] | 0) === want) {
      out.err(`${row.key} unmodified, ignoring\n`);
      unmodified.push(row.key);
      continue;
    }
    next[f.field] = want;
    changed[row.key] = f.kind === 'bool' ? want !== 0 : want;
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
  const r = ctx.dev.set(spec.layout, spec.setCmd, next);
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

const PAUSE_BIT = 1 << 13;
const ASYM_BIT = 1 << 14;

/**
 * -a: with pause autonegotiation on, ethtool also reads the legacy ETHTOOL_GSET to resolve
 * what was negotiated (IEEE 802.3 annex 28B) from our and the partner's pause bits.
 */
export function showPause(ctx: Ctx): number {
  return show(PAUSE, ctx, (raw): { text: string; json: Record<string, JsonValue> } | number => {
    if (!raw.autoneg) return { text: '\n', json: {} };
    const gset = ctx.dev.get<Raw>(S.ethtool_cmd, ETHTOOL.GSET);
    if (!gset.ok) {
      ctx.out.perror('Cannot get device settings', gset.errno);
      return 1;
    }
    const adv = gset.v.advertising, lp = gset.v.lp_advertising;
    let rx = false, tx = false;
    if (adv & lp & PAUSE_BIT) {
      rx = tx = true;
    } else if (adv & lp & ASYM_BIT) {
      if (adv & PAUSE_BIT) rx = true;
      else if (lp & PAUSE_BIT) tx = true;
    }
    const onoff = (x: boolean): string => (x ? 'on' : 'off');
    const text = lp !== 0 ? `RX negotiated:\t${onoff(rx)}\nTX negotiated:\t${onoff(tx)}\n\n` : '\n';
    return { text, json: { negotiated: { rx, tx } } };
  });
}
