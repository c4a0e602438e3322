/**
 * The planner: a pure function of (targets, current state) → rows to show and steps to run.
 * It never touches the kernel. Targets come from a profile with its parameters
 * (profileWants) or from a snapshot (restoreWants, for rollback); diff() compares them with
 * the state and groups what differs into as few operations as possible: one SFEATURES for all
 * feature changes of a device, one SRINGPARAM for rx+tx, one SCHANNELS, one SCOALESCE, one
 * SPAUSEPARAM, one SFECPARAM, one write per file.
 */
import { evalExpr } from './expr';
import {
  Profile, SettingDef, Scalar, Group, StructGroup, GROUP_KEYS, QUEUE_KEYS, RESETS_LINK,
} from './model';
import { featuresNamed } from '../ethtool/catalog/offloads';
import { HostState, DeviceState, Got, rpsPath, xpsPath } from './state';
import { parseCpuList, formatCpuList, parseMask, formatMask, maskOf, spreadCpus } from './cpus';
import { ProfileError, Problem } from './load';
import { placements, cpuChoiceProblem, rxCpus, isCpusetValue, cpusetValue, sysctlCmp, sysctlKeyOf, Placement } from './placement';
import { RssWant, RssStep, describeRssStep } from './rss';
import { RssPlanner, rssWants, restoreRssWant } from './rss-plan';
import { FecWant, FecStep, fecWants, fecRow, restoreFecWant, describeFecStep } from './fec';

export type Action = 'set' | 'ok' | 'skip' | 'later';
export type FileWhat = 'sysctl' | 'irq' | 'xps' | 'rps';
export type Cmp = 'text' | 'mask' | 'cpulist' | 'ipvs-defense';

export interface Row {
  /** The device, or null for a host-wide setting. */
  dev: string | null;
  /** Stable identity of the setting on its device: features:rx-gro, ring:rx_pending, file:/proc/sys/… */
  id: string;
  group: Group;
  setting: string;
  current: string | null;
  target: string | null;
  action: Action;
  reason?: string;
  resetsLink?: boolean;
  why?: string;
}

export type Step =
  | { kind: 'features'; dev: string; set: Record<string, boolean>; prior: Record<string, boolean>; names: string[]; ids: string[]; settings: string[] }
  | { kind: StructGroup; dev: string; change: Record<string, number>; prior: Record<string, number>; current: Record<string, number>; ids: string[]; settings: string[]; resetsLink: boolean }
  | { kind: 'file'; what: FileWhat; dev: string | null; path: string; value: string; prior: string; ids: string[]; settings: string[] }
  | RssStep
  | FecStep;

export interface Plan { rows: Row[]; steps: Step[] }

export type Want =
  | { kind: 'feature'; dev: string; name: string; on: boolean; setting: string; why?: string }
  | { kind: 'field'; dev: string; group: StructGroup; field: string; value: number; bool: boolean; setting: string; why?: string }
  | { kind: 'file'; dev: string | null; what: FileWhat; path: string; value: string; cmp: Cmp; setting: string; why?: string }
  | { kind: 'skip'; dev: string | null; id: string; group: Group; setting: string; target: string | null; reason: string; why?: string }
  | RssWant
  | FecWant;

// ---- values ---------------------------------------------------------------------------------

function onOff(b: boolean): string { return b ? 'on' : 'off'; }

export function normalize(text: string | null, cmp: Cmp): string | null {
  if (text === null) return null;
  if (cmp === 'mask') { const m = parseMask(text); return m === null ? text.trim() : formatMask(m); }
  if (cmp === 'cpulist') { const c = parseCpuList(text); return c === null ? text.trim() : formatCpuList(c); }
  // IPVS defence modes 1 and 2 are both "automatic": the kernel moves between them itself.
  if (cmp === 'ipvs-defense') { const t = text.trim(); return t === '2' ? '1' : t; }
  return text.trim().replace(/\s+/g, ' ');
}

function sameFile(cur: string, target: string, cmp: Cmp): boolean {
  return normalize(cur, cmp) === normalize(target, cmp);
}

export function paramValue(src: SettingDef['value'], params: Record<string, Scalar>): Scalar | 'max' | 'cpus' {
  switch (src.kind) {
    case 'lit': return src.v;
    case 'param': return params[src.name];
    case 'max': return 'max';
    case 'cpus': return 'cpus';
  }
}

function whyReason(got: Got<unknown>, driver: string): string {
  if ('ok' in got) return '';
  return got.unsupported ? `not supported by driver ${driver}` : got.err;
}

// ---- sysctl names ---------------------------------------------------------------------------

/** A sysctl template (net.ipv4.conf.{dev}.rp_filter) with its placeholders filled. */
export function sysctlPath(template: string, params: Record<string, Scalar>, dev: string | null): { key: string; path: string } {
  const parts = template.split('.').map(part => part.replace(/\{([a-z_][a-z0-9_]*)\}/g, (_, n: string) => n === 'dev' ? dev ?? '' : String(params[n])));
  return { key: parts.join('.'), path: '/proc/sys/' + parts.join('/') };
}

export function isDeviceScoped(template: string): boolean {
  return template.includes('{dev}');
}

/** The /proc/sys paths a profile may touch on these devices (to be read before planning). */
export function sysctlPaths(profile: Profile, params: Record<string, Scalar>, devs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of profile.settings) {
    if (s.group !== 'sysctl' || (s.when && !evalExpr(s.when, params))) continue;
    for (const dev of isDeviceScoped(s.key) ? devs : [null]) out.add(sysctlPath(s.key, params, dev).path);
  }
  return [...out];
}

// ---- profile → wants ------------------------------------------------------------------------

const GROUP_NOUN = { ring: 'its rings', channels: 'its channels', coalesce: 'interrupt coalescing', pause: 'pause settings' } as const;

function structLabel(group: Group, key: string): string { return `${group} ${key}`; }

function deviceWants(s: SettingDef, v: Scalar | 'max' | 'cpus', d: DeviceState, place: Placement): Want[] {
  const dev = d.dev;
  const cpus = place.cpus;
  const why = s.why;
  const skip = (id: string, setting: string, reason: string, target: string | null = display(v)): Want =>
    ({ kind: 'skip', dev, id, group: s.group, setting, target, reason, why });
  switch (s.group) {
    case 'features': {
      if (!('ok' in d.features)) return [skip(`features:${s.key}`, `feature ${s.key}`, whyReason(d.features, d.driver))];
      const info = d.features.ok;
      const names = featuresNamed(s.key, info.names);
      if (names.length === 0) return [skip(`features:${s.key}`, `feature ${s.key}`, `no feature ${s.key} on driver ${d.driver}`)];
      return names.map(name => ({ kind: 'feature', dev, name, on: v === true, setting: name === s.key ? `feature ${name}` : `feature ${s.key} (${name})`, why }));
    }
    case 'ring': case 'channels': case 'coalesce': case 'pause': {
      const group = s.group;
      const spec = GROUP_KEYS[group][s.key];
      const label = structLabel(group, s.key);
      const id = `${group}:${spec.field}`;
      const g = d[group] as Got<Record<string, number>>;
      if (!('ok' in g)) return [skip(id, label, whyReason(g, d.driver))];
      if (group === 'coalesce' && d.coalesceSupported && !d.coalesceSupported.includes(s.key)) {
        return [skip(id, label, `not supported by driver ${d.driver} (its coalesce parameters: ${d.coalesceSupported.join(' ') || 'none'})`)];
      }
      if (group === 'coalesce' && d.coalesceRefused?.includes(s.key)) return [skip(id, label, `refused by driver ${d.driver} (operation not supported)`)];
      const st = g.ok;
      const max = spec.max ? st[spec.max] : undefined;
      let value: number;
      if (v === 'max' || v === 'cpus') {
        if (!max) return [skip(id, label, `driver ${d.driver} has no ${s.key} ${group === 'ring' ? 'ring' : 'channels'} (maximum 0)`)];
        value = v === 'max' ? max : Math.min(cpus.length, max);
      } else if (typeof v === 'boolean') value = v ? 1 : 0;
      else value = Number(v);
      if (max !== undefined && value > max) return [skip(id, label, `${value} exceeds the maximum of driver ${d.driver} (${max})`, String(value))];
      if (d.settable?.[group] === false && st[spec.field] !== value) return [skip(id, label, `driver ${d.driver} reports ${GROUP_NOUN[group]} but cannot change them (no set operation)`, String(value))];
      return [{ kind: 'field', dev, group, field: spec.field, value, bool: spec.kind === 'bool', setting: label, why }];
    }
    case 'queues': {
      const policy = String(v);
      // The CPU set itself (shown by the plan's header) and irqbalance (src/profiles/irqbalance.ts)
      // are no per-device files.
      if (s.key === 'cpus' || s.key === 'irqbalance') return [];
      if (place.problem) return [skip(`queues:${s.key}`, s.key, place.problem, policy)];
      if (s.key === 'irq-affinity') {
        if (d.irqs.length === 0) return [skip(`queues:irq-affinity`, 'irq-affinity', `no queue IRQs found for ${dev} (virtual device, or no MSI-X vectors)`, policy)];
        const nq = Math.max(...d.irqs.map(q => q.queue)) + 1;
        return d.irqs.map(q => {
          const target = policy === 'all' ? cpus : spreadCpus(q.queue, nq, cpus);
          const setting = `irq ${q.irq} ${q.name}`;
          if (d.files[q.path] === null) return skip(`file:${q.path}`, setting, `${q.path} is absent`, formatCpuList(target));
          return { kind: 'file', dev, what: 'irq', path: q.path, value: formatCpuList(target), cmp: 'cpulist', setting, why } as Want;
        });
      }
      const rx = s.key === 'rps';
      const n = rx ? d.rxQueues : d.txQueues;
      if (n === 0) return [skip(`queues:${s.key}`, s.key, `${dev} has no ${rx ? 'rx' : 'tx'} queues in sysfs`, policy)];
      const out: Want[] = [];
      for (let q = 0; q < n; q++) {
        const path = rx ? rpsPath(dev, q) : xpsPath(dev, q);
        let mask: bigint;
        if (policy === 'off') mask = 0n;
        else if (policy === 'all') mask = maskOf(cpus);
        else if (policy === 'auto') mask = n < cpus.length ? maskOf(cpus) : 0n;
        else mask = maskOf(spreadCpus(q, n, cpus));
        const setting = `${s.key} ${rx ? 'rx' : 'tx'}-${q}`;
        if (d.files[path] === null) { out.push(skip(`file:${path}`, setting, `${path.split('/').pop()} is absent (kernel without ${rx ? 'RPS' : 'XPS'})`, formatMask(mask))); continue; }
        out.push({ kind: 'file', dev, what: rx ? 'rps' : 'xps', path, value: formatMask(mask), cmp: 'mask', setting, why });
      }
      return out;
    }
    default:
      return [];
  }
}

function display(v: Scalar | 'max' | 'cpus'): string {
  return typeof v === 'boolean' ? onOff(v) : String(v);
}

function sysctlText(v: Scalar | 'max' | 'cpus'): string {
  return typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
}

/**
 * What a profile asks of these devices, resolved against their state (pure). A sysctl that does
 * not exist is a problem of the profile (a misspelt key, or one this host lacks), unless its
 * entry says with `absent:` that it may be missing: then it is skipped with that reason.
 */
export function profileWants(profile: Profile, params: Record<string, Scalar>, state: HostState, problems: Problem[] = [], origin?: SettingDef[]): Want[] {
  const out: Want[] = [];
  const seen = new Set<string>();
  const place = placements(profile, params, state.devices, state.cpus);
  const rx = rxCpus(place);
  for (const s of profile.settings) {
    if (origin) while (origin.length < out.length) origin.push(profile.settings[profile.settings.indexOf(s) - 1]);
    const v = paramValue(s.value, params);
    const active = !s.when || evalExpr(s.when, params);
    if (s.group === 'sysctl') {
      const scopes = isDeviceScoped(s.key) ? state.devices.map(d => d.dev) : [null];
      for (const dev of scopes) {
        const { key, path } = sysctlPath(s.key, params, dev);
        if (seen.has(path)) continue;
        seen.add(path);
        const setting = `sysctl ${key}`;
        const base = { dev, id: `file:${path}`, group: s.group, setting, why: s.why } as const;
        if (!active) { out.push({ kind: 'skip', ...base, target: sysctlText(v), reason: `only when ${s.whenText}` }); continue; }
        if (state.sysctl[path] === null || state.sysctl[path] === undefined) {
          if (s.absent === undefined) {
            problems.push({ pos: s.pos, key: `sysctl.${s.key}`, message: `${key} does not exist here (${path} is missing: not in this kernel or network namespace; add absent: REASON to the entry if it may be missing)` });
          }
          // A CPU-set value is shown as the set it stands for (when there is one).
          const shown = isCpusetValue(v) ? (c => 'text' in c ? c.text : v)(cpusetValue(v, rx.length ? rx : state.cpus, state.cpus)) : sysctlText(v);
          out.push({ kind: 'skip', ...base, target: shown, reason: s.absent ?? `${key} is not present (not in this kernel or network namespace)` });
          continue;
        }
        let text = sysctlText(v);
        if (isCpusetValue(v)) {
          const c = cpusetValue(v, rx.length ? rx : state.cpus, state.cpus);
          if ('skip' in c) { out.push({ kind: 'skip', ...base, target: v, reason: c.skip }); continue; }
          text = c.text;
        }
        out.push({ kind: 'file', dev, what: 'sysctl', path, value: text, cmp: sysctlCmp(key), setting, why: s.why });
      }
      continue;
    }
    for (const d of state.devices) {
      if (!active) {
        out.push({ kind: 'skip', dev: d.dev, id: `${s.group}:${s.key}`, group: s.group, setting: s.group === 'queues' ? s.key : `${s.group === 'features' ? 'feature' : s.group} ${s.key}`, target: display(v), reason: `only when ${s.whenText}`, why: s.why });
        continue;
      }
      out.push(...(s.group === 'rss' ? rssWants(s, v, d, params) : s.group === 'fec' ? fecWants(String(v), d, s.why) : deviceWants(s, v, d, place.get(d.dev)!)));
    }
  }
  if (origin) while (origin.length < out.length) origin.push(profile.settings[profile.settings.length - 1]);
  return out;
}

// ---- snapshot → wants -----------------------------------------------------------------------

export interface Touched { id: string; setting: string; dev: string | null }

/** A device as it was, its sysctls as they were, and the settings to bring back. */
export interface RestoreEntry { device: DeviceState; sysctl: Record<string, string | null>; touched: readonly Touched[] }

/** The values recorded before an apply, for the settings it changed (for rollback). */
export function restoreWants(entries: readonly RestoreEntry[], state: HostState): Want[] {
  const out: Want[] = [];
  for (const snap of entries) {
    const d = state.devices.find(x => x.dev === snap.device.dev);
    for (const t of snap.touched) {
      const skip = (reason: string): Want => ({ kind: 'skip', dev: t.dev, id: t.id, group: groupOfId(t.id), setting: t.setting, target: null, reason });
      if (!d) { out.push(skip(`${snap.device.dev} was not read`)); continue; }
      const [kind, ...rest] = t.id.split(':');
      const key = rest.join(':');
      if (kind === 'features') {
        const f = snap.device.features;
        if (!('ok' in f) || !(key in f.ok.active)) { out.push(skip('not in the snapshot')); continue; }
        out.push({ kind: 'feature', dev: d.dev, name: key, on: f.ok.active[key], setting: t.setting });
      } else if (kind === 'ring' || kind === 'channels' || kind === 'coalesce' || kind === 'pause') {
        const g = snap.device[kind] as Got<Record<string, number>>;
        if (!('ok' in g) || typeof g.ok[key] !== 'number') { out.push(skip('not in the snapshot')); continue; }
        const spec = Object.values(GROUP_KEYS[kind]).find(x => x.field === key);
        out.push({ kind: 'field', dev: d.dev, group: kind, field: key, value: g.ok[key], bool: spec?.kind === 'bool', setting: t.setting });
      } else if (kind === 'rss') {
        out.push(restoreRssWant(snap.device, d.dev, key, t.setting));
      } else if (kind === 'fec') {
        out.push(restoreFecWant(snap.device, d.dev, t.setting));
      } else if (kind === 'file') {
        const path = key;
        const what = fileWhat(path);
        const value = what === 'sysctl' ? snap.sysctl[path] : snap.device.files[path];
        if (value === null || value === undefined) { out.push(skip('not in the snapshot')); continue; }
        const present = what === 'sysctl' ? state.sysctl[path] : d.files[path];
        // A queue file that is gone comes back with its queue when the same restore brings the
        // channels back (diff() plans it after the channel change); otherwise it is skipped there.
        if ((present === null || present === undefined) && what === 'sysctl') { out.push(skip(`${path} is no longer present`)); continue; }
        out.push({ kind: 'file', dev: t.dev, what, path, value: value.trim(), cmp: what === 'sysctl' ? sysctlCmp(sysctlKeyOf(path)) : what === 'irq' ? 'cpulist' : 'mask', setting: t.setting });
      }
    }
  }
  return out;
}

export function fileWhat(path: string): FileWhat {
  if (path.startsWith('/proc/sys/')) return 'sysctl';
  if (path.startsWith('/proc/irq/')) return 'irq';
  return path.endsWith('rps_cpus') ? 'rps' : 'xps';
}

function groupOfId(id: string): Group {
  const k = id.split(':')[0];
  if (k === 'file') {
    const w = fileWhat(id.slice(5));
    return w === 'sysctl' ? 'sysctl' : 'queues';
  }
  return k as Group;
}

/** Sysctl paths named by touched ids (to read before a rollback). */
export function touchedSysctlPaths(touched: readonly Touched[]): string[] {
  return touched.filter(t => t.id.startsWith('file:/proc/sys/')).map(t => t.id.slice(5));
}

// ---- wants + state → plan -------------------------------------------------------------------

// FEC after pause (and before RSS, ./rss-plan.ts's 4.5): a FEC change the driver refuses undoes the NIC's other settings.
const PHASE: Record<string, number> = { features: 0, channels: 1, ring: 2, coalesce: 3, pause: 4, fec: 4.2, irq: 5, xps: 6, rps: 7, sysctl: 8 };

export function diff(wants: readonly Want[], state: HostState): Plan {
  const rows: Row[] = [];
  const steps: { order: [number, number, number]; step: Step }[] = [];
  const devIndex = (dev: string | null) => dev === null ? 0 : Math.max(0, state.devices.findIndex(d => d.dev === dev));
  const featureStep = new Map<string, Step & { kind: 'features' }>();
  const structSteps = new Map<string, Step & { kind: StructGroup }>();
  let seq = 0;
  // Devices whose channel count changes: their queue files are planned again after it.
  const channelChange = new Set<string>();
  for (const w of wants) {
    if (w.kind !== 'field' || w.group !== 'channels') continue;
    const d = state.devices.find(x => x.dev === w.dev)!;
    const ch = d.channels;
    if ('ok' in ch && (ch.ok as unknown as Record<string, number>)[w.field] !== w.value) channelChange.add(w.dev);
  }
  const rss = new RssPlanner(state, wants, channelChange);

  for (const w of wants) {
    seq++;
    if (w.kind === 'skip') {
      rows.push({ dev: w.dev, id: w.id, group: w.group, setting: w.setting, current: null, target: w.target, action: 'skip', reason: w.reason, why: w.why });
      continue;
    }
    if (w.kind === 'rss') { rows.push(rss.row(w, seq, devIndex(w.dev))); continue; }
    if (w.kind === 'fec') {
      const { row, step } = fecRow(w, state.devices.find(x => x.dev === w.dev));
      rows.push(row);
      if (step) steps.push({ order: [PHASE.fec, devIndex(w.dev), seq], step });
      continue;
    }
    const d = w.dev === null ? undefined : state.devices.find(x => x.dev === w.dev);
    if (w.kind === 'feature') {
      const info = d && 'ok' in d.features ? d.features.ok : undefined;
      if (!d || !info) continue;
      const id = `features:${w.name}`;
      const cur = info.active[w.name];
      const row: Row = { dev: w.dev, id, group: 'features', setting: w.setting, current: onOff(cur), target: onOff(w.on), action: 'ok', why: w.why };
      rows.push(row);
      if (cur === w.on) continue;
      if (info.fixed.includes(w.name)) { row.action = 'skip'; row.reason = `fixed by driver ${d.driver}`; continue; }
      if (info.requested[w.name] === w.on) { row.action = 'skip'; row.reason = `already requested; the kernel keeps it ${onOff(cur)} (it depends on other features)`; continue; }
      row.action = 'set';
      row.resetsLink = false;
      let st = featureStep.get(w.dev);
      if (!st) {
        st = { kind: 'features', dev: w.dev, set: {}, prior: {}, names: info.names, ids: [], settings: [] };
        featureStep.set(w.dev, st);
        steps.push({ order: [PHASE.features, devIndex(w.dev), seq], step: st });
      }
      st.set[w.name] = w.on;
      st.prior[w.name] = info.requested[w.name];
      st.ids.push(id);
      st.settings.push(w.setting);
      continue;
    }
    if (w.kind === 'field') {
      const g = d?.[w.group] as Got<Record<string, number>> | undefined;
      if (!d || !g || !('ok' in g)) continue;
      const id = `${w.group}:${w.field}`;
      const cur = g.ok[w.field];
      const fmt = (n: number) => w.bool ? onOff(n !== 0) : String(n);
      const row: Row = { dev: w.dev, id, group: w.group, setting: w.setting, current: fmt(cur), target: fmt(w.value), action: 'ok', why: w.why };
      rows.push(row);
      if (w.bool ? (cur !== 0) === (w.value !== 0) : cur === w.value) continue;
      row.action = 'set';
      row.resetsLink = RESETS_LINK[w.group];
      const key = `${w.dev}/${w.group}`;
      let st = structSteps.get(key);
      if (!st) {
        st = { kind: w.group, dev: w.dev, change: {}, prior: {}, current: { ...g.ok }, ids: [], settings: [], resetsLink: RESETS_LINK[w.group] };
        structSteps.set(key, st);
        steps.push({ order: [PHASE[w.group], devIndex(w.dev), seq], step: st });
      }
      st.change[w.field] = w.value;
      st.prior[w.field] = cur;
      st.ids.push(id);
      st.settings.push(w.setting);
      continue;
    }
    // a file
    const id = `file:${w.path}`;
    const raw = w.what === 'sysctl' ? state.sysctl[w.path] : d?.files[w.path];
    const cur = raw ?? null;
    const row: Row = { dev: w.dev, id, group: w.what === 'sysctl' ? 'sysctl' : 'queues', setting: w.setting, current: normalize(cur, w.cmp), target: normalize(w.value, w.cmp), action: 'ok', why: w.why };
    rows.push(row);
    const later = w.what !== 'sysctl' && w.dev !== null && channelChange.has(w.dev);
    if (cur === null && !later) { row.action = 'skip'; row.reason = `${w.path} is absent`; continue; }
    if (cur !== null && sameFile(cur, w.value, w.cmp)) continue;
    if (later) {
      row.action = 'later';
      row.target = null;   // depends on the queues there will be
      row.reason = 'planned again after the channel change';
      continue;
    }
    row.action = 'set';
    row.resetsLink = false;
    steps.push({
      order: [PHASE[w.what], w.what === 'sysctl' ? 0 : devIndex(w.dev), seq],
      step: { kind: 'file', what: w.what, dev: w.dev, path: w.path, value: w.value, prior: cur!.trim(), ids: [id], settings: [w.setting] },
    });
  }
  steps.push(...rss.steps());
  steps.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
  return { rows, steps: steps.map(s => s.step) };
}

/** The plan of a profile on this state; throws ProfileError (file:line:col) for sysctls that do not exist. */
export function planProfile(profile: Profile, params: Record<string, Scalar>, state: HostState): Plan {
  const problems: Problem[] = [];
  const origin: SettingDef[] = [];
  const bad = cpuChoiceProblem(profile, params);
  if (bad) throw new ProfileError([bad]);
  const wants = profileWants(profile, params, state, problems, origin);
  const required = new Map<string, SettingDef>();
  wants.forEach((w, i) => {
    const s = origin[i];
    if (s.required && (!s.when || evalExpr(s.when, params))) required.set(`${w.dev ?? ''}\0${w.setting}`, s);
  });
  if (problems.length) throw new ProfileError(problems);
  const plan = diff(wants, state);
  for (const r of plan.rows) {
    const s = r.action === 'skip' ? required.get(`${r.dev ?? ''}\0${r.setting}`) : undefined;
    if (s) problems.push({ pos: s.pos, key: `${s.group}.${s.key}`, message: `required, but ${r.dev ?? 'the host'} cannot have it: ${r.setting}: ${r.reason}` });
  }
  if (problems.length) throw new ProfileError(problems);
  return plan;
}

/** How many times applying the plan takes a link down and up: one per step that resets it
 * (rx and tx rings in one SRINGPARAM are one reset). */
export function linkResets(plan: Plan): number {
  return plan.steps.filter(s => 'resetsLink' in s && s.resetsLink).length;
}

/** Rows that say the device is not as the targets want (set now or after a channel change). */
export function pending(plan: Plan): Row[] {
  return plan.rows.filter(r => r.action === 'set' || r.action === 'later');
}

export function describeStep(s: Step): string {
  switch (s.kind) {
    case 'features': return `${s.dev}: features ${Object.entries(s.set).map(([n, on]) => `${n} ${onOff(on)}`).join(', ')}`;
    case 'file': return `${s.dev ?? 'host'}: ${s.settings[0]} = ${s.value}`;
    case 'rss': case 'flow-hash': return describeRssStep(s);
    case 'fec': return describeFecStep(s);
    default: return `${s.dev}: ${s.kind} ${Object.entries(s.change).map(([f, v]) => `${f}=${v}`).join(' ')}`;
  }
}

export { QUEUE_KEYS };
