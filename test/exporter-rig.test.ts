/**
 * The exporter on real drivers: one rig VM (rig/README.md) with vmxnet3 (2 queues: --smp 2) and
 * e1000e runs test/rig/exporter.sh — vmxnet3's per-queue blocks folded under a queue label, every
 * series Debian's node_exporter --collector.ethtool serves also served by ethkit
 * --no-fold-queues, no failed source, and the profile drift gauge after --apply latency and after
 * a queue IRQ moved by hand. Fails (never skips) when the rig cannot be set up or booted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VM_TIMEOUT_S = 900;

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d: Buffer): void => { out += d.toString(); if (out.length > 1 << 20) out = out.slice(-(1 << 19)); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', e => { clearTimeout(timer); resolve({ code: null, out: `${out}\ncannot run ${cmd}: ${e.message}` }); });
    child.on('close', code => { clearTimeout(timer); resolve({ code, out }); });
  });
}

const tail = (s: string, n = 25): string => s.trim().split('\n').slice(-n).join('\n');

test('ethkit --exporter on vmxnet3 and e1000e in the rig VM', { timeout: (15 * 60 + VM_TIMEOUT_S + 120) * 1000 }, async () => {
  const setup = await run(path.join(ROOT, 'rig/setup'), [], 15 * 60_000);
  assert.equal(setup.code, 0, `rig/setup failed:\n${tail(setup.out)}`);
  const r = await run(path.join(ROOT, 'rig/run'), ['--smp', '2', '--nics', 'vmxnet3,e1000e', '--no-nsim', '--timeout', String(VM_TIMEOUT_S),
    '--', 'bash', 'test/rig/exporter.sh'], (VM_TIMEOUT_S + 60) * 1000);
  assert.equal(r.code, 0, `rig/run exited ${r.code}:\n${tail(r.out)}`);
  assert.match(r.out, /^vmxnet3: \d+ per-queue series over 2 queues/m);
  assert.match(r.out, /^node_exporter: \d+ series for \S+ \S+; missing from ethkit: 0$/m);
  assert.match(r.out, /^drift: 0 after --apply latency, [1-9]\d* after moving IRQ/m);
  assert.match(r.out, /^PASS: exporter on vmxnet3 and e1000e$/m);
});
