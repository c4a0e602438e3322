/**
 * Entry point inside the rig VM (test/rig.test.ts runs it through rig/run):
 *
 *     rig/run --nics all -- node dist/test/rig/guest-main.js
 *
 * Runs the guest test files one after another (node --test, one process each: the NICs are
 * shared state; the CLI file once per ethtool path, RIG_COLUMN=ioctl and =netlink), then builds the driver matrix from the checks they recorded and writes
 * $RIG_OUT/matrix.json and $RIG_OUT/matrix.md (RIG_MATRIX=name changes the base name), plus
 * every mismatch in full in $RIG_OUT/matrix-failures.txt. Exit status: the test run's, or 1
 * when the matrix has a mismatch or a missing cell.
 *
 * Environment: RIG_RUN_ID (copied into matrix.json so the host can tell a fresh matrix from a
 * stale one), RIG_DRIVERS=e1000,... (only these drivers), RIG_FILES=api,cli,cli-nl,rss (only these).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { requireRig, ethtool, Check } from './common';
import { buildMatrix, missingCells, renderMarkdown } from './matrix';

function main(): number {
  const t0 = Date.now();
  const nics = requireRig();
  const out = process.env.RIG_OUT;
  if (!out || !existsSync(out)) throw new Error(`RIG_OUT (${out}) is not a directory`);
  const parts = path.join(process.env.TMPDIR || '/tmp', `ethkit-rig-parts-${process.pid}`);
  rmSync(parts, { recursive: true, force: true });
  mkdirSync(parts, { recursive: true });

  // "cli" runs twice: against ethtool's ioctl path, then its netlink path ("cli-nl").
  const names = (process.env.RIG_FILES || 'api,cli,cli-nl,rss').split(',').filter(Boolean);
  process.stderr.write(`[rig] drivers: ${nics.map(n => `${n.driver}=${n.ifname}`).join(' ')}\n`);
  let testRc = 0;
  for (const name of names) {
    const column = name === 'cli-nl' ? 'netlink' : 'ioctl';
    const f = path.join(__dirname, `guest-${name === 'cli-nl' ? 'cli' : name}.js`);
    if (!existsSync(f)) throw new Error(`${f} is missing (build first)`);
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', f], {
      stdio: 'inherit', env: { ...process.env, RIG_PARTS_DIR: parts, RIG_COLUMN: column },
    });
    if (r.status !== 0) testRc = r.status ?? 1;
  }

  const checks: Check[] = [];
  const tools: Record<string, { n: number; ms: number }> = {};
  for (const f of readdirSync(parts).sort()) {
    const text = readFileSync(path.join(parts, f), 'utf8');
    if (f.endsWith('.jsonl')) {
      for (const line of text.split('\n')) if (line) checks.push(JSON.parse(line) as Check);
    } else if (f.endsWith('.times.json')) {
      for (const [tool, v] of Object.entries(JSON.parse(text) as Record<string, { n: number; ms: number }>)) {
        const t = (tools[tool] ??= { n: 0, ms: 0 });
        t.n += v.n;
        t.ms += v.ms;
      }
    }
  }
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  const m = buildMatrix(checks, nics.map(n => n.driver), Object.fromEntries(nics.map(n => [n.driver, n.ifname])), {
    runId: process.env.RIG_RUN_ID ?? null, kernel, ethtool: ethtool(['--version']).stdout.toString(),
  });
  m.seconds = Math.round((Date.now() - t0) / 1000);
  m.checks = checks;
  m.tools = tools;
  const missing = process.env.RIG_FILES ? [] : missingCells(m);
  const base = process.env.RIG_MATRIX || 'matrix';
  writeFileSync(path.join(out, `${base}.json`), JSON.stringify(m, null, 1) + '\n');
  const md = renderMarkdown(m) + (missing.length ? `\nNo result (a test stopped early?): ${missing.join(', ')}\n` : '');
  writeFileSync(path.join(out, `${base}.md`), md);
  writeFileSync(path.join(out, `${base}-failures.txt`), m.failures.map(f =>
    `== ${f.driver} ${f.source} ${f.op}: ${f.what}\n${f.detail ?? f.first}\n`).join('\n'));
  process.stdout.write(`\n${md}\n[rig] matrix written to ${out}/${base}.{json,md} (${m.seconds} s in the guest)\n`);
  if (testRc !== 0) return testRc;
  return m.failures.length || missing.length ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`guest-main: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
