/**
 * The hotplug path of ethkit --persist on real drivers: one rig boot (e1000, virtio-net and
 * netdevsim) running test/rig/persist.sh — the host's real systemd-udevd runs the installed
 * rules, test/rig/udev-wants.ts starts the units their SYSTEMD_WANTS name, and after each
 * device's removal and return (netdevsim del_device/new_device, e1000 PCI unbind/bind,
 * virtio_net unbind/bind) the settings read back with ethtool must be the profile's again.
 * Then the coldplug (boot) path, --persist-status and --unpersist --all.
 *
 * Fails — never skips — when the rig cannot be set up or booted, or udev is missing.
 * Needs root and the build (tsc).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Device removals per driver: 3 drivers × CYCLES hotplugs, each followed by one unit run. */
const CYCLES = 2;
/** The guest takes 3-7 min on a loaded 2-core host (each unit run is a node process under TCG, 8-27 s). */
const VM_TIMEOUT_S = 1500;

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (prefix: string) => (d: Buffer) => {
      out += d.toString();
      process.stderr.write(d.toString().split('\n').filter(Boolean).map(l => `${prefix} ${l}\n`).join(''));
    };
    child.stdout.on('data', take('[persist]'));
    child.stderr.on('data', take('[persist!]'));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', e => { clearTimeout(timer); resolve({ code: null, out: out + `cannot run ${cmd}: ${e.message}` }); });
    child.on('close', code => { clearTimeout(timer); resolve({ code, out }); });
  });
}

test('persisted profile comes back after netdevsim re-creation and e1000/virtio_net driver rebinds, under udevd', { timeout: (VM_TIMEOUT_S + 15 * 60) * 1000 }, async () => {
  for (const tool of ['/lib/systemd/systemd-udevd', '/bin/udevadm']) {
    assert.ok(existsSync(tool), `${tool} is missing: install the Debian package udev (scripts/bootstrap does)`);
  }
  assert.ok(existsSync(path.join(ROOT, 'dist/test/rig/udev-wants.js')), 'build first (tsc -p .)');
  const setup = spawnSync(path.join(ROOT, 'rig/setup'), [], { cwd: ROOT, encoding: 'utf8', timeout: 15 * 60_000 });
  assert.equal(setup.status, 0, `rig/setup failed: ${setup.stderr}`);
  const r = await run(path.join(ROOT, 'rig/run'), ['--nics', 'e1000,virtio-net', '--no-link-wait', '--timeout', String(VM_TIMEOUT_S),
    '--', 'bash', 'test/rig/persist.sh', String(CYCLES)], (VM_TIMEOUT_S + 60) * 1000);
  const line = r.out.split('\n').find(l => l.startsWith('PERSIST-RESULT '));
  assert.ok(line, `no PERSIST-RESULT line (rig/run exit ${r.code}):\n${r.out.split('\n').slice(-30).join('\n')}`);
  const res = JSON.parse(line.slice('PERSIST-RESULT '.length)) as {
    cycles: number; pass: Record<string, number>; fail: Record<string, number>; coldplug: number; failed_units: number; ok: boolean;
  };
  const failures = r.out.split('\n').filter(l => /FAIL/.test(l));
  assert.deepEqual(res.pass, { netdevsim: CYCLES, e1000: CYCLES, virtio_net: CYCLES }, failures.join('\n'));
  assert.deepEqual(res.fail, { netdevsim: 0, e1000: 0, virtio_net: 0 });
  assert.equal(res.coldplug, 3, 'every unit ran on the coldplug');
  assert.equal(res.failed_units, 0, 'no unit run failed');
  // The devices came back under udev's names, and the settings followed them.
  const cycles = r.out.split('\n').filter(l => / CYCLE driver=/.test(l));
  assert.equal(cycles.filter(l => l.endsWith(' PASS')).length, 3 * CYCLES);
  assert.ok(cycles.some(l => / driver=e1000 .* name=(?!eth)\S+ /.test(l)), 'e1000 came back renamed by udev');
  assert.equal(res.ok, true, failures.join('\n'));
  assert.equal(r.code, 0, `rig/run exit ${r.code}`);
});
