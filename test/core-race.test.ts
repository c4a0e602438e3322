/**
 * Counts that move under us. The kernel sizes GSTRINGS/GSTATS/TEST replies from the driver's
 * count at the time of the call, not from the request; a driver whose count changes between
 * GSSET_INFO and the read (veth does, when its channels change) answers with more or fewer
 * entries than the caller made room for. These tests use the scripted kernel in 'efault' mode
 * (the caller's buffer ends at a guard page, as KoffiTransport arranges) and check that the API
 * retries with a fresh count, returns correct data, never reads past what it asked for, and
 * gives up cleanly with EAGAIN when the count will not settle. Also: invalid interface names
 * never reach the transport.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nic } from '../src/device/nic';
import { EthtoolError, UsageError } from '../src/device/errors';
import { ETH_SS } from '../src/ethtool/constants';
import { ScriptedTransport, Step, stringSetSteps, statsStep, ssetInfoStep, drvinfoStep, gstrings, u64s } from './helpers/scripted';

const DEV = 'ekr0';
const EOPNOTSUPP = 95;
const EAGAIN = 11;

function script(steps: Step[]): ScriptedTransport {
  return new ScriptedTransport(DEV, steps, { overflow: 'efault' });
}

/** GSTRINGS sized for `room` strings, answered by a driver that now has `names`. */
function gstringsStep(ss: number, room: number, names: string[]): Step {
  return { cmd: 'GSTRINGS', fields: { string_set: ss, len: room }, length: 12 + 32 * room, reply: { len: names.length }, data: gstrings(names) };
}

test('strings: the set grows between GSSET_INFO and GSTRINGS: retried, correct names', () => {
  const t = script([
    ssetInfoStep(ETH_SS.STATS, 2),
    gstringsStep(ETH_SS.STATS, 2, ['a', 'b', 'c']), // the kernel would write a third string past our room
    ssetInfoStep(ETH_SS.STATS, 3),
    gstringsStep(ETH_SS.STATS, 3, ['a', 'b', 'c']),
  ]);
  assert.deepEqual(new Nic(DEV, t).strings(ETH_SS.STATS), ['a', 'b', 'c']);
  t.assertDone();
});

test('strings: the set shrinks between GSSET_INFO and GSTRINGS: retried, no stale tail', () => {
  const t = script([
    ssetInfoStep(ETH_SS.STATS, 3),
    gstringsStep(ETH_SS.STATS, 3, ['a', 'b']),
    ssetInfoStep(ETH_SS.STATS, 2),
    gstringsStep(ETH_SS.STATS, 2, ['a', 'b']),
  ]);
  assert.deepEqual(new Nic(DEV, t).strings(ETH_SS.STATS), ['a', 'b']);
  t.assertDone();
});

test('strings: a count that never settles gives EthtoolError EAGAIN, not garbage', () => {
  const steps: Step[] = [];
  for (let i = 0; i < 4; i++) steps.push(ssetInfoStep(ETH_SS.STATS, 2 + i), gstringsStep(ETH_SS.STATS, 2 + i, Array.from({ length: 3 + i }, (_, k) => `s${k}`)));
  const t = script(steps);
  assert.throws(() => new Nic(DEV, t).strings(ETH_SS.STATS), (e: unknown) => {
    assert.ok(e instanceof EthtoolError);
    assert.equal(e.errno, EAGAIN);
    assert.equal(e.kind, 'again');
    assert.equal(e.op, 'GSTRINGS');
    assert.equal(e.dev, DEV);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
  t.assertDone();
});

test('stats(): GSTATS answering more counters than the names read: re-read names and values', () => {
  const t = script([
    ...stringSetSteps(ETH_SS.STATS, ['rx', 'tx']),
    statsStep(2, [1, 2, 3]),
    ...stringSetSteps(ETH_SS.STATS, ['rx', 'tx', 'rx_queue_1']),
    statsStep(3, [4, 5, 6]),
  ]);
  assert.deepEqual(new Nic(DEV, t).stats(), [{ name: 'rx', value: 4n }, { name: 'tx', value: 5n }, { name: 'rx_queue_1', value: 6n }]);
  t.assertDone();
});

test('StatsReader: count change re-reads the names and bumps generation; values stay correct', () => {
  const t = script([
    ...stringSetSteps(ETH_SS.STATS, ['rx', 'tx']),
    statsStep(2, [1, 2]),
    statsStep(2, [10, 20, 30]), // the driver grew: the kernel's reply does not fit
    ...stringSetSteps(ETH_SS.STATS, ['rx', 'tx', 'rx_q1']),
    statsStep(3, [11, 21, 31]),
    statsStep(3, [12]), // and shrank
    ...stringSetSteps(ETH_SS.STATS, ['rx']),
    statsStep(1, [13]),
  ]);
  const r = new Nic(DEV, t).statsReader();
  assert.equal(r.generation, 1);
  assert.deepEqual([...r.read()], [1n, 2n]);
  assert.deepEqual([...r.read()], [11n, 21n, 31n]);
  assert.deepEqual(r.names, ['rx', 'tx', 'rx_q1']);
  assert.equal(r.generation, 2);
  const v = r.read();
  assert.deepEqual([...v], [13n]);
  assert.equal(v.length, 1, 'the view covers exactly the current counters');
  assert.deepEqual(r.names, ['rx']);
  assert.equal(r.generation, 3);
  t.assertDone();
});

test('StatsReader: a count that keeps changing gives EthtoolError EAGAIN', () => {
  const steps: Step[] = [...stringSetSteps(ETH_SS.STATS, ['a'])];
  let n = 1;
  for (let i = 0; i < 4; i++) {
    steps.push(statsStep(n, Array.from({ length: n + 1 }, (_, k) => k)));
    n++;
    // Each mismatch re-reads the names (the last one too: the reader is left current).
    steps.push(...stringSetSteps(ETH_SS.STATS, Array.from({ length: n }, (_, k) => `s${k}`)));
  }
  const t = script(steps);
  const r = new Nic(DEV, t).statsReader();
  assert.throws(() => r.read(), (e: unknown) => e instanceof EthtoolError && e.kind === 'again' && e.op === 'GSTATS');
  t.assertDone();
  assert.equal(r.names.length, 5);
  assert.equal(r.generation, 5);
});

test('selfTest: the test set grows between GSTRINGS and TEST: retried', () => {
  const t = script([
    ...stringSetSteps(ETH_SS.TEST, ['t0']),
    { cmd: 'TEST', fields: { len: 1 }, length: 16 + 8, reply: { len: 2 }, data: u64s([0, 0]) },
    ...stringSetSteps(ETH_SS.TEST, ['t0', 't1']),
    { cmd: 'TEST', fields: { len: 2 }, length: 16 + 16, reply: { len: 2 }, data: u64s([0, 7]) },
  ]);
  const res = new Nic(DEV, t).selfTest('online');
  assert.deepEqual(res.results, [{ name: 't0', value: 0n }, { name: 't1', value: 7n }]);
  t.assertDone();
});

test('GSSET_INFO not supported: the counts come from GDRVINFO', () => {
  const t = script([
    ssetInfoStep(ETH_SS.STATS, 0, EOPNOTSUPP),
    drvinfoStep({ driver: 'oldnic', n_stats: 2 }),
    gstringsStep(ETH_SS.STATS, 2, ['rx', 'tx']),
    statsStep(2, [5, 6]),
  ]);
  assert.deepEqual(new Nic(DEV, t).stats(), [{ name: 'rx', value: 5n }, { name: 'tx', value: 6n }]);
  t.assertDone();
  // ...but a set GDRVINFO has no count for is reported as unsupported, naming the driver.
  const f = script([ssetInfoStep(ETH_SS.FEATURES, 0, EOPNOTSUPP), drvinfoStep({ driver: 'oldnic' })]);
  assert.throws(() => new Nic(DEV, f).strings(ETH_SS.FEATURES), (e: unknown) =>
    e instanceof EthtoolError && e.kind === 'unsupported' && /driver oldnic/.test(e.message));
  f.assertDone();
});

test('invalid interface names are rejected before any ioctl', () => {
  const bad = ['', 'a'.repeat(16), 'x'.repeat(40), 'eth/0', 'eth 0', 'eth\t0', ' eth0', 'eth0\n', 'eth:0', 'a\0b', '.', '..', 'é'.repeat(8)];
  for (const name of bad) {
    const t = script([]);
    assert.throws(() => new Nic(name, t), UsageError, `name ${JSON.stringify(name)}`);
    assert.equal(t.seen.length, 0, `no request for ${JSON.stringify(name)}`);
  }
  // The longest valid name (15 bytes) is accepted and reaches the transport as is.
  const ok = 'a'.repeat(15);
  const t = new ScriptedTransport(ok, [{ cmd: 'GLINK', reply: { data: 1 } }]);
  assert.equal(new Nic(ok, t).link(), true);
  t.assertDone();
});

test('patched kernels answer a mismatched count with 0 and no data: retried the same way', () => {
  const t = script([
    ssetInfoStep(ETH_SS.STATS, 2),
    { cmd: 'GSTRINGS', fields: { len: 2 }, reply: { len: 0 } },
    ssetInfoStep(ETH_SS.STATS, 3),
    gstringsStep(ETH_SS.STATS, 3, ['a', 'b', 'c']),
    { cmd: 'GSTATS', fields: { n_stats: 3 }, reply: { n_stats: 0 } },
    ...stringSetSteps(ETH_SS.STATS, ['a', 'b']),
    statsStep(2, [7, 8]),
  ]);
  assert.deepEqual(new Nic(DEV, t).stats(), [{ name: 'a', value: 7n }, { name: 'b', value: 8n }]);
  t.assertDone();
});

test('StatsReader never sends GSTATS with n_stats 0 (the kernel would answer with all counters)', () => {
  const t = script([
    ssetInfoStep(ETH_SS.STATS, 0), // no counters yet: no GSTRINGS
    ssetInfoStep(ETH_SS.STATS, 0), // read(): still none, nothing else asked
    ssetInfoStep(ETH_SS.STATS, 2), // read(): now there are
    ...stringSetSteps(ETH_SS.STATS, ['a', 'b']),
    statsStep(2, [1, 2]),
  ]);
  const r = new Nic(DEV, t).statsReader();
  assert.equal(r.read().length, 0);
  assert.deepEqual([...r.read()], [1n, 2n]);
  assert.deepEqual(r.names, ['a', 'b']);
  assert.equal(t.seen.filter(s => s.cmd === 0x1d).length, 1);
  t.assertDone();
});
