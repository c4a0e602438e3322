/**
 * ethkit's persistence commands (dispatched here by the program, src/app/run.ts):
 *
 *   ethkit --persist PROFILE DEV... [--set K=V]... [--match auto|mac|bus] [--now]
 *   ethkit --unpersist DEV|ID... | --all
 *   ethkit --persist-status [DEV|ID...]
 *   ethkit --persist-run ID            what ethkit-apply@ID.service runs when the device appears
 *   global: --json  --root DIR (ETHKIT_PERSIST_ROOT, /)  --state-dir DIR  --profile-dir DIR
 *
 * What is installed, and why, is described in persist.ts and docs/persistence.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { UsageError, EthtoolError } from '../device/errors';
import { ifnameProblem } from '../ethtool/transport';
import { FsError, NoHostFs } from '../common/hostfs';
import { describeFsError } from '../common/files';
import type { FrontEndIo } from '../common/io';
import { ProfileError } from './load';
import { Env, defaultRouteDevices } from './state';
import type { Scalar } from './model';
import { run as runProfiles, resolveProfile, resolveParams, defaultProfileDir, machineEnv, EXIT, Ctx as ProfileCtx } from './cli';
import {
  PersistSpec, Layout, Match, MARKER, layout, specFile, profileCopy, ruleFile, templateFile, wantsLink, recordFile, createdFile,
  unitName, matchId, matchText, deviceFacts, matchFor, findMatching, ruleText, templateText, specText, parseSpec, ID_RE, TEMPLATE,
} from './persist';
import { FileOp, applyFiles, dirsToMake, removeEmptyDirs, sameAsNow } from './persist-files';
import { writeDurable } from './snapshot';
import { table } from './format';
import { acquireLock, Lock, LockBusyError, LockFileError } from '../common/lock';
import { readArgs } from './argv';

export interface PersistCtx {
  env?: Env;
  out(text: string): void;
  err(text: string): void;
  vars: Record<string, string | undefined>;
  now?: () => Date;
  /** Run a program (systemctl daemon-reload, udevadm control --reload); default: spawnSync. */
  exec?: (cmd: string, args: string[]) => { status: number | null; error?: string };
  /** Tests: fail the file transaction before step k. */
  failFileStep?: (step: number, op: FileOp) => void;
}

type Cmd = 'persist' | 'unpersist' | 'status' | 'run' | 'help';
const COMMANDS: Record<string, Cmd> = {
  '--persist': 'persist', '--unpersist': 'unpersist', '--persist-status': 'status', '--persist-run': 'run', '--persist-help': 'help',
};

export const USAGE = `Persistent profiles (re-applied whenever the device appears: boot, driver reload, hotplug):
  ethkit --persist PROFILE DEV... [--set K=V]... [--match auto|mac|bus] [--now]
                                   install a udev rule + ethkit-apply@ID.service for each device
  ethkit --unpersist DEV|ID... | --all
                                   remove what --persist installed (settings stay: --rollback)
  ethkit --persist-status [DEV|ID...]
                                   what is installed; each device: present, name, verified or drifted
  ethkit --persist-run ID          apply the spec ID to the device that matches it now (the unit's command)
  ethkit --persist-help            this text
Options:
  --match auto|mac|bus  recognise the device by its permanent address (auto: when it has one)
                        or by its bus address (PCI function, USB port, netdevsim device)
  --now                 --persist: also apply the profile now, as the unit would
  --set K=V             a profile parameter, stored with the spec
  --root DIR            install root (default $ETHKIT_PERSIST_ROOT or /): DIR/etc/ethkit/persist,
                        DIR/etc/udev/rules.d, DIR/etc/systemd/system, DIR/run/ethkit/persist
  --state-dir DIR       --persist: the state directory the unit's applies use (stored in the spec)
  --profile-dir DIR     where PROFILE is looked up
  --json                one JSON object on stdout
Exit codes: 0 done (status: all present and matching), 1 error (nothing changed),
  2 nothing to do (already installed / not installed), 3 status: drift, absent device or
  damaged files; --persist-run: the apply's codes (0 changed, 2 unchanged, 3 drift after it, 4, 5)`;

const HINT = ' (see ethkit --persist-help)';
function usage(message: string): UsageError { return new UsageError(message + HINT); }

interface Args {
  cmd: Cmd;
  positional: string[];
  sets: string[];
  json: boolean;
  all: boolean;
  now: boolean;
  yes: boolean;
  match: 'auto' | 'mac' | 'bus';
  root?: string;
  stateDir?: string;
  profileDir?: string;
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { cmd: 'help', positional: [], sets: [], json: false, all: false, now: false, yes: false, match: 'auto' };
  const { cmd, help, positional, given } = readArgs(argv, {
    commands: COMMANDS, usage, once: { except: ['--set'] },
    option: ({ name, value }) => {
      if (name === '--set') a.sets.push(value());
      else if (name === '--json') a.json = true;
      else if (name === '--all') a.all = true;
      else if (name === '--now') a.now = true;
      else if (name === '--match') {
        const v = value();
        if (v !== 'auto' && v !== 'mac' && v !== 'bus') throw usage(`--match ${v}: expected auto, mac or bus`);
        a.match = v;
      } else if (name === '--root') a.root = value();
      else if (name === '--state-dir') a.stateDir = value();
      else if (name === '--profile-dir') a.profileDir = value();
      else if (name === '--yes' || name === '-y') a.yes = true;
      else return false;
      return true;
    },
  });
  a.positional = positional;
  a.cmd = help ? 'help' : cmd ?? 'help';
  const only = (opt: string, ok: boolean, cmds: string) => { if (given.has(opt) && !ok) throw usage(`${opt} is an option of ${cmds} only`); };
  only('--all', a.cmd === 'unpersist' || a.cmd === 'help', '--unpersist');
  only('--now', a.cmd === 'persist' || a.cmd === 'help', '--persist');
  only('--match', a.cmd === 'persist' || a.cmd === 'help', '--persist');
  only('--yes', a.cmd === 'persist' || a.cmd === 'help', '--persist');
  only('-y', a.cmd === 'persist' || a.cmd === 'help', '--persist');
  only('--state-dir', a.cmd === 'persist' || a.cmd === 'help', '--persist');
  only('--profile-dir', a.cmd === 'persist' || a.cmd === 'help', '--persist');
  if (a.sets.length && a.cmd !== 'persist' && a.cmd !== 'help') throw usage('--set is an option of --persist only (the spec keeps the parameters)');
  return a;
}

// ---- paths and environment ------------------------------------------------------------------

function rootOf(a: Args, ctx: PersistCtx): Layout {
  const root = a.root ?? ctx.vars.ETHKIT_PERSIST_ROOT ?? '/';
  if (!path.isAbsolute(root)) throw new UsageError(`--root ${root}: must be an absolute path`);
  let st: fs.Stats;
  try { st = fs.statSync(root); } catch (e) { throw new UsageError(`install root ${root}: ${describeFsError(e)}`); }
  if (!st.isDirectory()) throw new UsageError(`install root ${root}: not a directory`);
  return layout(path.resolve(root));
}

/** ethkit's own directory (the one with package.json and bin/ethkit). */
function repoDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'bin', 'ethkit'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '../../..');
}

function binPath(): string {
  const bin = path.join(repoDir(), 'bin', 'ethkit');
  try { return fs.realpathSync(bin); } catch { return bin; }
}

function envOf(ctx: PersistCtx): Env { return ctx.env ?? machineEnv(); }

function deviceExists(env: Env, dev: string): boolean {
  return env.fs.readlink(`/sys/class/net/${dev}`) !== null || env.fs.read(`/sys/class/net/${dev}/ifindex`) !== null;
}

function paramText(params: Record<string, Scalar>): string {
  const e = Object.entries(params);
  return e.length ? ` (${e.map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`).join(' ')})` : '';
}

function fsFail(what: string, e: unknown): UsageError {
  const undo = (e as { undoError?: string }).undoError;
  return new UsageError(`${what}: ${describeFsError(e)}${undo ? `; UNDO INCOMPLETE: ${undo}` : '; nothing changed'}`);
}

/** The specs installed under the root, by id (an unreadable one as an error string). */
function installed(l: Layout): Map<string, PersistSpec | string> {
  const out = new Map<string, PersistSpec | string>();
  let names: string[] = [];
  try { names = fs.readdirSync(l.specDir); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`${l.specDir}: ${describeFsError(e)}`);
  }
  for (const n of names.filter(n => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const id = n.slice(0, -'.json'.length);
    const file = path.join(l.specDir, n);
    try { out.set(id, parseSpec(fs.readFileSync(file, 'utf8'), file)); } catch (e) { out.set(id, e instanceof Error ? e.message : String(e)); }
  }
  return out;
}

function ours(file: string): boolean | null {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') return false;
    throw e;
  }
  return text.startsWith(MARKER);
}

function refuseForeign(file: string): void {
  if (ours(file) === false) throw new UsageError(`${file} exists and was not installed by ethkit; not overwritten (nothing changed)`);
}

/** After a change under "/": systemd and udevd read the new files (where they run). */
function reload(l: Layout, ctx: PersistCtx, warnings: string[]): string[] {
  if (l.root !== '/') return [];
  const exec = ctx.exec ?? ((cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30000 });
    return { status: r.status, error: r.error ? r.error.message : r.stderr?.toString().trim() || undefined };
  });
  const ran: string[] = [];
  const one = (cmd: string, args: string[]) => {
    ran.push([cmd, ...args].join(' '));
    const r = exec(cmd, args);
    if (r.status !== 0) warnings.push(`${[cmd, ...args].join(' ')} failed${r.error ? `: ${r.error}` : ''}`);
  };
  if (fs.existsSync('/run/systemd/system')) one('systemctl', ['daemon-reload']);
  if (fs.existsSync('/run/udev/control')) one('udevadm', ['control', '--reload']);
  return ran;
}

/** Directories listed in the root's record of those ethkit made (absolute). */
function createdDirs(l: Layout): string[] {
  let text = '';
  try { text = fs.readFileSync(createdFile(l), 'utf8'); } catch { return []; }
  return text.split('\n').filter(x => x.startsWith('/')).map(x => path.join(l.root, x));
}

function createdText(l: Layout, dirs: readonly string[]): string {
  const rel = [...new Set(dirs.map(d => '/' + path.relative(l.root, d)))].sort();
  return `${MARKER}: the directories it made, removed (when empty) with the last spec\n${rel.join('\n')}\n`;
}

// ---- commands -------------------------------------------------------------------------------

interface Output { json: Record<string, unknown>; text: string[]; code: number }

function cmdPersist(a: Args, ctx: PersistCtx): Output {
  const [name, ...devs] = a.positional;
  if (!name) throw usage('--persist: name a profile and at least one device');
  if (devs.length === 0) throw usage('--persist: name at least one device');
  for (const d of devs) { const p = ifnameProblem(d); if (p) throw new UsageError(p); }
  const dup = devs.find((d, i) => devs.indexOf(d) !== i);
  if (dup) throw usage(`--persist: device ${dup} named twice`);
  const l = rootOf(a, ctx);
  const profile = resolveProfile(name, a.profileDir ?? ctx.vars.ETHKIT_PROFILE_DIR ?? defaultProfileDir());
  const params = resolveParams(profile, a.sets);
  let profileText: string;
  try { profileText = fs.readFileSync(profile.file, 'utf8'); } catch (e) { throw new UsageError(`${profile.file}: ${describeFsError(e)}`); }
  const stateDir = a.stateDir ?? ctx.vars.ETHKIT_STATE_DIR;
  if (stateDir !== undefined && !path.isAbsolute(stateDir)) throw new UsageError(`--state-dir ${stateDir}: must be an absolute path for the unit`);
  const env = envOf(ctx);
  const bin = binPath();
  const now = (ctx.now ?? (() => new Date()))().toISOString();
  const have = installed(l);
  const specs: PersistSpec[] = [];
  /** Specs of the same devices under their other match (--match changed): replaced. */
  const replaced: string[] = [];
  const routed = defaultRouteDevices(env.fs);
  for (const dev of devs) {
    if (!deviceExists(env, dev)) throw new UsageError(`${dev}: no such device`);
    // The unit applies without asking: persisting is the answer, given as --apply takes it.
    if (routed.has(dev) && !a.yes) throw new UsageError(`refusing to persist ${dev}: it carries the default route, and the unit changes it without asking whenever it appears; add --yes to go ahead`);
    const f = deviceFacts(env, dev);
    let m: Match;
    try { m = matchFor(f, a.match); } catch (e) { throw new UsageError((e as Error).message); }
    const id = matchId(m);
    const other = specs.find(s => s.id === id);
    if (other) throw new UsageError(`${dev} and ${other.device.name} are the same device (${matchText(m)})`);
    const spec: PersistSpec = {
      version: 1, id, profile: { name: profile.name, source: path.resolve(profile.file), file: profileCopy(l, id) },
      sets: [...a.sets], params, match: m, device: { name: dev, driver: f.driver },
      ...(stateDir !== undefined ? { stateDir } : {}), bin, time: now,
    };
    // Installing again as before changes nothing, the time included.
    const old = have.get(id);
    if (typeof old === 'object' && specText({ ...old, time: now }) === specText(spec)) spec.time = old.time;
    specs.push(spec);
    for (const k of ['mac', 'bus'] as const) {
      let alt: string;
      try { alt = matchId(matchFor(f, k)); } catch { continue; }
      if (alt !== id && have.has(alt)) replaced.push(alt);
    }
  }
  const unit = { bin, nodeDir: path.dirname(process.execPath), docs: path.join(repoDir(), 'docs', 'persistence.md') };
  const ops: FileOp[] = [{ kind: 'file', path: templateFile(l), text: templateText(l, unit) }];
  for (const s of specs) {
    ops.push({ kind: 'file', path: s.profile.file, text: profileText });
    ops.push({ kind: 'file', path: specFile(l, s.id), text: specText(s) });
    ops.push({ kind: 'symlink', path: wantsLink(l, s.id), target: `../${TEMPLATE}` });
    // The rule last: once it is there, the device's next appearance runs the unit.
    ops.push({ kind: 'file', path: ruleFile(l, s.id), text: ruleText(s) });
  }
  // The replaced specs' rules go first, before anything of the new one is written.
  ops.unshift(...replaced.flatMap(id => [ruleFile(l, id), wantsLink(l, id), specFile(l, id), profileCopy(l, id), recordFile(l, id)]
    .map((f): FileOp => ({ kind: 'remove', path: f }))));
  try {
    // The files in the system's directories; the spec directory is ethkit's own.
    for (const op of ops) if (op.kind === 'file' && !op.path.startsWith(l.specDir + '/')) refuseForeign(op.path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${l.root}: ${describeFsError(e)}`);
  }
  const made = dirsToMake(ops.map(o => o.path).concat(createdFile(l)));
  if (made.length) ops.unshift({ kind: 'file', path: createdFile(l), text: createdText(l, [...createdDirs(l), ...made]) });
  let changed: string[];
  try { changed = applyFiles(ops, ctx.failFileStep).changed; } catch (e) { throw fsFail(`cannot install under ${l.root}`, e); }
  const warnings: string[] = [];
  const reloaded = changed.length ? reload(l, ctx, warnings) : [];
  const what = `${profile.name}${paramText(params)}`;
  const text: string[] = changed.length
    ? [`Persisted ${what}:`, ...specs.map(s => `  ${s.device.name}: ${matchText(s.match)} -> ${unitName(s.id)}`),
      ...replaced.map(id => `  replaces ${unitName(id)} (the same device, matched the other way)`),
      ...changed.map(p => `  ${fs.existsSync(p) ? 'wrote' : 'removed'} ${p}`),
      ...reloaded.map(r => `  ran ${r}`)]
    : [`ok: ${what} is persisted already for ${devs.join(', ')}; nothing changed`];
  const code: number = changed.length ? EXIT.OK : EXIT.UNCHANGED;
  for (const w of warnings) ctx.err(a.json ? JSON.stringify({ warning: w }) + '\n' : `ethkit: warning: ${w}\n`);
  return {
    json: {
      command: 'persist', profile: profile.name, params, root: l.root, result: changed.length ? 'changed' : 'ok', changed: changed.length > 0,
      specs: specs.map(s => ({ id: s.id, device: s.device.name, match: s.match, unit: unitName(s.id), rule: ruleFile(l, s.id), spec: specFile(l, s.id) })),
      replaced, files: changed, reloaded, ...(warnings.length ? { warnings } : {}),
    },
    text, code,
  };
}

/** The spec ids that the names on an --unpersist / --persist-status line stand for. */
function idsFor(names: readonly string[], l: Layout, ctx: PersistCtx, have: Map<string, PersistSpec | string>, what: string): { ids: string[]; none: string[] } {
  const ids: string[] = [];
  const none: string[] = [];
  let env: Env | null = null;
  for (const n of names) {
    if (have.has(n)) { ids.push(n); continue; }
    const p = ifnameProblem(n);
    env ??= envOf(ctx);
    if (p || !deviceExists(env, n)) {
      throw new UsageError(`${what}: ${n} is neither a device nor a persisted spec (installed: ${[...have.keys()].join(', ') || 'none'})`);
    }
    const f = deviceFacts(env, n);
    const cands = (['mac', 'bus'] as const).flatMap(k => { try { return [matchId(matchFor(f, k))]; } catch { return []; } });
    const hit = cands.filter(c => have.has(c));
    if (hit.length) ids.push(...hit); else none.push(n);
  }
  return { ids: [...new Set(ids)], none };
}

function cmdUnpersist(a: Args, ctx: PersistCtx): Output {
  const l = rootOf(a, ctx);
  if (a.all && a.positional.length) throw usage('--unpersist: name devices or give --all, not both');
  if (!a.all && a.positional.length === 0) throw usage('--unpersist: name at least one device or spec id, or give --all');
  const have = installed(l);
  const { ids, none } = a.all ? { ids: [...have.keys()], none: [] as string[] } : idsFor(a.positional, l, ctx, have, '--unpersist');
  const ops: FileOp[] = [];
  for (const id of ids) {
    // The rule first: from then on nothing starts the unit for this device.
    for (const f of [ruleFile(l, id), wantsLink(l, id), specFile(l, id), profileCopy(l, id), recordFile(l, id)]) ops.push({ kind: 'remove', path: f });
  }
  const last = ids.length > 0 && [...have.keys()].every(id => ids.includes(id));
  const dirs = last ? createdDirs(l) : [];
  if (last) {
    if (ours(templateFile(l))) ops.push({ kind: 'remove', path: templateFile(l) });
    ops.push({ kind: 'remove', path: createdFile(l) });
  }
  for (const op of ops) {
    if ((op.path.endsWith('.rules') || op.path === templateFile(l)) && !sameAsNow(op) && ours(op.path) === false) {
      throw new UsageError(`${op.path} was not installed by ethkit; not removed (nothing changed)`);
    }
  }
  let changed: string[];
  try { changed = applyFiles(ops, ctx.failFileStep).changed; } catch (e) { throw fsFail(`cannot remove under ${l.root}`, e); }
  const removedDirs = removeEmptyDirs(dirs);
  const warnings: string[] = [];
  const reloaded = changed.length ? reload(l, ctx, warnings) : [];
  for (const w of warnings) ctx.err(a.json ? JSON.stringify({ warning: w }) + '\n' : `ethkit: warning: ${w}\n`);
  const text = changed.length
    ? [`Removed ${ids.map(unitName).join(', ')}:`, ...changed.map(p => `  removed ${p}`), ...removedDirs.map(d => `  removed ${d}/`), ...reloaded.map(r => `  ran ${r}`),
      ...none.map(n => `  ${n}: nothing persisted`), 'the settings on the devices stay as they are (undo them with ethkit --rollback DEV)']
    : [`ok: nothing persisted for ${a.all ? 'any device' : a.positional.join(', ')}; nothing changed`];
  return {
    json: { command: 'unpersist', root: l.root, result: changed.length ? 'changed' : 'ok', changed: changed.length > 0, removed: ids, not_persisted: none, files: changed, dirs: removedDirs, reloaded, ...(warnings.length ? { warnings } : {}) },
    text, code: changed.length ? EXIT.OK : EXIT.UNCHANGED,
  };
}

function profileArgs(s: PersistSpec, dev: string): string[] {
  return [s.profile.file, dev, ...s.sets.flatMap(x => ['--set', x]), ...(s.stateDir ? ['--state-dir', s.stateDir] : [])];
}

/** --verify of the spec's profile on dev, in-process: 'ok', or the drifted settings' count, or an error. */
async function verifyNow(s: PersistSpec, dev: string, ctx: PersistCtx): Promise<Verify> {
  let out = '';
  const pctx: ProfileCtx = { env: ctx.env, out: t => { out += t; }, err: () => { /* the JSON on stdout says it */ }, isTTY: false, vars: ctx.vars, now: ctx.now };
  await runProfiles(['--verify', ...profileArgs(s, dev), '--json'], pctx);
  try {
    const j = JSON.parse(out) as { result: string; drift?: unknown[]; error?: string };
    if (j.result === 'ok') return { result: 'ok', drift: 0 };
    if (j.result === 'drift') return { result: 'drift', drift: j.drift?.length ?? 0 };
    return { result: 'error', drift: 0, error: j.error };
  } catch { return { result: 'error', drift: 0, error: 'no verify result' }; }
}

interface Verify { result: 'ok' | 'drift' | 'error'; drift: number; error?: string }

interface RunOutput extends Output { json: Record<string, unknown> }

function record(l: Layout, id: string, rec: Record<string, unknown>, warnings: string[]): void {
  try {
    fs.mkdirSync(l.runDir, { recursive: true, mode: 0o755 });
    writeDurable(recordFile(l, id), JSON.stringify(rec, null, 2) + '\n');
  } catch (e) {
    warnings.push(`cannot write ${recordFile(l, id)}: ${describeFsError(e)}`);
  }
}

/** What the unit does: find the device that matches, apply, verify, and record the outcome. */
function persistRunPrepare(s: PersistSpec, ctx: PersistCtx): { dev: string | null; text: string[]; error?: string } {
  const env = envOf(ctx);
  const found = findMatching(env, s.match);
  if (found.length === 0) return { dev: null, text: [`${s.id}: no interface with ${matchText(s.match)} now; nothing to do`] };
  if (found.length > 1) return { dev: null, text: [], error: `${s.id}: ${found.length} interfaces have ${matchText(s.match)} (${found.map(f => f.dev).join(', ')}); not applied` };
  return { dev: found[0].dev, text: [`${s.id}: ${matchText(s.match)} is ${found[0].dev}${found[0].dev !== s.device.name ? ` (was ${s.device.name})` : ''}: applying ${s.profile.name}${paramText(s.params)}`] };
}

async function persistRunAsync(l: Layout, s: PersistSpec, ctx: PersistCtx, json: boolean): Promise<RunOutput> {
  const warnings: string[] = [];
  const time = (ctx.now ?? (() => new Date()))().toISOString();
  const p = persistRunPrepare(s, ctx);
  if (p.error) {
    record(l, s.id, { id: s.id, time, device: null, result: 'error', error: p.error, exit_code: EXIT.ERROR }, warnings);
    throw new UsageError(p.error);
  }
  if (!p.dev) {
    record(l, s.id, { id: s.id, time, device: null, result: 'absent', exit_code: EXIT.OK }, warnings);
    return { json: { command: 'persist-run', id: s.id, device: null, result: 'absent', changed: false }, text: p.text, code: EXIT.OK };
  }
  const dev = p.dev;
  let out = '';
  const pctx: ProfileCtx = {
    env: ctx.env, out: t => { if (json) out += t; else ctx.out(t); }, err: t => ctx.err(t), isTTY: false, vars: ctx.vars, now: ctx.now,
  };
  if (!json) ctx.out(p.text.join('\n') + '\n');
  const applyCode = await runProfiles(['--apply', ...profileArgs(s, dev), '--yes', '--replace-stale', '--wait', '120', ...(json ? ['--json'] : [])], pctx);
  let applyJson: unknown = null;
  if (json) { try { applyJson = JSON.parse(out); } catch { applyJson = null; } }
  let code = applyCode;
  let verify: Verify | null = null;
  if (applyCode === EXIT.OK || applyCode === EXIT.UNCHANGED) {
    verify = await verifyNow(s, dev, ctx);
    if (verify.result !== 'ok') code = verify.result === 'drift' ? EXIT.DRIFT : EXIT.ERROR;
  }
  const result = code === EXIT.OK ? 'applied' : code === EXIT.UNCHANGED ? 'unchanged' : verify && verify.result === 'drift' ? 'drift' : 'failed';
  record(l, s.id, { id: s.id, time, device: dev, result, apply_exit: applyCode, verify: verify?.result ?? null, drift: verify?.drift ?? null, exit_code: code }, warnings);
  for (const w of warnings) ctx.err(json ? JSON.stringify({ warning: w }) + '\n' : `ethkit: warning: ${w}\n`);
  const text = json ? [] : [`${s.id}: ${result}${verify ? `; verify: ${verify.result}${verify.drift ? ` (${verify.drift} setting(s) differ)` : ''}` : ''} (exit ${code})`];
  return { json: { command: 'persist-run', id: s.id, device: dev, result, changed: code === EXIT.OK, apply: applyJson, apply_exit: applyCode, verify, exit_code: code }, text, code };
}

function readSpec(l: Layout, id: string): PersistSpec {
  if (!ID_RE.test(id)) throw new UsageError(`--persist-run ${id}: not a spec id (as mac-525400123456 or pci-0000-00-03.0)`);
  const file = specFile(l, id);
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    throw new UsageError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${id}: not persisted (no ${file})` : `${file}: ${describeFsError(e)}`);
  }
  try { return parseSpec(text, file); } catch (e) { throw new UsageError((e as Error).message); }
}

async function cmdStatus(a: Args, ctx: PersistCtx): Promise<Output> {
  const l = rootOf(a, ctx);
  const have = installed(l);
  const { ids, none } = a.positional.length ? idsFor(a.positional, l, ctx, have, '--persist-status') : { ids: [...have.keys()], none: [] as string[] };
  const rows: string[][] = [];
  const list: Record<string, unknown>[] = [];
  let bad = none.length > 0;
  const template = fs.existsSync(templateFile(l));
  for (const id of ids) {
    const s = have.get(id)!;
    if (typeof s === 'string') {
      bad = true;
      rows.push([id, '-', '-', '-', `INVALID: ${s}`, '-']);
      list.push({ id, error: s });
      continue;
    }
    const problems: string[] = [];
    let rule: string | null = null;
    try { rule = fs.readFileSync(ruleFile(l, id), 'utf8'); } catch { rule = null; }
    if (rule === null) problems.push('rule missing');
    else if (rule !== ruleText(s)) problems.push('rule changed');
    if (!template) problems.push('unit missing');
    if (!fs.existsSync(s.profile.file)) problems.push('profile copy missing');
    let last: Record<string, unknown> | null = null;
    try { last = JSON.parse(fs.readFileSync(recordFile(l, id), 'utf8')) as Record<string, unknown>; } catch { last = null; }
    const env = envOf(ctx);
    const found = findMatching(env, s.match);
    let state: string;
    let verify: Verify | null = null;
    if (found.length === 0) state = 'absent';
    else if (found.length > 1) state = `ambiguous: ${found.map(f => f.dev).join(', ')}`;
    else {
      verify = await verifyNow(s, found[0].dev, ctx);
      state = verify.result === 'ok' ? 'verified' : verify.result === 'drift' ? `drift (${verify.drift} setting(s))` : `error: ${verify.error}`;
    }
    if (problems.length) state += `; ${problems.join(', ')}`;
    if (problems.length || verify?.result !== 'ok') bad = true;
    const lastText = last ? `${last.result} ${last.device ?? ''} ${last.time}`.replace(/\s+/g, ' ') : '-';
    rows.push([id, `${s.profile.name}${paramText(s.params)}`, matchText(s.match), found.map(f => f.dev).join(',') || '-', state, lastText]);
    list.push({
      id, profile: s.profile.name, params: s.params, match: s.match, unit: unitName(id), rule: ruleFile(l, id),
      present: found.length > 0, devices: found.map(f => f.dev), verify, problems, last_run: last,
    });
  }
  const text = ids.length
    ? [table(['ID', 'PROFILE', 'MATCH', 'DEVICE', 'STATE', 'LAST RUN'], rows), ...none.map(n => `${n}: nothing persisted`)]
    : [`nothing persisted under ${l.root}${none.length ? ` for ${none.join(', ')}` : ''}`];
  return { json: { command: 'persist-status', root: l.root, template: templateFile(l), specs: list, not_persisted: none, result: bad ? 'attention' : 'ok' }, text, code: bad ? EXIT.DRIFT : EXIT.OK };
}

// ---- entry points ---------------------------------------------------------------------------

function errorMessage(e: unknown): string | null {
  if (e instanceof UsageError || e instanceof ProfileError || e instanceof EthtoolError || e instanceof FsError) return e.message;
  return null;
}

export async function run(argv: readonly string[], ctx: PersistCtx): Promise<number> {
  let a: Args | undefined;
  try {
    a = parseArgs(argv);
    let o: Output;
    switch (a.cmd) {
      case 'help':
        if (a.json) ctx.out(JSON.stringify({ command: 'persist-help', result: 'ok', changed: false, usage: USAGE, exit_code: EXIT.OK }, null, 2) + '\n');
        else ctx.out(USAGE + '\n');
        return EXIT.OK;
      case 'persist': case 'unpersist': {
        const lock = await writerLock(rootOf(a, ctx));
        try { o = a.cmd === 'persist' ? await cmdPersistAsync(a, ctx) : cmdUnpersist(a, ctx); } finally { lock.release(); }
        break;
      }
      case 'status': o = await cmdStatus(a, ctx); break;
      case 'run': {
        if (a.positional.length !== 1) throw usage('--persist-run: name one spec id');
        const l = rootOf(a, ctx);
        o = await persistRunAsync(l, readSpec(l, a.positional[0]), ctx, a.json);
        break;
      }
    }
    if (a.json) ctx.out(JSON.stringify({ ...o.json, exit_code: o.code }, null, 2) + '\n');
    else if (o.text.length) ctx.out(o.text.join('\n') + '\n');
    return o.code;
  } catch (e) {
    const known = errorMessage(e);
    const msg = known ?? `internal error: ${e instanceof Error ? e.message : String(e)}`;
    if (a?.json ?? argv.includes('--json')) {
      ctx.out(JSON.stringify({ command: a?.cmd ?? null, result: 'error', changed: false, failed: true, error: msg, exit_code: EXIT.ERROR }, null, 2) + '\n');
      ctx.err(JSON.stringify({ error: msg, exit: EXIT.ERROR }) + '\n');
    } else ctx.err(msg.split('\n').map(x => `ethkit: ${x}`).join('\n') + '\n');
    return EXIT.ERROR;
  }
}

/**
 * One installer at a time: --persist and --unpersist hold an flock on RUN_DIR/persist.lock
 * (tmpfs: nothing is left in /etc) while they read and write the installed files; a second
 * one waits up to 5 s, then stops with the holder's pid, having changed nothing.
 */
async function writerLock(l: Layout): Promise<Lock> {
  const file = path.join(l.runDir, 'persist.lock');
  try {
    fs.mkdirSync(l.runDir, { recursive: true, mode: 0o755 });
    return await acquireLock(file, 5000);
  } catch (e) {
    if (e instanceof LockBusyError) throw new UsageError(`another --persist/--unpersist (${e.holder === null ? 'another process' : `pid ${e.holder}`}) holds ${file}; nothing changed`);
    if (e instanceof LockFileError) throw new UsageError(`cannot lock ${file} (${e.code}); nothing changed`);
    throw fsFail(`cannot create ${l.runDir}`, e);
  }
}

async function cmdPersistAsync(a: Args, ctx: PersistCtx): Promise<Output> {
  const now = a.now;
  const o = cmdPersist({ ...a, now: false }, ctx);
  if (!now) return o;
  const l = rootOf(a, ctx);
  const runs: Record<string, unknown>[] = [];
  let code = o.code;
  // What was installed first, then each run as it goes (the apply prints its changes).
  if (!a.json) { ctx.out(o.text.join('\n') + '\n'); o.text = []; }
  for (const id of (o.json.specs as { id: string }[]).map(s => s.id)) {
    const r = await persistRunAsync(l, readSpec(l, id), ctx, a.json);
    runs.push(r.json);
    o.text.push(...r.text);
    if (r.code === EXIT.OK) { if (code === EXIT.UNCHANGED) code = EXIT.OK; }
    else if (r.code !== EXIT.UNCHANGED) code = Math.max(code === EXIT.UNCHANGED ? EXIT.OK : code, r.code);
  }
  return { json: { ...o.json, runs }, text: o.text, code };
}

export async function main(argv: string[], io?: FrontEndIo): Promise<number> {
  return run(argv, {
    env: io?.transport ? { transport: io.transport, fs: io.hostFs ?? new NoHostFs() } : undefined,
    out: t => { if (io) io.stdout.write(t); else process.stdout.write(t); },
    err: t => { if (io) io.stderr.write(t); else process.stderr.write(t); },
    vars: io?.env ?? process.env,
  });
}
