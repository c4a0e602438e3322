/**
 * The simulated NIC (test/doubles/sim.ts) through the real Nic API: driver limits, fixed
 * features, injected errors and get/set round trips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nic } from '../src/device/nic';
import { EthtoolError } from '../src/device/errors';
import { ERRNO } from '../src/ethtool/errno';
import { SimTransport, simDevice, SimDevice } from './doubles/sim';
import { ETHTOOL, ETHTOOL_F } from '../src/ethtool/constants';

function setup(opts: Parameters<typeof simDevice>[1] = {}): { dev: SimDevice; t: SimTransport; nic: Nic } {
  const dev = simDevice('eks0', opts);
  const t = new SimTransport([dev]);
  return { dev, t, nic: new Nic('eks0', t) };
}

function isError(kind: string, op: string) {
  return (e: unknown) => e instanceof EthtoolError && e.kind === kind && e.op === op && !/\n/.test(e.message);
}

test('ring: limits (EINVAL beyond max, or 0) leave the state unchanged; a valid change round-trips', () => {
  const { nic, dev } = setup();
  const before = nic.ring();
  assert.equal(before.rx_max_pending, 4096);
  assert.throws(() => nic.setRing({ rx_pending: 4097 }), isError('invalid', 'SRINGPARAM'));
  assert.throws(() => nic.setRing({ tx_pending: 0 }), isError('invalid', 'SRINGPARAM'));
  assert.throws(() => nic.setRing({ rx_jumbo_pending: 1 }), /eks0: set ring parameters: invalid argument \(value rejected by driver simnic\)/);
  assert.deepEqual(nic.ring(), before);
  nic.setRing({ rx_pending: 4096, tx_pending: 1024 });
  assert.deepEqual(nic.ring(), { ...before, rx_pending: 4096, tx_pending: 1024 });
  assert.equal(dev.ring!.rx_pending, 4096);
});

test('channels: EINVAL beyond max_combined or with no queue at all; round trip', () => {
  const { nic } = setup({ queues: 4, maxQueues: 8 });
  const ch = nic.channels();
  assert.equal(ch.combined_count, 4);
  assert.throws(() => nic.setChannels({ combined_count: 9 }), isError('invalid', 'SCHANNELS'));
  assert.throws(() => nic.setChannels({ combined_count: 0 }), isError('invalid', 'SCHANNELS'));
  assert.throws(() => nic.setChannels({ rx_count: 1 }), isError('invalid', 'SCHANNELS'));
  assert.equal(nic.channels().combined_count, 4);
  nic.setChannels({ combined_count: 8 });
  assert.equal(nic.channels().combined_count, 8);
});

test('features: a fixed feature answers WISH and keeps its state; a changeable one toggles', () => {
  const { nic, t } = setup();
  const get = (name: string) => nic.features().find(f => f.name === name)!;
  const lb = get('loopback');
  assert.deepEqual([lb.available, lb.active, lb.never_changed], [false, false, true]);
  const bits = nic.setFeatures({ loopback: true });
  assert.equal(bits & ETHTOOL_F.WISH, ETHTOOL_F.WISH);
  assert.equal(get('loopback').active, false);
  assert.equal(get('loopback').requested, true, 'the wish is recorded');
  assert.equal(get('rx-gro').active, true);
  t.log.length = 0;
  const names = nic.features().map(f => f.name);
  assert.equal(nic.setFeatures({ 'rx-gro': false, 'tx-checksum-ip-generic': false }, names), 0);
  assert.equal(t.log.length, 4, 'GSSET_INFO, GSTRINGS, GFEATURES, then exactly one SFEATURES');
  assert.equal(get('rx-gro').active, false);
  assert.equal(get('tx-checksum-ip-generic').active, false);
  nic.setFeatures({ 'rx-gro': true });
  assert.equal(get('rx-gro').active, true);
});

test('injected errnos reach the caller as EthtoolErrors, and the state is untouched', () => {
  const { nic, t } = setup();
  const before = nic.ring();
  t.injector = (_ifname, cmd) => (cmd === ETHTOOL.SRINGPARAM ? ERRNO.EBUSY : undefined);
  assert.throws(() => nic.setRing({ rx_pending: 512 }), isError('busy', 'SRINGPARAM'));
  assert.deepEqual(nic.ring(), before);
  assert.ok(t.log.some(l => l.cmd === ETHTOOL.SRINGPARAM), 'the request was made');
  t.injector = (_ifname, cmd, seq) => (cmd === ETHTOOL.GSTATS && seq % 2 === 0 ? ERRNO.EAGAIN : undefined);
  const r = nic.statsReader();
  let failures = 0;
  for (let i = 0; i < 4; i++) {
    try { r.read(); } catch (e) { assert.ok(isError('again', 'GSTATS')(e)); failures++; }
  }
  assert.equal(failures, 2);
  t.injector = () => ERRNO.EPERM;
  assert.throws(() => nic.setMsglvl(1), isError('permission', 'SMSGLVL'));
});

test('an unknown interface is ENODEV', () => {
  const { t } = setup();
  assert.throws(() => new Nic('eks9', t).driverInfo(), (e: unknown) => e instanceof EthtoolError && e.kind === 'no-device' && e.message === 'eks9: no such device');
});

test('round trips: pause, coalesce, msglvl, wol', () => {
  const { nic } = setup();
  nic.setPause({ rx_pause: 0 });
  assert.deepEqual(nic.pause(), { autoneg: 0, rx_pause: 0, tx_pause: 1 });
  nic.setCoalesce({ rx_coalesce_usecs: 64, use_adaptive_rx_coalesce: 1 });
  const co = nic.coalesce();
  assert.equal(co.rx_coalesce_usecs, 64);
  assert.equal(co.use_adaptive_rx_coalesce, 1);
  assert.equal(co.tx_coalesce_usecs, 0);
  nic.setMsglvl(0x31);
  assert.equal(nic.msglvl(), 0x31);
  nic.setWol({ wolopts: 0x20 });
  assert.equal(nic.wol().wolopts, 0x20);
  assert.throws(() => nic.setWol({ wolopts: 0x01 }), isError('invalid', 'SWOL'));
  assert.equal(nic.wol().wolopts, 0x20);
});

test('identity, stats, self-test, registers, EEPROM', async () => {
  const { nic, dev } = setup({ queues: 2, extraStats: 3 });
  dev.tests = [{ name: 'Register test  (offline)', value: 0n }, { name: 'Link test   (on/offline)', value: 1n }];
  dev.regs = Uint8Array.from([1, 2, 3, 4]);
  dev.eeprom = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i);
  const info = nic.driverInfo();
  assert.equal(info.driver, 'simnic');
  assert.equal(info.n_stats, 8 + 4 * 2 + 3);
  assert.equal(info.testinfo_len, 2);
  assert.equal(nic.link(), true);
  assert.deepEqual([...nic.permAddr()], [0x02, 0, 0, 0, 0, 0x10]);
  dev.stats[0].value = 123n;
  const stats = nic.stats();
  assert.equal(stats.length, info.n_stats);
  assert.deepEqual(stats[0], { name: 'rx_packets', value: 123n });
  assert.equal(stats[stats.length - 1].name, 'hw_counter_2');
  const st = nic.selfTest('offline');
  assert.equal(st.failed, true);
  assert.deepEqual(st.results.map(x => x.value), [0n, 1n]);
  assert.deepEqual([...nic.regs().data], [1, 2, 3, 4]);
  assert.deepEqual([...nic.eeprom(4, 2).data], [0xf4, 0xf5]);
  // The simulated driver has no LED: PHYS_ID is unsupported, and says so.
  await assert.rejects(nic.identifyAsync(1), isError('unsupported', 'PHYS_ID'));
});

test('StatsReader over the simulated driver: a new counter re-reads the names', () => {
  const { nic, dev } = setup({ queues: 1 });
  const r = nic.statsReader();
  const n = r.names.length;
  dev.stats[1].value = 42n;
  assert.equal(r.read()[1], 42n);
  dev.stats.push({ name: 'late_counter', value: 9n });
  const v = r.read();
  assert.equal(r.generation, 2);
  assert.equal(r.names.length, n + 1);
  assert.equal(r.names[n], 'late_counter');
  assert.equal(v[n], 9n);
  dev.stats.splice(0, 2);
  assert.equal(r.read().length, n - 1);
  assert.equal(r.generation, 3);
});
