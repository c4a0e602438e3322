/**
 * Cost of applying the director profile, side by side in one run:
 *
 *  1. Simulated NIC (SimTransport + SimHostFs, 4 -> 8 queues on 8 CPUs, IPVS loaded):
 *     plan time, plan+apply time, and the ioctls made (SimTransport logs every request).
 *  2. A veth in a network namespace this bench creates and removes (real kernel):
 *       ethkit in-process    read + plan + apply through the Nic API (ioctls counted)
 *       ethkit CLI           `node cli.js --apply director va` as a whole process (node start-up,
 *                            snapshot fsync included)
 *       ethtool commands     tuned's way: one process per category, `ethtool -k/-g/-l/-c/-a` to
 *                            read, then `ethtool -K/-G/-L/-C/-A` for each category that differs;
 *                            the sysfs/sysctl writes done in-process, as tuned does
 *     Rounds are interleaved (ethkit, ethtool, ethtool, ethkit …) and every round starts from the
 *     same state (restored, untimed). Medians are printed, and ethtool/ethkit ratios.
 *
 *   node dist/bench/profile-apply.js [--rounds 7] [--sim-rounds 200]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SimTransport, simDevice } from '../test/doubles/sim';
import { SimHostFs } from '../test/doubles/simhost';
import { loadProfileFile } from '../src/profiles/load';
import { resolveParams } from '../src/profiles/cli';
import { planProfile, sysctlPaths, diff, restoreWants, Plan } from '../src/profiles/plan';
import { readHost, Env, HostState } from '../src/profiles/state';
import { transact } from '../src/profiles/apply';
import { RealFs } from '../src/common/hostfs';
import { ETHTOOL } from '../src/ethtool/constants';
import type { Transport } from '../src/ffi/transport';

const ROOT = path.resolve(__dirname, '../..');
const PROFILE = loadProfileFile(path.join(ROOT, 'profiles/director.yaml'));
const PARAMS = resolveParams(PROFILE, ['mode=nat']);
const CLI = path.join(__dirname, '../src/profiles/cli.js');
const SET_CMDS = new Set<number>([ETHTOOL.SFEATURES, ETHTOOL.SRINGPARAM, ETHTOOL.SCHANNELS, ETHTOOL.SCOALESCE, ETHTOOL.SPAUSEPARAM]);

interface Opts { rounds: number; simRounds: number; child: boolean }

function parseArgs(argv: string[]): Opts {
  const o: Opts = { rounds: 7, simRounds: 200, child: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const n = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) usage(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--rounds') o.rounds = n();
    else if (a === '--sim-rounds') o.simRounds = n();
    else if (a === '--child') o.child = true;
    else usage(`unknown argument ${a}`);
  }
  return o;
}

function usage(msg: string): never {
  process.stderr.write(`bench/profile-apply: ${msg}\nusage: node dist/bench/profile-apply.js [--rounds N] [--sim-rounds N]\n`);
  process.exit(2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const ms = (x: number) => `${x.toFixed(2).padStart(8)} ms`;

/** Counts requests by command, around any transport. */
class Counting implements Transport {
  reads = 0; sets = 0;
  constructor(private readonly t: Transport) {}
  ioctl(ifname: string, data: Uint8Array): number {
    const cmd = new DataView(data.buffer, data.byteOffset).getUint32(0, true);
    if (SET_CMDS.has(cmd)) this.sets++; else this.reads++;
    return this.t.ioctl(ifname, data);
  }
  alloc(n: number): Uint8Array { return this.t.alloc(n); }
  close(): void { this.t.close(); }
}

// ---- 1. simulated NIC ----------------------------------------------------------------------

async function simBench(rounds: number): Promise<void> {
  const planT: number[] = [], applyT: number[] = [];
  let counts = { planReads: 0, reads: 0, sets: 0, writes: 0, steps: 0, changed: 0 };
  for (let r = 0; r < rounds; r++) {
    const sim = new SimTransport([simDevice('ekb0', { queues: 4, maxQueues: 16 })]);
    const host = new SimHostFs(sim, { cpus: 8, ipvs: true });
    const t = new Counting(sim);
    const env: Env = { transport: t, fs: host };
    const paths = sysctlPaths(PROFILE, PARAMS, ['ekb0']);
    let t0 = performance.now();
    planProfile(PROFILE, PARAMS, readHost(env, ['ekb0'], paths));
    planT.push(performance.now() - t0);
    const planReads = t.reads;
    t.reads = 0;
    const w0 = host.writes.length;
    t0 = performance.now();
    const res = await transact({ env, devs: ['ekb0'], sysctlPaths: paths, plan: s => planProfile(PROFILE, PARAMS, s) });
    applyT.push(performance.now() - t0);
    if (res.outcome !== 'changed') throw new Error(`simulated apply: ${res.outcome} ${res.error ?? ''}`);
    counts = { planReads, reads: t.reads, sets: t.sets, writes: host.writes.length - w0, steps: res.steps.length, changed: res.touched.length };
  }
  console.log(`1. director on a simulated NIC (4 -> 8 queues, 8 CPUs, IPVS loaded): medians of ${rounds} runs`);
  console.log(`   plan (read state + plan)       ${ms(median(planT))}   ${counts.planReads} ioctls, all reads`);
  console.log(`   plan + apply (+ re-plan, check) ${ms(median(applyT))}   ${counts.reads} read ioctls, ${counts.sets} set ioctls (one each of SFEATURES, SCHANNELS, SRINGPARAM, SCOALESCE, SPAUSEPARAM), ${counts.writes} sysfs/sysctl writes`);
  console.log(`   ${counts.changed} settings changed in ${counts.steps} operations`);
}

// ---- 2. veth in a namespace (runs inside it, as --child) -------------------------------------

interface VethRound { ethkit: number; ethkitReads: number; ethkitSets: number; ethtool: number; procs: number; cmds: string[] }

/** Restore what a round changed to the pristine state read at the start (untimed). */
async function restore(env: Env, pristine: HostState, plan: Plan, paths: readonly string[]): Promise<void> {
  const touched = plan.rows.filter(r => r.action === 'set').map(r => ({ id: r.id, setting: r.setting, dev: r.dev }));
  const entries = [{ device: pristine.devices[0], sysctl: pristine.sysctl, touched }];
  const res = await transact({ env, devs: ['va'], sysctlPaths: paths, plan: s => diff(restoreWants(entries, s), s) });
  if (res.outcome !== 'changed' && res.outcome !== 'unchanged') throw new Error(`restore: ${res.error}`);
}

const CATEGORY: Record<string, { read: string; set: string }> = {
  features: { read: '-k', set: '-K' }, ring: { read: '-g', set: '-G' }, channels: { read: '-l', set: '-L' },
  coalesce: { read: '-c', set: '-C' }, pause: { read: '-a', set: '-A' },
};

/** ethtool's argument words for a plan row: ring rx -> "rx 4096", feature … (rx-gro) -> "rx-gro on". */
function ethtoolWords(row: Plan['rows'][number]): string[] {
  if (row.group === 'features') return [row.id.split(':')[1], row.target!];
  const key = row.setting.split(' ')[1];
  return [key, row.target!];
}

function tunedWay(plan: Plan): { procs: number; cmds: string[] } {
  const cmds: string[] = [];
  let procs = 0;
  for (const [group, c] of Object.entries(CATEGORY)) {
    if (!PROFILE.settings.some(s => s.group === group)) continue;
    procs++;
    const read = spawnSync('ethtool', [c.read, 'va'], { encoding: 'utf8' });
    cmds.push(`ethtool ${c.read} va${read.status ? ' (fails: not supported)' : ''}`);
    if (read.status !== 0) continue;
    const words = plan.rows.filter(r => r.group === group && r.action === 'set').flatMap(ethtoolWords);
    if (words.length === 0) continue;
    procs++;
    const set = spawnSync('ethtool', [c.set, 'va', ...words], { encoding: 'utf8' });
    if (set.status !== 0) throw new Error(`ethtool ${c.set} va ${words.join(' ')}: ${set.stderr.trim()}`);
    cmds.push(`ethtool ${c.set} va ${words.join(' ')}`);
  }
  for (const r of plan.rows) {
    if (r.action !== 'set' || !r.id.startsWith('file:')) continue;
    fs.writeFileSync(r.id.slice(5), r.target! + '\n');
  }
  return { procs, cmds };
}

async function child(rounds: number): Promise<void> {
  const { KoffiTransport } = require('../src/ffi/koffi') as typeof import('../src/ffi/koffi');
  const real = new KoffiTransport();
  const counting = new Counting(real);
  const env: Env = { transport: counting, fs: new RealFs() };
  const paths = sysctlPaths(PROFILE, PARAMS, ['va']);
  const pristine = readHost(env, ['va'], paths);
  const plan = planProfile(PROFILE, PARAMS, pristine);
  const out: VethRound[] = [];
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekbench-'));
  const cliT: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const round: Partial<VethRound> = {};
      const order = r % 2 ? ['ethtool', 'ethkit', 'cli'] : ['ethkit', 'ethtool', 'cli'];
      for (const which of order) {
        if (which === 'ethkit') {
          counting.reads = counting.sets = 0;
          const t0 = performance.now();
          const res = await transact({ env, devs: ['va'], sysctlPaths: paths, plan: s => planProfile(PROFILE, PARAMS, s) });
          round.ethkit = performance.now() - t0;
          if (res.outcome !== 'changed') throw new Error(`ethkit apply: ${res.outcome} ${res.error ?? ''}`);
          round.ethkitReads = counting.reads; round.ethkitSets = counting.sets;
        } else if (which === 'ethtool') {
          const t0 = performance.now();
          const { procs, cmds } = tunedWay(plan);
          round.ethtool = performance.now() - t0;
          round.procs = procs; round.cmds = cmds;
        } else {
          const t0 = performance.now();
          const c = spawnSync(process.execPath, [CLI, '--apply', 'director', 'va', '--set', 'mode=nat', '--yes', '--state-dir', stateDir], { encoding: 'utf8' });
          cliT.push(performance.now() - t0);
          if (c.status !== 0) throw new Error(`ethkit --apply: exit ${c.status}: ${c.stderr.trim()}`);
          fs.rmSync(path.join(stateDir, 'snapshots'), { recursive: true, force: true });
        }
        await restore(env, pristine, plan, paths);
      }
      out.push(round as VethRound);
    }
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
    real.close();
  }
  process.stdout.write(JSON.stringify({ rounds: out, cli: cliT, changes: plan.rows.filter(r => r.action === 'set').length }) + '\n');
}

function vethBench(rounds: number): void {
  const ns = `ekbpa${process.pid % 1000}`;
  const ip = (...a: string[]) => {
    const r = spawnSync('ip', a, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${a.join(' ')}: ${r.stderr.trim()}`);
  };
  spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  ip('netns', 'add', ns);
  try {
    ip('-n', ns, 'link', 'add', 'va', 'numtxqueues', '4', 'numrxqueues', '4', 'type', 'veth', 'peer', 'name', 'vb');
    ip('-n', ns, 'link', 'set', 'va', 'up');
    ip('-n', ns, 'link', 'set', 'vb', 'up');
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, __filename, '--child', '--rounds', String(rounds)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child in ${ns}: ${r.stderr.trim()}`);
    const data = JSON.parse(r.stdout) as { rounds: VethRound[]; cli: number[]; changes: number };
    const k = median(data.rounds.map(x => x.ethkit));
    const e = median(data.rounds.map(x => x.ethtool));
    const c = median(data.cli);
    const first = data.rounds[0];
    console.log(`2. director on a veth in a namespace (mode=nat, ${data.changes} changes: GRO, XPS, sysctls): medians of ${rounds} interleaved rounds`);
    console.log(`   ethkit in-process  read+plan+apply+check ${ms(k)}   ${first.ethkitReads} read ioctls, ${first.ethkitSets} set ioctl(s), 0 processes`);
    console.log(`   ethkit CLI process (node start, snapshot) ${ms(c)}   1 process`);
    console.log(`   ethtool commands (tuned's way)          ${ms(e)}   ${first.procs} processes:`);
    for (const cmd of first.cmds) console.log(`       ${cmd}`);
    console.log(`   ratio ethtool commands / ethkit in-process: ${(e / k).toFixed(1)}x`);
    console.log(`   ratio ethtool commands / ethkit CLI process: ${(e / c).toFixed(2)}x`);
  } finally {
    spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  }
}

async function mainBench(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.child) { await child(o.rounds); return; }
  await simBench(o.simRounds);
  vethBench(o.rounds);
}

mainBench().catch(e => { process.stderr.write(`bench/profile-apply: ${e instanceof Error ? e.message : String(e)}\n`); process.exit(1); });
