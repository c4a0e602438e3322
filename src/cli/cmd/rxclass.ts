/**
 * -n / -N: RX network flow classification over the ioctl, as ethtool 6.1 does it: flow hashing
 * (GRXFH/SRXFH), the ring count (GRXRINGS), and the rules (GRXCLSRLCNT, GRXCLSRLALL, GRXCLSRULE,
 * SRXCLSRLINS after its n-tuple attempt, SRXCLSRLDEL) with ethtool's location manager.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import { ETHTOOL, ETH_FLAG, ETH_RXFH_CONTEXT_ALLOC, FLOW, RXH, RX_CLS_LOC } from '../../ethtool/constants';
import { ERRNO } from '../../ethtool/errno';
import * as ops from '../../ethtool/ops';
import * as rss from '../../ethtool/rss';
import { ipv4Parse, ipv6Parse, ipv4Text, ipv6Text } from '../../ethtool/inet';
import { strtoint } from '../../common/numbers';
import type { JsonValue } from '../json';

const INT_MAX = 0x7fffffff;

/** get_uint_range(s, 0, max) */
function uintRange(s: string | undefined, max: number): number | null {
  if (s === undefined) return null;
  const v = strtoint(s, 0, true);
  return v === null || v > BigInt(max) ? null : Number(v);
}

// ---- flow hashing ------------------------------------------------------------------------------

/** dump_rxfhash */
function rxfhashText(flowType: number, data: bigint): string {
  const label = rss.hashFlowLabel(flowType);
  // RXH_DISCARD is (1 << 31), an int: as a u64 it sign-extends over the upper half.
  if (data & 0xffffffff80000000n) return `${label} - All matching flows discarded on RX\n`;
  let s = `${label} use these fields for computing Hash flow key:\n`;
  if (data === 0n) return s + 'None\n';
  for (const f of rss.RXH_FIELDS) if (f.bit !== RXH.DISCARD && (data & BigInt(f.bit))) s += f.label + '\n';
  return s + '\n';
}

const rxhNames = (data: bigint): string[] => rss.RXH_FIELDS.filter(f => f.bit !== RXH.DISCARD && (data & BigInt(f.bit))).map(f => f.name);

// ---- rules, as printed -------------------------------------------------------------------------

const MAC = (b: Uint8Array): string => Array.from(b, x => x.toString(16).toUpperCase().padStart(2, '0')).join(':');
const hx = (v: bigint): string => `0x${v.toString(16)}`;
const HX = (v: bigint): string => `0x${v.toString(16).toUpperCase()}`;
const i32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

const RULE_TYPE: Readonly<Record<number, string>> = {
  [FLOW.TCP_V4]: 'TCP over IPv4', [FLOW.UDP_V4]: 'UDP over IPv4', [FLOW.SCTP_V4]: 'SCTP over IPv4',
  [FLOW.AH_V4]: 'IPSEC AH over IPv4', [FLOW.ESP_V4]: 'IPSEC ESP over IPv4', [FLOW.IPV4_USER]: 'Raw IPv4',
  [FLOW.TCP_V6]: 'TCP over IPv6', [FLOW.UDP_V6]: 'UDP over IPv6', [FLOW.SCTP_V6]: 'SCTP over IPv6',
  [FLOW.AH_V6]: 'IPSEC AH over IPv6', [FLOW.ESP_V6]: 'IPSEC ESP over IPv6', [FLOW.IPV6_USER]: 'Raw IPv6',
};

/** rxclass_print_rule: the rule's text (stdout) and what ethtool says on stderr instead. */
export function ruleText(r: rss.DecodedRule): { out: string; err: string } {
  if (r.flowName === null) return { out: '', err: 'rxclass: Unknown flow type\n' };
  if (r.flowType === FLOW.IPV4_USER && r.ipVer !== 1) return { out: '', err: 'IPV4_USER_FLOW with wrong ip_ver\n' };
  const f = r.fields;
  const num = (k: string): [bigint, bigint] => [f[k].value as bigint, f[k].mask as bigint];
  const v6 = r.flowType >= FLOW.TCP_V6 && r.flowType <= FLOW.SCTP_V6 || r.flowType === FLOW.AH_V6 || r.flowType === FLOW.ESP_V6 || r.flowType === FLOW.IPV6_USER;
  let s = `Filter: ${r.location | 0}\n`;
  if (r.flowType === FLOW.ETHER) {
    s += '\tFlow Type: Raw Ethernet\n' +
      `\tSrc MAC addr: ${MAC(f.src.value as Uint8Array)} mask: ${MAC(f.src.mask as Uint8Array)}\n` +
      `\tDest MAC addr: ${MAC(f.dst.value as Uint8Array)} mask: ${MAC(f.dst.mask as Uint8Array)}\n` +
      `\tEthertype: ${HX(num('proto')[0])} mask: ${HX(num('proto')[1])}\n`;
  } else {
    s += `\tRule Type: ${RULE_TYPE[r.flowType]}\n`;
    const ip = v6 ? ipv6Text : ipv4Text;
    const tos = v6 ? 'tclass' : 'tos';
    s += `\tSrc IP addr: ${ip(f['src-ip'].value as Uint8Array)} mask: ${ip(f['src-ip'].mask as Uint8Array)}\n` +
      `\tDest IP addr: ${ip(f['dst-ip'].value as Uint8Array)} mask: ${ip(f['dst-ip'].mask as Uint8Array)}\n` +
      `\t${v6 ? 'Traffic Class' : 'TOS'}: ${hx(num(tos)[0])} mask: ${hx(num(tos)[1])}\n`;
    if ('src-port' in f) {
      s += `\tSrc port: ${num('src-port')[0]} mask: ${hx(num('src-port')[1])}\n` +
        `\tDest port: ${num('dst-port')[0]} mask: ${hx(num('dst-port')[1])}\n`;
    } else if ('spi' in f) {
      s += `\tSPI: ${i32(num('spi')[0])} mask: ${hx(num('spi')[1])}\n`;
    } else {
      s += `\tProtocol: ${num('l4proto')[0]} mask: ${hx(num('l4proto')[1])}\n` +
        `\tL4 bytes: ${hx(num('l4data')[0])} mask: ${hx(num('l4data')[1])}\n`;
    }
  }
  const e = r.ext_fields;
  if (r.ext) {
    s += `\tVLAN EtherType: ${hx(e['vlan-etype'].value as bigint)} mask: ${hx(e['vlan-etype'].mask as bigint)}\n` +
      `\tVLAN: ${hx(e.vlan.value as bigint)} mask: ${hx(e.vlan.mask as bigint)}\n` +
      `\tUser-defined: ${hx(e['user-def'].value as bigint)} mask: ${hx(e['user-def'].mask as bigint)}\n`;
  }
  if (r.macExt) s += `\tDest MAC addr: ${MAC(e['dst-mac'].value as Uint8Array)} mask: ${MAC(e['dst-mac'].mask as Uint8Array)}\n`;
  if (r.rss) s += `\tRSS Context ID: ${r.rssContext >>> 0}\n`;
  const a = r.action;
  if (a.kind === 'drop') s += '\tAction: Drop\n';
  else if (a.kind === 'wake') s += '\tAction: Wake-on-LAN\n';
  else if (a.vf !== null) s += `\tAction: Direct to VF ${a.vf} queue ${a.queue}\n`;
  else s += `\tAction: Direct to queue ${a.queue}\n`;
  return { out: s + '\n', err: '' };
}

/** A rule as JSON: addresses as text, numbers as numbers, masks in ethtool's sense (bits set: ignored). */
export function ruleJson(r: rss.DecodedRule): JsonValue {
  const val = (v: bigint | Uint8Array): JsonValue => {
    if (!(v instanceof Uint8Array)) return v;
    return v.length === 4 ? ipv4Text(v) : v.length === 16 ? ipv6Text(v) : MAC(v).toLowerCase();
  };
  const fields: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries({ ...r.fields, ...r.ext_fields })) fields[k] = { value: val(x.value), mask: val(x.mask) };
  const a = r.action;
  return {
    location: r.location, 'flow-type': r.flowName, 'rss-context': r.rss ? r.rssContext : null, fields,
    action: a.kind === 'queue' ? { queue: a.queue, vf: a.vf } : a.kind,
  };
}

// ---- -n ------------------------------------------------------------------------------------------------

/** rxclass_rule_get: GRXCLSRULE and its text; null when it failed (after ethtool's message). */
function printRule(ctx: Ctx, loc: number): JsonValue | null {
  const r = rss.getRule(ctx.dev, loc);
  if (!r.ok) {
    ctx.out.perror('rxclass: Cannot get RX class rule', r.errno);
    return null;
  }
  const d = rss.decodeRule(r.v.fs, r.v.rss_context);
  const t = ruleText(d);
  ctx.out.print(t.out);
  if (t.err) ctx.out.err(t.err);
  return ruleJson(d);
}

export function show(ctx: Ctx): number {
  const a = ctx.args;
  if (a.length > 0 && a[0] === 'rx-flow-hash') {
    let context: number | undefined;
    if (a.length === 4) {
      if (a[2] !== 'context') return badArgs(ctx.out);
      const n = uintRange(a[3], 0xffffffff);
      if (n === null) return badArgs(ctx.out);
      context = n;
    } else if (a.length !== 2) return badArgs(ctx.out);
    const ft = rss.HASH_FLOWS[a[1]];
    if (!ft) return badArgs(ctx.out);
    const r = rss.getRxFlowHash(ctx.dev, ft, context);
    if (!r.ok) {
      ctx.out.perror('Cannot get RX network flow hashing options', r.errno);
      return 1;
    }
    const pre = context !== undefined ? `For RSS context ${r.v.rss_context >>> 0}:\n` : '';
    ctx.out.print(pre + rxfhashText(ft, r.v.data));
    ctx.out.object({
      ifname: ctx.devname, 'flow-type': a[1], 'rss-context': context === undefined ? null : r.v.rss_context,
      discard: (r.v.data & 0xffffffff80000000n) !== 0n, fields: rxhNames(r.v.data),
    });
    return 0;
  }
  if (a.length === 2 && a[0] === 'rule') {
    const loc = uintRange(a[1], INT_MAX);
    if (loc === null) return badArgs(ctx.out);
    const rule = printRule(ctx, loc);
    if (rule === null) {
      ctx.out.error('Cannot get RX classification rule');
      return 1;
    }
    ctx.out.object({ ifname: ctx.devname, rule });
    return 0;
  }
  if (a.length !== 0) return badArgs(ctx.out);
  const doc: Record<string, JsonValue> = { ifname: ctx.devname, 'rx-rings': null, 'rule-count': null, rules: [] };
  const rings = rss.getRxRings(ctx.dev);
  if (!rings.ok) ctx.out.perror('Cannot get RX rings', rings.errno);
  else {
    ctx.out.print(`${Number(BigInt.asIntN(32, rings.v))} RX rings available\n`);
    doc['rx-rings'] = rings.v;
  }
  const ok = listRules(ctx, doc);
  if (!ok) {
    ctx.out.error('RX classification rule retrieval failed');
    return 1;
  }
  ctx.out.object(doc);
  return 0;
}

/** rxclass_rule_getall */
function listRules(ctx: Ctx, doc: Record<string, JsonValue>): boolean {
  const c = rss.ruleCount(ctx.dev);
  if (!c.ok) {
    ctx.out.perror('rxclass: Cannot get RX class rule count', c.errno);
    return false;
  }
  ctx.out.print(`Total ${c.v.count | 0} rules\n\n`);
  doc['rule-count'] = c.v.count;
  const all = rss.ruleLocations(ctx.dev, c.v.count);
  if (!all.ok) {
    ctx.out.perror('rxclass: Cannot get RX class rules', all.errno);
    return false;
  }
  const rules: JsonValue[] = [];
  doc.rules = rules;
  for (const loc of all.v.locs) {
    const r = printRule(ctx, loc);
    if (r === null) return false;
    rules.push(r);
  }
  return true;
}

// ---- -N ------------------------------------------------------------------------------------------------

/** rxclass_get_ether: six hex bytes with colons (sscanf "%2x:…", anything after the sixth ignored). */
function etherParse(s: string): Uint8Array | null {
  if (!s.includes(':')) return null;
  const out = new Uint8Array(6);
  let p = 0;
  for (let i = 0; i < 6; i++) {
    if (i > 0) { if (s[p] !== ':') return null; p++; }
    while (p < s.length && ' \t\n\v\f\r'.includes(s[p])) p++;
    const m = /^([+-]?)([0-9a-fA-F]{1,2})/.exec(s.slice(p, p + 2)) ?? /^([+-]?)([0-9a-fA-F])/.exec(s.slice(p, p + 2));
    if (!m) return null;
    p += m[0].length;
    const v = parseInt(m[2], 16);
    out[i] = m[1] === '-' ? (-v) & 0xff : v;
  }
  return out;
}

/** A keyword's value or mask from its text (rxclass_get_val / rxclass_get_mask's parsing); null: invalid. */
function ruleValue(o: rss.RuleOpt, s: string): rss.RuleValue | null {
  switch (o.type) {
    case 'ip4': return ipv4Parse(s);
    case 'ip6': return ipv6Parse(s);
    case 'mac': return etherParse(s);
    default: {
      const v = strtoint(s, 0, true);
      const bits = rss.ruleOptBits(o);
      return v === null || v > (1n << BigInt(bits)) - 1n ? null : v;
    }
  }
}

interface ParsedRule { fs: Uint8Array; rssContext: number }

/** rxclass_parse_ruleopts: the rule, or false after ethtool's message (then: bad arguments). */
function parseRule(ctx: Ctx, a: readonly string[]): ParsedRule | false {
  const syntax = (): false => { ctx.out.err('Add rule, invalid syntax\n'); return false; };
  if (a.length < 1) return syntax();
  const flowType = rss.RULE_FLOWS[a[0]];
  if (flowType === undefined) return syntax();
  const opts = rss.ruleOptions(a[0]);
  const fs = rss.newFlowSpec(flowType);
  let flags = 0, rssContext = 0, rssSet = false;
  for (let i = 1; i < a.length;) {
    if (a[i] === 'context') {
      i++;
      if (i >= a.length) { ctx.out.err("'context' missing value\n"); return false; }
      const v = strtoint(a[i], 0, true);
      if (v === null || v > 0xffffffffn) { ctx.out.err(`Invalid context value[${a[i]}]\n`); return false; }
      if (Number(v) === ETH_RXFH_CONTEXT_ALLOC) { ctx.out.err(`Bad context value ${Number(v).toString(16)}\n`); return false; }
      rssContext = Number(v);
      rssSet = true;
      i++;
      continue;
    }
    const o = opts.find(x => x.name === a[i]);
    if (!o) {
      // ethtool prints this one on stdout.
      ctx.out.print(`Add rule, unrecognized option[${a[i]}]\n`);
      ctx.out.fail(`Add rule, unrecognized option[${a[i]}]`);
      return false;
    }
    i++;
    if (i >= a.length) break;
    const v = (flags & o.flag) ? null : ruleValue(o, a[i]);
    flags |= o.flag;
    if (v === null) { ctx.out.err(`Invalid ${o.name} value[${a[i]}]\n`); return false; }
    rss.setRuleValue(fs, o, v);
    i++;
    if (i >= a.length) break;
    if (a[i] !== 'm' && a[i] !== `${o.name}-mask`) continue;
    i++;
    if (i >= a.length) return syntax();
    const m = o.m < 0 ? null : ruleValue(o, a[i]);
    if (m === null) { ctx.out.err(`Invalid ${o.name} mask[${a[i]}]\n`); return false; }
    rss.setRuleMask(fs, o, m);
    i++;
  }
  const problem = rss.ruleFlagsProblem(flags);
  if (problem) { ctx.out.err(problem + '\n'); return false; }
  rss.finishFlowSpec(fs, flags, rssSet);
  return { fs, rssContext };
}

/**
 * rmgr_set_location: where a rule without a location goes — left to the driver when it picks
 * locations itself, else the last free slot of its table. false after ethtool's message.
 */
function chooseLocation(ctx: Ctx, fs: Uint8Array): boolean {
  const c = rss.ruleCount(ctx.dev);
  if (!c.ok) {
    ctx.out.perror('rxclass: Cannot get RX class rule count', c.errno);
    return false;
  }
  if (c.v.data & BigInt(RX_CLS_LOC.SPECIAL)) return true;
  const all = rss.ruleLocations(ctx.dev, c.v.count);
  if (!all.ok) {
    ctx.out.perror('rmgr: Cannot get RX class rules', all.errno);
    return false;
  }
  const size = all.v.size;
  if (size === 0 || size < c.v.count) {
    // perror() after a successful call: whatever errno was left behind.
    ctx.out.perror('rmgr: Invalid RX class rules table size', ctx.dev.lastErrno);
    return false;
  }
  const used = new Set<number>();
  for (const loc of all.v.locs) {
    if (loc >= size) {
      ctx.out.err('rmgr: Location out of range\n');
      return false;
    }
    used.add(loc);
  }
  for (let loc = size - 1; loc >= 0; loc--) {
    if (!used.has(loc)) {
      rss.setFlowSpecLocation(fs, loc);
      return true;
    }
  }
  ctx.out.err('rmgr: Cannot find appropriate slot to insert rule\n');
  return false;
}

export function set(ctx: Ctx): number {
  const a = ctx.args;
  if (a.length < 2) return badArgs(ctx.out);
  if (a[0] === 'rx-flow-hash') {
    let context: number | undefined;
    if (a.length === 5) {
      if (a[3] !== 'context') return badArgs(ctx.out);
      const n = uintRange(a[4], 0xffffffff);
      if (n === null) return badArgs(ctx.out);
      context = n;
    } else if (a.length !== 3) return badArgs(ctx.out);
    const ft = rss.HASH_FLOWS[a[1]];
    if (!ft) return badArgs(ctx.out);
    const data = rss.rxhFromLetters(a[2]);
    if (data === null) return badArgs(ctx.out);
    const r = rss.setRxFlowHash(ctx.dev, ft, data, context);
    // ethtool reports the failure and exits 0.
    if (r < 0) ctx.out.perror('Cannot change RX network flow hashing options', -r);
    else ctx.out.object({ ifname: ctx.devname, 'flow-type': a[1], 'rss-context': context ?? null, fields: rxhNames(BigInt(data)), discard: (data & RXH.DISCARD) !== 0 });
    return 0;
  }
  if (a[0] === 'flow-type') {
    const rule = parseRule(ctx, a.slice(1));
    if (!rule) return badArgs(ctx.out);
    // ethtool first offers the rule as an n-tuple filter, where the device has the flag.
    if (rss.ntupleConvertible(rule.fs)) {
      const f = ops.value(ctx.dev, ETHTOOL.GFLAGS);
      if (f.r === 0 && (f.data & ETH_FLAG.NTUPLE)) {
        const r = rss.srxntuple(ctx.dev);
        if (r >= 0) return 0;
        if (-r !== ERRNO.EOPNOTSUPP) ctx.out.perror('Cannot add new rule via N-tuple', -r);
      }
    }
    const given = rss.flowSpecLocation(rule.fs);
    if ((given & RX_CLS_LOC.SPECIAL) && !chooseLocation(ctx, rule.fs)) {
      ctx.out.error('Cannot insert classification rule');
      return 1;
    }
    const r = rss.insertRule(ctx.dev, rule.fs, rule.rssContext);
    if (r.r < 0) ctx.out.perror('rmgr: Cannot insert RX class rule', -r.r);
    else {
      if (given & RX_CLS_LOC.SPECIAL) ctx.out.print(`Added rule with ID ${r.location | 0}\n`);
      ctx.out.object({ ifname: ctx.devname, location: r.location });
    }
    return 0;
  }
  if (a[0] === 'delete') {
    const loc = uintRange(a[1], INT_MAX);
    if (loc === null) return badArgs(ctx.out);
    const r = rss.deleteRule(ctx.dev, loc);
    if (r < 0) {
      ctx.out.perror('rmgr: Cannot delete RX class rule', -r);
      ctx.out.error('Cannot delete classification rule');
      return 1;
    }
    ctx.out.object({ ifname: ctx.devname, deleted: loc });
    return 0;
  }
  return badArgs(ctx.out);
}
