/** The CPU panel's sampler (softnet_stat, softirqs, queue IRQs) and the chart's y scale, on fixed texts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSampler } from '../src/tui/cpus';
import { chartMaxY } from '../src/tui/view';
import { parseTopArgs, TopUsageError } from '../src/tui/args';

const hex = (n: number) => n.toString(16).padStart(8, '0');
function softnet(rows: number[][]): string {
  // processed dropped squeeze 0×6 rps flow_limit backlog cpu
  return rows.map((r, cpu) => [r[0], r[1], r[2], 0, 0, 0, 0, 0, 0, r[3], 0, 0, cpu].map(hex).join(' ')).join('\n') + '\n';
}
const softirqs = (rx: number[], tx: number[]) =>
  `                    CPU0       CPU1\n          HI:          0          0\n      NET_TX:  ${tx.join('  ')}\n      NET_RX:  ${rx.join('  ')}\n`;
const interrupts = (a: number[], b: number[]) =>
  `           CPU0       CPU1\n 30:  ${a.join(' ')}  PCI-MSI 81920-edge      eth1-rxtx-0\n 31:  ${b.join(' ')}  PCI-MSI 81921-edge      eth1-rxtx-1\n 32:  5 5  PCI-MSI 81922-edge      eth1-event-2\n`;

test('CpuSampler: per-CPU rates over the measured interval, queue IRQs and the CPU that served them', () => {
  let files: Record<string, string> = {};
  const s = new CpuSampler(p => files[p] ?? null, '/proc', '/nonexistent');
  files = { '/proc/net/softnet_stat': softnet([[100, 0, 0, 0], [200, 5, 1, 0]]), '/proc/softirqs': softirqs([10, 20], [1, 2]),
    '/proc/interrupts': interrupts([0, 0], [0, 0]), '/proc/irq/30/smp_affinity_list': '0\n', '/proc/irq/31/smp_affinity_list': '1\n' };
  s.sample(['eth1'], 1_000_000_000n);
  assert.deepEqual(s.rows.map(r => r.processed), [0, 0], 'no rates before two samples');
  assert.deepEqual(s.irqs.get('eth1')!.map(q => [q.irq, q.queue, q.cpu, q.affinity]), [[30, 0, 0, '0'], [31, 1, 1, '1']], 'idle IRQs: their affinity');
  files = { ...files, '/proc/net/softnet_stat': softnet([[300, 0, 0, 4], [200, 9, 3, 0]]), '/proc/softirqs': softirqs([110, 20], [1, 42]),
    '/proc/interrupts': interrupts([0, 50], [0, 0]) };
  s.sample(['eth1'], 3_000_000_000n); // 2 s later
  assert.deepEqual(s.rows.map(r => [r.cpu, r.processed, r.dropped, r.squeezed, r.rps, r.netRx, r.netTx]), [[0, 100, 0, 0, 2, 50, 0], [1, 0, 2, 1, 0, 0, 20]]);
  const q = s.irqs.get('eth1')!;
  assert.equal(q[0].rate, 25);
  assert.equal(q[0].cpu, 1, 'IRQ 30 landed on CPU 1 in the interval, whatever its affinity says');
  assert.deepEqual(s.rows.map(r => [r.irqs, r.serves]), [[0, []], [25, ['eth1:0', 'eth1:1']]]);
});

test('chartMaxY: the top y label (3/4 of maxY with 4 labels, 1/2 with 2) is at or above the peak and a round number', () => {
  for (const peak of [0.3, 1, 7.5, 9.99, 10, 12, 99, 100, 101, 333, 750, 999, 1234.5]) {
    for (const n of [4, 2]) {
      const maxY = chartMaxY(peak, n);
      const top = maxY * (n - 1) / n;
      assert.ok(top >= peak - 1e-9, `peak ${peak}, ${n} labels: top ${top}`);
      assert.ok(top <= peak * 2.6, `peak ${peak}: top ${top} not far above`);
      const step = maxY / n, mag = 10 ** Math.floor(Math.log10(step));
      assert.ok([1, 2, 2.5, 5].some(k => Math.abs(step / mag - k) < 1e-9), `step ${step} is 1/2/2.5/5×10^k`);
    }
  }
  assert.equal(chartMaxY(0), 1);
});

test('parseTopArgs: --record and --replay', () => {
  assert.equal(parseTopArgs(['--top', '--record', 'f.jsonl']).record, 'f.jsonl');
  assert.equal(parseTopArgs(['--top', '--replay=f.jsonl']).replay, 'f.jsonl');
  assert.throws(() => parseTopArgs(['--top', '--record']), (e: Error) => e instanceof TopUsageError && e.message === '--record needs a FILE');
  assert.throws(() => parseTopArgs(['--top', '--record', 'a', '--replay', 'b']), /do not go together/);
});
