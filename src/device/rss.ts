/**
 * The typed side of RSS and flow classification: what Nic's RSS methods take and return, and
 * a rule built from typed values (the same keyword table ethtool's -N uses, src/ethtool/rss.ts).
 */
import * as rss from '../ethtool/rss';
import { ipv4Parse, ipv6Parse } from '../ethtool/inet';
import { RX_CLS_LOC, RX_CLS_FLOW_DISC, RX_CLS_FLOW_WAKE } from '../ethtool/constants';
import { UsageError } from './errors';

export type { DecodedRule, RuleAction, RuleField } from '../ethtool/rss';

/** An RSS context's configuration (GRSSH, or GRXFHINDIR where the driver has only the table). */
export interface RssConfig {
  context: number;
  /** Size of the indirection table (0: the driver has none). */
  indirSize: number;
  indir: number[];
  /** The hash key (null: the driver has none, or only GRXFHINDIR). */
  key: Uint8Array | null;
  /** The active hash function's name, its bit, and every function the driver names. */
  hfunc: string | null;
  hfuncBits: number;
  hfuncs: Record<string, boolean>;
  /** Read with GRXFHINDIR: the driver lacks GRSSH. */
  indirOnly: boolean;
}

/** A change of RSS: each part left as it is when absent. */
export interface RssChange {
  /** A whole table of the device's size, or 'default' (the driver's own spread). */
  indir?: readonly number[] | 'default';
  key?: Uint8Array;
  /** A hash function by its name (ETH_SS_RSS_HASH_FUNCS). */
  hfunc?: string;
  /** The context to change (default 0). */
  context?: number;
}

export interface FlowHash {
  flowType: string;
  /** ethtool's letters: m v t s d f n (r: discard). */
  fields: string;
  discard: boolean;
  data: number;
}

/**
 * A classification rule from typed values: keyword → value for the flow type's keywords (IP and
 * MAC addresses as text, the rest as numbers), masks by the same keywords (bits set: ignored).
 */
export interface RuleSpec {
  flowType: string;
  match?: Readonly<Record<string, string | number | bigint>>;
  masks?: Readonly<Record<string, string | number | bigint>>;
  /** Where to: a queue (with a VF), drop, or wake-on-LAN. Default: queue 0. */
  queue?: number;
  vf?: number;
  action?: 'drop' | 'wake';
  /** A location, or 'any' / 'first' / 'last' (the driver or the rule manager picks); default 'any'. */
  location?: number | 'any' | 'first' | 'last';
  /** The RSS context the rule spreads over. */
  context?: number;
}

function macParse(s: string): Uint8Array | null {
  const m = /^([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2})$/i.exec(s);
  return m ? Uint8Array.from(m.slice(1), x => parseInt(x, 16)) : null;
}

function typedValue(o: rss.RuleOpt, v: string | number | bigint, what: string): rss.RuleValue {
  if (o.type === 'ip4' || o.type === 'ip6' || o.type === 'mac') {
    const b = typeof v === 'string' ? (o.type === 'ip4' ? ipv4Parse(v) : o.type === 'ip6' ? ipv6Parse(v) : macParse(v)) : null;
    if (!b) throw new UsageError(`rule ${what} ${o.name}: not an ${o.type === 'mac' ? 'Ethernet' : o.type === 'ip4' ? 'IPv4' : 'IPv6'} address: ${String(v)}`);
    return b;
  }
  let n: bigint;
  try { n = BigInt(v); } catch { throw new UsageError(`rule ${what} ${o.name}: not a number: ${String(v)}`); }
  const bits = rss.ruleOptBits(o);
  if (n < 0n || n >= 1n << BigInt(bits)) throw new UsageError(`rule ${what} ${o.name}: ${n} does not fit in ${bits} bits`);
  return n;
}

/** The flow spec of `spec` and its RSS context; a UsageError for a keyword or value the flow type lacks. */
export function buildRule(spec: RuleSpec): { fs: Uint8Array; context: number } {
  const ft = rss.RULE_FLOWS[spec.flowType];
  if (ft === undefined) throw new UsageError(`unknown rule flow type '${spec.flowType}' (one of ${Object.keys(rss.RULE_FLOWS).join(', ')})`);
  const opts = rss.ruleOptions(spec.flowType);
  const fs = rss.newFlowSpec(ft);
  let flags = 0;
  const find = (k: string): rss.RuleOpt => {
    const o = opts.find(x => x.name === k && x.m >= 0);
    if (!o) throw new UsageError(`flow type ${spec.flowType} has no field '${k}'`);
    return o;
  };
  for (const [k, v] of Object.entries(spec.match ?? {})) {
    const o = find(k);
    if (flags & o.flag) throw new UsageError(`rule field '${k}' overlaps another one given`);
    flags |= o.flag;
    rss.setRuleValue(fs, o, typedValue(o, v, 'value of'));
  }
  for (const [k, v] of Object.entries(spec.masks ?? {})) {
    const o = find(k);
    if (!(k in (spec.match ?? {}))) throw new UsageError(`rule mask for '${k}' without its value`);
    rss.setRuleMask(fs, o, typedValue(o, v, 'mask of'));
  }
  const act = (name: string): rss.RuleOpt => opts.find(x => x.name === name)!;
  if (spec.action !== undefined) {
    if (spec.queue !== undefined || spec.vf !== undefined) throw new UsageError('a rule has either an action or a queue');
    rss.setRuleValue(fs, act('action'), spec.action === 'drop' ? RX_CLS_FLOW_DISC : RX_CLS_FLOW_WAKE);
  } else {
    rss.setRuleValue(fs, act('queue'), typedValue(act('queue'), spec.queue ?? 0, 'value of'));
    if (spec.vf !== undefined) rss.setRuleValue(fs, act('vf'), typedValue(act('vf'), spec.vf, 'value of'));
  }
  const loc = spec.location ?? 'any';
  const locWord = loc === 'any' ? RX_CLS_LOC.ANY : loc === 'first' ? RX_CLS_LOC.FIRST : loc === 'last' ? RX_CLS_LOC.LAST : loc;
  if (typeof loc === 'number' && (!Number.isInteger(loc) || loc < 0 || loc > 0x7fffffff)) throw new UsageError(`rule location ${loc} out of range`);
  rss.setFlowSpecLocation(fs, locWord);
  rss.finishFlowSpec(fs, flags, spec.context !== undefined);
  return { fs, context: spec.context ?? 0 };
}

/** The -N rx-flow-hash letters as an RXH_* word; a UsageError for any other letter. */
export function flowHashWord(fields: string): number {
  const w = rss.rxhFromLetters(fields);
  if (w === null) throw new UsageError(`flow hash fields '${fields}': each one of m v t s d f n r`);
  return w;
}

export function hashFlowType(name: string): number {
  const ft = rss.HASH_FLOWS[name];
  if (!ft) throw new UsageError(`unknown flow type '${name}' (one of ${Object.keys(rss.HASH_FLOWS).join(', ')})`);
  return ft;
}
