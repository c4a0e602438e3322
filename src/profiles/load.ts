/**
 * YAML → validated Profile. Parsed with the `yaml` package keeping node ranges, so that every
 * problem (YAML syntax, unknown key, wrong type, bad value, bad condition) is reported as
 * `file:line:col: key: message`. All problems of a file are reported at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, LineCounter, isMap, isSeq, isScalar, visit, Node, Pair, YAMLMap } from 'yaml';
import { ExprError, parseExpr, paramRefs, comparisons, Expr } from './expr';
import {
  Profile, ParamDef, ParamType, SettingDef, ValueSrc, Pos, Group, Scalar,
  GROUP_KEYS, QUEUE_KEYS, FieldSpec,
} from './model';
import { ifnameProblem } from '../ethtool/transport';
import { legacyOffload, LEGACY_OFFLOADS } from '../ethtool/catalog/offloads';
import { isKernelFeature, KERNEL_FEATURES } from '../ethtool/catalog/features';
import { strtoint } from '../common/numbers';
import { rssKeyKnown, rssKeyHelp, rssValue, rssParamFits, foldRss } from './rss';
import { FEC_KEYS, fecValue, fecParamFits } from './fec';
import { readRegularFile, FileReadError, MiB } from '../common/files';
import { parseCpuChoice, isCpusetValue, CPUSET_VALUES } from './placement';

/** The largest profile file read (a profile is a page or two of YAML). */
export const MAX_PROFILE_BYTES = 1 * MiB;

export interface Problem { pos: Pos; key: string; message: string }

export function formatProblem(p: Problem): string {
  return `${p.pos.file}:${p.pos.line}:${p.pos.col}: ${p.key ? p.key + ': ' : ''}${p.message}`;
}

/** A profile that cannot be used; `message` has one line per problem. */
export class ProfileError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ProfileError';
  }
}

const TOP_KEYS = ['name', 'description', 'params', 'features', 'ring', 'channels', 'coalesce', 'pause', 'fec', 'queues', 'sysctl', 'rss'];
const PARAM_KEYS = ['type', 'values', 'default', 'description', 'min', 'max'];
const PARAM_TYPES: ParamType[] = ['enum', 'bool', 'int', 'string', 'ifname'];
const ENTRY_KEYS = ['value', 'when', 'required'];
const SYSCTL_ENTRY_KEYS = ['value', 'when', 'absent', 'required'];
const U32_MAX = 0xffffffff;
/** Integer parameters are JavaScript numbers: exact up to 2^53 - 1. */
const INT_MIN = BigInt(Number.MIN_SAFE_INTEGER), INT_MAX = BigInt(Number.MAX_SAFE_INTEGER);

type Kind = 'bool' | 'int' | 'int-max' | 'int-max-cpus' | 'word' | 'sysctl' | 'cpuset' | 'rss' | 'fec';

function kindName(k: Kind): string {
  switch (k) {
    case 'bool': return 'a boolean (on/off, true/false)';
    case 'int': return 'a non-negative integer';
    case 'int-max': return 'a non-negative integer or "max"';
    case 'int-max-cpus': return 'a non-negative integer, "max" or "cpus"';
    case 'word': return 'one of the listed words';
    case 'sysctl': return 'a number, a string or a boolean';
    case 'cpuset': return 'local, all or a CPU list such as 0-3,8';
    case 'rss': return 'an RSS value (see docs/profiles.md)';
    case 'fec': return 'FEC encoding words (auto, off, rs, baser, llrs)';
  }
}

export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(s)) return true;
  if (['off', 'false', 'no', '0'].includes(s)) return false;
  return undefined;
}

class Loader {
  readonly problems: Problem[] = [];
  private readonly lc = new LineCounter();
  params: ParamDef[] = [];

  constructor(readonly file: string, readonly text: string) {}

  pos(node: Node | Pair | null | undefined, extra = 0): Pos {
    const range = (node as Node | undefined)?.range ?? ((node as Pair | undefined)?.key as Node | undefined)?.range;
    const off = (range?.[0] ?? 0) + extra;
    const lp = this.lc.linePos(off);
    return { file: this.file, line: lp.line, col: lp.col };
  }

  problem(node: Node | Pair | null | undefined, key: string, message: string, extra = 0): void {
    this.problems.push({ pos: this.pos(node, extra), key, message });
  }

  load(): Profile {
    // uniqueKeys of the yaml package compares every key with every other (quadratic: 35 s for
    // 32k keys); duplicates are found below with one Set per mapping instead.
    const doc = parseDocument(this.text, { lineCounter: this.lc, prettyErrors: false, uniqueKeys: false });
    if (!doc.errors.length) this.duplicateKeys(doc);
    if (doc.errors.length || this.problems.length) {
      for (const e of doc.errors) {
        const lp = this.lc.linePos(e.pos[0]);
        this.problems.push({ pos: { file: this.file, line: lp.line, col: lp.col }, key: '', message: `YAML syntax error: ${e.message.split('\n')[0]}` });
      }
      throw new ProfileError(this.problems);
    }
    const root = doc.contents;
    if (!isMap(root)) {
      this.problem(root as Node, '', 'a profile is a mapping of keys (name, description, params, features, ring, …)');
      throw new ProfileError(this.problems);
    }
    let name = '', description = '';
    const settings: SettingDef[] = [];
    const pairs = root.items as Pair<Node, Node | null>[];
    // Parameters first: settings refer to them.
    const paramsPair = pairs.find(p => this.keyOf(p) === 'params');
    if (paramsPair) this.params = this.loadParams(paramsPair);
    for (const pair of pairs) {
      const key = this.keyOf(pair);
      if (key === null) continue;
      if (!TOP_KEYS.includes(key)) { this.problem(pair.key, key, `unknown key (expected one of: ${TOP_KEYS.join(', ')})`); continue; }
      const v = pair.value;
      switch (key) {
        case 'name':
          if (!isScalar(v) || typeof v.value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v.value)) this.problem(v ?? pair.key, key, 'must be a word (letters, digits, - _ .)');
          else name = v.value;
          break;
        case 'description':
          if (!isScalar(v) || typeof v.value !== 'string') this.problem(v ?? pair.key, key, 'must be a string');
          else description = v.value;
          break;
        case 'params': break;
        case 'features': settings.push(...this.section(pair, 'features', k => (legacyOffload(k) || isKernelFeature(k)) ? { kind: 'bool' } : null, featureHint)); break;
        case 'ring': settings.push(...this.section(pair, 'ring', k => fieldKind(GROUP_KEYS.ring, k, 'int-max'), Object.keys(GROUP_KEYS.ring))); break;
        case 'channels': settings.push(...this.section(pair, 'channels', k => fieldKind(GROUP_KEYS.channels, k, 'int-max-cpus'), Object.keys(GROUP_KEYS.channels))); break;
        case 'coalesce': settings.push(...this.section(pair, 'coalesce', k => fieldKind(GROUP_KEYS.coalesce, k, 'int'), Object.keys(GROUP_KEYS.coalesce))); break;
        case 'pause': settings.push(...this.section(pair, 'pause', k => fieldKind(GROUP_KEYS.pause, k, 'int'), Object.keys(GROUP_KEYS.pause))); break;
        case 'queues': settings.push(...this.section(pair, 'queues', k => k === 'cpus' ? { kind: 'cpuset' } : QUEUE_KEYS[k] ? { kind: 'word', words: QUEUE_KEYS[k].words } : null, [...Object.keys(QUEUE_KEYS), 'cpus'])); break;
        case 'fec': settings.push(...this.section(pair, 'fec', k => FEC_KEYS.includes(k) ? { kind: 'fec' } : null, FEC_KEYS)); break;
        case 'rss': settings.push(...foldRss(this.section(pair, 'rss', k => rssKeyKnown(k) ? { kind: 'rss' } : null, rssKeyHelp, ['flow-hash']), this.problems)); break;
        case 'sysctl': settings.push(...this.section(pair, 'sysctl', k => this.sysctlKey(k), 'a sysctl name such as net.ipv4.conf.{dev}.rp_filter')); break;
      }
    }
    if (!pairs.some(p => this.keyOf(p) === 'name')) this.problem(root, 'name', 'missing (every profile has a name)');
    if (this.problems.length) throw new ProfileError(this.problems);
    return { name, description, file: this.file, params: this.params, settings };
  }

  /** Every mapping's repeated keys, as the YAML parser reports them (linear in the file). */
  private duplicateKeys(doc: ReturnType<typeof parseDocument>): void {
    visit(doc, {
      Map: (_k, map) => {
        const seen = new Set<string>();
        for (const pair of map.items) {
          const k = pair.key as Node | null;
          const id = isScalar(k) ? `${typeof k.value}:${String(k.value)}` : null;
          if (id === null) continue;
          if (seen.has(id)) this.problem(k, '', 'YAML syntax error: Map keys must be unique');
          else seen.add(id);
        }
      },
    });
  }

  private keyOf(pair: Pair<unknown, unknown>): string | null {
    const k = pair.key as Node | null;
    if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number')) {
      this.problem(k ?? undefined, '', 'keys must be plain words');
      return null;
    }
    return String(k.value);
  }

  private comment(pair: Pair<Node, Node | null>, parent: YAMLMap, first: boolean): string | undefined {
    const parts: string[] = [];
    const before = pair.key?.commentBefore ?? (first ? parent.commentBefore : undefined);
    if (before) parts.push(before.trim());
    const trailing = isMap(pair.value) ? undefined : pair.value?.comment;
    if (trailing) parts.push(trailing.trim());
    const text = parts.join(' ').replace(/\s*\n\s*/g, ' ').trim();
    return text || undefined;
  }

  private loadParams(pair: Pair<Node, Node | null>): ParamDef[] {
    const out: ParamDef[] = [];
    const m = pair.value;
    if (!isMap(m)) { this.problem(m ?? pair.key, 'params', 'must be a mapping: NAME: {type, default, …}'); return out; }
    for (const p of m.items as Pair<Node, Node | null>[]) {
      const name = this.keyOf(p);
      if (name === null) continue;
      const where = `params.${name}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) { this.problem(p.key, where, 'parameter names are lower-case words (a-z, 0-9, _)'); continue; }
      if (['dev', 'true', 'false', 'and', 'or', 'not', 'in'].includes(name)) { this.problem(p.key, where, `"${name}" is reserved`); continue; }
      const d = p.value;
      if (!isMap(d)) { this.problem(d ?? p.key, where, 'must be a mapping with type and default'); continue; }
      const fields: Record<string, Node> = {};
      for (const f of d.items as Pair<Node, Node | null>[]) {
        const fk = this.keyOf(f);
        if (fk === null) continue;
        if (!PARAM_KEYS.includes(fk)) { this.problem(f.key, `${where}.${fk}`, `unknown key (expected one of: ${PARAM_KEYS.join(', ')})`); continue; }
        if (!f.value) { this.problem(f.key, `${where}.${fk}`, "has no value"); continue; }
        fields[fk] = f.value;
      }
      const typeNode = fields.type;
      const type = isScalar(typeNode) ? typeNode.value : undefined;
      if (!typeNode) { this.problem(p.key, where, 'missing "type" (one of: ' + PARAM_TYPES.join(', ') + ')'); continue; }
      if (typeof type !== 'string' || !PARAM_TYPES.includes(type as ParamType)) { this.problem(typeNode, `${where}.type`, `bad value ${JSON.stringify(isScalar(typeNode) ? typeNode.value : '…')} (one of: ${PARAM_TYPES.join(', ')})`); continue; }
      const def: ParamDef = { name, type: type as ParamType, default: '', pos: this.pos(p.key) };
      if (fields.description !== undefined) {
        if (!isScalar(fields.description) || typeof fields.description.value !== 'string') this.problem(fields.description, `${where}.description`, 'must be a string');
        else def.description = fields.description.value;
      }
      if (type === 'enum') {
        const vs = fields.values;
        if (!isSeq(vs) || vs.items.length === 0 || !vs.items.every(x => isScalar(x) && typeof x.value === 'string')) {
          this.problem(vs ?? p.key, `${where}.values`, 'an enum needs "values": a list of words'); continue;
        }
        def.values = vs.items.map(x => (x as { value: string }).value);
      } else if (fields.values) this.problem(fields.values, `${where}.values`, 'only an enum has values');
      for (const b of ['min', 'max'] as const) {
        if (!fields[b]) continue;
        const n = isScalar(fields[b]) ? fields[b].value : undefined;
        if (type !== 'int') this.problem(fields[b], `${where}.${b}`, `only an int has ${b}`);
        else if (typeof n !== 'number' || !Number.isSafeInteger(n)) this.problem(fields[b], `${where}.${b}`, `must be an integer (at most ${Number.MAX_SAFE_INTEGER} in size), not ${this.source(fields[b])}`);
        else def[b] = n;
      }
      if (def.min !== undefined && def.max !== undefined && def.min > def.max) {
        this.problem(fields.min, `${where}.min`, `min ${def.min} is greater than max ${def.max}`);
        delete def.min; delete def.max;
      }
      if (def.values && new Set(def.values).size !== def.values.length) {
        this.problem(fields.values, `${where}.values`, `lists a value twice (${def.values.find((v, i) => def.values!.indexOf(v) !== i)})`);
      }
      const dn = fields.default;
      if (!dn) { this.problem(p.key, where, 'missing "default"'); continue; }
      const raw = isScalar(dn) ? dn.value : undefined;
      const parsed = coerceParam(def, raw, this.source(dn));
      if (typeof parsed === 'string' && parsed.startsWith('!')) {
        this.problem(dn, `${where}.default`, parsed.slice(1));
        // Keep the parameter known, so that its uses are not reported as well.
        def.default = def.values?.[0] ?? (type === 'bool' ? false : type === 'int' ? 0 : '');
      } else def.default = parsed;
      out.push(def);
    }
    return out;
  }

  /** The text of a node as written in the file (for messages that quote a value as typed). */
  private source(node: Node | undefined): string {
    const r = node?.range;
    if (!r) return '…';
    const text = this.text.slice(r[0], r[1]).trim();
    return isScalar(node) && node.type === 'PLAIN' ? text : JSON.stringify(text);
  }

  private sysctlKey(k: string): { kind: Kind } | null {
    if (!/^[A-Za-z0-9_-]+(\.([A-Za-z0-9_-]+|\{[a-z_][a-z0-9_]*\}))+$/.test(k)) return null;
    return { kind: 'sysctl' };
  }

  private section(
    pair: Pair<Node, Node | null>, group: Group,
    spec: (key: string) => { kind: Kind; words?: string[] } | null, known: string[] | string | ((key: string) => string),
    nested: string[] = [], prefix = '',
  ): SettingDef[] {
    const out: SettingDef[] = [];
    const m = pair.value;
    if (!isMap(m)) { this.problem(m ?? pair.key, group, 'must be a mapping of settings (KEY: VALUE)'); return out; }
    (m.items as Pair<Node, Node | null>[]).forEach((p, i) => {
      const raw = this.keyOf(p);
      if (raw === null) return;
      const key = prefix + raw;
      // A mapping of settings under a key (rss.flow-hash.tcp4 …).
      if (nested.includes(key)) { out.push(...this.section(p, group, spec, known, [], key + '.')); return; }
      const where = `${group}.${key}`;
      const s = spec(key);
      if (!s) {
        this.problem(p.key, where, typeof known === 'function' ? known(key) : `unknown key (expected ${typeof known === 'string' ? known : 'one of: ' + known.join(', ')})`);
        return;
      }
      let valueNode: Node | null = p.value;
      let when: Expr | undefined, whenText: string | undefined, absent: string | undefined, inner: string | undefined, required: boolean | undefined;
      if (isMap(valueNode)) {
        const allowed = group === 'sysctl' ? SYSCTL_ENTRY_KEYS : ENTRY_KEYS;
        let v: Node | null | undefined;
        for (const f of valueNode.items as Pair<Node, Node | null>[]) {
          const fk = this.keyOf(f);
          if (fk === null) continue;
          if (!allowed.includes(fk)) { this.problem(f.key, `${where}.${fk}`, `unknown key (expected one of: ${allowed.join(', ')})`); continue; }
          if (fk === 'value') { v = f.value; inner = f.value?.comment?.trim(); }
          if (fk === 'when') { const w = this.condition(f.value, `${where}.when`); if (w) ({ expr: when, text: whenText } = w); }
          if (fk === 'absent') {
            if (!isScalar(f.value) || typeof f.value.value !== 'string') this.problem(f.value ?? f.key, `${where}.absent`, 'must be a string');
            else absent = f.value.value;
          }
          if (fk === 'required') {
            if (!isScalar(f.value) || typeof f.value.value !== 'boolean') this.problem(f.value ?? f.key, `${where}.required`, 'must be true or false');
            else required = f.value.value;
          }
        }
        if (v === undefined) { this.problem(p.key, where, 'missing "value"'); return; }
        valueNode = v;
      }
      const value = this.value(valueNode, p, where, s.kind, s.words);
      if (!value) return;
      if (group === 'sysctl') this.checkPlaceholders(key, p.key, where);
      const why = [this.comment(p, m, i === 0), inner].filter(Boolean).join(' ') || undefined;
      out.push({ group, key, value, when, whenText, absent, why, pos: this.pos(p.key), ...(required ? { required } : {}) });
    });
    return out;
  }

  private checkPlaceholders(key: string, node: Node, where: string): void {
    for (const m of key.matchAll(/\{([a-z_][a-z0-9_]*)\}/g)) {
      const name = m[1];
      if (name === 'dev') continue;
      const p = this.params.find(x => x.name === name);
      if (!p) this.problem(node, where, `unknown placeholder {${name}} (use {dev} or a parameter)`, m.index);
      else if (p.type !== 'ifname' && p.type !== 'string' && p.type !== 'enum') this.problem(node, where, `placeholder {${name}} must be an ifname, string or enum parameter`, m.index);
    }
  }

  private condition(node: Node | null, where: string): { expr: Expr; text: string } | undefined {
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'boolean')) {
      this.problem(node ?? undefined, where, 'must be a condition such as: mode == nat'); return undefined;
    }
    const text = String(node.value);
    // Column of character i of the condition: after the opening quote of a quoted scalar.
    const lead = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    let expr: Expr;
    try { expr = parseExpr(text); } catch (e) {
      if (e instanceof ExprError) { this.problem(node, where, `bad condition: ${e.message}`, lead + e.at); return undefined; }
      throw e;
    }
    let ok = true;
    for (const r of paramRefs(expr)) {
      if (!this.params.some(p => p.name === r.name)) {
        this.problem(node, where, `unknown parameter "${r.name}" (parameters: ${this.params.map(p => p.name).join(', ') || 'none'})`, lead + r.at);
        ok = false;
      }
    }
    for (const c of comparisons(expr)) {
      const p = this.params.find(x => x.name === c.param);
      if (p?.type === 'enum' && !p.values!.includes(String(c.lit.v))) {
        this.problem(node, where, `"${c.lit.v}" is not a value of ${p.name} (${p.values!.join('|')})`, lead + c.lit.at);
        ok = false;
      }
    }
    return ok ? { expr, text } : undefined;
  }

  private value(node: Node | null, pair: Pair<Node, Node | null>, where: string, kind: Kind, words?: string[]): ValueSrc | undefined {
    // FEC encodings may be a list of words ([rs, baser]) as well as a string of them.
    if (kind === 'fec' && isSeq(node)) {
      const bad = node.items.find(x => !isScalar(x) || typeof x.value !== 'string') as Node | undefined;
      if (bad) { this.problem(bad, where, `wrong type: expected ${kindName(kind)}, found ${this.source(bad)}`); return undefined; }
      const r = fecValue(node.items.map(x => (x as { value: string }).value));
      if (typeof r === 'string') { this.problem(node, where, r); return undefined; }
      return r;
    }
    if (!isScalar(node)) {
      this.problem(node ?? pair.key, where, `wrong type: expected ${kindName(kind)}${words ? ' (' + words.join('|') + ')' : ''}, found ${node ? (isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : 'nothing') : 'nothing'}`);
      return undefined;
    }
    const v = node.value;
    if (typeof v === 'string' && v.startsWith('$')) {
      const name = v.slice(1);
      const p = this.params.find(x => x.name === name);
      if (!p) { this.problem(node, where, `unknown parameter "${name}" (parameters: ${this.params.map(x => x.name).join(', ') || 'none'})`); return undefined; }
      const fits = kind === 'rss' ? rssParamFits(where.slice(4), p) : kind === 'fec' ? fecParamFits(p) : kind === 'sysctl' || (kind === 'cpuset' ? (p.type === 'string' || (p.type === 'enum' && p.values!.every(x => parseCpuChoice(x) !== null)))
        : kind === 'bool' ? p.type === 'bool' : kind === 'word' ? p.type === 'enum' && p.values!.every(x => words!.includes(x)) : p.type === 'int');
      if (!fits) { this.problem(node, where, `wrong type: parameter ${name} is ${p.type === 'enum' ? 'an enum' : 'a' + (p.type === 'int' ? 'n ' : ' ') + p.type}, expected ${kindName(kind)}`); return undefined; }
      return { kind: 'param', name };
    }
    const bad = (what: string) => { this.problem(node, where, what); return undefined; };
    switch (kind) {
      case 'rss': {
        const r = rssValue(where.slice(4), v);
        return typeof r === 'string' ? bad(r) : r;
      }
      case 'fec': {
        const r = fecValue(v);
        return typeof r === 'string' ? bad(r) : r;
      }
      case 'bool': {
        const b = parseBool(v);
        if (b !== undefined) return { kind: 'lit', v: b };
        return bad(typeof v === 'number' ? `wrong type: ${v} is a number, expected ${kindName(kind)}` : `bad value ${JSON.stringify(v)}: expected ${kindName(kind)}`);
      }
      case 'word':
        if (typeof v !== 'string') return bad(`wrong type: expected one of ${words!.join('|')}, found ${JSON.stringify(v)}`);
        return words!.includes(v) ? { kind: 'lit', v } : bad(`bad value "${v}" (expected one of: ${words!.join(', ')})`);
      case 'sysctl':
        if (typeof v === 'boolean') return { kind: 'lit', v: v ? 1 : 0 };
        if (typeof v === 'number') return Number.isFinite(v) && Number.isInteger(v) ? { kind: 'lit', v } : bad(`bad value ${v}: sysctl numbers are integers`);
        if (typeof v === 'string' && v.startsWith('@') && !isCpusetValue(v)) return bad(`bad value "${v}": a CPU set of the placement is one of ${CPUSET_VALUES.join(', ')}`);
        if (typeof v === 'string') return /[\n\0]/.test(v) ? bad('bad value: one line of text expected') : { kind: 'lit', v };
        return bad(`wrong type: expected ${kindName(kind)}`);
      case 'cpuset': {
        const t = typeof v === 'number' ? String(v) : v;
        if (typeof t !== 'string' || parseCpuChoice(t) === null) return bad(`bad value ${JSON.stringify(v)}: expected ${kindName(kind)}`);
        return { kind: 'lit', v: t };
      }
      default: {
        if (typeof v === 'string') {
          if (v === 'max' && kind !== 'int') return { kind: 'max' };
          if (v === 'cpus' && kind === 'int-max-cpus') return { kind: 'cpus' };
          if (typeof v === 'string' && /^\d+$/.test(v)) return bad(`wrong type: ${JSON.stringify(v)} is a string; write the number without quotes`);
          return bad(`bad value "${v}": expected ${kindName(kind)}`);
        }
        if (typeof v === 'boolean' && kind === 'int') return bad(`wrong type: expected ${kindName(kind)}, found a boolean`);
        if (typeof v !== 'number') return bad(`wrong type: expected ${kindName(kind)}`);
        if (!Number.isInteger(v) || v < 0 || v > U32_MAX) return bad(`bad value ${v}: expected ${kindName(kind)} (at most ${U32_MAX})`);
        return { kind: 'lit', v };
      }
    }
  }
}

function fieldKind(table: Readonly<Record<string, FieldSpec>>, key: string, intKind: Kind): { kind: Kind } | null {
  const s = table[key];
  if (!s) return null;
  return { kind: s.kind === 'bool' ? 'bool' : intKind };
}

/**
 * A parameter value from YAML or the command line, checked against its definition.
 * Returns the value, or a string starting with "!" that says what is wrong.
 */
export function coerceParam(def: ParamDef, raw: unknown, typed?: string): Scalar {
  switch (def.type) {
    case 'bool': {
      const b = parseBool(raw);
      return b === undefined ? `!bad value ${JSON.stringify(raw)}: ${def.name} is a boolean (on/off, true/false)` : b;
    }
    case 'int': {
      // As typed: a command-line value in C's notation (strtoll, base 0: 0x1f, 017, 123), a YAML
      // number as the parser read it; compared as a bigint, so that nothing is rounded first.
      const shown = typed ?? JSON.stringify(raw);
      let v: bigint | null = null;
      if (typeof raw === 'number') v = Number.isInteger(raw) ? BigInt(raw) : null;
      else if (typeof raw === 'bigint') v = raw;
      else if (typeof raw === 'string' && raw.trim() !== '') v = strtoint(raw.trim(), 0, false);
      // A number too large even for 64 bits: beyond any bound.
      if (v === null && typeof raw === 'string' && /^\s*[-+]?(0[xX][0-9a-fA-F]+|\d+)\s*$/.test(raw)) v = raw.trim().startsWith('-') ? -(1n << 64n) : 1n << 64n;
      if (v === null) return `!bad value ${shown}: ${def.name} is an integer`;
      if (def.min !== undefined && v < BigInt(def.min)) return `!bad value ${shown}: ${def.name} is at least ${def.min}`;
      if (def.max !== undefined && v > BigInt(def.max)) return `!bad value ${shown}: ${def.name} is at most ${def.max}`;
      if (v < INT_MIN || v > INT_MAX || (typeof raw === 'number' && !Number.isSafeInteger(raw))) return `!bad value ${shown}: ${def.name} is an integer between ${INT_MIN} and ${INT_MAX}`;
      return Number(v);
    }
    case 'enum': {
      const s = String(raw);
      return def.values!.includes(s) ? s : `!bad value ${JSON.stringify(raw)}: ${def.name} is one of ${def.values!.join('|')}`;
    }
    case 'ifname': {
      if (typeof raw !== 'string') return `!bad value ${JSON.stringify(raw)}: ${def.name} is an interface name`;
      const p = ifnameProblem(raw);
      return p ? `!bad value: ${p}` : raw;
    }
    case 'string':
      if (typeof raw !== 'string' && typeof raw !== 'number') return `!bad value ${JSON.stringify(raw)}: ${def.name} is a string`;
      return String(raw);
  }
}

export function parseProfile(text: string, file: string): Profile {
  return new Loader(file, text).load();
}

/**
 * Load a profile file: a regular file of at most MAX_PROFILE_BYTES (a FIFO, a device such as
 * /dev/zero or a huge file is refused at once, never read until memory runs out).
 */
export function loadProfileFile(file: string): Profile {
  const shown = path.relative(process.cwd(), file);
  const name = shown.startsWith('..') || shown === '' ? file : shown;
  let text: string;
  try {
    text = readRegularFile(file, MAX_PROFILE_BYTES).toString('utf8');
  } catch (e) {
    // A directory or a FIFO named *.yaml, no permission, too large …: a bad profile, not a crash.
    const why = e instanceof FileReadError ? e.message : (e as Error).message;
    throw new ProfileError([{ pos: { file: name, line: 1, col: 1 }, key: '', message: `cannot read the profile: ${why}` }]);
  }
  return parseProfile(text, name);
}

/** Edit distance, for "did you mean" (names are short: the quadratic table is tiny). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/** The message for a feature key that is no feature name. */
function featureHint(key: string): string {
  const names = [...LEGACY_OFFLOADS.flatMap(l => [l.short, l.long]), ...KERNEL_FEATURES];
  let best = '', bestD = Infinity;
  if (key.length <= 64) for (const n of names) { const x = distance(key, n); if (x < bestD) { best = n; bestD = x; } }
  const mean = bestD <= Math.max(2, Math.floor(key.length / 4)) ? `; did you mean ${best}?` : '';
  return `unknown feature (not an ethtool name such as gro, tso, lro, nor a kernel feature name of Linux 6.1-6.18 such as rx-gro${mean})`;
}
