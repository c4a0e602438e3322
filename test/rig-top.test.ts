/**
 * `--top` on real drivers in the rig VM (2 vCPUs, vmxnet3 and virtio_net, one boot): the CPU
 * panel lists both CPUs and each queue IRQ with the CPU that served it (test/rig/top-cpus.sh);
 * after `--apply latency` the queue IRQs match the profile, and one moved by hand does not
 * (test/rig/top-profile.sh); link events on a real driver come from RTNLGRP_LINK
 * (test/rig/top-link.sh); backlog drops (a UDP flood steered by RPS to a CPU whose backlog
 * holds 2 packets) show on that CPU's row (test/rig/top-backlog.sh). Fails — never skips — when the rig cannot be set up or booted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootRig, rigWhy, SETUP_TIMEOUT_MS } from './helpers/rigboot';

const SCRIPTS = ['top-cpus', 'top-profile', 'top-link', 'top-backlog'];
const VM_TIMEOUT_S = 900;

test('--top in the rig: CPU panel, profile match, link events, backlog drops on vmxnet3', { timeout: SETUP_TIMEOUT_MS + (VM_TIMEOUT_S + 120) * 1000 }, async () => {
  // Each script in its own subshell, its result line marked, so one failure does not hide the others.
  const script = SCRIPTS.map(s => `( bash test/rig/${s}.sh ) && echo "RIGTOP ${s} ok" || echo "RIGTOP ${s} FAILED"`).join('; ');
  const r = await bootRig('top', ['--smp', '2', '--nics', 'vmxnet3', '--no-nsim', '--modules', 'veth'], ['bash', '-c', script], VM_TIMEOUT_S);
  assert.equal(r.setup, 0, `rig/setup failed:\n${r.out.slice(-2000)}`);
  assert.equal(r.code, 0, `rig/run: ${rigWhy(r.code)}\n${r.out.split('\n').slice(-30).join('\n')}`);
  for (const s of SCRIPTS) {
    const m = new RegExp(`^RIGTOP ${s} (ok|FAILED)$`, 'm').exec(r.out);
    assert.ok(m, `no result line for ${s}:\n${r.out.split('\n').slice(-30).join('\n')}`);
    assert.equal(m[1], 'ok', `test/rig/${s}.sh failed:\n${r.out}`);
  }
  assert.match(r.out, /PASS: 2 CPUs, \d+ queue IRQs/);
  assert.match(r.out, /PASS: profile match and mismatch/);
  assert.match(r.out, /PASS: \d+ link events from notifications/);
  assert.match(r.out, /PASS: backlog drops shown/);
});
