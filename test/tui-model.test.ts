/**
 * The --top model without a terminal: rate arithmetic (measured elapsed time, resets, 64-bit
 * wrap, zeroing), queue discovery across driver naming schemes, imbalance, trouble highlighting,
 * device disappearance/return and stat-count changes (simulated NICs behind SimTransport plus a
 * fake /sys/class/net tree), sorting/filtering, pause, and the --count text/JSON output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { counterDelta, ratePerSecond, CounterSet } from '../src/tui/counters';
import { parseQueueStat, queueLayout, imbalance, isAlarmName, tokenize } from '../src/tui/queues';
import { TopModel, DeviceState } from '../src/tui/model';
import { parseU64, SysfsDevice, listNetDevices } from '../src/tui/sysfs';
import { parseTopArgs } from '../src/tui/args';
import { runHeadless, deviceJson } from '../src/tui/headless';
import { SimTransport, simDevice, SimDevice } from './doubles/sim';

const ROOT = path.resolve(__dirname, '../..');
const ENTRY = path.join(__dirname, '../src/tui/cli-entry.js');
const S = 1_000_000_000n; // ns per second

// ---- rate arithmetic ------------------------------------------------------------------------

test('counterDelta: increase, no change, reset, 64-bit wrap', () => {
  assert.equal(counterDelta(100n, 250n), 150n);
  assert.equal(counterDelta(7n, 7n), 0n);
  assert.equal(counterDelta(1_000_000n, 12n), null, 'backwards is a reset');
  assert.equal(counterDelta(2n ** 32n + 5n, 3n), null, 'a u32-sized drop is a reset, not a wrap');
  assert.equal(counterDelta(2n ** 64n - 10n, 5n), 15n, 'u64 wrap counts through');
});

test('ratePerSecond uses the measured elapsed time, not a nominal interval', () => {
  assert.equal(ratePerSecond(300n, 1_500_000_000n), 200);
  assert.equal(ratePerSecond(50n, 250_000_000n), 200);
  assert.equal(ratePerSecond(10n, 0n), 0);
});

test('CounterSet: rates over measured time; reset gives 0 then resumes; never negative or huge', () => {
  const c = new CounterSet(['rx_packets', 'rx_dropped']);
  c.update([1000n, 0n], 0n, 1);
  assert.deepEqual([...c.rate], [0, 0], 'first sample only primes');
  c.update([2500n, 3n], 1_500_000_000n, 2);
  assert.deepEqual([...c.rate], [1000, 2]);
  c.update([40n, 3n], S, 3); // driver reset / reload
  assert.equal(c.rate[0], 0);
  assert.equal(c.resets, 1);
  c.update([140n, 3n], 500_000_000n, 4);
  assert.equal(c.rate[0], 200, 'rebased: the next interval is an ordinary rate');
  for (const r of c.rate) assert.ok(r >= 0 && r < 1e6);
});

test('CounterSet: zero() baseline; shown values keep counting across a reset', () => {
  const c = new CounterSet(['x']);
  c.update([500n], 0n, 1);
  c.zero();
  assert.equal(c.shown(0), 0n);
  c.update([800n], S, 2);
  assert.equal(c.shown(0), 300n);
  c.update([50n], S, 3); // reset: 300 counted before, 50 after
  assert.equal(c.shown(0), 350n);
  c.update([60n], S, 4);
  assert.equal(c.shown(0), 360n);
  assert.equal(c.rate[0], 10);
});

test('CounterSet: a rebase (device re-created) never yields a rate from the old values', () => {
  const c = new CounterSet(['x']);
  c.update([10n], 0n, 1);
  c.update([20n], S, 2);
  c.rebase();
  c.update([5_000_000n], S, 3);
  assert.equal(c.rate[0], 0);
  c.update([5_000_100n], S, 4);
  assert.equal(c.rate[0], 100);
});

test('CounterSet.setNames carries state over by name; new counters start without a rate', () => {
  const c = new CounterSet(['a', 'b']);
  c.update([1n, 2n], 0n, 1);
  c.update([11n, 22n], S, 2);
  c.setNames(['b', 'new', 'a']);
  c.update([42n, 999n, 21n], S, 3);
  assert.deepEqual([...c.rate], [20, 0, 10]);
});

// ---- queue discovery ------------------------------------------------------------------------

test('tokenize splits separators and letter/digit boundaries', () => {
  assert.deepEqual(tokenize('rx0_packets'), ['rx', '0', 'packets']);
  assert.deepEqual(tokenize('tx-3.tx_packets'), ['tx', '3', 'tx', 'packets']);
  assert.deepEqual(tokenize('[12]: rx_bytes'), ['12', 'rx', 'bytes']);
});

test('parseQueueStat finds direction, queue and metric in any order', () => {
  const cases: [string, string | null][] = [
    ['rx0_packets', 'rx 0 packets'],                  // mlx5/mlx4, virtio (new)
    ['tx12_bytes', 'tx 12 bytes'],
    ['rx_queue_0_packets', 'rx 0 packets'],           // ixgbe, igb, virtio (old), veth
    ['tx_queue_3_packets', 'tx 3 packets'],
    ['queue_0_rx_packets', 'rx 0 packets'],           // ena-like
    ['queue_5_tx_cnt', 'tx 5 cnt'],
    ['rx-0.packets', 'rx 0 packets'],
    ['tx-7.tx_packets', 'tx 7 packets'],              // i40e / sfc
    ['rx-2.rx_bytes', 'rx 2 bytes'],
    ['[3]: rx_ucast_packets', 'rx 3 ucast_packets'],  // bnx2x / bnxt
    ['rxq4_pkts', 'rx 4 pkts'],
    ['txq0_pktnum_rcd', 'tx 0 pktnum_rcd'],           // hns3
    ['rvec_1_rx_pkts', 'rx 1 pkts'],                  // nfp
    ['rx_packets[2]', 'rx 2 packets'],
    ['rx_queue_0_xdp_tx', 'rx 0 xdp_tx'],             // a second direction word stays in the metric
    ['tx0_xdp_tx', 'tx 0 xdp_tx'],
    ['rx_queue_1_drops', 'rx 1 drops'],
    ['rx_prio0_bytes', null],                         // priority, not a queue
    ['tx_pfc_prio3_packets', null],
    ['rx_size_64', null],                             // size bucket
    ['rx_pcs_symbol_err_lane0', null],
    ['vf0_rx_packets', null],
    ['cpu1_rx_packets', null],
    ['rx_packets', null],
    ['ch0_events', null],                             // no direction
    ['peer_ifindex', null],
  ];
  for (const [name, want] of cases) {
    const q = parseQueueStat(name);
    assert.equal(q ? `${q.dir} ${q.queue} ${q.metric}` : null, want, name);
  }
});

test('queueLayout: mlx5-style names with priorities and size buckets', () => {
  const names = ['rx_packets', 'rx_bytes', 'rx_64_bytes_packets', 'rx_65_127_bytes_packets', 'rx_prio0_packets', 'rx_prio1_packets'];
  for (let q = 0; q < 8; q++) names.push(`rx${q}_packets`, `rx${q}_bytes`, `rx${q}_xdp_drop`, `tx${q}_packets`, `tx${q}_bytes`);
  // size buckets named like queues: indices 64, 128, 256 … are not dense from 0
  names.push('rx_64_bytes', 'rx_128_bytes', 'rx_256_bytes');
  const L = queueLayout(names);
  assert.equal(L.count, 8);
  assert.equal(L.rxPackets?.metric, 'packets');
  assert.equal(L.txPackets?.metric, 'packets');
  assert.equal(L.rxBytes?.metric, 'bytes');
  assert.equal(names[L.rxPackets!.index[5]], 'rx5_packets');
  assert.equal(names[L.txBytes!.index[7]], 'tx7_bytes');
  assert.deepEqual(L.alarms.map(m => m.metric), ['xdp_drop']);
});

test('queueLayout: i40e, ena, bnx2x, veth and virtio naming', () => {
  const i40e = queueLayout(['tx-0.tx_packets', 'tx-0.tx_bytes', 'rx-0.rx_packets', 'rx-0.rx_bytes', 'tx-1.tx_packets', 'tx-1.tx_bytes', 'rx-1.rx_packets', 'rx-1.rx_bytes', 'port.rx_size_64']);
  assert.equal(i40e.count, 2);
  assert.equal(i40e.rxPackets?.metric, 'packets');
  const ena = queueLayout(['queue_0_tx_cnt', 'queue_0_tx_bytes', 'queue_0_rx_cnt', 'queue_0_rx_bytes', 'queue_1_tx_cnt', 'queue_1_rx_cnt', 'queue_1_rx_bytes', 'queue_1_tx_bytes']);
  assert.equal(ena.count, 2);
  assert.equal(ena.txPackets?.metric, 'cnt');
  const bnx = queueLayout(['[0]: rx_bytes', '[0]: rx_ucast_packets', '[0]: rx_mcast_packets', '[1]: rx_bytes', '[1]: rx_ucast_packets', '[1]: rx_mcast_packets', '[0]: tx_ucast_packets', '[1]: tx_ucast_packets']);
  assert.equal(bnx.count, 2);
  assert.equal(bnx.rxPackets?.metric, 'ucast_packets', 'unicast beats multicast');
  const vethNames = ['peer_ifindex'];
  for (let q = 0; q < 4; q++) vethNames.push(`rx_queue_${q}_xdp_packets`, `rx_queue_${q}_xdp_bytes`, `rx_queue_${q}_drops`, `rx_queue_${q}_xdp_tx`, `rx_queue_${q}_xdp_tx_errors`, `tx_queue_${q}_xdp_xmit`, `tx_queue_${q}_xdp_xmit_errors`);
  const veth = queueLayout(vethNames);
  assert.equal(veth.count, 4);
  assert.equal(veth.rxPackets?.metric, 'xdp_packets', 'the only packet counter veth has per queue');
  assert.equal(veth.txPackets, null, 'xdp_xmit is not a packet counter name');
  assert.deepEqual(veth.alarms.map(m => `${m.dir} ${m.metric}`).sort(), ['rx drops', 'rx xdp_tx_errors', 'tx xdp_xmit_errors']);
  const virtio = queueLayout(['rx_drops', 'rx_xdp_packets', 'rx0_drops', 'rx0_xdp_packets', 'rx0_kicks', 'tx0_xdp_tx', 'tx0_kicks', 'tx0_tx_timeouts', 'rx1_xdp_packets', 'rx1_kicks']);
  assert.equal(virtio.count, 2);
  assert.equal(virtio.rxPackets?.metric, 'xdp_packets');
  assert.equal(virtio.txPackets, null);
  const none = queueLayout(['rx_packets', 'tx_packets', 'rx_size_64', 'rx_size_127']);
  assert.equal(none.count, 0);
});

test('imbalance = busiest ÷ mean; undefined without traffic or with one queue', () => {
  assert.equal(imbalance([10, 10, 10, 10]), 1);
  assert.equal(imbalance([40, 0, 0, 0]), 4);
  assert.equal(imbalance([30, 10]), 1.5);
  assert.ok(Number.isNaN(imbalance([0, 0, 0])));
  assert.ok(Number.isNaN(imbalance([5])));
});

test('trouble counters are recognised by their words', () => {
  for (const n of ['rx_dropped', 'rx_missed_errors', 'rx_fifo_errors', 'tx_timeout_count', 'rx_queue_0_drops', 'rx_discards_phy', 'rx_crc_errors', 'collisions', 'rx_no_buffer_count', 'rx_over_errors', 'rx0_xdp_drop', 'tx_aborted_errors', 'rxdrops'])
    assert.ok(isAlarmName(n), n);
  for (const n of ['rx_packets', 'tx_bytes', 'peer_ifindex', 'rx_nohandler', 'multicast', 'tx_queue_0_xdp_xmit', 'transmissions'])
    assert.ok(!isAlarmName(n), n);
});

// ---- sysfs parsing --------------------------------------------------------------------------

test('parseU64 reads full 64-bit decimal counters exactly', () => {
  const b = (s: string) => Buffer.from(s);
  assert.equal(parseU64(b('0\n'), 2), 0n);
  assert.equal(parseU64(b('12345\n'), 6), 12345n);
  assert.equal(parseU64(b('18446744073709551615\n'), 21), 18446744073709551615n);
  assert.equal(parseU64(b('9007199254740993\n'), 17), 9007199254740993n, 'beyond 2^53 without rounding');
  assert.equal(parseU64(b('123456789012345\n'), 16), 123456789012345n);
  assert.equal(parseU64(b('x\n'), 2), -1n);
});

// ---- the model over simulated NICs and a fake sysfs tree -------------------------------------

class FakeSys {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'ektui-sys-'));
  private index = 10;
  add(name: string, stats: Record<string, bigint> = {}, oper = 'up', loopback = false): void {
    const d = path.join(this.root, name);
    fs.mkdirSync(path.join(d, 'statistics'), { recursive: true });
    fs.writeFileSync(path.join(d, 'ifindex'), `${this.index++}\n`);
    fs.writeFileSync(path.join(d, 'operstate'), `${oper}\n`);
    fs.writeFileSync(path.join(d, 'speed'), '10000\n');
    fs.writeFileSync(path.join(d, 'flags'), loopback ? '0x9\n' : '0x1003\n');
    const all = { rx_bytes: 0n, tx_bytes: 0n, rx_packets: 0n, tx_packets: 0n, rx_dropped: 0n, tx_dropped: 0n, rx_errors: 0n, tx_errors: 0n, rx_missed_errors: 0n, ...stats };
    for (const [k, v] of Object.entries(all)) this.set(name, k, v);
  }
  set(name: string, stat: string, v: bigint): void {
    fs.writeFileSync(path.join(this.root, name, 'statistics', stat), `${v}\n`);
  }
  remove(name: string): void { fs.rmSync(path.join(this.root, name), { recursive: true, force: true }); }
  cleanup(): void { fs.rmSync(this.root, { recursive: true, force: true }); }
}

/** A clock the test moves by hand (ns). */
function fakeClock(): { now: bigint; clock: () => bigint; advance(ns: bigint): void } {
  const c = { now: 1_000n * S, clock: () => c.now, advance(ns: bigint) { c.now += ns; } };
  return c;
}

function stat(d: SimDevice, name: string): { name: string; value: bigint } {
  const s = d.stats.find(x => x.name === name);
  if (!s) throw new Error(`no stat ${name}`);
  return s;
}

function setup(names = ['sim0', 'sim1'], realClock = false) {
  const sys = new FakeSys();
  const sims = names.map(n => simDevice(n, { queues: 4 }));
  const t = new SimTransport(sims);
  for (const n of names) sys.add(n);
  const clk = fakeClock();
  const model = new TopModel({ names, transport: t, sysfsRoot: sys.root, clock: realClock ? undefined : clk.clock, holdMs: 5000 });
  return { sys, sims, t, clk, model, dev: (i: number) => model.devices[i] as DeviceState };
}

test('model: summary and per-queue rates from measured time, for every NIC', () => {
  const { sys, sims, clk, model, dev } = setup();
  try {
    model.sample();
    sys.set('sim0', 'rx_bytes', 1_500_000n); sys.set('sim0', 'rx_packets', 3000n);
    sys.set('sim0', 'tx_packets', 1500n);
    stat(sims[0], 'rx_queue_0_packets').value = 1500n; // queue 0 takes half of the traffic
    stat(sims[0], 'rx_queue_1_packets').value = 300n;
    stat(sims[0], 'rx_queue_2_packets').value = 300n;
    stat(sims[0], 'rx_queue_3_packets').value = 900n;
    clk.advance(1_500_000_000n); // 1.5 s measured
    model.sample();
    const d = dev(0);
    assert.equal(d.present, true);
    assert.equal(d.summary.rxBits, 8_000_000);
    assert.equal(d.summary.rxPkts, 2000);
    assert.equal(d.summary.txPkts, 1000);
    assert.equal(d.queues.count, 4);
    assert.deepEqual([...d.qRxPkts], [1000, 200, 200, 600]);
    assert.equal(d.rxImbalance, 2);
    assert.equal(dev(1).summary.rxPkts, 0);
    assert.equal(d.sysfs.speedMbps, 10000);
    assert.equal(d.sysfs.operstate, 'up');
    assert.equal(d.counterName(0).startsWith('sys:'), true);
  } finally { model.close(); sys.cleanup(); }
});

test('model: moving trouble counters are highlighted, then fade after the hold time', () => {
  const { sys, sims, clk, model, dev } = setup(['sim0']);
  try {
    model.sample();
    stat(sims[0], 'rx_missed_errors').value = 5n;
    sys.set('sim0', 'rx_dropped', 7n);
    stat(sims[0], 'rx_packets').value = 100n; // moves but is not trouble
    clk.advance(S);
    model.sample();
    const d = dev(0);
    const row = (name: string) => { for (let r = 0; r < d.counterCount; r++) if (d.counterName(r) === name) return r; throw new Error(name); };
    const now = () => model.nowMs();
    assert.equal(d.level(row('rx_missed_errors'), now(), model.holdMs), 2);
    assert.equal(d.level(row('sys:rx_dropped'), now(), model.holdMs), 2);
    assert.equal(d.level(row('rx_packets'), now(), model.holdMs), 0);
    assert.equal(d.alarmsMoving, 2);
    assert.equal(d.summary.drops, 7);
    clk.advance(S);
    model.sample(); // stopped moving: still marked for the hold time
    assert.equal(d.level(row('rx_missed_errors'), now(), model.holdMs), 1);
    assert.equal(d.alarmsMoving, 0);
    clk.advance(10n * S);
    model.sample();
    assert.equal(d.level(row('rx_missed_errors'), now(), model.holdMs), 0);
  } finally { model.close(); sys.cleanup(); }
});

test('model: a device that disappears is shown as gone, the rest keep going, and it is picked up again', () => {
  const { sys, sims, t, clk, model, dev } = setup();
  try {
    model.sample();
    stat(sims[0], 'rx_packets').value = 1_000_000n;
    clk.advance(S); model.sample();
    sys.remove('sim0'); t.devices.delete('sim0');
    sys.set('sim1', 'rx_packets', 50n);
    clk.advance(S); model.sample();
    assert.equal(dev(0).present, false);
    assert.ok(dev(0).goneSinceMs !== null);
    assert.equal(dev(0).summary.rxPkts, 0);
    assert.equal(dev(1).present, true);
    assert.equal(dev(1).summary.rxPkts, 50);
    // It comes back (driver reloaded: counters start over, fewer queues).
    const again = simDevice('sim0', { queues: 2 });
    stat(again, 'rx_packets').value = 10n;
    t.devices.set('sim0', again);
    sys.add('sim0');
    clk.advance(S); model.sample();
    assert.equal(dev(0).present, true);
    assert.equal(dev(0).returns, 1);
    assert.equal(dev(0).queues.count, 2);
    for (let r = 0; r < dev(0).counterCount; r++) {
      const [set, i] = dev(0).counterSet(r);
      assert.equal(set.rate[i], 0, `${dev(0).counterName(r)}: no rate from the old device's values`);
    }
    stat(again, 'rx_packets').value = 40n;
    clk.advance(S); model.sample();
    const [set, i] = dev(0).counterSet(dev(0).sys.names.length + dev(0).drv.indexOf('rx_packets'));
    assert.equal(set.rate[i], 30);
  } finally { model.close(); sys.cleanup(); }
});

test('model: a device replaced between two ticks (other driver, same stat count) is re-read by name', () => {
  const { sys, t, clk, model, dev } = setup(['sim0']);
  try {
    model.sample();
    clk.advance(S); model.sample();
    const other = simDevice('sim0', { queues: 4 });
    other.stats = other.stats.map((st, i) => ({ name: `other_counter_${i}`, value: 5n }));
    t.devices.set('sim0', other);
    sys.remove('sim0'); sys.add('sim0'); // new ifindex/inode, never seen gone
    clk.advance(S); model.sample();
    const d = dev(0);
    assert.equal(d.present, true);
    assert.equal(d.returns, 1);
    assert.equal(d.drv.names[0], 'other_counter_0');
    assert.equal(d.queues.count, 0);
    for (const r of d.drv.rate) assert.equal(r, 0);
  } finally { model.close(); sys.cleanup(); }
});

test('model: a driver whose stat count changes is re-read safely, keeping rates by name', () => {
  const { sys, sims, clk, model, dev } = setup(['sim0']);
  try {
    model.sample();
    const gen0 = dev(0).layoutGeneration;
    const n0 = dev(0).drv.names.length;
    stat(sims[0], 'rx_packets').value = 100n;
    clk.advance(S); model.sample();
    // The driver grows 4 more queues' worth of stats between two ticks.
    for (let q = 4; q < 8; q++) sims[0].stats.push({ name: `rx_queue_${q}_packets`, value: 0n }, { name: `tx_queue_${q}_packets`, value: 0n });
    stat(sims[0], 'rx_packets').value = 300n;
    clk.advance(S); model.sample();
    const d = dev(0);
    assert.equal(d.drv.names.length, n0 + 8);
    assert.ok(d.layoutGeneration > gen0);
    assert.equal(d.queues.count, 8);
    assert.equal(d.drv.rate[d.drv.indexOf('rx_packets')], 200);
    // And shrinks again.
    sims[0].stats.splice(sims[0].stats.length - 8, 8);
    clk.advance(S); model.sample();
    assert.equal(d.queues.count, 4);
  } finally { model.close(); sys.cleanup(); }
});

test('model: counters going backwards give rate 0, never negative or huge', () => {
  const { sys, sims, clk, model, dev } = setup(['sim0']);
  try {
    sys.set('sim0', 'rx_packets', 5_000_000n);
    stat(sims[0], 'tx_packets').value = 9_000_000n;
    model.sample();
    sys.set('sim0', 'rx_packets', 10n);
    stat(sims[0], 'tx_packets').value = 3n;
    clk.advance(S); model.sample();
    const d = dev(0);
    assert.equal(d.summary.rxPkts, 0);
    for (const set of [d.sys, d.drv]) for (const r of set.rate) assert.ok(r >= 0 && r < 1e6, 'no negative or huge rate');
    sys.set('sim0', 'rx_packets', 110n);
    clk.advance(S); model.sample();
    assert.equal(d.summary.rxPkts, 100);
  } finally { model.close(); sys.cleanup(); }
});

test('model: filter, sort (name/value/rate), zero, pause, interval steps, selection', () => {
  const { sys, sims, clk, model, dev } = setup();
  try {
    model.sample();
    stat(sims[0], 'rx_queue_2_packets').value = 500n;
    stat(sims[0], 'tx_queue_0_packets').value = 50n;
    stat(sims[0], 'rx_bytes').value = 10n;
    clk.advance(S); model.sample();
    const d = dev(0);
    const names = () => [...model.rows(d)].map(r => d.counterName(r));
    model.setFilter('QUEUE_2');
    assert.deepEqual(names(), ['rx_queue_2_bytes', 'rx_queue_2_packets', 'tx_queue_2_bytes', 'tx_queue_2_packets']);
    model.setFilter('');
    assert.equal(model.sort, 'name');
    assert.deepEqual(names().slice(0, 2), ['rx_bytes', 'rx_dropped']);
    assert.equal(model.cycleSort(), 'value');
    assert.deepEqual(names().slice(0, 3), ['rx_queue_2_packets', 'tx_queue_0_packets', 'rx_bytes']);
    assert.equal(model.cycleSort(), 'rate');
    stat(sims[0], 'rx_bytes').value = 10_010n;
    clk.advance(S); model.sample();
    assert.deepEqual(names().slice(0, 1), ['rx_bytes']);
    model.zero();
    assert.equal(d.drv.shown(d.drv.indexOf('rx_bytes')), 0n);
    stat(sims[0], 'rx_bytes').value = 10_020n;
    clk.advance(S); model.sample();
    assert.equal(d.drv.shown(d.drv.indexOf('rx_bytes')), 10n);
    // pause: sampling stops; resume re-primes (no rate averaged over the pause)
    assert.equal(model.togglePause(), true);
    const before = model.samples;
    stat(sims[0], 'rx_bytes').value = 20_020n;
    clk.advance(S); model.sample();
    assert.equal(model.samples, before);
    assert.equal(model.togglePause(), false);
    clk.advance(100n * S); model.sample();
    assert.equal(d.drv.rate[d.drv.indexOf('rx_bytes')], 0, 'first sample after resume only primes');
    // interval steps
    model.intervalS = 1;
    assert.equal(model.stepInterval(1), 2);
    assert.equal(model.stepInterval(-1), 1);
    assert.equal(model.stepInterval(-1), 0.5);
    model.intervalS = 0.75;
    assert.equal(model.stepInterval(1), 1);
    // selection wraps
    model.select(1); assert.equal(model.selected, 1);
    model.select(1); assert.equal(model.selected, 0);
    model.select(-1); assert.equal(model.selected, 1);
  } finally { model.close(); sys.cleanup(); }
});

test('model: with no names, every non-loopback device, including ones that appear later', () => {
  const sys = new FakeSys();
  try {
    sys.add('lo', {}, 'unknown', true);
    sys.add('ethA');
    const clk = fakeClock();
    const model = new TopModel({ names: null, transport: null, sysfsRoot: sys.root, clock: clk.clock });
    assert.deepEqual(model.devices.map(d => d.name), ['ethA']);
    model.sample();
    sys.add('ethB');
    clk.advance(S); model.sample();
    assert.deepEqual(model.devices.map(d => d.name), ['ethA', 'ethB']);
    assert.equal(model.devices[1].present, true);
    assert.equal(model.devices[1].drvStatus, 'none', 'no transport: sysfs only');
    assert.deepEqual(listNetDevices(sys.root), ['ethA', 'ethB']);
    model.close();
  } finally { sys.cleanup(); }
});

test('SysfsDevice: speed unreadable while the link is down is not "gone"', () => {
  const sys = new FakeSys();
  try {
    sys.add('ethA', {}, 'down');
    fs.rmSync(path.join(sys.root, 'ethA', 'speed'));
    const d = new SysfsDevice('ethA', sys.root);
    assert.equal(d.sample(), 'recreated');
    assert.equal(d.sample(), 'ok');
    assert.equal(d.speedMbps, null);
    assert.equal(d.operstate, 'down');
    d.close();
  } finally { sys.cleanup(); }
});

// ---- --count output, arguments, errors ------------------------------------------------------

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void { this.text += chunk.toString(); cb(); }
}

test('--count N --json: one JSON object per sample with the documented fields', async () => {
  const { sys, sims, model } = setup(['sim0', 'sim1'], true);
  try {
    model.intervalS = 0.05;
    const bump = setInterval(() => { stat(sims[0], 'rx_packets').value += 100n; stat(sims[0], 'rx_queue_1_packets').value += 100n; }, 5);
    const out = new Collect();
    const code = await runHeadless(model, 3, true, out);
    clearInterval(bump);
    assert.equal(code, 0);
    const lines = out.text.trim().split('\n');
    assert.equal(lines.length, 3);
    lines.forEach((l, k) => {
      const o = JSON.parse(l) as { sample: number; time: string; devices: ReturnType<typeof deviceJson>[] };
      assert.equal(o.sample, k + 1);
      assert.ok(!Number.isNaN(Date.parse(o.time)));
      assert.deepEqual(o.devices.map(d => d.name), ['sim0', 'sim1']);
      const d = o.devices[0];
      for (const f of ['present', 'operstate', 'speed_mbps', 'elapsed_s', 'rx_bps', 'tx_bps', 'rx_pps', 'tx_pps', 'drops_ps', 'errors_ps', 'alarms', 'queues', 'driver_stats', 'rates'])
        assert.ok(f in d, `field ${f}`);
      assert.ok(d.elapsed_s! > 0.02 && d.elapsed_s! < 1);
      assert.ok(d.rates!['rx_packets'] > 0, 'a moving driver counter has a rate');
      assert.equal(d.queues!.count, 4);
      assert.ok(d.queues!.rx_pps[1] > 0);
      assert.equal(d.queues!.rx_imbalance, 4, 'all traffic on one queue of four');
    });
  } finally { model.close(); sys.cleanup(); }
});

test('--count N text output has a header and a line per device', async () => {
  const { sys, model } = setup(['sim0', 'sim1'], true);
  try {
    model.intervalS = 0.02;
    const out = new Collect();
    assert.equal(await runHeadless(model, 2, false, out), 0);
    const lines = out.text.trim().split('\n');
    assert.equal(lines.filter(l => l.startsWith('sample ')).length, 2);
    assert.equal(lines.filter(l => l.startsWith('DEVICE')).length, 2);
    assert.equal(lines.filter(l => /^sim0\s+up\s+10G/.test(l)).length, 2);
  } finally { model.close(); sys.cleanup(); }
});

test('parseTopArgs: options, device names, and one-line usage errors', () => {
  assert.deepEqual(parseTopArgs(['--count', '3', '--json', '--interval=0.5', 'eth1', 'eth2']),
    { devices: ['eth1', 'eth2'], count: 3, json: true, intervalS: 0.5, help: false, record: null, replay: null });
  assert.deepEqual(parseTopArgs(['--json', '--debug', '1', '--top', '-n', '2', 'eth0']).devices, ['eth0'], 'global flags the CLI passes along');
  assert.throws(() => parseTopArgs(['--count', '0']), /positive integer/);
  assert.throws(() => parseTopArgs(['--interval', 'fast']), /not a number/);
  assert.throws(() => parseTopArgs(['--interval', '0']), /between/);
  assert.throws(() => parseTopArgs(['--bogus']), /unknown option/);
  assert.throws(() => parseTopArgs(['this-name-is-too-long0']), /longer than 15/);
  assert.throws(() => parseTopArgs(['--json']), /needs --count/);
});

test('ethkit --top errors: no terminal without --count, unknown device, bad option (exit 1, one line)', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [ENTRY, ...args], { encoding: 'utf8', cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const cases: [string[], RegExp][] = [
    [[], /needs a terminal; use --count N/],
    [['--count', '1', 'nosuchdev0'], /nosuchdev0: no such device/],
    [['--count', 'x'], /--count: "x" is not a number/],
  ];
  for (const [args, re] of cases) {
    const r = run(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.ok(!/at .*\.js:\d+/.test(r.stderr), 'no stack trace');
  }
});
