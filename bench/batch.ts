/**
 * 100 show commands three ways, side by side in one run, on each of ethtool's paths (netlink,
 * and the ioctl under LD_PRELOAD=nonetlink.so):
 *
 *   ethkit --batch     one process, the 100 lines from a file
 *   ethtool × 100      one `ethtool ARGS` process per command (what a shell script does)
 *   ethkit × 100       one `ethkit ARGS` process per command
 *
 * The commands are read-only on DEV (default eth0): -g -k -i -l -c -T -P in turn. Rounds are
 * interleaved (the order rotates each round), outputs go to /dev/null, every command must
 * succeed; the medians and the ratios to the batch are printed.
 *
 *   node dist/bench/batch.js [DEV=eth0] [ROUNDS=5] [COMMANDS=100]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dev = process.argv[2] ?? 'eth0';
const rounds = Number(process.argv[3] ?? 5);
const count = Number(process.argv[4] ?? 100);
const build = path.resolve(__dirname, '..');
const ROOT = path.resolve(build, '..');
const ethkitMain = path.basename(build) === 'dist' ? path.join(ROOT, 'bin/ethkit') : path.join(build, 'src/app/main.js');
const NONETLINK = path.join(ROOT, 'native/build/nonetlink.so');
const SHOWS = ['-g', '-k', '-i', '-l', '-c', '-T', '-P'];

const commands = Array.from({ length: count }, (_, k) => [SHOWS[k % SHOWS.length], dev]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekbench-batch-'));
const file = path.join(dir, 'lines');
fs.writeFileSync(file, commands.map(c => c.join(' ')).join('\n') + '\n');

type PathName = 'netlink' | 'ioctl';

function envOf(p: PathName): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  if (p === 'ioctl') env.LD_PRELOAD = NONETLINK;
  return env;
}

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`);
}

const variants: { name: string; run: (env: NodeJS.ProcessEnv) => void }[] = [
  { name: `ethkit --batch (${count} lines)`, run: env => exec(process.execPath, [ethkitMain, '--batch', file], env) },
  { name: `ethtool × ${count}`, run: env => { for (const c of commands) exec('ethtool', c, env); } },
  { name: `ethkit × ${count}`, run: env => { for (const c of commands) exec(process.execPath, [ethkitMain, ...c], env); } },
];

function timed(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

try {
  if (!fs.existsSync(NONETLINK)) throw new Error(`${NONETLINK} is missing: make -C native`);
  console.log(`${count} show commands (${SHOWS.join(' ')} in turn) on ${dev}, ${rounds} interleaved rounds, median wall time`);
  for (const p of ['netlink', 'ioctl'] as PathName[]) {
    const env = envOf(p);
    for (const v of variants) v.run(env); // warm the page cache
    const times = variants.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let j = 0; j < variants.length; j++) {
        const k = (j + r) % variants.length;
        times[k].push(timed(() => variants[k].run(env)));
      }
    }
    const med = times.map(median);
    console.log(`\n${p} path${p === 'ioctl' ? ' (LD_PRELOAD=nonetlink.so)' : ''}:`);
    for (let k = 0; k < variants.length; k++) {
      console.log(`  ${variants[k].name.padEnd(28)} ${med[k].toFixed(0).padStart(6)} ms  (${(med[k] / count).toFixed(2)} ms/command; min ${Math.min(...times[k]).toFixed(0)}, max ${Math.max(...times[k]).toFixed(0)})`);
    }
    console.log(`  ratio ethtool × ${count} / batch: ${(med[1] / med[0]).toFixed(1)}×   ethkit × ${count} / batch: ${(med[2] / med[0]).toFixed(1)}×   ethkit × ${count} / ethtool × ${count}: ${(med[2] / med[1]).toFixed(1)}×`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
