/**
 * --cable-test / --cable-test-tdr (netlink only; ethtool 6.1's netlink/cable_test.c): join the
 * "monitor" group, send CABLE_TEST_ACT / CABLE_TEST_TDR_ACT, then print the device's
 * CABLE_TEST_NTF / CABLE_TEST_TDR_NTF notifications until one says the test completed.
 *
 * cableTestReply() and cableTestTdrReply() print one notification (the monitor's too).
 */
import type { Attrs, AttrSet } from '../../ethtool/netlink/attrs';
import { decodeAttrs } from '../../ethtool/netlink/attrs';
import { forEachAttr } from '../../ethtool/netlink/tlv';
import { CABLE_AMPLITUDE, CABLE_FAULT_LENGTH, CABLE_PULSE, CABLE_RESULT, CABLE_RESULT_CODE, CABLE_STEP, CABLE_TEST_NTF_STATUS } from '../../ethtool/netlink/catalog';
import type { Monitor } from '../../ethtool/netlink/client';
import { NL_FALLBACK, NlCtx, devOk, isDump, reportAck } from './cmd';
import { ArgState, Param, ParamHandler, directU8, parse } from './parser';
import { fixed } from './print';

/** A notification as the printers take it: decoded attributes and, when known, the raw ones (for their order). */
export interface CableNtf {
  attrs: Attrs;
  raw?: Uint8Array;
}

const STATUS = CABLE_TEST_NTF_STATUS.values;
const CODE = CABLE_RESULT_CODE.values;

export function pairName(pair: number): string {
  return ['Pair A', 'Pair B', 'Pair C', 'Pair D'][pair] ?? 'Unexpected pair';
}

export function codeName(code: number): string {
  switch (code) {
    case CODE.OK: return 'OK';
    case CODE.OPEN: return 'Open Circuit';
    case CODE.SAME_SHORT: return 'Short within Pair';
    case CODE.CROSS_SHORT: return 'Short to another pair';
    default: return 'Unknown';
  }
}

/** (float)cm / 100, as C computes it. */
function meters(cm: number): number {
  return Math.fround(Math.fround(cm >>> 0) / 100);
}

/**
 * The entries of the notification's nest (attribute 3) in the order they came: [type, attrs]
 * decoded with `tables` by type. Without raw bytes: the decoded lists, kind by kind.
 */
function nestEntries(n: CableNtf, tables: Readonly<Record<number, [string, AttrSet]>>): [number, Attrs][] {
  const out: [number, Attrs][] = [];
  if (n.raw) {
    const raw = n.raw;
    forEachAttr(raw, 0, raw.byteLength, (type, at, stop) => {
      if (type !== 3) return;
      forEachAttr(raw, at, stop, (t, a, s) => {
        const tb = tables[t];
        if (tb) out.push([t, decodeAttrs(tb[1], raw, a, s)]);
      });
    });
    return out;
  }
  const nest = n.attrs.nest as Attrs | undefined;
  if (!nest) return out;
  for (const [t, [name]] of Object.entries(tables)) {
    for (const e of (nest[name] as Attrs[] | undefined) ?? []) out.push([Number(t), e]);
  }
  return out;
}

function headerDev(a: Attrs): string | null {
  const h = a.header as Attrs | undefined;
  if (!h) return null;
  return typeof h.dev_name === 'string' ? h.dev_name : '(none)';
}

/** The status, or 0 (UNSPEC). */
function status(a: Attrs): number {
  return typeof a.status === 'number' ? a.status : 0;
}

export interface NtfResult {
  /** false: ethtool's callback failed on it. */
  ok: boolean;
  /** The test is over for the device (STATUS_COMPLETED). */
  completed: boolean;
}

/** cable_test_ntf_stop_cb: one CABLE_TEST_NTF. */
export function cableTestReply(c: NlCtx, n: CableNtf): NtfResult {
  const silent = isDump(c) || c.st.isMonitor;
  const dev = headerDev(n.attrs);
  if (!devOk(c, dev ?? '')) return { ok: silent, completed: false };
  const st = status(n.attrs);
  const p = c.p;
  if (st === STATUS.STARTED) p.text(`Cable test started for device ${dev}.\n`);
  else if (st === STATUS.COMPLETED) p.text(`Cable test completed for device ${dev}.\n`);
  for (const [t, e] of nestEntries(n, { 1: ['result', CABLE_RESULT], 2: ['fault_length', CABLE_FAULT_LENGTH] })) {
    if (t === 1) {
      if (typeof e.pair !== 'number' || typeof e.code !== 'number') break;
      p.openObject(null);
      p.field('pair', `${pairName(e.pair)} `, pairName(e.pair));
      p.field('code', `code ${codeName(e.code)}\n`, codeName(e.code));
      p.closeObject();
    } else {
      if (typeof e.pair !== 'number' || typeof e.cm !== 'number') break;
      const m = meters(e.cm);
      p.openObject(null);
      p.field('pair', `${pairName(e.pair)}, `, pairName(e.pair));
      p.float('length', `fault length: ${fixed(m, 2)}m\n`, m);
      p.closeObject();
    }
  }
  return { ok: true, completed: st === STATUS.COMPLETED };
}

/** cable_test_tdr_ntf_stop_cb: one CABLE_TEST_TDR_NTF. */
export function cableTestTdrReply(c: NlCtx, n: CableNtf): NtfResult {
  const silent = isDump(c) || c.st.isMonitor;
  const dev = headerDev(n.attrs);
  if (!devOk(c, dev ?? '')) return { ok: silent, completed: false };
  const st = status(n.attrs);
  const p = c.p;
  if (st === STATUS.STARTED) p.text(`Cable test TDR started for device ${dev}.\n`);
  else if (st === STATUS.COMPLETED) p.text(`Cable test TDR completed for device ${dev}.\n`);
  for (const [t, e] of nestEntries(n, { 1: ['step', CABLE_STEP], 2: ['amplitude', CABLE_AMPLITUDE], 3: ['pulse', CABLE_PULSE] })) {
    if (t === 2) {
      if (typeof e.pair !== 'number' || typeof e.mv !== 'number') break;
      p.openObject(null);
      p.field('pair', `${pairName(e.pair)} `, pairName(e.pair));
      p.field('amplitude', `Amplitude ${String(e.mv).padStart(4)}\n`, e.mv);
      p.closeObject();
    } else if (t === 3) {
      if (typeof e.mv !== 'number') break;
      const mv = e.mv & 0xffff;
      p.openObject(null);
      p.field('pulse', `TDR Pulse ${mv}mV\n`, mv);
      p.closeObject();
    } else {
      if (typeof e.first_distance !== 'number' || typeof e.last_distance !== 'number' || typeof e.step_distance !== 'number') break;
      const first = meters(e.first_distance), last = meters(e.last_distance), step = meters(e.step_distance);
      p.openObject(null);
      p.float('first', `Step configuration: ${fixed(first, 2)}-`, first);
      p.float('last', `${fixed(last, 2)} meters `, last);
      p.float('step', `in ${fixed(step, 2)}m steps\n`, step);
      p.closeObject();
    }
  }
  return { ok: true, completed: st === STATUS.COMPLETED };
}

/** A failure before the request went out: no JSON document (ethtool starts it after sending). */
function early(_c: NlCtx, code: number): number {
  return code;
}

/** Join the group; null (after nothing printed: ethtool's failed setsockopt is silent) when that fails. */
function join(c: NlCtx): Monitor | null {
  try {
    return c.nl.monitor();
  } catch {
    return null;
  }
}

type Kind = 'CABLE_TEST_NTF' | 'CABLE_TEST_TDR_NTF';

/** Send the ACT, then read the device's notifications of `kind` until COMPLETED. */
async function run(c: NlCtx, kind: Kind, send: () => ReturnType<NlCtx['nl']['request']>, startErr: string): Promise<number> {
  if (c.nl.monitorGroup === undefined) {
    c.out.err("multicast group 'monitor' not found\n");
    return early(c, NL_FALLBACK);
  }
  const mon = join(c);
  if (!mon) return early(c, 1);
  try {
    const r = send();
    if (!r.ok && r.source === 'socket') {
      c.out.err(`${startErr}\n`);
      return early(c, 1);
    }
    // ethtool starts its document once the request is out.
    c.out.alwaysDocument();
    reportAck(c, r);
    if (!r.ok) return c.st.exitCode || 1;
    c.st.isMonitor = true;
    c.st.filterDev = c.devname;
    for (;;) {
      const n = await mon.next();
      if (!n) return 1;
      if (n.message !== kind) continue;
      const res = kind === 'CABLE_TEST_NTF' ? cableTestReply(c, n) : cableTestTdrReply(c, n);
      if (!res.ok) return c.st.exitCode || 1;
      if (res.completed) return 0;
    }
  } finally {
    mon.close();
  }
}

/** --cable-test DEV (further words are ignored): nl_cable_test. */
export function cableTest(c: NlCtx): Promise<number> {
  const dump = isDump(c);
  return run(c, 'CABLE_TEST_NTF',
    () => (dump ? c.nl.dump('CABLE_TEST_ACT') : c.nl.set('CABLE_TEST_ACT', c.devname, {})), 'Cannot start cable test');
}

/** strtof over the whole word (leading blanks allowed), as a float; null when C would refuse it. */
export function strtof(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?)|0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))$/i.exec(s);
  if (!m) return null;
  const neg = m[1] === '-';
  let v: number;
  if (m[2]) v = Infinity;
  else if (m[3]) v = NaN;
  else if (m[4] !== undefined) {
    const [int, frac = ''] = m[4].split('.');
    v = (parseInt(int || '0', 16) + (frac ? parseInt(frac, 16) / 16 ** frac.length : 0)) * 2 ** Number(m[5] ?? 0);
  } else v = Number(m[6]);
  return Math.fround(neg ? -v : v);
}

/** nl_parse_direct_m2cm: metres (0 to 150) to centimetres. The value may be missing (min_argc 0). */
const m2cm: ParamHandler = (s: ArgState, into, attr, dest) => {
  const arg = s.left > 0 ? s.take() : undefined;
  const v = arg === undefined ? null : strtof(arg);
  if (v === null || v < 0 || v > 150) return s.invalid(arg ?? '(null)');
  const cm = Number.isNaN(v) ? 0 : Math.trunc(Math.fround(v * 100) + 0.5) >>> 0;
  if (attr) into[attr] = cm;
  dest[s.param] = cm;
  return true;
};

/** nl_parse_direct_u8, with the value possibly missing (min_argc 0). */
const u8OrNull: ParamHandler = (s, into, attr, dest) => {
  if (s.left <= 0) return s.invalid('(null)');
  return directU8(s, into, attr, dest);
};

const TDR_PARAMS: readonly Param[] = [
  { arg: 'first', attr: 'first', handler: m2cm, minArgc: 0 },
  { arg: 'last', attr: 'last', handler: m2cm, minArgc: 0 },
  { arg: 'step', attr: 'step', handler: m2cm, minArgc: 0 },
  { arg: 'pair', attr: 'pair', handler: u8OrNull, minArgc: 0 },
];

/** --cable-test-tdr DEV [first N] [last N] [step N] [pair N]: nl_cable_test_tdr ("*" is sent as a name). */
export async function cableTestTdr(c: NlCtx): Promise<number> {
  if (c.nl.monitorGroup === undefined) {
    c.out.err("multicast group 'monitor' not found\n");
    return early(c, NL_FALLBACK);
  }
  const parsed = parse(c, '--cable-test-tdr', TDR_PARAMS);
  if (!parsed) return early(c, 1);
  const cfg = parsed.attrs;
  const attrs: Attrs = Object.keys(cfg).length ? { cfg } : {};
  return run(c, 'CABLE_TEST_TDR_NTF', () => c.nl.set('CABLE_TEST_TDR_ACT', c.devname, attrs), 'Cannot start cable test TDR');
}
