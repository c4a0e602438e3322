/**
 * Real drivers in a VM: boots the rig (rig/README.md) and runs the guest tests
 * (test/rig/guest-api.ts: the Nic API; test/rig/guest-cli.ts: ethkit vs ethtool's ioctl path;
 * test/rig/guest-rss.ts: -x/-X/-n/-N and the RSS API)
 * on e1000, e1000e, 8139cp, vmxnet3, pcnet32, e100, virtio_net and netdevsim.
 *
 * Two VMs run side by side (one per core; each boots in ~5 s), each with some of the drivers;
 * their matrices are merged into rig/out/matrix.{json,md} (the table in docs/drivers.md).
 * The test fails — never skips — when the rig cannot be set up or booted, when a guest test
 * fails, when the matrix is missing, stale, incomplete, or has a mismatch.
 *
 * Needs root, network access to the Debian mirror on the first run (rig/setup downloads
 * ~100 MB), the build (tsc) and native/build/nonetlink.so (make -C native).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DRIVER_ORDER_HOST, Matrix, mergeMatrices, missingCells, renderMarkdown } from './rig/matrix';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'rig/out');

/**
 * The two VMs: drivers split so both take about as long. Measured per driver (API + CLI, s, on
 * a loaded 2-core host): e1000 360, e1000e 359, netdevsim 205, e100 187, 8139cp 166,
 * virtio_net 150, pcnet32 149, vmxnet3 130: e1000 and e1000e apart, netdevsim (only in the VM
 * without --no-nsim) with vmxnet3 and 8139cp — about 850 s each.
 */
const GROUPS = [
  // virtio_net with the device's RSS (4 queue pairs on a tap of the run's own): -x/-X/-n/-N for real.
  { name: 'matrix-a', args: ['--nics', 'e1000,i82559er,pcnet,virtio-net', '--no-nsim', '--virtio-rss', '4'] },
  { name: 'matrix-b', args: ['--nics', 'e1000e,vmxnet3,rtl8139'] },
];
/**
 * A VM's budget. The guest usually takes ~310 s; on a loaded host (other VMs and builds on
 * the same 2 cores) it has taken up to 950 s, and both VMs run at once, so 1800 s leaves
 * about twice that. The test's own timeout is set above the sum of the inner ones (setup,
 * VM, collection), so that a slow run ends with the VM's own diagnostics, never cut off.
 */
const VM_TIMEOUT_S = 1800;
const SETUP_TIMEOUT_MS = 15 * 60_000;
const TEST_TIMEOUT_MS = SETUP_TIMEOUT_MS + (VM_TIMEOUT_S + 60) * 1000 + 3 * 60_000;

function stamp(): string {
  return new Date().toISOString().slice(11, 19);
}

/** Run a command, its output streamed line by line to our stderr with a prefix. */
function streamed(prefix: string, cmd: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; tail: string[] }> {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const pipe = (s: NodeJS.ReadableStream): void => {
      let buf = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          process.stderr.write(`${prefix} ${line}\n`);
          tail.push(line);
          if (tail.length > 40) tail.shift();
        }
      });
      s.on('end', () => { if (buf) { process.stderr.write(`${prefix} ${buf}\n`); tail.push(buf); } });
    };
    pipe(child.stdout as NodeJS.ReadableStream);
    pipe(child.stderr as NodeJS.ReadableStream);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', e => { clearTimeout(timer); tail.push(`cannot run ${cmd}: ${e.message}`); resolve({ code: null, tail }); });
    child.on('close', code => { clearTimeout(timer); resolve({ code, tail }); });
  });
}

function why(code: number | null): string {
  if (code === 124) return 'timeout: the VM was killed';
  if (code === 125) return 'the rig itself failed (not set up, boot failure or guest panic; see the console tail above)';
  if (code === null) return 'could not be run';
  return `exit ${code}`;
}

test('real drivers in the rig VM: Nic API and ethkit vs ethtool, driver matrix', { timeout: TEST_TIMEOUT_MS }, async () => {
  const t0 = Date.now();
  process.stderr.write(`[rig ${stamp()}] rig/setup\n`);
  const setup = await streamed('[setup]', path.join(ROOT, 'rig/setup'), [], SETUP_TIMEOUT_MS);
  assert.equal(setup.code, 0, `rig/setup failed (${why(setup.code)}):\n${setup.tail.join('\n')}`);
  const tSetup = Date.now();

  const shim = path.join(ROOT, 'native/build/nonetlink.so');
  assert.ok(existsSync(shim), `${shim} is missing: run make -C native (npm test builds it)`);
  const guest = path.join(DIST, 'test/rig/guest-main.js');
  assert.ok(existsSync(guest), `${guest} is missing: build first (tsc -p .)`);
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const rel = path.relative(ROOT, guest);

  const runs = await Promise.all(GROUPS.map(g => {
    const args = [...g.args, '--timeout', String(VM_TIMEOUT_S), '--env', `RIG_RUN_ID=${runId}`, '--env', `RIG_MATRIX=${g.name}`,
      '--', 'node', rel];
    process.stderr.write(`[rig ${stamp()}] rig/run ${args.join(' ')}\n`);
    const t = Date.now();
    return streamed(`[${g.name.slice(-1)}]`, path.join(ROOT, 'rig/run'), args, (VM_TIMEOUT_S + 60) * 1000)
      .then(r => ({ ...r, seconds: Math.round((Date.now() - t) / 1000) }));
  }));
  const tRun = Date.now();

  // Merge what the VMs wrote (even after a failure: the matrix says what failed).
  const parts: Matrix[] = [];
  const problems: string[] = [];
  const guestSeconds: (number | undefined)[] = [];
  GROUPS.forEach((g, i) => {
    if (runs[i].code !== 0) problems.push(`${g.name}: rig/run ${g.args.join(' ')}: ${why(runs[i].code)}\n  ${runs[i].tail.slice(-15).join('\n  ')}`);
    const f = path.join(OUT, `${g.name}.json`);
    if (!existsSync(f)) { problems.push(`${g.name}: ${f} was not written`); return; }
    const m = JSON.parse(readFileSync(f, 'utf8')) as Matrix;
    if (m.runId !== runId) { problems.push(`${g.name}: ${f} is from another run (${m.runId}, this run ${runId})`); return; }
    guestSeconds[i] = m.seconds;
    parts.push(m);
  });
  // How long each VM took against its budget (the groups should take about as long).
  process.stderr.write(`[rig ${stamp()}] ${GROUPS.map((g, i) => `${g.name} ${runs[i].seconds} s (guest ${guestSeconds[i] ?? '?'} s)`)
    .join(', ')}; budget ${VM_TIMEOUT_S} s per VM\n`);
  if (parts.length) {
    const m = mergeMatrices(parts, DRIVER_ORDER_HOST);
    const missing = missingCells(m);
    writeFileSync(path.join(OUT, 'matrix.json'), JSON.stringify(m, null, 1) + '\n');
    const md = renderMarkdown(m) + (missing.length ? `\nNo result: ${missing.join(', ')}\n` : '');
    writeFileSync(path.join(OUT, 'matrix.md'), md);
    writeFileSync(path.join(OUT, 'matrix-failures.txt'), m.failures.map(f =>
      `== ${f.driver} ${f.source} ${f.op}: ${f.what}\n${f.detail ?? f.first}\n`).join('\n'));
    process.stderr.write(`\n${md}\n`);
    for (const f of m.failures) problems.push(`mismatch: ${f.driver} ${f.source} ${f.op}: ${f.what}: ${f.first}`);
    if (missing.length) problems.push(`no result for: ${missing.join(', ')}`);
    const expected = DRIVER_ORDER_HOST;
    const absent = expected.filter(d => !m.drivers.includes(d));
    if (absent.length) problems.push(`drivers missing from the matrix: ${absent.join(', ')}`);
  }
  const secs = (a: number, b: number): string => `${((b - a) / 1000).toFixed(0)} s`;
  process.stderr.write(`[rig ${stamp()}] setup ${secs(t0, tSetup)}, VMs ${secs(tSetup, tRun)}, total ${secs(t0, Date.now())}; ` +
    `matrix: ${path.join(OUT, 'matrix.md')}\n`);
  assert.ok(problems.length === 0, `${problems.length} problem(s) (details: rig/out/matrix-failures.txt):\n${problems.join('\n')}`);
});
