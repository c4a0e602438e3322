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

test('standard statistics: std:GROUP:Name counters beside the driver names, with rates; asked no more once none come', async () => {
  const { TopModel } = await import('../src/tui/model');
  const { SimTransport, simDevice } = await import('./doubles/sim');
  const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ektui-std-'));
  try {
    for (const [k, n] of ['sim0', 'sim1'].entries()) {
      fs.mkdirSync(path.join(root, n, 'statistics'), { recursive: true });
      fs.writeFileSync(path.join(root, n, 'ifindex'), `${k + 5}\n`);
      fs.writeFileSync(path.join(root, n, 'operstate'), 'up\n');
      fs.writeFileSync(path.join(root, n, 'flags'), '0x1003\n');
      fs.writeFileSync(path.join(root, n, 'statistics', 'rx_packets'), '0\n');
    }
    let frames = 100n, asked1 = 0;
    const opener = (dev: string) => ({
      standardStats: () => {
        if (dev === 'sim1') { asked1++; return {}; }
        return { 'eth-mac': { FramesReceivedOK: frames, FrameCheckSequenceErrors: 0n }, rmon: { etherStatsUndersizePkts: 0n } };
      },
      close() { /* nothing */ },
    });
    let now = 1_000_000_000n;
    const model = new TopModel({ names: ['sim0', 'sim1'], transport: new SimTransport([simDevice('sim0'), simDevice('sim1')]), sysfsRoot: root, clock: () => now, standardStats: opener, proc: { read: () => null } });
    model.sample();
    frames += 500n; now += 2_000_000_000n;
    model.sample();
    const d = model.devices[0];
    const names = Array.from({ length: d.counterCount }, (_, r) => d.counterName(r));
    assert.ok(names.includes('rx_queue_0_packets'), 'the driver names stay');
    assert.deepEqual(names.filter(n => n.startsWith('std:')), ['std:eth-mac:FramesReceivedOK', 'std:eth-mac:FrameCheckSequenceErrors', 'std:rmon:etherStatsUndersizePkts']);
    const r = names.indexOf('std:eth-mac:FramesReceivedOK');
    const [set, i] = d.counterSet(r);
    assert.equal(set.rate[i], 250);
    assert.equal(d.level(names.indexOf('std:eth-mac:FrameCheckSequenceErrors'), 0, 1000), 0, 'an error counter that does not move is not highlighted');
    assert.equal(asked1, 1, 'a device without standard statistics is asked once');
    assert.ok(!Array.from({ length: model.devices[1].counterCount }, (_, k) => model.devices[1].counterName(k)).some(n => n.startsWith('std:')));
    model.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('troubleClass: drop/error counters of different drivers fall into the same classes', async () => {
  const { troubleClass } = await import('../src/tui/trouble');
  const cases: [string, string | null][] = [
    ['rx_missed_errors', 'rx_missed'], ['rx_no_buffer_count', 'rx_missed'], ['rx_fifo_errors', 'rx_missed'], ['[3]: rx_nobuf', 'rx_missed'],
    ['rx_queue_0_drops', 'rx_drop'], ['rx_dropped', 'rx_drop'], ['tx_dropped', 'tx_drop'], ['rx0_drops', 'rx_drop'], ['rx_discards', 'rx_drop'],
    ['rx_crc_errors', 'rx_crc'], ['std:eth-mac:FrameCheckSequenceErrors', 'rx_crc'], ['rx_length_errors', 'rx_length'],
    ['std:rmon:etherStatsUndersizePkts', 'rx_length'], ['std:rmon:etherStatsJabbers', 'rx_length'],
    ['tx_carrier_errors', 'tx_carrier'], ['tx_heartbeat_errors', 'tx_carrier'], ['collisions', 'tx_collision'],
    ['std:eth-mac:SingleCollisionFrames', 'tx_collision'], ['tx_timeout_count', 'tx_timeout'], ['rx_errors', 'rx_error'], ['tx_errors', 'tx_error'],
    ['rx_packets', null],
  ];
  for (const [name, want] of cases) assert.equal(troubleClass(name), want, name);
});

test('CpuSampler: each queue IRQ against the CPU list the applied profile set', () => {
  let files: Record<string, string> = {
    '/proc/net/softnet_stat': softnet([[0, 0, 0, 0], [0, 0, 0, 0]]), '/proc/softirqs': softirqs([0, 0], [0, 0]),
    '/proc/interrupts': interrupts([0, 0], [0, 0]), '/proc/irq/30/smp_affinity_list': '0-1\n', '/proc/irq/31/smp_affinity_list': '1\n',
  };
  const s = new CpuSampler(p => files[p] ?? null, '/proc', '/nonexistent', () => [], () => new Map([[30, '0'], [31, '0']]));
  s.sample(['eth1'], 1_000_000_000n);
  files = { ...files, '/proc/interrupts': interrupts([40, 0], [0, 9]) };
  s.sample(['eth1'], 2_000_000_000n);
  assert.deepEqual(s.irqs.get('eth1')!.map(q => [q.irq, q.cpu, q.intent, q.matches]), [[30, 0, '0', true], [31, 1, '0', false]]);
});
