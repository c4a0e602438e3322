/**
 * The queue IRQs a profile places, against Debian's real irqbalance, in one rig VM (rig/README.md)
 * with 2 vCPUs, on vmxnet3 and virtio_net (multi-vector drivers): test/rig/irqbalance.sh. irqbalance
 * runs with CPU 0 banned for it, so what it places goes to CPU 1, and the profile puts the queue
 * IRQs on CPU 0; rescans (SIGHUP) make irqbalance place every IRQ again. Checked per driver:
 * irqbalance manages the queue IRQs before the apply (all on CPU 1); without ban/stop (the
 * control) a rescan moves all of them back; with `irqbalance: ban` and `stop` all hold over five
 * rescans with traffic, and ban lists exactly those IRQs in irqbalance's own `setup` answer; the
 * rollback leaves irqbalance running with no ban, and it takes every IRQ back. The director
 * profile itself (irqbalance: ban, its default) the same way on virtio_net.
 *
 * Fails — never skips — when the rig cannot be set up or booted, when irqbalance is missing, or
 * when a check fails. Needs root, the build (tsc) and rig/setup's cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootRig, field, rigWhy, SETUP_TIMEOUT_MS } from './helpers/rigboot';

/** ~4 min alone on a 2-core host; 4 times that as the budget. */
const VM_TIMEOUT_S = 1000;

test('queue IRQ placement holds against a running irqbalance with ban and stop, and moves without', { timeout: SETUP_TIMEOUT_MS + (VM_TIMEOUT_S + 120) * 1000 }, async () => {
  const r = await bootRig('irqbalance', ['--smp', '2', '--no-nsim', '--nics', 'vmxnet3,virtio-net'], ['bash', 'test/rig/irqbalance.sh'], VM_TIMEOUT_S);
  assert.equal(r.setup, 0, `rig/setup failed:\n${r.out.slice(-2000)}`);
  const lines = r.out.split('\n');
  const results = lines.filter(l => l.startsWith('IRQB '));
  const rollbacks = lines.filter(l => l.startsWith('IRQB-ROLLBACK '));
  const problems: string[] = lines.filter(l => l.startsWith('FAIL: '));
  if (r.code !== 0) problems.push(`rig/run: ${rigWhy(r.code)}`);
  const irqs = (l: string | undefined) => Number(field(l ?? '', 'irqs') ?? 0);
  for (const drv of ['vmxnet3', 'virtio_net']) {
    for (const mode of drv === 'virtio_net' ? ['control', 'ban', 'stop', 'director'] : ['control', 'ban', 'stop']) {
      const l = results.find(x => x.split(' ')[2] === drv && x.split(' ')[3] === mode);
      const rb = rollbacks.find(x => x.split(' ')[2] === drv && x.split(' ')[3] === mode);
      if (!l || !rb) { problems.push(`${drv} ${mode}: no result`); continue; }
      const n = irqs(l);
      if (n < 2) problems.push(`${l}: fewer than 2 queue IRQs, nothing to balance`);
      if (field(l, 'managed') !== `${n}/${n}`) problems.push(`${l}: irqbalance did not manage every queue IRQ before the apply`);
      if (field(l, 'after_apply_on0') !== `${n}/${n}`) problems.push(`${l}: the apply did not place every queue IRQ on CPU 0`);
      const want = mode === 'control' ? `0/${n}` : `${n}/${n}`;
      if (field(l, 'held') !== want) problems.push(`${l}: held is not ${want}`);
      if ((mode === 'ban' || mode === 'director') && (field(l, 'banned') ?? '[]') === '[]') problems.push(`${l}: irqbalance lists no banned IRQ`);
      if (mode === 'stop' && field(l, 'irqbalance_running') !== 'no') problems.push(`${l}: irqbalance still ran`);
      if (field(rb, 'irqbalance') !== 'running' || field(rb, 'managed') !== `${n}/${n}`) problems.push(`${rb}: irqbalance not back in charge after the rollback`);
    }
  }
  if (!lines.includes('IRQBALANCE-RIG PASS')) problems.push('the guest script did not pass');
  process.stderr.write(`\n[irqbalance] summary:\n${[...results, ...rollbacks].map(l => `  ${l}`).join('\n')}\n`);
  assert.deepEqual(problems, []);
});
