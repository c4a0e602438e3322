/**
 * Per-call cost of ethkit's in-process ioctl path against a plain C loop issuing the same
 * SIOCETHTOOL requests (native/bench_gstats.c), measured side by side in one run:
 *
 *   GSTATS    StatsReader.read() (reused buffer)   vs  C: GSSET_INFO once, then N x GSTATS
 *   GDRVINFO  Nic.driverInfo() (decoded object)    vs  C: N x GDRVINFO
 *
 * For each operation, rounds are interleaved (JS, C, C, JS, ...); the ratio reported is the median
 * of the per-round JS/C ratios (adjacent runs, so slow drifts in machine load cancel out).
 * Read-only requests only, so the default interface is the host's eth0.
 *
 *   node dist/bench/gstats.js [--ifname eth0] [--rounds 7] [--calls 20000] [--check]
 *
 * --check exits 1 when the GSTATS ratio is above the 1.15x target.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KoffiTransport } from '../src/ffi/koffi';
import { Nic } from '../src/device/nic';

const ROOT = path.resolve(__dirname, '../..');
const C_BENCH = path.join(ROOT, 'native', 'build', 'bench_gstats');
const TARGET = 1.15;

interface Opts { ifname: string; rounds: number; calls: number; check: boolean }

function parseArgs(argv: string[]): Opts {
  const o: Opts = { ifname: 'eth0', rounds: 7, calls: 20000, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) usage(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--ifname') o.ifname = argv[++i] ?? usage('--ifname needs a name');
    else if (a === '--rounds') o.rounds = num();
    else if (a === '--calls') o.calls = num();
    else if (a === '--check') o.check = true;
    else usage(`unknown argument ${a}`);
  }
  return o;
}

function usage(msg: string): never {
  process.stderr.write(`bench/gstats: ${msg}\nusage: node dist/bench/gstats.js [--ifname IF] [--rounds N] [--calls N] [--check]\n`);
  process.exit(2);
}

function ensureCBench(): void {
  if (existsSync(C_BENCH)) return;
  const r = spawnSync('make', ['-s', '-C', path.join(ROOT, 'native')], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(C_BENCH)) {
    process.stderr.write(`bench/gstats: cannot build ${C_BENCH}: ${(r.stderr || r.error?.message || '').trim()}\n`);
    process.exit(1);
  }
}

function cRound(ifname: string, calls: number, mode: 'gstats' | 'drvinfo'): number {
  const r = spawnSync(C_BENCH, [ifname, String(calls), mode], { encoding: 'utf8' });
  const m = /ns_per_call ([\d.]+)/.exec(r.stdout);
  if (r.status !== 0 || !m) {
    process.stderr.write(`bench/gstats: C ${mode} failed: ${(r.stderr || r.stdout).trim()}\n`);
    process.exit(1);
  }
  return Number(m[1]);
}

function jsRound(fn: () => unknown, calls: number): number {
  for (let i = 0, w = (calls / 10) | 0; i < w; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - t0) / calls;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  ensureCBench();
  const t = new KoffiTransport();
  try {
    const nic = new Nic(o.ifname, t);
    const reader = nic.statsReader();
    if (reader.names.length === 0) usage(`${o.ifname} reports no statistics`);
    const read = (): unknown => reader.read();
    const info = (): unknown => nic.driverInfo();
    const res = { jsStats: [] as number[], cStats: [] as number[], jsInfo: [] as number[], cInfo: [] as number[] };
    // One operation at a time (the GDRVINFO loop allocates, and its garbage must not be collected
    // during GSTATS rounds); within an operation, alternate which side goes first.
    for (let round = 0; round < o.rounds; round++) {
      if (round % 2 === 0) { res.jsStats.push(jsRound(read, o.calls)); res.cStats.push(cRound(o.ifname, o.calls, 'gstats')); }
      else { res.cStats.push(cRound(o.ifname, o.calls, 'gstats')); res.jsStats.push(jsRound(read, o.calls)); }
    }
    for (let round = 0; round < o.rounds; round++) {
      if (round % 2 === 0) { res.jsInfo.push(jsRound(info, o.calls)); res.cInfo.push(cRound(o.ifname, o.calls, 'drvinfo')); }
      else { res.cInfo.push(cRound(o.ifname, o.calls, 'drvinfo')); res.jsInfo.push(jsRound(info, o.calls)); }
    }
    // Each round's JS and C runs are adjacent: their ratio cancels slow drifts in machine load.
    const paired = (js: number[], c: number[]): number => median(js.map((x, i) => x / c[i]));
    const rows = [
      ['GSTATS', `StatsReader.read() (${reader.names.length} counters)`, res.jsStats, res.cStats],
      ['GDRVINFO', 'Nic.driverInfo()', res.jsInfo, res.cInfo],
    ] as const;
    console.log(`ethkit vs C on ${o.ifname}: ${o.rounds} interleaved rounds x ${o.calls} calls (medians)`);
    for (const [op, what, js, c] of rows) {
      console.log(`  ${op.padEnd(9)} ${what.padEnd(40)} js ${median(js).toFixed(0).padStart(6)} ns  C ${median(c).toFixed(0).padStart(6)} ns` +
        `  ratio ${paired(js, c).toFixed(3)}x  (per-round ${js.map((x, i) => (x / c[i]).toFixed(2)).join(' ')})`);
    }
    const ratio = paired(res.jsStats, res.cStats);
    console.log(`GSTATS ratio ${ratio.toFixed(3)}x (target <= ${TARGET}x): ${ratio <= TARGET ? 'within target' : 'ABOVE target'}`);
    if (o.check && ratio > TARGET) process.exitCode = 1;
  } finally {
    t.close();
  }
}

main();
