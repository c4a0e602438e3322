/**
 * ethkit's tuning-profile commands (dispatched here by the program, src/app/run.ts, or run directly):
 *
 *   ethkit --profile-list                         profiles in the profile directory
 *   ethkit --profile-show NAME                    a profile's parameters and settings
 *   ethkit --plan PROFILE DEV... [--set K=V]...   what applying would change (changes nothing)
 *   ethkit --apply PROFILE DEV... [--set K=V]... [--yes]
 *   ethkit --verify PROFILE DEV... [--set K=V]...
 *   ethkit --rollback DEV... [--yes]
 *   global: --json  --state-dir DIR (ETHKIT_STATE_DIR, /var/lib/ethkit)  --profile-dir DIR (ETHKIT_PROFILE_DIR, the repository's profiles/)
 *
 * Exit codes: see EXIT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { EthtoolError, UsageError } from '../device/errors';
import { ifnameProblem, openTransport } from '../ethtool/transport';
import { FsError, HostFs, NoHostFs, RealFs } from '../common/hostfs';
import { acquireLock, Lock, LockBusyError, LockFileError } from '../common/lock';
import { errnoText } from '../common/files';
import { ProfileError, loadProfileFile, coerceParam } from './load';
import { Profile, Scalar } from './model';
import type { NicNetlink } from '../device/netlink';
import { Env, Capabilities, HostState, readHost, readDevice, defaultRouteDevices, SettableGroup } from './state';
import { planProfile, sysctlPaths, pending, linkResets, diff, restoreWants, touchedSysctlPaths, Plan, Row, RestoreEntry, Touched } from './plan';
import { transact, TransactResult, plannedRestore } from './apply';
import { SnapshotStore, SnapshotEntry, StoredEntry, SnapshotError, InstanceId, DEFAULT_STATE_DIR, prepareStateDir, Refusals, applyRefusals } from './snapshot';
import { netnsIdentity, bootId, instanceOf, instanceMismatch } from './instance';
import { planTable, summaryText, summary, rowJson, stepJson, table } from './format';
import { placements } from './placement';
import { formatCpuList } from '../common/cpus';
import { IrqbalanceControl, IrqbalanceState, IrqbalanceRecord, RealIrqbalance, irqbalanceChoice, tunedIrqs, undoIrqbalance } from './irqbalance';
import type { FrontEndIo } from '../common/io';
import { strtoint } from '../common/numbers';
import { readArgs } from './argv';

/** Exit codes of the profile commands. */
export const EXIT = {
  /** plan printed; apply/rollback changed the devices; verify found them as the profile says. */
  OK: 0,
  /** Bad usage, bad profile, unknown device, no CAP_NET_ADMIN, refused confirmation, no snapshot, snapshot or lock not possible: nothing changed. */
  ERROR: 1,
  /** apply/rollback: already as asked, nothing changed (Ansible "ok"). */
  UNCHANGED: 2,
  /** verify: the devices differ from the profile (drift). */
  DRIFT: 3,
  /** apply/rollback failed and every change was undone: the devices are as before. */
  ROLLED_BACK: 4,
  /** apply/rollback failed and undoing failed too: the devices need attention. */
  ROLLBACK_FAILED: 5,
} as const;

export interface Ctx {
  /** Device and filesystem access; the machine's (SIOCETHTOOL, /proc, /sys) when absent. */
  env?: Env;
  out(text: string): void;
  err(text: string): void;
  /** Whether a person can be asked (stdin and stderr are terminals). */
  isTTY: boolean;
  ask?(question: string): Promise<boolean>;
  vars: Record<string, string | undefined>;
  now?: () => Date;
  /** irqbalance's control; the machine's when env is absent too, none on a simulated host. */
  irqbalance?: IrqbalanceControl;
}

type Cmd = 'list' | 'show' | 'plan' | 'apply' | 'verify' | 'rollback' | 'help';

const COMMANDS: Record<string, Cmd> = {
  '--profile-list': 'list', '--profile-show': 'show', '--plan': 'plan', '--apply': 'apply',
  '--verify': 'verify', '--rollback': 'rollback', '--profile-help': 'help',
};

/** Default of --wait, in seconds. */
export const DEFAULT_WAIT_S = 10;

export const USAGE = `Tuning profiles:
  ethkit --profile-list                          list the profiles
  ethkit --profile-show PROFILE                  parameters and settings of a profile
  ethkit --plan PROFILE DEV... [--set K=V]...    show what --apply would change (changes nothing)
  ethkit --apply PROFILE DEV... [--set K=V]... [--yes]
                                                 snapshot, apply in order, undo all on failure
  ethkit --verify PROFILE DEV... [--set K=V]...  check the devices still match the profile
  ethkit --rollback DEV... [--yes] [--force]     restore the state before the last --apply
  ethkit --rollback DEV... --dry-run             show what --rollback would change (changes nothing)
  ethkit --profile-help                          this text
Options:
  --set K=V          set a profile parameter (repeatable; numbers as in C: 0x1f, 017, 31)
  --yes              do not ask before changing the interface of the default route
  --json             one JSON object on stdout
  --state-dir DIR    snapshots (default $ETHKIT_STATE_DIR or ${DEFAULT_STATE_DIR})
  --profile-dir DIR  profiles (default $ETHKIT_PROFILE_DIR or the profiles/ of ethkit)
  --wait SECONDS     --apply/--rollback: wait this long for another ethkit changing devices
                     with the same state directory (default ${DEFAULT_WAIT_S})
  --no-wait          fail at once when another ethkit holds the state directory
  --force            --rollback: restore a snapshot even if it was taken of another instance
                     of the device (deleted and made again, another namespace or boot)
  --replace-stale    --apply: its snapshot replaces those taken of earlier instances of the
                     device instead of stacking on them (what --persist-run does on hotplug)
Exit codes: 0 ok/changed, 1 error (nothing changed), 2 unchanged, 3 drift,
  4 failed and rolled back, 5 failed and rollback incomplete`;

const MAX_WAIT_S = 86400;

/** --rollback found nothing to roll back to (JSON: "reason": "no-snapshot"). */
class NoSnapshotError extends UsageError {}
const HINT = ' (see ethkit --profile-help)';

/** A mistake on the command line of a profile command: one line, with where to read more. */
function usage(message: string): UsageError {
  return new UsageError(message + HINT);
}

interface Args {
  cmd: Cmd;
  positional: string[];
  sets: string[];
  json: boolean;
  yes: boolean;
  stateDir?: string;
  profileDir?: string;
  /** How long to wait for the state directory's lock, in ms. */
  waitMs: number;
  force: boolean;
  /** --rollback --dry-run: the plan of the rollback, nothing changed. */
  dryRun: boolean;
  /** --apply --replace-stale: this apply's record replaces those of earlier instances of the device. */
  replaceStale: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { cmd: 'help', positional: [], sets: [], json: false, yes: false, waitMs: DEFAULT_WAIT_S * 1000, force: false, dryRun: false, replaceStale: false };
  const { cmd, help, positional } = readArgs(argv, {
    commands: COMMANDS, usage,
    option: ({ name, value }) => {
      if (name === '--set') a.sets.push(value());
      else if (name === '--json') a.json = true;
      else if (name === '--yes' || name === '-y') a.yes = true;
      else if (name === '--state-dir') a.stateDir = value();
      else if (name === '--profile-dir') a.profileDir = value();
      else if (name === '--wait') {
        const v = value();
        const n = strtoint(v, 0, true);
        if (n === null || n > BigInt(MAX_WAIT_S)) throw usage(`--wait ${v}: expected a number of seconds from 0 to ${MAX_WAIT_S}`);
        a.waitMs = Number(n) * 1000;
      } else if (name === '--no-wait') a.waitMs = 0;
      else if (name === '--force') a.force = true;
      else if (name === '--dry-run') a.dryRun = true;
      else if (name === '--replace-stale') a.replaceStale = true;
      else return false;
      return true;
    },
  });
  a.positional = positional;
  a.cmd = help ? 'help' : cmd ?? 'help';
  if (a.force && a.cmd !== 'rollback' && a.cmd !== 'help') throw usage('--force is an option of --rollback only');
  if (a.dryRun && a.cmd !== 'rollback' && a.cmd !== 'help') throw usage('--dry-run is an option of --rollback only (--plan shows what --apply would change)');
  if (a.replaceStale && a.cmd !== 'apply' && a.cmd !== 'help') throw usage('--replace-stale is an option of --apply only');
  return a;
}

// ---- profiles and parameters ----------------------------------------------------------------

/** ethkit's own profiles/: the first directory upwards from this file that has one. */
export function defaultProfileDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const cand = path.join(dir, 'profiles');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(cand)) return cand;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '../../../profiles');
}

function profileDir(a: Args, ctx: Ctx): string {
  return a.profileDir ?? ctx.vars.ETHKIT_PROFILE_DIR ?? defaultProfileDir();
}

function profileNames(dir: string): string[] {
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { throw new UsageError(`profile directory ${dir} cannot be read`); }
  return names.filter(n => n.endsWith('.yaml') || n.endsWith('.yml')).map(n => n.replace(/\.ya?ml$/, '')).sort();
}

export function resolveProfile(nameOrPath: string, dir: string): Profile {
  let file: string;
  if (nameOrPath.includes('/') || /\.ya?ml$/.test(nameOrPath)) file = nameOrPath;
  else {
    file = path.join(dir, `${nameOrPath}.yaml`);
    if (!fs.existsSync(file) && fs.existsSync(path.join(dir, `${nameOrPath}.yml`))) file = path.join(dir, `${nameOrPath}.yml`);
  }
  if (!fs.existsSync(file)) {
    let known = '';
    try { known = ` (profiles in ${dir}: ${profileNames(dir).join(', ') || 'none'})`; } catch { /* no listing */ }
    throw new UsageError(`no profile "${nameOrPath}"${known}`);
  }
  return loadProfileFile(file);
}

export function resolveParams(profile: Profile, sets: readonly string[]): Record<string, Scalar> {
  const params: Record<string, Scalar> = Object.fromEntries(profile.params.map(p => [p.name, p.default]));
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw usage(`--set ${s}: expected NAME=VALUE`);
    const name = s.slice(0, eq), raw = s.slice(eq + 1);
    const def = profile.params.find(p => p.name === name);
    if (!def) throw new UsageError(`--set ${s}: profile ${profile.name} has no parameter "${name}" (parameters: ${profile.params.map(p => p.name).join(', ') || 'none'})`);
    const v = coerceParam(def, raw);
    if (typeof v === 'string' && v.startsWith('!')) throw new UsageError(`--set ${s}: ${v.slice(1)}`);
    params[name] = v;
  }
  return params;
}

function paramText(params: Record<string, Scalar>): string {
  const e = Object.entries(params);
  return e.length ? ` (${e.map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`).join(' ')})` : '';
}

function devicesOf(positional: readonly string[], what: string): string[] {
  if (positional.length === 0) throw usage(`${what}: name at least one device`);
  for (const d of positional) { const p = ifnameProblem(d); if (p) throw new UsageError(p); }
  const dup = positional.find((d, i) => positional.indexOf(d) !== i);
  if (dup) throw usage(`${what}: device ${dup} named twice`);
  return [...positional];
}

// ---- environment ----------------------------------------------------------------------------

export function machineEnv(): Env {
  // Lazy: listing and showing profiles never loads the FFI.
  return { transport: openTransport(), fs: new RealFs(), probe: netlinkCapabilities };
}

/** One question to the device over ethtool netlink; null without netlink or when it fails. */
function askNetlink<T>(dev: string, ask: (nl: NicNetlink) => T | null): T | null {
  const { NicNetlink: Open } = require('../device/netlink') as typeof import('../device/netlink');
  const nl = Open.open(dev);
  if (!nl) return null;
  try {
    return ask(nl);
  } catch {
    return null;
  } finally {
    nl.close();
  }
}

/** The driver's supported coalesce parameters over ethtool netlink; null without netlink or
 * when the driver reports no coalesce settings at all. */
export function netlinkCapabilities(dev: string): Capabilities | null {
  return askNetlink(dev, nl => nl.has('COALESCE_GET') ? { coalesce: [...nl.coalesceSupported()] } : null);
}

/** Which groups the driver can change, over ethtool netlink (empty SET requests); null without netlink. */
export function netlinkSettable(dev: string): Partial<Record<SettableGroup, boolean>> | null {
  return askNetlink(dev, nl => nl.settable());
}

function stateDirOf(a: Args, ctx: Ctx): string {
  return a.stateDir ?? ctx.vars.ETHKIT_STATE_DIR ?? DEFAULT_STATE_DIR;
}

/**
 * Changing devices takes CAP_NET_ADMIN (ethtool's set requests, most sysctls): checked before
 * anything is recorded, so that an unprivileged run changes nothing and leaves no snapshot.
 */
function needNetAdmin(fsys: HostFs, what: string): void {
  let status: string | null = null;
  try { status = fsys.read('/proc/self/status'); } catch { status = null; }
  const m = status ? /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(status) : null;
  if (!m) return; // not known (a simulated host): the kernel will say
  if ((BigInt('0x' + m[1]) >> 12n) & 1n) return;
  throw new UsageError(`${what} needs CAP_NET_ADMIN (run it as root); nothing changed`);
}

/**
 * The snapshot store of the state directory, opened for a writer: the directory checked (and
 * made, with `create`), its lock taken (waiting as --wait/--no-wait say), temporary files of
 * killed writers removed. null when the directory does not exist and `create` is false.
 */
async function openStore(a: Args, ctx: Ctx, env: Env, create: boolean): Promise<{ store: SnapshotStore; lock: Lock } | null> {
  const dir = stateDirOf(a, ctx);
  if (!prepareStateDir(dir, create)) return null;
  const store = new SnapshotStore(dir, env.fs.readlink('/proc/self/ns/net'));
  let lock: Lock;
  try {
    lock = await acquireLock(store.lockFile(), a.waitMs);
  } catch (e) {
    if (e instanceof LockBusyError) {
      const who = e.holder === null ? 'another ethkit' : `another ethkit (pid ${e.holder})`;
      const waited = a.waitMs === 0 ? 'not waiting (--no-wait)' : `gave up after ${a.waitMs / 1000} s (--wait SECONDS waits longer)`;
      throw new UsageError(`${who} is changing devices with state in ${dir}; ${waited}; nothing changed`);
    }
    if (e instanceof LockFileError) {
      throw new SnapshotError(`cannot lock the state directory ${dir} (${store.lockFile()}): ${/^E[A-Z]+$/.test(e.code) ? `${errnoText(e.code)} (${e.code})` : e.code}; nothing changed`);
    }
    throw e;
  }
  try { store.cleanStale(); } catch { /* best effort */ }
  return { store, lock };
}

/**
 * From the first change until the record is final, SIGINT, SIGTERM and SIGHUP wait: the apply
 * (or rollback) in progress is finished, or undone, rather than cut off in the middle.
 */
class SignalGuard {
  private got: string | null = null;
  private readonly on = (sig: string) => { this.got ??= sig; };
  private held = false;
  hold(): void {
    if (this.held) return;
    this.held = true;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, this.on);
  }
  release(): string | null {
    if (this.held) for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(sig, this.on);
    this.held = false;
    return this.got;
  }
}

/** Asks, or refuses without a terminal, before changing an interface that carries the default route. */
async function confirmDefaultRoute(a: Args, ctx: Ctx, fsys: HostFs, devs: readonly string[], what: string, resets: number): Promise<void> {
  const routed = defaultRouteDevices(fsys);
  const hit = devs.filter(d => routed.has(d));
  if (hit.length === 0 || a.yes) return;
  const names = hit.join(', ');
  if (!ctx.isTTY || !ctx.ask) {
    throw new UsageError(`refusing to change ${names}: it carries the default route and there is no terminal to confirm; add --yes to go ahead`);
  }
  const ok = await ctx.ask(`${names} carries the default route; ${what}${resets ? ` (${resets} link reset(s))` : ''}. Continue? [y/N] `);
  // "no", Ctrl-D (end of input) and Ctrl-C alike: nothing is changed.
  if (!ok) throw new UsageError(`not confirmed: nothing changed on ${names}`);
}

// ---- commands -------------------------------------------------------------------------------

interface Output { json: Record<string, unknown>; text: string[]; code: number }

function cmdList(a: Args, ctx: Ctx): Output {
  const dir = profileDir(a, ctx);
  const rows: string[][] = [];
  const list: Record<string, unknown>[] = [];
  let code: number = EXIT.OK;
  for (const name of profileNames(dir)) {
    try {
      const p = resolveProfile(name, dir);
      rows.push([p.name, p.params.map(x => `${x.name}=${x.default === true ? 'on' : x.default === false ? 'off' : x.default}`).join(' ') || '-', p.description]);
      list.push({ name: p.name, file: p.file, description: p.description, params: Object.fromEntries(p.params.map(x => [x.name, x.default])) });
    } catch (e) {
      if (!(e instanceof ProfileError)) throw e;
      code = EXIT.ERROR;
      rows.push([name, '-', `INVALID: ${e.problems[0] ? e.message.split('\n')[0] : e.message}`]);
      list.push({ name, error: e.message });
    }
  }
  return { json: { command: 'list', profile_dir: dir, profiles: list }, text: [table(['PROFILE', 'PARAMETERS', 'DESCRIPTION'], rows)], code };
}

function cmdShow(a: Args, ctx: Ctx): Output {
  if (a.positional.length !== 1) throw usage('--profile-show: name one profile');
  const p = resolveProfile(a.positional[0], profileDir(a, ctx));
  const text = [`${p.name}: ${p.description}`, `file: ${p.file}`, ''];
  text.push(p.params.length ? table(['PARAMETER', 'TYPE', 'DEFAULT', 'DESCRIPTION'], p.params.map(x => [
    x.name, x.type === 'enum' ? x.values!.join('|') : x.type + (x.min !== undefined || x.max !== undefined ? ` ${x.min ?? ''}..${x.max ?? ''}` : ''),
    x.default === true ? 'on' : x.default === false ? 'off' : String(x.default), x.description ?? '',
  ])) : 'no parameters', '');
  const val = (v: Profile['settings'][number]['value']) => v.kind === 'lit' ? (v.v === true ? 'on' : v.v === false ? 'off' : String(v.v)) : v.kind === 'param' ? `$${v.name}` : v.kind;
  text.push(table(['GROUP', 'SETTING', 'VALUE', 'WHEN', 'WHY'], p.settings.map(s => [s.group, s.key, val(s.value), s.whenText ?? '', s.why ?? ''])));
  return {
    json: {
      command: 'show', name: p.name, description: p.description, file: p.file,
      params: p.params.map(x => ({ name: x.name, type: x.type, values: x.values, min: x.min, max: x.max, default: x.default, description: x.description })),
      settings: p.settings.map(s => ({ group: s.group, key: s.key, value: val(s.value), when: s.whenText, absent: s.absent, why: s.why, line: s.pos.line })),
    },
    text, code: EXIT.OK,
  };
}

interface ProfileRun { profile: Profile; params: Record<string, Scalar>; devs: string[]; env: Env; irqbalance?: IrqbalanceState }

/** The machine's irqbalance whenever the host is the machine's (its /proc), none on a simulated one. */
function irqbalanceControl(ctx: Ctx): IrqbalanceControl | undefined {
  return ctx.irqbalance ?? (!ctx.env || ctx.env.fs instanceof RealFs ? new RealIrqbalance(new RealFs()) : undefined);
}

/** irqbalance as it is now, when the profile says what to do about it. */
async function observeIrqbalance(r: ProfileRun, ctx: Ctx): Promise<void> {
  const choice = irqbalanceChoice(r.profile, r.params);
  const ctl = irqbalanceControl(ctx);
  if (!choice || !ctl) return;
  r.irqbalance = new IrqbalanceState(ctl, choice);
  await r.irqbalance.observe();
}

/** The CPUs that serve each device's queues, when the profile places queues. */
function placementOf(r: ProfileRun, state: HostState) {
  if (!r.profile.settings.some(s => s.group === 'queues' || (s.group === 'channels' && s.value.kind === 'cpus'))) return null;
  return placements(r.profile, r.params, state.devices, state.cpus);
}

function placementLines(r: ProfileRun, state: HostState): string[] {
  const p = placementOf(r, state);
  return p ? [...p].map(([dev, x]) => `CPUs for ${dev}: ${formatCpuList(x.cpus)} (${x.how})${x.problem ? `: ${x.problem}` : ''}`) : [];
}

function placementJson(r: ProfileRun, state: HostState): Record<string, unknown> | undefined {
  const p = placementOf(r, state);
  return p ? Object.fromEntries([...p].map(([dev, x]) => [dev, { cpus: formatCpuList(x.cpus), how: x.how, ...(x.problem ? { problem: x.problem } : {}) }])) : undefined;
}

/** The profile's plan, with irqbalance's row when the profile names it. */
function planOf(r: ProfileRun, state: HostState): Plan {
  const plan = planProfile(r.profile, r.params, state);
  if (r.irqbalance) plan.rows.push(r.irqbalance.row(tunedIrqs(r.profile, state)));
  return plan;
}

function prepare(a: Args, ctx: Ctx, what: string): ProfileRun {
  const [name, ...devNames] = a.positional;
  if (!name) throw usage(`${what}: name a profile and at least one device`);
  const profile = resolveProfile(name, profileDir(a, ctx));
  const params = resolveParams(profile, a.sets);
  const devs = devicesOf(devNames, what);
  return { profile, params, devs, env: ctx.env ?? machineEnv() };
}

function readFor(r: ProfileRun): HostState {
  return readHost(r.env, r.devs, sysctlPaths(r.profile, r.params, r.devs));
}

/** What the last apply on `dev` found the driver refusing (its snapshot), or undefined. */
function recordedRefusals(store: SnapshotStore, dev: string): Refusals | undefined {
  try { return store.latest(dev)?.entry.refused; } catch { return undefined; }
}

/** Plans and verifies skip what an earlier apply found the driver refusing (read-only: no lock). */
function markRecordedRefusals(a: Args, ctx: Ctx, r: ProfileRun, state: HostState): void {
  const dir = stateDirOf(a, ctx);
  if (!fs.existsSync(dir)) return;
  const store = new SnapshotStore(dir, r.env.fs.readlink('/proc/self/ns/net'));
  for (const d of state.devices) applyRefusals(d, recordedRefusals(store, d.dev));
}

/** The `refused` field of a snapshot entry for `dev` (absent when nothing was refused). */
function refusalsOf(state: HostState, dev: string, refused: TransactResult['refused']): { refused?: Refusals } {
  const f = refused.get(dev);
  const d = state.devices.find(x => x.dev === dev);
  if (!f || !d || (f.coalesce.length === 0 && f.flowHash.length === 0 && f.unsettable.length === 0)) return {};
  return { refused: { driver: d.driver, coalesce: f.coalesce, flowHash: f.flowHash, ...(f.unsettable.length ? { unsettable: f.unsettable } : {}) } };
}

function head(r: ProfileRun): Record<string, unknown> {
  return { profile: r.profile.name, params: r.params, devices: r.devs };
}

async function cmdPlan(a: Args, ctx: Ctx): Promise<Output> {
  const r = prepare(a, ctx, '--plan');
  const state = readFor(r);
  markRecordedRefusals(a, ctx, r, state);
  await observeIrqbalance(r, ctx);
  const plan = planOf(r, state);
  return {
    json: { command: 'plan', ...head(r), result: pending(plan).length ? 'changes' : 'ok', changed: false, placement: placementJson(r, state), summary: summary(plan), link_resets: linkResets(plan), rows: plan.rows.map(rowJson) },
    text: [`Plan: ${r.profile.name}${paramText(r.params)} on ${r.devs.join(', ')}`, ...placementLines(r, state), planTable(plan.rows), summaryText(plan)],
    code: EXIT.OK,
  };
}

async function cmdVerify(a: Args, ctx: Ctx): Promise<Output> {
  const r = prepare(a, ctx, '--verify');
  const state = readFor(r);
  markRecordedRefusals(a, ctx, r, state);
  await observeIrqbalance(r, ctx);
  const plan = planOf(r, state);
  const drift = pending(plan);
  const s = summary(plan);
  const text = drift.length
    ? [`drift: ${drift.length} setting(s) of ${r.devs.join(', ')} differ from ${r.profile.name}${paramText(r.params)}`, planTable(drift)]
    : [`ok: ${r.devs.join(', ')} ${r.devs.length > 1 ? 'match' : 'matches'} ${r.profile.name}${paramText(r.params)} (${s.ok} settings checked, ${s.skip} skipped)`];
  return {
    json: { command: 'verify', ...head(r), result: drift.length ? 'drift' : 'ok', changed: false, drift: drift.map(rowJson), summary: s, rows: plan.rows.map(rowJson) },
    text, code: drift.length ? EXIT.DRIFT : EXIT.OK,
  };
}

function changeLines(res: TransactResult): string[] {
  return res.rounds.flatMap(p => p.rows.filter(r => r.action === 'set'))
    .map(r => `  ${r.dev ?? '(host)'}: ${r.setting}: ${r.current ?? '-'} -> ${r.target ?? '-'}${r.resetsLink ? ' (resets link)' : ''}`);
}

function outcomeCode(res: TransactResult): number {
  switch (res.outcome) {
    case 'changed': return EXIT.OK;
    case 'unchanged': return EXIT.UNCHANGED;
    case 'rolled-back': return EXIT.ROLLED_BACK;
    case 'rollback-failed': return EXIT.ROLLBACK_FAILED;
  }
}

function resultJson(res: TransactResult): Record<string, unknown> {
  const result = res.outcome === 'changed' ? 'changed' : res.outcome === 'unchanged' ? 'ok' : res.outcome === 'rolled-back' ? 'failed' : 'failed-undo-incomplete';
  const o: Record<string, unknown> = {
    result, changed: res.outcome === 'changed', failed: res.outcome === 'rolled-back' || res.outcome === 'rollback-failed',
    summary: summary(res.plan), rows: res.plan.rows.map(rowJson),
    changes: res.rounds.flatMap(p => p.rows.filter(r => r.action === 'set')).map(rowJson),
    steps: res.steps.map(stepJson),
    link_resets: res.rounds.reduce((n, p) => n + linkResets(p), 0),
  };
  if (res.error) o.error = res.error;
  if (res.undoErrors.length) o.undo_errors = res.undoErrors;
  return o;
}

function failureText(res: TransactResult): string[] {
  const lines = res.steps.map(s => `  ${s.status.padEnd(11)} ${s.step}${s.error && s.status !== 'done' ? ` — ${s.error}` : ''}${s.refused ? ` (skipped, refused by the driver: ${s.refused.join(', ')})` : ''}`);
  if (res.outcome === 'rolled-back') {
    const n = res.steps.filter(s => s.status === 'undone').length;
    lines.push(`failed: ${res.error}`, `rolled back: ${n} step(s) undone in reverse; the devices are as before`);
  } else {
    lines.push(`failed: ${res.error}`, `ROLLBACK INCOMPLETE: ${res.undoErrors.join('; ')}`);
  }
  return lines;
}

/** Which devices a plan changes (host-wide rows count for the first device). */
function devicesChanged(plan: Plan, devs: readonly string[]): string[] {
  const set = new Set<string>();
  for (const r of pending(plan)) set.add(r.dev ?? devs[0]);
  return devs.filter(d => set.has(d));
}

async function cmdApply(a: Args, ctx: Ctx): Promise<Output> {
  const r = prepare(a, ctx, '--apply');
  needNetAdmin(r.env.fs, '--apply');
  const { store, lock } = (await openStore(a, ctx, r.env, true))!;
  const guard = new SignalGuard();
  try {
    const journal = store.readJournal();
    if (journal) throw new UsageError(`an interrupted --rollback of ${journal.devices.join(' ')} is not finished: run ethkit --rollback ${journal.devices.join(' ')} first; nothing changed`);
    const netns = netnsIdentity(r.env);
    const boot = bootId(r.env);
    const instances = new Map<string, InstanceId>();
    const pushed: StoredEntry[] = [];
    const warnings: string[] = [];
    const now = (ctx.now ?? (() => new Date()))().toISOString();
    let recorded: string[] = [];
    const intents = new Map<string, Record<string, string>>();
    // irqbalance: what was done (or is about to be), kept with the entry of one device.
    await observeIrqbalance(r, ctx);
    const ib = r.irqbalance;
    let ibRecord: IrqbalanceRecord | null = null;
    let ibDev: string | null = null;
    let refusedNow: TransactResult['refused'] = new Map();
    const entryFor = (state: HostState, dev: string, touched: Touched[]): SnapshotEntry => ({
      ...refusalsOf(state, dev, refusedNow),
      time: now, profile: r.profile.name, params: r.params,
      device: state.devices.find(d => d.dev === dev)!, sysctl: state.sysctl, touched, instance: instances.get(dev),
      apply: { id: `${now}/${process.pid}`, devices: recorded },
      ...(intents.get(dev) ? { intent: intents.get(dev) } : {}),
      ...(ibRecord && dev === ibDev ? { irqbalance: ibRecord } : {}),
    });
    const res = await transact({
      // Only an apply asks the driver with (empty) set requests what it can change.
      env: r.env.probe && !r.env.settable ? { ...r.env, settable: netlinkSettable } : r.env, devs: r.devs, sysctlPaths: sysctlPaths(r.profile, r.params, r.devs),
      plan: state => planOf(r, state),
      seedRefusals: d => applyRefusals(d, recordedRefusals(store, d.dev)),
      // A channel change may have brought new queue IRQs: irqbalance's ban takes them too.
      settle: async state => { if (ib && ibRecord?.action === 'ban') ibRecord = await ib.enforce(tunedIrqs(r.profile, state), ibRecord); },
      beforeChange: async (plan, state) => {
        const resets = linkResets(plan);
        const devs = devicesChanged(plan, r.devs);
        await confirmDefaultRoute(a, ctx, r.env.fs, devs, `applying ${r.profile.name} changes ${pending(plan).length} setting(s)`, resets);
        guard.hold();
        // The undo record, complete before the first change: should the apply stop anywhere,
        // a rollback finds everything it needs in it.
        const planned = plannedRestore(plan, state);
        recorded = devs;
        for (const row of plan.rows) {
          if (!row.dev || row.action === 'skip' || row.target === null || !/^file:\/proc\/irq\/\d+\/smp_affinity_list$/.test(row.id)) continue;
          const m = intents.get(row.dev) ?? {};
          m[row.id.slice('file:'.length)] = row.target;
          intents.set(row.dev, m);
        }
        // What will be done to irqbalance, recorded before it is done (a rollback finds it).
        const ibRow = plan.rows.find(x => x.id === 'service:irqbalance' && x.action === 'set');
        const ibIrqs = tunedIrqs(r.profile, state);
        if (ib?.proc && ibRow) {
          ibDev = devs.includes(r.devs[0]) ? r.devs[0] : devs[0];
          ibRecord = ib.choice === 'stop' ? { action: 'stop', proc: ib.proc }
            : { action: 'ban', pid: ib.proc.pid, prior: ib.banned ?? [], banned: [...new Set([...(ib.banned ?? []), ...ibIrqs])].sort((x, y) => x - y) };
        }
        for (const dev of devs) {
          const touched = planned.filter(x => (x.dev ?? r.devs[0]) === dev);
          instances.set(dev, instanceOf(r.env, state.devices.find(d => d.dev === dev)!, netns, boot));
          try { pushed.push(store.push(dev, entryFor(state, dev, touched))); } catch (e) {
            for (const p of pushed.splice(0)) { try { store.pop(p.dev, p.seq); } catch { /* the entry restores nothing changed */ } }
            throw new SnapshotError(`cannot save the snapshot of ${dev} in ${store.dir} (nothing changed): ${(e as Error).message}`);
          }
        }
        // irqbalance first, so that it cannot move an IRQ between its write and the check.
        if (ib?.proc && ibRow) {
          try {
            ibRecord = await ib.enforce(ibIrqs, null);
          } catch (e) {
            const rec = ibRecord;
            ibRecord = null;
            if (rec?.action === 'ban') { try { await ib.ctl.ban(ib.proc, rec.prior); } catch { /* it took nothing */ } }
            for (const p of pushed.splice(0)) { try { store.pop(p.dev, p.seq); } catch { /* the entry restores nothing changed */ } }
            throw new UsageError(`${(e as Error).message}; nothing changed`);
          }
        }
      },
    });
    refusedNow = res.refused;
    // Record what was finally touched, or drop the entries of an apply that left no trace.
    if (res.outcome === 'changed' && ibRecord && !res.restore.some(t => t.id === 'service:irqbalance')) {
      res.restore.push({ id: 'service:irqbalance', setting: 'irqbalance', dev: null });
      res.touched.push({ id: 'service:irqbalance', setting: 'irqbalance', dev: null });
    }
    const snapshots: Record<string, string> = {};
    // The devices whose entries stay (a rewritten entry lists only those).
    if (res.outcome === 'changed') recorded = pushed.filter(p => res.restore.some(t => (t.dev ?? r.devs[0]) === p.dev)).map(p => p.dev);
    for (const p of pushed) {
      const touched = res.restore.filter(t => (t.dev ?? r.devs[0]) === p.dev);
      if (res.outcome === 'rolled-back' || (res.outcome === 'changed' && touched.length === 0)) {
        try { store.pop(p.dev, p.seq); } catch (e) { warnings.push(`${(e as Error).message}: it restores the state ${p.dev} is in now`); }
        continue;
      }
      if (res.outcome === 'changed') {
        try { store.replace(p.dev, p.seq, entryFor(res.before, p.dev, touched)); } catch (e) {
          warnings.push(`the snapshot ${p.file} keeps what was written before the apply (it restores the same): ${(e as Error).message}`);
        }
      }
      snapshots[p.dev] = p.file;
    }
    // The device appeared again (--persist-run): the records of its earlier instances restore
    // a device that is gone; this apply's record, taken of the device as it appeared, replaces
    // them. Only now that it is on disk: a stop before this leaves them, never an empty stack.
    const replaced: Record<string, string[]> = {};
    const replacedLines: string[] = [];
    if (a.replaceStale) {
      for (const p of pushed) {
        if (!snapshots[p.dev]) continue;
        const now = instances.get(p.dev);
        if (!now) continue;
        let stale: { e: StoredEntry; why: string }[] = [];
        try {
          stale = store.entries(p.dev).filter(e => e.seq < p.seq)
            .map(e => ({ e, why: instanceMismatch(p.dev, e.entry.instance, e.entry.device, now) ?? '' })).filter(x => x.why);
        } catch (e) { warnings.push(`the snapshots of earlier instances of ${p.dev} stay: ${(e as Error).message}`); }
        const gone: string[] = [];
        for (const { e } of stale) {
          try { store.pop(p.dev, e.seq); gone.push(e.file); } catch (err) {
            warnings.push(`${(err as Error).message}; it is of an earlier instance of ${p.dev} and goes with the next --apply --replace-stale`);
          }
        }
        if (!gone.length) continue;
        replaced[p.dev] = gone;
        replacedLines.push(`  ${p.dev}: replaces ${gone.length === 1 ? 'the snapshot of an earlier instance' : `${gone.length} snapshots of earlier instances`} (${stale[0].why})`);
      }
    }
    // A failed apply undone: irqbalance as it was, too.
    const ibLines: string[] = [];
    if (res.outcome === 'rolled-back' && ib && ibRecord) {
      try { ibLines.push(`  ${await undoIrqbalance(ib.ctl, ibRecord)}`); } catch (e) { warnings.push(`irqbalance not restored: ${(e as Error).message}`); }
    }
    const code = outcomeCode(res);
    let text: string[];
    if (res.outcome === 'unchanged') text = [`ok: ${r.devs.join(', ')} already ${r.devs.length > 1 ? 'match' : 'matches'} ${r.profile.name}${paramText(r.params)}; nothing changed (${summary(res.plan).ok} ok, ${summary(res.plan).skip} skipped)`];
    else if (res.outcome === 'changed') {
      const n = res.touched.length;
      text = [`Applied ${r.profile.name}${paramText(r.params)} to ${r.devs.join(', ')}:`, ...changeLines(res), ...replacedLines,
        `changed: ${n} setting(s) in ${res.steps.length} operation(s); snapshot saved (undo with: ethkit --rollback ${Object.keys(snapshots).join(' ')})`];
    } else text = [`Applying ${r.profile.name}${paramText(r.params)} to ${r.devs.join(', ')}:`, ...failureText(res), ...ibLines];
    const sig = guard.release();
    if (sig) warnings.push(`${sig} arrived during the apply: it was finished first`);
    for (const w of warnings) ctx.err(a.json ? JSON.stringify({ warning: w }) + '\n' : `ethkit: warning: ${w}\n`);
    return { json: { command: 'apply', ...head(r), ...resultJson(res), snapshots, ...(a.replaceStale ? { replaced } : {}), ...(warnings.length ? { warnings } : {}), exit_code: code }, text, code };
  } finally {
    guard.release();
    lock.release();
  }
}

async function cmdRollback(a: Args, ctx: Ctx): Promise<Output> {
  if (a.sets.length) throw usage('--rollback takes no --set: it restores what was recorded');
  const devs = devicesOf(a.positional, '--rollback');
  const env = ctx.env ?? machineEnv();
  needNetAdmin(env.fs, '--rollback');
  const opened = await openStore(a, ctx, env, false);
  if (!opened) throw new NoSnapshotError(`${devs[0]}: no snapshot to roll back to (the state directory ${path.resolve(stateDirOf(a, ctx))} does not exist)`);
  const { store, lock } = opened;
  const guard = new SignalGuard();
  try {
    // A rollback that was interrupted is finished first, and only by the same command: the
    // devices it already restored (their entries popped) must not be rolled back once more.
    const journal = store.readJournal();
    const targets: StoredEntry[] = [];
    const done: string[] = [];
    const skipped: string[] = [];
    if (journal) {
      const same = journal.devices.length === devs.length && journal.devices.every(d => devs.includes(d));
      if (!same) throw new UsageError(`an interrupted --rollback of ${journal.devices.join(' ')} is not finished: run ethkit --rollback ${journal.devices.join(' ')} to finish it; nothing changed`);
      for (const j of journal.entries) {
        const e = store.entry(j.dev, j.seq);
        if (e) targets.push(e); else done.push(j.dev);
      }
    } else {
      const latest = new Map(devs.map(d => { store.migrate(d); return [d, store.latest(d)] as const; }));
      for (const dev of devs) {
        const e = latest.get(dev) ?? null;
        // An apply that recorded other devices first and was stopped before recording this one
        // changed nothing: this device's older entries are not the last apply's to undo.
        const stopped = [...latest.values()].find(o => o && o.dev !== dev && o.entry.apply?.devices.includes(dev) && e?.entry.apply?.id !== o.entry.apply.id);
        if (stopped) { skipped.push(dev); continue; }
        if (!e) throw new NoSnapshotError(`${dev}: no snapshot to roll back to (looked in ${store.devDir(dev)})`);
        targets.push(e);
      }
    }
    // The right device: the instance the snapshot was taken of, not one that took its name or
    // its namespace's inode number since.
    if (!a.force) {
      const netns = netnsIdentity(env);
      const boot = bootId(env);
      for (const t of targets) {
        const why = instanceMismatch(t.dev, t.entry.instance, t.entry.device, instanceOf(env, readDevice(env, t.dev), netns, boot));
        if (why) throw new UsageError(`${t.dev}: not rolled back: ${why}; nothing changed (--force restores the snapshot anyway)`);
      }
    }
    const entries = targets.map(t => ({ dev: t.dev, entry: t.entry, device: t.entry.device, sysctl: t.entry.sysctl, touched: t.entry.touched }));
    const from = entries.map(e => `${e.dev} (before ${e.entry.profile}, ${e.entry.time})`).join(', ');
    const doneLines = [
      ...done.map(d => `  ${d}: rolled back already by the interrupted run`),
      ...skipped.map(d => `  ${d}: nothing to roll back: the last apply was stopped before it recorded ${d}, and before any change`),
    ];
    const fromJson = entries.map(e => ({ device: e.dev, profile: e.entry.profile, params: e.entry.params, time: e.entry.time }));
    if (targets.length === 0) {
      store.removeJournal();
      return {
        json: { command: 'rollback', devices: devs, from: [], done, result: 'ok', changed: false, failed: false, exit_code: EXIT.UNCHANGED },
        text: [`ok: ${done.join(', ')} rolled back already by the interrupted run; nothing changed`, ...doneLines.slice(done.length)], code: EXIT.UNCHANGED,
      };
    }
    if (a.dryRun) {
      const state = readHost(env, targets.map(t => t.dev), touchedSysctlPaths(entries.flatMap(e => e.touched)));
      const plan = diff(restoreWants(entries, state), state);
      const n = pending(plan).length;
      return {
        json: { command: 'rollback', dry_run: true, devices: devs, from: fromJson, result: n ? 'changes' : 'ok', changed: false, summary: summary(plan), rows: plan.rows.map(rowJson) },
        text: [`Rollback plan: ${from}`, planTable(plan.rows), summaryText(plan), ...doneLines],
        code: EXIT.OK,
      };
    }
    let journaled = !!journal;
    if (!journal) {
      try {
        store.writeJournal({ version: 1, time: (ctx.now ?? (() => new Date()))().toISOString(), devices: devs, entries: targets.map(t => ({ dev: t.dev, seq: t.seq })) });
        journaled = true;
      } catch (e) {
        // One device needs no journal (its pop is one unlink): a full disk must not stop it.
        const code = (e as SnapshotError).code;
        if (!(targets.length === 1 && (code === 'ENOSPC' || code === 'EDQUOT'))) {
          throw new SnapshotError(`cannot write the rollback journal ${store.journalFile()} (nothing changed): ${(e as Error).message}`);
        }
      }
    }
    let res: TransactResult;
    try {
      res = await transact({
        env, devs: targets.map(t => t.dev), sysctlPaths: touchedSysctlPaths(entries.flatMap(e => e.touched)),
        plan: state => diff(restoreWants(entries, state), state),
        beforeChange: async plan => {
          const resets = linkResets(plan);
          await confirmDefaultRoute(a, ctx, env.fs, devicesChanged(plan, devs), `rolling back changes ${pending(plan).length} setting(s)`, resets);
          guard.hold();
        },
      });
    } catch (e) {
      if (journaled && !journal) { try { store.removeJournal(); } catch { /* finished by the next rollback */ } }
      throw e;
    }
    const warnings: string[] = [];
    // irqbalance as it was before the apply: its ban list back, or started again.
    const ibLines: string[] = [];
    if (res.outcome === 'changed' || res.outcome === 'unchanged') {
      for (const t of targets) {
        const rec = t.entry.irqbalance;
        if (!rec) continue;
        const ctl = irqbalanceControl(ctx);
        if (!ctl) { warnings.push(`irqbalance: the apply ${rec.action === 'ban' ? 'banned IRQs from' : 'stopped'} it, and there is no irqbalance to talk to here`); continue; }
        try { ibLines.push(`  ${await undoIrqbalance(ctl, rec)}`); } catch (e) { warnings.push(`irqbalance not restored: ${(e as Error).message}`); }
      }
    }
    if (res.outcome === 'changed' || res.outcome === 'unchanged') {
      let popped = 0;
      for (const t of targets) {
        try { store.pop(t.dev, t.seq); popped++; } catch (e) { warnings.push(`${(e as Error).message}; run the same --rollback again to finish`); }
      }
      if (popped === targets.length && journaled) {
        try { store.removeJournal(); } catch (e) { warnings.push(`${(e as Error).message}; run the same --rollback again to finish`); }
      }
    } else if (journaled && !journal) {
      // Nothing was popped and the devices are as the undo left them: the entries stay as they are.
      try { store.removeJournal(); } catch { /* finished by the next rollback */ }
    }
    // Restarting irqbalance or lifting its ban is a change, though the devices needed none.
    const code = res.outcome === 'unchanged' && ibLines.length ? EXIT.OK : outcomeCode(res);
    let text: string[];
    if (res.outcome === 'unchanged') text = [`ok: ${targets.map(t => t.dev).join(', ')} already as recorded before the last apply; ${ibLines.length ? 'only irqbalance restored' : 'nothing changed'}; snapshot dropped`, ...ibLines, ...doneLines];
    else if (res.outcome === 'changed') text = [`Rolled back ${from}:`, ...changeLines(res), ...ibLines, ...doneLines, `restored: ${res.touched.length} setting(s)`];
    else text = [`Rolling back ${from}:`, ...failureText(res), 'the snapshot is kept'];
    const sig = guard.release();
    if (sig) warnings.push(`${sig} arrived during the rollback: it was finished first`);
    for (const w of warnings) ctx.err(a.json ? JSON.stringify({ warning: w }) + '\n' : `ethkit: warning: ${w}\n`);
    return {
      json: { command: 'rollback', devices: devs, from: fromJson, ...(done.length ? { done } : {}), ...resultJson(res), ...(warnings.length ? { warnings } : {}), exit_code: code },
      text, code,
    };
  } finally {
    guard.release();
    lock.release();
  }
}

// ---- entry points ---------------------------------------------------------------------------

function errorMessage(e: unknown): string | null {
  if (e instanceof UsageError || e instanceof ProfileError || e instanceof EthtoolError || e instanceof FsError || e instanceof SnapshotError) return e.message;
  return null;
}

export async function run(argv: readonly string[], ctx: Ctx): Promise<number> {
  let a: Args | undefined;
  try {
    a = parseArgs(argv);
    let o: Output;
    switch (a.cmd) {
      case 'help':
        if (a.json) ctx.out(JSON.stringify({ command: 'help', result: 'ok', changed: false, usage: USAGE, exit_code: EXIT.OK }, null, 2) + '\n');
        else ctx.out(USAGE + '\n');
        return EXIT.OK;
      case 'list': o = cmdList(a, ctx); break;
      case 'show': o = cmdShow(a, ctx); break;
      case 'plan': o = await cmdPlan(a, ctx); break;
      case 'verify': o = await cmdVerify(a, ctx); break;
      case 'apply': o = await cmdApply(a, ctx); break;
      case 'rollback': o = await cmdRollback(a, ctx); break;
    }
    if (a.json) ctx.out(JSON.stringify({ ...o.json, exit_code: o.code }, null, 2) + '\n');
    else ctx.out(o.text.join('\n') + '\n');
    return o.code;
  } catch (e) {
    const known = errorMessage(e);
    const msg = known ?? `internal error: ${e instanceof Error ? e.message : String(e)}`;
    const json = a?.json ?? argv.includes('--json');
    if (json) {
      ctx.out(JSON.stringify({ command: a?.cmd ?? null, result: 'error', changed: false, failed: true, error: msg, ...(e instanceof NoSnapshotError ? { reason: 'no-snapshot' } : {}), exit_code: EXIT.ERROR }, null, 2) + '\n');
      // As every ethkit command with --json: diagnostics on stderr are JSON lines too.
      ctx.err(JSON.stringify({ error: msg, exit: EXIT.ERROR }) + '\n');
    } else {
      ctx.err(msg.split('\n').map(l => `ethkit: ${l}`).join('\n') + '\n');
    }
    return EXIT.ERROR;
  }
}

/**
 * Ask on the terminal. End of input (Ctrl-D) and Ctrl-C are a "no" (before, the question was
 * dropped and the process ended with status 0 and no word).
 */
function ask(question: string): Promise<boolean> {
  return new Promise(resolve => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let answered = false;
    const finish = (yes: boolean, newline: boolean): void => {
      if (answered) return;
      answered = true;
      process.off('SIGINT', interrupted);
      if (newline) process.stderr.write('\n');
      rl.close();
      resolve(yes);
    };
    const interrupted = (): void => finish(false, true);
    rl.on('SIGINT', interrupted);
    rl.on('close', () => finish(false, true));
    process.on('SIGINT', interrupted);
    rl.question(question, answer => finish(/^y(es)?$/i.test(answer.trim()), false));
  });
}

/**
 * The CLI entry: argv is everything after "ethkit". Resolves to the exit code. `io` (from the
 * program's run()): output sinks, and a device transport + host filesystem to use instead of
 * the machine's. A transport given without a filesystem gets a host without any: a
 * simulated NIC is never paired with the machine's /proc and /sys.
 */
export async function main(argv: string[], io?: FrontEndIo): Promise<number> {
  const terminal = io ? io.terminal : true;
  return run(argv, {
    env: io?.transport
      ? { transport: io.transport, fs: io.hostFs ?? new NoHostFs(), probe: io.machine ? netlinkCapabilities : undefined }
      : undefined,
    out: t => { if (io) io.stdout.write(t); else process.stdout.write(t); },
    err: t => { if (io) io.stderr.write(t); else process.stderr.write(t); },
    isTTY: terminal && !!process.stdin.isTTY && !!process.stderr.isTTY,
    ask,
    vars: io?.env ?? process.env,
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
