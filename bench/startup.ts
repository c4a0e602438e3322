/**
 * Start-up cost of the CLI: wall time of `ethkit -i DEV` against a bare `node -e 0`, run
 * side by side (interleaved, after warm-up), median of N runs each. Target: ratio <= 1.3.
 *
 *   node dist/bench/startup.js [DEV=eth0] [RUNS=30]
 *
 * -i is read-only (ETHTOOL_GDRVINFO). The ethkit measured is the one of this build directory
 * (bin/ethkit for dist/, else <build>/src/app/main.js).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const dev = process.argv[2] ?? 'eth0';
const runs = Number(process.argv[3] ?? 30);
// What users run: bin/ethkit (which loads dist/); from another build directory, its main.js.
const build = path.resolve(__dirname, '..');
const main = path.basename(build) === 'dist' ? path.resolve(build, '../bin/ethkit') : path.resolve(build, 'src/app/main.js');

const variants: { name: string; argv: string[] }[] = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: `ethkit -i ${dev}`, argv: [main, '-i', dev] },
];

function once(argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

for (let i = 0; i < 3; i++) for (const v of variants) once(v.argv); // warm the page cache
const times = variants.map(() => [] as number[]);
for (let i = 0; i < runs; i++) {
  // Alternate the order too, so neither side always runs right after the other.
  const order = i % 2 ? [1, 0] : [0, 1];
  for (const k of order) times[k].push(once(variants[k].argv));
}
const med = times.map(median);
for (let k = 0; k < variants.length; k++) {
  console.log(`${variants[k].name.padEnd(20)} median ${med[k].toFixed(1)} ms  (min ${Math.min(...times[k]).toFixed(1)}, max ${Math.max(...times[k]).toFixed(1)}, n=${runs})`);
}
const ratio = med[1] / med[0];
console.log(`ratio ethkit/node: ${ratio.toFixed(2)} (target <= 1.30: ${ratio <= 1.3 ? 'met' : 'NOT met'})`);
