/**
 * The plan's side of RSS in profiles (see ./rss.ts): what the rss section asks of a device
 * (wants, with the reasons a driver cannot have it), what a snapshot restores, and the rows and
 * steps of a plan. Ordering: the indirection table may only point at queues that exist, so on
 * a device whose channel count changes it is planned again after the channel change ("later"),
 * except when the channels shrink below what the current table points at (the kernel refuses
 * such an SCHANNELS while a table is set): then the new table, which fits the queues of both
 * counts, is set first.
 */
import { indirEqual } from '../ethtool/rss';
import type { DeviceState, HostState } from './state';
import type { SettingDef, Scalar, Group } from './model';
import { RssWant, RssStep, describeTable, normLetters } from './rss';
import type { Got } from './got';

/** A skipped setting, as ./plan.ts's Want of kind skip. */
export interface RssSkip { kind: 'skip'; dev: string; id: string; group: Group; setting: string; target: string | null; reason: string; why?: string }
/** A plan row, as ./plan.ts's Row. */
export interface RssRow {
  dev: string; id: string; group: Group; setting: string; current: string | null; target: string | null;
  action: 'set' | 'ok' | 'skip' | 'later'; reason?: string; resetsLink?: boolean; why?: string;
}
/** The channel settings a plan makes (./plan.ts's Want of kind field). */
interface FieldWant { kind: string; dev?: string | null; group?: string; field?: string; value?: unknown }

// ---- wants ----------------------------------------------------------------------------------

function reason(g: Got<unknown>, driver: string): string {
  return 'ok' in g ? '' : g.unsupported ? `not supported by driver ${driver}` : g.err;
}

/** What setting `s` of the rss section (value `v`) asks of device `d`. */
export function rssWants(s: SettingDef, v: Scalar | 'max' | 'cpus', d: DeviceState, params: Record<string, Scalar>): (RssWant | RssSkip)[] {
  const dev = d.dev, why = s.why, setting = `rss ${s.key}`, id = `rss:${s.key}`;
  const value = String(v);
  if (value === 'keep') return [];
  const skip = (why2: string, target = value): RssSkip => ({ kind: 'skip', dev, id, group: 'rss', setting, target, reason: why2, why });
  const r = d.rss;
  if (!r) return [skip(`RSS of ${dev} was not read`)];
  const cfg = r.config;
  if (s.key.startsWith('flow-hash.')) {
    const ft = s.key.slice(10);
    const g = r.flowHash[ft];
    if (!g || !('ok' in g)) return [skip(g ? reason(g, d.driver) : 'not read')];
    if (r.refused?.includes(ft)) return [skip(`hash fields ${value} for ${ft} refused by driver ${d.driver}`)];
    return [{ kind: 'rss', dev, part: s.key, value, setting, why }];
  }
  if (!('ok' in cfg)) return [skip(reason(cfg, d.driver))];
  const c = cfg.ok;
  switch (s.key) {
    case 'indir': {
      if (c.size === 0) return [skip(`driver ${d.driver} has no RSS indirection table`)];
      if (value === 'default') return [{ kind: 'rss', dev, part: 'indir', indir: 'default', setting, why }];
      const qs = s.rssQueues ? (s.rssQueues.kind === 'param' ? params[s.rssQueues.name] : s.rssQueues.kind === 'lit' ? s.rssQueues.v : 'channels') : 'channels';
      return [{ kind: 'rss', dev, part: 'indir', indir: { equal: qs === 'channels' ? 'channels' : Number(qs) }, setting, why }];
    }
    case 'hkey':
      if (c.indirOnly || c.key === null) return [skip(`driver ${d.driver} has no RSS hash key to set`)];
      if (c.key.length !== value.length) return [skip(`the RSS key of driver ${d.driver} is ${(c.key.length + 1) / 3} bytes, not ${(value.length + 1) / 3}`)];
      return [{ kind: 'rss', dev, part: 'hkey', value, setting, why }];
    case 'hfunc':
      if (c.indirOnly || c.hfuncs.length === 0) return [skip(`driver ${d.driver} names no RSS hash functions`)];
      if (!c.hfuncs.includes(value)) return [skip(`driver ${d.driver} has no hash function ${value} (its functions: ${c.hfuncs.join(' ')})`)];
      return [{ kind: 'rss', dev, part: 'hfunc', value, setting, why }];
  }
  return [];
}

/** The settings a snapshot recorded, as wants (for rollback and the check after an undo). */
export function restoreRssWant(snap: DeviceState, dev: string, part: string, setting: string): RssWant | RssSkip {
  const skip: RssSkip = { kind: 'skip', dev, id: `rss:${part}`, group: 'rss', setting, target: null, reason: 'not in the snapshot' };
  const r = snap.rss;
  if (!r || typeof r !== 'object') return skip;
  if (part.startsWith('flow-hash.')) {
    const g = r.flowHash?.[part.slice(10)];
    return g && 'ok' in g && typeof g.ok === 'string' ? { kind: 'rss', dev, part, value: g.ok, setting } : skip;
  }
  const c = r.config;
  if (!c || !('ok' in c)) return skip;
  if (part === 'indir' && Array.isArray(c.ok.indir) && c.ok.indir.every(Number.isInteger)) return { kind: 'rss', dev, part, indir: { table: c.ok.indir }, setting };
  if (part === 'hkey' && typeof c.ok.key === 'string') return { kind: 'rss', dev, part, value: c.ok.key, setting };
  if (part === 'hfunc' && typeof c.ok.hfunc === 'string') return { kind: 'rss', dev, part, value: c.ok.hfunc, setting };
  return skip;
}

// ---- rows and steps -------------------------------------------------------------------------

function sameTable(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// Phases beside plan.ts's (features 0, channels 1, ring 2, coalesce 3, pause 4, irq 5): a table
// that must be set before a channel shrink, and the RSS settings after the NIC's own settings.
const PHASE_PRE = 0.5, PHASE_RSS = 4.5, PHASE_FLOW = 4.6;

type Ordered = { order: [number, number, number]; step: RssStep };

/** The rows and steps of RSS wants, for plan.ts's diff(). */
export class RssPlanner {
  private readonly out: Ordered[] = [];
  private readonly merged = new Map<string, RssStep & { kind: 'rss' }>();

  constructor(private readonly state: HostState, private readonly wants: readonly FieldWant[], private readonly channelChange: ReadonlySet<string>) {}

  /** The rx queue count after the planned channel change (combined + rx), or now. */
  private rxCount(d: DeviceState): number | null {
    const ch = d.channels;
    if ('ok' in ch) {
      const cur = ch.ok as unknown as Record<string, number>;
      const next = { combined_count: cur.combined_count, rx_count: cur.rx_count };
      for (const w of this.wants) {
        if (w.kind === 'field' && w.dev === d.dev && w.group === 'channels' && (w.field === 'combined_count' || w.field === 'rx_count')) next[w.field] = Number(w.value);
      }
      const n = next.combined_count + next.rx_count;
      if (n > 0) return n;
    }
    return d.rss && 'ok' in d.rss.rings ? d.rss.rings.ok : null;
  }

  private step(dev: string, phase: number, devIndex: number, seq: number): RssStep & { kind: 'rss' } {
    const k = `${dev}/${phase}`;
    let st = this.merged.get(k);
    if (!st) {
      st = { kind: 'rss', dev, change: {}, prior: {}, ids: [], settings: [] };
      this.merged.set(k, st);
      this.out.push({ order: [phase, devIndex, seq], step: st });
    }
    return st;
  }

  row(w: RssWant, seq: number, devIndex: number): RssRow {
    const id = `rss:${w.part}`;
    const row: RssRow = { dev: w.dev, id, group: 'rss', setting: w.setting, current: null, target: null, action: 'ok', why: w.why };
    const d = this.state.devices.find(x => x.dev === w.dev);
    const skip = (reason: string): RssRow => Object.assign(row, { action: 'skip' as const, reason });
    if (!d?.rss) return skip('RSS not read');
    const r = d.rss;
    if (w.part.startsWith('flow-hash.')) {
      const ft = w.part.slice(10);
      const g = r.flowHash[ft];
      row.target = w.value!;
      if (!g || !('ok' in g)) return skip(g ? reason(g, d.driver) : 'not read');
      row.current = g.ok;
      if (normLetters(g.ok) === normLetters(w.value!)) return row;
      row.action = 'set';
      row.resetsLink = false;
      this.out.push({ order: [PHASE_FLOW, devIndex, seq], step: { kind: 'flow-hash', dev: w.dev, flowType: ft, fields: w.value!, prior: g.ok, ids: [id], settings: [w.setting] } });
      return row;
    }
    if (!('ok' in r.config)) return skip(reason(r.config, d.driver));
    const c = r.config.ok;
    if (w.part === 'hkey' || w.part === 'hfunc') {
      const cur = w.part === 'hkey' ? c.key : c.hfunc;
      row.current = cur;
      row.target = w.value!;
      if (cur === w.value) return row;
      row.action = 'set';
      row.resetsLink = false;
      const st = this.step(w.dev, PHASE_RSS, devIndex, seq);
      if (w.part === 'hkey') { st.change.key = w.value; st.prior.key = cur ?? undefined; } else { st.change.hfunc = w.value; st.prior.hfunc = cur ?? undefined; }
      st.ids.push(id);
      st.settings.push(w.setting);
      return row;
    }
    // the indirection table
    row.current = describeTable(c.indir);
    const changes = this.channelChange.has(w.dev);
    const after = this.rxCount(d);
    const ind = w.indir!;
    let target: number[] | 'default';
    if (ind === 'default') {
      target = 'default';
      row.target = after ? `default (${describeTable(indirEqual(c.size, after))})` : 'default';
    } else if ('table' in ind) {
      target = ind.table;
      if (target.length !== c.size) return skip(`the table recorded has ${target.length} entries, the device ${c.size}`);
      row.target = describeTable(target);
    } else {
      const n = ind.equal === 'channels' ? after : ind.equal;
      if (n === null) return skip(`driver ${d.driver} reports no channel or rx ring count to spread the table over`);
      target = indirEqual(c.size, n);
      row.target = describeTable(target);
      if (after !== null && n > after) return skip(`equal over ${n} queues: ${w.dev} has ${after} rx queues${changes ? ' after the channel change' : ''}`);
    }
    const table = target === 'default' ? (after ? indirEqual(c.size, after) : null) : target;
    if (!changes && table && sameTable(c.indir, table)) return row;
    row.resetsLink = false;
    const ringsNow = 'ok' in r.rings ? r.rings.ok : null;
    const curMax = c.indir.length ? Math.max(...c.indir) : -1;
    // A shrink the current table would block (the kernel refuses it while a table is set), with
    // a target that fits the queues there are now: set first. Otherwise after the change.
    const pre = changes && after !== null && curMax >= after && table !== null && ringsNow !== null && Math.max(...table) < ringsNow;
    if (changes && !pre) {
      row.action = 'later';
      row.reason = 'set after the channel change';
      return row;
    }
    row.action = 'set';
    const st = this.step(w.dev, pre ? PHASE_PRE : PHASE_RSS, devIndex, seq);
    st.change.indir = target === 'default' ? 'default' : [...target];
    st.prior.indir = [...c.indir];
    st.ids.push(id);
    st.settings.push(w.setting);
    return row;
  }

  steps(): Ordered[] { return this.out; }
}

