/**
 * Carrying out a plan as a transaction: steps run in order, each with its undo; on the first
 * failure the steps done are undone in reverse and the device is checked against the state
 * read before the first change. A channel change makes the queue files (IRQ affinity, XPS,
 * RPS) be planned again from a fresh read, since the set of queues has changed. After the last
 * step the state is read once more: a setting that did not take (a driver that rounds a value,
 * a feature the kernel keeps off) fails the apply, which is then undone too.
 */
import { Nic } from '../device/nic';
import { EthtoolError } from '../device/errors';
import { GROUP_KEYS } from './model';
import { ETHTOOL_F } from '../ethtool/constants';
import type { Ring, Channels, Coalesce, Pause } from '../ethtool/types';
import { Env, HostState, readHost, DeviceState } from './state';
import { RssStep, runRssStep, isRefusal } from './rss';
import { runFecStep } from './fec';
import { Plan, Step, Touched, RestoreEntry, diff, restoreWants, describeStep, pending } from './plan';

export type Outcome = 'changed' | 'unchanged' | 'rolled-back' | 'rollback-failed';

export interface StepReport {
  step: string;
  kind: Step['kind'];
  dev: string | null;
  settings: string[];
  resetsLink: boolean;
  status: 'done' | 'failed' | 'undone' | 'undo-failed';
  error?: string;
  /** Settings of the step the driver refused (EOPNOTSUPP when asked for one by one): skipped. */
  refused?: string[];
}

export interface TransactResult {
  outcome: Outcome;
  /** The plan of the first round (what was shown/confirmed). */
  plan: Plan;
  rounds: Plan[];
  steps: StepReport[];
  error?: string;
  undoErrors: string[];
  /** Settings changed (and kept, when the outcome is "changed"). */
  touched: Touched[];
  /**
   * What a rollback must restore: the settings changed plus, on devices whose channel count
   * changed, the queue files as they were (the kernel drops those of queues that go away).
   */
  restore: Touched[];
  before: HostState;
  /** Per device: what the driver refused (coalesce keys, flow types), seeded ones included. */
  refused: Map<string, { coalesce: string[]; flowHash: string[]; unsettable: string[] }>;
  after?: HostState;
}

export interface TransactOptions {
  env: Env;
  devs: readonly string[];
  sysctlPaths: readonly string[];
  plan: (state: HostState) => Plan;
  /** Marks on each device read what an earlier apply found refused (from its snapshot). */
  seedRefusals?: (d: DeviceState) => void;
  /** Called once before the first change; may throw to refuse (nothing is changed then). */
  beforeChange?: (plan: Plan, state: HostState) => void | Promise<void>;
  /** Called after the last step succeeded or after an undo, with what was touched. */
  maxRounds?: number;
  /**
   * Called with a fresh read before each later round (after a channel change) and after the last
   * step, before the final check: for what follows the steps' result (irqbalance's ban list takes
   * the IRQs a channel change made, before they are placed). May throw: the apply is then undone
   * like a failed step.
   */
  settle?: (state: HostState) => void | Promise<void>;
}

/** A device setting did not take the value asked for. */
export class NotTakenError extends Error {
  constructor(readonly rows: { dev: string | null; setting: string; current: string | null; target: string | null }[]) {
    super(`not as asked after apply: ${rows.map(r => `${r.dev ?? 'host'} ${r.setting} is ${r.current ?? '-'}, wanted ${r.target ?? '-'}`).join('; ')}`);
    this.name = 'NotTakenError';
  }
}

export class Executor {
  constructor(private readonly nics: Map<string, Nic>, private readonly env: Env) {}

  private nic(dev: string): Nic {
    let n = this.nics.get(dev);
    if (!n) { n = new Nic(dev, this.env.transport); this.nics.set(dev, n); }
    return n;
  }

  run(s: Step): void {
    switch (s.kind) {
      case 'features': {
        const bits = this.nic(s.dev).setFeatures(s.set, s.names);
        if (bits & ETHTOOL_F.WISH) throw new Error(`${s.dev}: features not applied as asked (${Object.keys(s.set).join(', ')}): the kernel kept some as they were`);
        return;
      }
      case 'file':
        this.env.fs.write(s.path, s.value);
        return;
      case 'rss': case 'flow-hash': runRssStep(this.nic(s.dev), s, false); return;
      case 'fec': runFecStep(this.nic(s.dev), s, false); return;
      default:
        this.setStruct(s, s.change, s.current);
    }
  }

  undo(s: Step): void {
    switch (s.kind) {
      case 'features': this.nic(s.dev).setFeatures(s.prior, s.names); return;
      case 'file': this.env.fs.write(s.path, s.prior); return;
      case 'rss': case 'flow-hash': runRssStep(this.nic(s.dev), s, true); return;
      case 'fec': runFecStep(this.nic(s.dev), s, true); return;
      default: this.setStruct(s, s.prior, { ...s.current, ...s.change });
    }
  }

  /**
   * A multi-field SCOALESCE the driver refused (EOPNOTSUPP: the kernel refuses a request naming
   * any parameter the driver lacks, and without netlink there is no list to check first): each
   * field asked for on its own, so that the ones the driver has are set and the refused ones
   * found. Coalesce changes do not reset the link. Returns the step as done (the fields set).
   */
  splitCoalesce(s: Step & { kind: 'coalesce' }): { step: Step & { kind: 'coalesce' }; refused: string[] } {
    const current = { ...s.current };
    const step: Step & { kind: 'coalesce' } = { ...s, change: {}, prior: {}, current: { ...s.current }, ids: [], settings: [] };
    const refused: string[] = [];
    for (const [field, v] of Object.entries(s.change)) {
      try {
        this.nic(s.dev).setCoalesce({ [field]: v }, current as unknown as Coalesce);
      } catch (e) {
        if (e instanceof EthtoolError && e.kind === 'unsupported') { refused.push(field); continue; }
        throw e;
      }
      current[field] = v;
      const i = s.ids.indexOf(`coalesce:${field}`);
      step.change[field] = v;
      step.prior[field] = s.prior[field];
      step.ids.push(s.ids[i]);
      step.settings.push(s.settings[i]);
    }
    return { step, refused };
  }

  /** One S* ioctl: the struct as read, overlaid with the change. */
  private setStruct(s: Step & { dev: string }, change: Record<string, number>, current: Record<string, number>): void {
    const nic = this.nic(s.dev);
    switch (s.kind) {
      case 'ring': nic.setRing(change, current as unknown as Ring); return;
      case 'channels': nic.setChannels(change, current as unknown as Channels); return;
      case 'coalesce': nic.setCoalesce(change, current as unknown as Coalesce); return;
      case 'pause': nic.setPause(change, current as unknown as Pause); return;
      default: throw new Error(`no setter for ${s.kind}`);
    }
  }
}

function coalesceKey(field: string): string {
  return Object.entries(GROUP_KEYS.coalesce).find(([, spec]) => spec.field === field)?.[0] ?? field;
}

function touchedOf(steps: readonly Step[]): Touched[] {
  const out = new Map<string, Touched>();
  for (const s of steps) s.ids.forEach((id, i) => out.set(`${s.dev}|${id}`, { id, setting: s.settings[i], dev: s.dev }));
  return [...out.values()];
}

function dedupe(ts: readonly Touched[]): Touched[] {
  return [...new Map(ts.map(t => [`${t.dev}|${t.id}`, t])).values()];
}

/**
 * Queue files (IRQ affinity, XPS, RPS) of devices whose channel count was changed: the kernel
 * drops the settings of queues that go away, so an undo that brings them back must restore them.
 */
function queueFilesOf(done: readonly Step[], before: HostState): Touched[] {
  const out: Touched[] = [];
  for (const s of done) {
    if (s.kind !== 'channels') continue;
    const d = before.devices.find(x => x.dev === s.dev);
    if (!d) continue;
    for (const [p, v] of Object.entries(d.files)) {
      if (v === null) continue;
      const q = d.irqs.find(x => x.path === p);
      const setting = q ? `irq ${q.irq} ${q.name}` : p.replace(/^.*\/queues\/((rx|tx)-\d+)\/(rps|xps)_cpus$/, '$3 $1');
      out.push({ id: `file:${p}`, setting, dev: s.dev });
    }
  }
  return out;
}

/**
 * What a rollback must restore should the apply of `plan` stop anywhere (a kill, a crash):
 * every setting the plan is to change (also those planned after a channel change) and, on
 * devices whose channels it changes, every queue file as it was. Written before the first change.
 */
export function plannedRestore(plan: Plan, before: HostState): Touched[] {
  const rows: Touched[] = plan.rows.filter(r => r.action === 'set' || r.action === 'later').map(r => ({ id: r.id, setting: r.setting, dev: r.dev }));
  return dedupe([...rows, ...queueFilesOf(plan.steps.filter(s => s.kind === 'channels'), before)]);
}

/** Touched settings grouped per device; host-wide ones go with the first device. */
export function splitTouched(touched: readonly Touched[], before: HostState): RestoreEntry[] {
  return before.devices.map((device, i) => ({
    device, sysctl: before.sysctl,
    touched: touched.filter(t => t.dev === device.dev || (t.dev === null && i === 0)),
  }));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Read, plan, and (when something differs) change the devices. Everything is undone on the
 * first failure. Never throws for a failed step; throws only for failures before any change
 * (a device that cannot be read, a refusal from beforeChange).
 */
export async function transact(o: TransactOptions): Promise<TransactResult> {
  const nics = new Map<string, Nic>(o.devs.map(d => [d, new Nic(d, o.env.transport)]));
  // Coalesce keys a driver refused one by one (found by splitting a refused request): the plans
  // read after that skip them.
  const refused = new Map<string, Set<string>>();
  // Flow types whose hash fields the driver refused (SRXFH with EINVAL/EOPNOTSUPP): skipped then.
  const flowRefused = new Map<string, Set<string>>();
  // Groups the driver reports but has no set operation for (env.settable, or an earlier apply's).
  const unsettable = new Map<string, Set<string>>();
  const refusals = () => new Map([...new Set([...refused.keys(), ...flowRefused.keys(), ...unsettable.keys()])].map(dev =>
    [dev, { coalesce: [...(refused.get(dev) ?? [])].sort(), flowHash: [...(flowRefused.get(dev) ?? [])].sort(), unsettable: [...(unsettable.get(dev) ?? [])].sort() }]));
  const read = () => {
    const st = readHost(o.env, o.devs, o.sysctlPaths, nics);
    for (const d of st.devices) {
      if (o.seedRefusals) {
        o.seedRefusals(d);
        if (d.coalesceRefused?.length) refused.set(d.dev, new Set([...(refused.get(d.dev) ?? []), ...d.coalesceRefused]));
        if (d.rss?.refused?.length) flowRefused.set(d.dev, new Set([...(flowRefused.get(d.dev) ?? []), ...d.rss.refused]));
      }
      const r = refused.get(d.dev);
      if (r) d.coalesceRefused = [...new Set([...(d.coalesceRefused ?? []), ...r])].sort();
      const f = flowRefused.get(d.dev);
      if (f && d.rss) d.rss.refused = [...f].sort();
      const u = unsettable.get(d.dev) ?? new Set<string>();
      for (const [g, can] of Object.entries(d.settable ?? {})) if (can === false) u.add(g);
      if (u.size) {
        unsettable.set(d.dev, u);
        d.settable = { ...d.settable, ...Object.fromEntries([...u].map(g => [g, false])) };
      }
    }
    return st;
  };
  const before = read();
  const first = o.plan(before);
  const base = { plan: first, rounds: [first], before, undoErrors: [] as string[] };
  if (pending(first).length === 0) return { ...base, outcome: 'unchanged', steps: [], touched: [], restore: [], refused: refusals() };
  await o.beforeChange?.(first, before);

  const exec = new Executor(nics, o.env);
  const done: Step[] = [];
  const reports: StepReport[] = [];
  const report = (s: Step, status: StepReport['status'], error?: string): StepReport => {
    const r: StepReport = { step: describeStep(s), kind: s.kind, dev: s.dev, settings: s.settings, resetsLink: 'resetsLink' in s ? s.resetsLink : false, status };
    if (error) r.error = error;
    reports.push(r);
    return r;
  };
  let failed: Step | undefined;
  let plan = first;
  try {
    for (let round = 0; ; round++) {
      for (const s of plan.steps) {
        let ran: Step = s;
        let skipped: string[] = [];
        try {
          exec.run(s);
        } catch (e) {
          const split = s.kind === 'coalesce' && Object.keys(s.change).length > 1 && e instanceof EthtoolError && e.kind === 'unsupported'
            ? exec.splitCoalesce(s as Step & { kind: 'coalesce' }) : null;
          if (!split && isRefusal(s, e)) {
            const f = s as RssStep & { kind: 'flow-hash' };
            flowRefused.set(f.dev, new Set([...(flowRefused.get(f.dev) ?? []), f.flowType]));
            report({ ...f, ids: [], settings: [] }, 'done').refused = f.settings;
            continue;
          }
          if (!split) { failed = s; report(s, 'failed', message(e)); throw e; }
          const dev = split.step.dev;
          const r = refused.get(dev) ?? new Set<string>();
          for (const f of split.refused) r.add(coalesceKey(f));
          refused.set(dev, r);
          ran = split.step;
          skipped = split.refused.map(f => s.settings[s.ids.indexOf(`coalesce:${f}`)]);
        }
        if (ran.ids.length) done.push(ran);
        const rep = report(ran, 'done');
        if (skipped.length) rep.refused = skipped;
      }
      if (!plan.rows.some(r => r.action === 'later')) break;
      if (round + 1 >= (o.maxRounds ?? 3)) throw new Error('settings still pending after the channel change');
      // what follows the channel change (irqbalance's ban takes the new IRQs) before the new
      // IRQs are placed: irqbalance would otherwise move them between the writes and the ban
      const mid = read();
      if (o.settle) await o.settle(mid);
      plan = o.plan(mid);
      base.rounds.push(plan);
    }
    if (o.settle) await o.settle(read());
    const after = read();
    const final = o.plan(after);
    const ids = new Set(touchedOf(done).map(t => `${t.dev}|${t.id}`));
    const left = final.rows.filter(r => ids.has(`${r.dev}|${r.id}`) && r.action !== 'ok');
    const stillPending = pending(final).filter(r => !ids.has(`${r.dev}|${r.id}`));
    if (left.length || stillPending.length) throw new NotTakenError([...left, ...stillPending]);
    return { ...base, outcome: 'changed', steps: reports, touched: touchedOf(done), restore: dedupe([...touchedOf(done), ...queueFilesOf(done, before)]), after, refused: refusals() };
  } catch (e) {
    const error = message(e);
    const undoErrors: string[] = [];
    // A features request the kernel answered with "not all as asked" may have changed some.
    const toUndo = failed?.kind === 'features' ? [...done, failed] : [...done];
    for (const s of toUndo.reverse()) {
      try {
        exec.undo(s);
        const r = reports.find(x => x.step === describeStep(s) && x.status === 'done');
        if (r) r.status = 'undone';
      } catch (u) {
        undoErrors.push(message(u));
        const r = reports.find(x => x.step === describeStep(s) && x.status === 'done');
        if (r) { r.status = 'undo-failed'; r.error = message(u); }
      }
    }
    // Check: every setting touched is back to what it was before the first change, and so are
    // the queue files of queues a channel change removed and the undo brought back (repaired).
    const touched = touchedOf(failed ? [...done, failed] : done);
    const check = dedupe([...touched, ...queueFilesOf(done, before)]);
    const entries = splitTouched(check, before);
    let after: HostState | undefined;
    try {
      after = read();
      for (let round = 0; undoErrors.length === 0 && round < (o.maxRounds ?? 3); round++) {
        const repair = diff(restoreWants(entries, after), after);
        if (pending(repair).length === 0) break;
        for (const s of repair.steps) {
          try { exec.run(s); } catch (u) { undoErrors.push(message(u)); break; }
        }
        after = read();
      }
      const back = diff(restoreWants(entries, after), after);
      for (const r of pending(back)) undoErrors.push(`${r.dev ?? 'host'} ${r.setting} is ${r.current}, was ${r.target} before the apply`);
    } catch (r) {
      undoErrors.push(`cannot read the state after undo: ${message(r)}`);
    }
    return { ...base, undoErrors, outcome: undoErrors.length ? 'rollback-failed' : 'rolled-back', steps: reports, error, touched, restore: check, after, refused: refusals() };
  }
}
