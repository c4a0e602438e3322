/**
 * RSS and flow hashing in profiles: the `rss:` section (its keys and values), the state read
 * (rx rings, indirection table, key, hash function, rx-flow-hash per flow type), the wants,
 * rows and steps of a plan, and the restore of a snapshot. The kernel side is the Nic API
 * (src/device/nic.ts: rxRings, rss, setRss, rxFlowHash, setRxFlowHash). The plan's side is in
 * ./rss-plan.ts.
 *
 * Ordering: the indirection table may only point at queues that exist, so on a device whose
 * channel count changes it is planned again after the channel change ("later") — except when
 * the channels shrink below what the current table points at (the kernel refuses such an
 * SCHANNELS while a table is configured): then the new table, which fits the queues of both
 * counts, is set first.
 */
import type { Nic } from '../device/nic';
import { EthtoolError } from '../device/errors';
import { rxhFromLetters } from '../ethtool/rss';
import type { ValueSrc, SettingDef, ParamDef, Pos } from './model';
import { Got, got } from './got';

/** As ./load.ts's Problem. */
interface Problem { pos: Pos; key: string; message: string }

/** The flow types a profile may set the hashing of (ethtool -N rx-flow-hash). */
export const FLOW_TYPES = ['tcp4', 'udp4', 'tcp6', 'udp6'] as const;
export const RSS_KEYS = ['indir', 'queues', 'hkey', 'hfunc', 'flow-hash'];
const INDIR_WORDS = ['equal', 'default', 'keep'];

export interface RssConfigState {
  /** Entries of the indirection table (0: none). */
  size: number;
  indir: number[];
  /** The key as hex bytes joined by colons; null: none (or only GRXFHINDIR). */
  key: string | null;
  hfunc: string | null;
  /** The hash functions the driver names. */
  hfuncs: string[];
  indirOnly: boolean;
}

export interface RssState {
  rings: Got<number>;
  config: Got<RssConfigState>;
  /** ethtool's letters (sdfn …) per flow type. */
  flowHash: Record<string, Got<string>>;
  /** Flow types whose hashing the driver refused when set (found by an apply). */
  refused?: string[];
}

export type RssIndir = 'default' | { equal: number | 'channels' } | { table: number[] };

/** What a profile or a snapshot asks of a device's RSS. */
export interface RssWant {
  kind: 'rss';
  dev: string;
  /** indir, hkey, hfunc, flow-hash.tcp4 … */
  part: string;
  indir?: RssIndir;
  value?: string;
  setting: string;
  why?: string;
}

export interface RssSet { indir?: number[] | 'default'; key?: string; hfunc?: string }

export type RssStep =
  | { kind: 'rss'; dev: string; change: RssSet; prior: RssSet; ids: string[]; settings: string[] }
  | { kind: 'flow-hash'; dev: string; flowType: string; fields: string; prior: string; ids: string[]; settings: string[] };

// ---- values ---------------------------------------------------------------------------------

export function hexKey(b: Uint8Array): string {
  return [...b].map(x => x.toString(16).padStart(2, '0')).join(':');
}

export function keyBytes(s: string): Uint8Array {
  return Uint8Array.from(s.split(':'), x => parseInt(x, 16));
}

export function normLetters(s: string): number | null {
  return rxhFromLetters(s);
}

/** A key of the rss section as written (flow-hash.tcp4 for the nested ones); false: unknown. */
export function rssKeyKnown(key: string): boolean {
  if (key.startsWith('flow-hash.')) return (FLOW_TYPES as readonly string[]).includes(key.slice(10));
  return RSS_KEYS.includes(key) && key !== 'flow-hash';
}

export function rssKeyHelp(key: string): string {
  return key.startsWith('flow-hash.')
    ? `unknown flow type (expected one of: ${FLOW_TYPES.join(', ')})`
    : `unknown key (expected one of: ${RSS_KEYS.join(', ')})`;
}

/** The value of an rss key (literal), or what is wrong with it. */
export function rssValue(key: string, v: unknown): ValueSrc | string {
  const shown = JSON.stringify(v);
  switch (key) {
    case 'indir':
      return typeof v === 'string' && INDIR_WORDS.includes(v) ? { kind: 'lit', v } : `bad value ${shown} (expected one of: ${INDIR_WORDS.join(', ')})`;
    case 'queues':
      if (v === 'channels') return { kind: 'lit', v };
      if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) return { kind: 'lit', v };
      return `bad value ${shown}: expected a number of queues (1-65535) or "channels"`;
    case 'hkey':
      if (v === 'keep') return { kind: 'lit', v };
      if (typeof v === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2})*$/i.test(v)) return { kind: 'lit', v: v.toLowerCase() };
      return `bad value ${shown}: expected "keep" or the key as hex bytes joined by colons (6d:5a:56:…)`;
    case 'hfunc':
      if (typeof v === 'string' && /^[a-z][a-z0-9_-]*$/i.test(v)) return { kind: 'lit', v };
      return `bad value ${shown}: expected "keep" or a hash function name (toeplitz, xor, crc32 …)`;
    default:
      if (v === 'keep') return { kind: 'lit', v };
      if (typeof v === 'string' && v !== '' && normLetters(v) !== null) return { kind: 'lit', v };
      return `bad value ${shown}: expected "keep" or hash fields, each one of m v t s d f n r (sdfn: addresses and ports)`;
  }
}

/** Whether parameter `p` may give the value of `key` (its every value checked). */
export function rssParamFits(key: string, p: ParamDef): boolean {
  if (key === 'queues') return p.type === 'int';
  return p.type === 'enum' && p.values!.every(x => typeof rssValue(key, x) !== 'string');
}

/**
 * The rss section's settings as the plan takes them: `queues` folded into `indir` (it only
 * says how `indir: equal` spreads).
 */
export function foldRss(defs: SettingDef[], problems: Problem[]): SettingDef[] {
  const q = defs.find(d => d.key === 'queues');
  const indir = defs.find(d => d.key === 'indir');
  if (!q) return defs;
  const equal = indir && (indir.value.kind === 'param' || (indir.value.kind === 'lit' && indir.value.v === 'equal'));
  if (!equal) problems.push({ pos: q.pos, key: 'rss.queues', message: 'only with indir: equal (it says over how many queues the table is spread)' });
  else indir.rssQueues = q.value;
  return defs.filter(d => d !== q);
}

// ---- state ----------------------------------------------------------------------------------


export function readRss(nic: Nic): RssState {
  const rings = got(() => nic.rxRings());
  const config = got((): RssConfigState => {
    const r = nic.rss();
    return { size: r.indirSize, indir: r.indir, key: r.key ? hexKey(r.key) : null, hfunc: r.hfunc, hfuncs: Object.keys(r.hfuncs), indirOnly: r.indirOnly };
  });
  const flowHash: Record<string, Got<string>> = {};
  for (const ft of FLOW_TYPES) flowHash[ft] = got(() => { const f = nic.rxFlowHash(ft); return f.fields + (f.discard ? 'r' : ''); });
  return { rings, config, flowHash };
}

/** A table in a line: "equal over 4 (128 entries)", or its distinct queues. */
export function describeTable(t: readonly number[] | null): string | null {
  if (t === null) return null;
  if (t.length === 0) return 'none';
  const n = Math.max(...t) + 1;
  if (t.every((q, i) => q === i % n)) return `equal over ${n} (${t.length} entries)`;
  const qs = [...new Set(t)].sort((a, b) => a - b);
  return `queues ${qs.join(',')} (${t.length} entries, ${t.slice(0, 8).join(' ')}${t.length > 8 ? ' …' : ''})`;
}

export function describeRssStep(s: RssStep): string {
  if (s.kind === 'flow-hash') return `${s.dev}: rx-flow-hash ${s.flowType} ${s.fields}`;
  const parts: string[] = [];
  if (s.change.indir !== undefined) parts.push(`indir ${s.change.indir === 'default' ? 'default' : describeTable(s.change.indir)}`);
  if (s.change.key !== undefined) parts.push('hkey');
  if (s.change.hfunc !== undefined) parts.push(`hfunc ${s.change.hfunc}`);
  return `${s.dev}: rss ${parts.join(', ')}`;
}

// ---- apply ----------------------------------------------------------------------------------

export function runRssStep(nic: Nic, s: RssStep, undo: boolean): void {
  if (s.kind === 'flow-hash') { nic.setRxFlowHash(s.flowType, undo ? s.prior : s.fields); return; }
  const c = undo ? s.prior : s.change;
  nic.setRss({ indir: c.indir, key: c.key !== undefined ? keyBytes(c.key) : undefined, hfunc: c.hfunc });
}

/** An SRXFH the driver refused (hash fields it does not allow for the flow type). */
export function isRefusal(s: { kind: string }, e: unknown): boolean {
  return s.kind === 'flow-hash' && e instanceof EthtoolError && (e.kind === 'unsupported' || e.errno === 22);
}
