/**
 * Scrape cost of `ethkit --exporter`, in two parts:
 *
 * 1. Simulated NICs, N devices x M counters (in process): wall time and CPU per scrape, split
 *    into reading the devices and formatting, with three sinks side by side — a null sink (the
 *    device reads alone), a bare string builder (the least any formatter can cost) and prom-client
 *    (what the exporter uses) — so that the library's share is measured, not guessed.
 *
 * 2. Real devices: veth pairs in a network namespace, scraped over HTTP alternately from ethkit
 *    --exporter and Debian's prometheus-node-exporter (--collector.disable-defaults
 *    --collector.ethtool), both run in that namespace: wall time per scrape (client side) and CPU
 *    per scrape of each server process (/proc/PID/stat), and the ratios ethkit / node_exporter.
 *
 *   node dist/bench/exporter.js [--sim-only] [--real-only] [--pairs 8,32] [--queues 4] [--scrapes 40]
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SimTransport, simDevice } from '../test/doubles/sim';
import { Collector, Sink, Labels, Kind } from '../src/export/collect';
import { Families } from '../src/export/registry';

const ROOT = path.resolve(__dirname, '../..');
const ETHKIT = path.join(ROOT, 'bin/ethkit');

interface Opts { sim: boolean; real: boolean; pairs: number[]; queues: number; scrapes: number; inside: string | null }

function usage(msg: string): never {
  process.stderr.write(`bench/exporter: ${msg}\nusage: node dist/bench/exporter.js [--sim-only] [--real-only] [--pairs 8,32] [--queues 4] [--scrapes 40]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Opts {
  const o: Opts = { sim: true, real: true, pairs: [8, 32], queues: 4, scrapes: 40, inside: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (v = argv[++i]): number => { const n = Number(v); if (!Number.isInteger(n) || n <= 0) usage(`${a} needs a positive integer`); return n; };
    if (a === '--sim-only') o.real = false;
    else if (a === '--real-only') o.sim = false;
    else if (a === '--pairs') o.pairs = (argv[++i] ?? '').split(',').map(x => num(x));
    else if (a === '--queues') o.queues = num();
    else if (a === '--scrapes') o.scrapes = num();
    else if (a === '--inside') o.inside = argv[++i] ?? usage('--inside needs a value');
    else usage(`unknown argument ${a}`);
  }
  return o;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ms = (ns: number): string => (ns / 1e6).toFixed(2).padStart(8);

// ---- 1. simulated NICs ------------------------------------------------------------------------

class NullSink implements Sink {
  n = 0;
  put(): void { this.n++; }
}

/** The least a formatter can do: one line per sample into a string, families by first sight. */
class StringSink implements Sink {
  private lines = new Map<string, string[]>();
  put(name: string, kind: Kind, help: string, labels: Labels, value: number): void {
    let l = this.lines.get(name);
    if (!l) this.lines.set(name, l = [`# HELP ${name} ${help}`, `# TYPE ${name} ${kind}`]);
    let s = name + '{';
    let first = true;
    for (const k in labels) { s += (first ? '' : ',') + k + '="' + labels[k] + '"'; first = false; }
    l.push(s + '} ' + value);
  }
  text(): string { let t = ''; for (const l of this.lines.values()) t += l.join('\n') + '\n\n'; this.lines.clear(); return t; }
}

async function simRow(devices: number, counters: number, scrapes: number): Promise<string> {
  const queues = 8;
  const base = 8 + 4 * queues;
  const devs = Array.from({ length: devices }, (_, i) => simDevice(`sim${i}`, { queues, extraStats: Math.max(0, counters - base) }));
  const names = devs.map(d => d.name);
  const t = new SimTransport(devs);
  const time = async (f: () => unknown | Promise<unknown>): Promise<{ wall: number; cpu: number }> => {
    for (let i = 0; i < 3; i++) await f();
    const walls: number[] = [], cpus: number[] = [];
    for (let i = 0; i < scrapes; i++) {
      const c0 = process.cpuUsage(), t0 = process.hrtime.bigint();
      await f();
      walls.push(Number(process.hrtime.bigint() - t0));
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) * 1000);
    }
    return { wall: median(walls), cpu: median(cpus) };
  };
  const opts = { transport: t, netlink: null, foldQueues: true, drift: null };
  const cNull = new Collector(opts), nul = new NullSink();
  const read = await time(() => cNull.collect(names, nul));
  const cStr = new Collector(opts), str = new StringSink();
  let bytesStr = 0;
  const bare = await time(() => { cStr.collect(names, str); bytesStr = str.text().length; });
  const cProm = new Collector(opts), fam = new Families();
  let bytesProm = 0;
  const prom = await time(async () => { fam.begin(); cProm.collect(names, fam); fam.end(); bytesProm = (await fam.text()).length; });
  const samples = nul.n / (3 + scrapes);
  const share = (prom.wall - read.wall) / prom.wall;
  return `  ${String(devices).padStart(4)} x ${String(counters).padStart(5)}  ${String(Math.round(samples)).padStart(7)} samples` +
    `  read ${ms(read.wall)} ms  bare ${ms(bare.wall)} ms  prom-client ${ms(prom.wall)} ms (cpu ${ms(prom.cpu)} ms, ${(bytesProm / 1024).toFixed(0)} KiB)` +
    `  prom-client/bare ${(prom.wall / bare.wall).toFixed(2)}x  formatting share ${(share * 100).toFixed(0)}%` +
    `  ${(prom.wall / samples / 1000).toFixed(2)} µs/sample${bytesStr ? '' : ''}`;
}

async function simPart(o: Opts): Promise<void> {
  console.log(`1. simulated NICs (in process, ${o.scrapes} scrapes each, medians; "read" = device reads only, null sink;`);
  console.log('   "bare" = a minimal string formatter; "prom-client" = the exporter\'s registry, text included)');
  for (const [n, m] of [[1, 64], [1, 2048], [16, 256], [64, 256], [16, 2048], [128, 512]] as const) console.log(await simRow(n, m, o.scrapes));
}

// ---- 2. real devices -----------------------------------------------------------------------------

function procCpuTicks(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]); // utime + stime (fields 14, 15)
}
const TICK_MS = 1000 / 100;

async function waitHttp(url: string, p: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (p.exitCode !== null) throw new Error(`${name} exited ${p.exitCode}`);
    try { const r = await fetch(url); await r.text(); if (r.ok) return; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`${name} did not answer ${url}`);
}

async function scrapeLoop(url: string, pid: number, n: number): Promise<{ wall: number; cpuMs: number; samples: number }> {
  for (let i = 0; i < 3; i++) await (await fetch(url)).text();
  const walls: number[] = [];
  let samples = 0;
  const t0 = procCpuTicks(pid);
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    const text = await (await fetch(url)).text();
    walls.push(Number(process.hrtime.bigint() - s));
    samples = text.split('\n').filter(l => l && !l.startsWith('#')).length;
  }
  return { wall: median(walls), cpuMs: ((procCpuTicks(pid) - t0) * TICK_MS) / n, samples };
}

/** Runs inside the namespace: both exporters on its loopback, scraped in alternating rounds. */
async function inside(o: Opts): Promise<void> {
  const devices = fs.readdirSync('/sys/class/net').filter(d => d !== 'lo');
  const ek = spawn(process.execPath, [ETHKIT, '--exporter', '--listen', '127.0.0.1:9417', '--no-profile-drift'], { stdio: 'ignore' });
  const ne = spawn('prometheus-node-exporter', ['--collector.disable-defaults', '--collector.ethtool', '--web.listen-address=127.0.0.1:9100'], { stdio: 'ignore' });
  try {
    await waitHttp('http://127.0.0.1:9417/metrics', ek, 'ethkit --exporter');
    await waitHttp('http://127.0.0.1:9100/metrics', ne, 'prometheus-node-exporter');
    const rounds = 4, per = Math.max(1, Math.round(o.scrapes / rounds));
    const e: { wall: number; cpuMs: number; samples: number }[] = [], n: typeof e = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) { e.push(await scrapeLoop('http://127.0.0.1:9417/metrics', ek.pid!, per)); n.push(await scrapeLoop('http://127.0.0.1:9100/metrics', ne.pid!, per)); }
      else { n.push(await scrapeLoop('http://127.0.0.1:9100/metrics', ne.pid!, per)); e.push(await scrapeLoop('http://127.0.0.1:9417/metrics', ek.pid!, per)); }
    }
    const w = (xs: typeof e) => median(xs.map(x => x.wall));
    const c = (xs: typeof e) => median(xs.map(x => x.cpuMs));
    console.log(`  ${String(devices.length).padStart(3)} veths (${o.queues} queues each)` +
      `  ethkit ${ms(w(e))} ms, cpu ${c(e).toFixed(2).padStart(6)} ms, ${e[0].samples} samples` +
      `  | node_exporter ${ms(w(n))} ms, cpu ${c(n).toFixed(2).padStart(6)} ms, ${n[0].samples} samples` +
      `  | ratio wall ${(w(e) / w(n)).toFixed(2)}x, cpu ${(c(e) / c(n)).toFixed(2)}x, per sample wall ${((w(e) / e[0].samples) / (w(n) / n[0].samples)).toFixed(2)}x`);
  } finally {
    ek.kill('SIGTERM');
    ne.kill('SIGTERM');
  }
}

function realPart(o: Opts): void {
  for (const tool of ['ip', 'prometheus-node-exporter']) {
    if (spawnSync(tool, ['--version'], { encoding: 'utf8' }).error) usage(`${tool} is not installed (scripts/bootstrap installs it)`);
  }
  console.log(`2. real veth devices in a namespace, over HTTP, ${o.scrapes} scrapes each in alternating rounds (medians; cpu = the server's utime+stime per scrape)`);
  for (const pairs of o.pairs) {
    const ns = `ekbx${process.pid % 1000}p${pairs}`;
    spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    const ip = (...a: string[]): void => {
      const r = spawnSync('ip', ['-n', ns, ...a], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ip -n ${ns} ${a.join(' ')}: ${r.stderr.trim()}`);
    };
    if (spawnSync('ip', ['netns', 'add', ns]).status !== 0) usage(`cannot create namespace ${ns} (run as root)`);
    try {
      ip('link', 'set', 'lo', 'up');
      const q = String(o.queues);
      for (let i = 0; i < pairs; i++) {
        ip('link', 'add', `va${i}`, 'numtxqueues', q, 'numrxqueues', q, 'type', 'veth', 'peer', 'name', `vb${i}`, 'numtxqueues', q, 'numrxqueues', q);
        ip('link', 'set', `va${i}`, 'up');
        ip('link', 'set', `vb${i}`, 'up');
      }
      const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, __filename, '--inside', ns, '--queues', q, '--scrapes', String(o.scrapes)], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0) throw new Error(`the run inside ${ns} exited ${r.status}`);
    } finally {
      spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    }
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.inside) { await inside(o); return; }
  console.log('ethkit --exporter scrape cost');
  if (o.sim) await simPart(o);
  if (o.real) realPart(o);
}

main().catch(e => { process.stderr.write(`bench/exporter: ${(e as Error).message}\n`); process.exit(1); });
