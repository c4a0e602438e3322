/**
 * Notifications from the real kernel: a child in a namespace of the test's own subscribes to
 * the ethtool "monitor" group, the veth there is changed (by ethtool, and by the client
 * itself), and the notification must arrive and decode. The wait runs off the main thread:
 * a timer set before it fires and runs the change that produces the notification.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Netns, requireTool } from './helpers/netns';
import { runChild, ok } from './helpers/nl-run';
import { ETH_SS } from '../src/ethtool/netlink';

let ns: Netns;

before(() => {
  requireTool('ethtool', 'ethtool');
  ns = Netns.create('nm');
  ns.veth('mon0', 'mon1', { queues: 2 });
});
after(() => {
  ns?.destroy();
});

test('ethtool -K in the namespace: a FEATURES_NTF for the device, compact, with the new state', () => {
  const [names, open, first] = runChild(ns, [
    { strings: [ETH_SS.FEATURES] },
    { monitor: 'open' },
    { monitor: 'nextWhile', exec: ['ethtool', '-K', 'mon0', 'rx-gro', 'on'], delayMs: 100, timeoutMs: 5000 },
  ]);
  assert.equal(ok(open), true);
  const r = ok(first);
  assert.equal(r.timerFired, true, 'the event loop ran while the monitor waited');
  assert.equal(r.status, 0, 'ethtool -K succeeded');
  const n = r.notification;
  assert.ok(n, 'a notification arrived');
  assert.equal(n.message, 'FEATURES_NTF');
  assert.equal(n.dev.name, 'mon0');
  assert.equal(typeof n.dev.index, 'number');
  // Notifications carry compact bitsets: named by the FEATURES string set.
  const gro = (ok(names)[ETH_SS.FEATURES] as string[]).indexOf('rx-gro');
  assert.ok(gro >= 0);
  assert.equal(n.attrs.active.list, true);
  assert.deepEqual(Object.keys(n.attrs.active.named).filter(k => !k.startsWith('#')), [], 'no names in a compact bitset');
  assert.equal(n.attrs.active.set.includes(gro), true, 'rx-gro is on (it is off on a new veth)');
  assert.equal(n.attrs.wanted.set.includes(gro), true);
  assert.equal(n.attrs.hw.list, false);
});

test('the client\'s own SET and ethtool -L: CHANNELS_NTF with the counts; the device filter holds', () => {
  const res = runChild(ns, [
    { monitor: 'open', dev: 'mon0' },
    { exec: ['ethtool', '-L', 'mon1', 'rx', '1'] },        // the other device: filtered out
    { set: 'CHANNELS_SET', dev: 'mon0', attrs: { tx_count: 1 } },
    { monitor: 'next', timeoutMs: 3000 },
    { exec: ['ethtool', '-L', 'mon0', 'rx', '1'] },
    { monitor: 'next', timeoutMs: 3000 },
    { monitor: 'next', timeoutMs: 300 },                 // nothing more
  ]);
  assert.equal(ok(res[2]).ok, true);
  const a = ok(res[3]);
  assert.equal(a.message, 'CHANNELS_NTF');
  assert.equal(a.dev.name, 'mon0');
  assert.deepEqual([a.attrs.rx_count, a.attrs.tx_count, a.attrs.rx_max], [2, 1, 2]);
  const b = ok(res[5]);
  assert.equal(b.message, 'CHANNELS_NTF');
  assert.deepEqual([b.attrs.rx_count, b.attrs.tx_count], [1, 1]);
  assert.equal(ok(res[6]), null);
});

test('closing the monitor ends a pending wait at once', () => {
  const [, r] = runChild(ns, [{ monitor: 'open' }, { monitor: 'closeWhileWaiting' }]);
  const v = ok(r);
  assert.equal(v.result, null);
  assert.ok(v.ms < 2000, `next() resolved after ${v.ms} ms`);
});
