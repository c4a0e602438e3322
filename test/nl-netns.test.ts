/**
 * SETs, on devices of the test's own: a network namespace with a veth pair (4 queues each
 * way), where a child process uses the client to change channels and features and reads them
 * back; ethtool, run in the same namespace, is the oracle. A SET's request bytes are also
 * compared with what ethtool 6.1 sends for the same change (strace, in the namespace). The
 * namespace is always deleted, whatever happens.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Netns, requireTool } from './helpers/netns';
import { keyValues, sections } from './helpers/ethtool-text';
import { runChild, ok } from './helpers/nl-run';
import { fromHex } from './helpers/nl-bytes';
import { ScriptedNetlink, ackOf, diffRequest, familyReply } from './helpers/nl-scripted';
import { ETH_SS, EthtoolNetlink } from '../src/ethtool/netlink';

let ns: Netns;

before(() => {
  requireTool('ethtool', 'ethtool');
  requireTool('strace', 'strace', ['-V']);
  ns = Netns.create('nl');
  ns.veth('va', 'vb', { queues: 4 });
});
after(() => {
  ns?.destroy();
  assert.equal(ns?.exists() ?? false, false, 'the namespace is gone');
});

function ethtool(...args: string[]): string {
  return ns.exec('ethtool', args).stdout;
}

/** The netlink requests (type 0x15 = not the controller) ethtool sends, as strace shows them. */
function ethtoolRequests(args: string[]): Uint8Array[] {
  const r = ns.exec('strace', ['-f', '-X', 'raw', '-e', 'trace=sendto', '-x', '-s', '4096', 'ethtool', ...args], { allowFail: true });
  const out: Uint8Array[] = [];
  for (const m of r.stderr.matchAll(/\[\{nlmsg_len=(\d+), nlmsg_type=(0x[0-9a-f]+), nlmsg_flags=(0x[0-9a-f]+), nlmsg_seq=(\d+), nlmsg_pid=(\d+)\}, "((?:\\x[0-9a-f]{2})*)"\]/g)) {
    if (Number(m[2]) === 0x10) continue;
    const payload = fromHex(m[6].replace(/\\x/g, ''));
    const b = new Uint8Array(16 + payload.length);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, Number(m[1]), true);
    dv.setUint16(4, Number(m[2]), true);
    dv.setUint16(6, Number(m[3]), true);
    b.set(payload, 16);
    out.push(b);
  }
  return out;
}

test('CHANNELS_SET changes the veth\'s queues; GET and ethtool -l agree', () => {
  const [before, set, after2] = runChild(ns, [
    { get: 'CHANNELS_GET', dev: 'va' },
    { set: 'CHANNELS_SET', dev: 'va', attrs: { rx_count: 2, tx_count: 3 } },
    { get: 'CHANNELS_GET', dev: 'va' },
  ]);
  const b = ok(before).replies[0].attrs;
  assert.deepEqual([b.rx_max, b.tx_max, b.rx_count, b.tx_count], [4, 4, 4, 4]);
  assert.deepEqual(ok(set), { ok: true, replies: [], warning: null, interrupted: false, done: false });
  const a = ok(after2).replies[0].attrs;
  assert.deepEqual([a.rx_count, a.tx_count], [2, 3]);
  const s = sections(ethtool('-l', 'va'));
  assert.deepEqual([s?.cur.get('RX'), s?.cur.get('TX')], [2, 3]);
});

test('a refused SET: errno and extack as ethtool prints them, pointing at the attribute', () => {
  const [r] = runChild(ns, [{ set: 'CHANNELS_SET', dev: 'va', attrs: { rx_count: 99 } }]);
  const res = ok(r);
  assert.equal(res.ok, false);
  assert.equal(res.errno, 22);
  assert.deepEqual(res.offending, ['rx_count']);
  const theirs = ns.exec('ethtool', ['-L', 'va', 'rx', '99'], { allowFail: true });
  assert.notEqual(theirs.status, 0);
  assert.equal(theirs.stderr.trim(), `netlink error: ${res.extack.message} (offset ${res.extack.offset})\nnetlink error: Invalid argument`);
  const s = sections(ethtool('-l', 'va'));
  assert.equal(s?.cur.get('RX'), 2, 'unchanged');
});

test('the request bytes of a SET are ethtool\'s: ethtool -L va rx 3', () => {
  const [theirs] = ethtoolRequests(['-L', 'va', 'rx', '3']);
  assert.ok(theirs, 'strace showed ethtool\'s CHANNELS_SET');
  // Our bytes, sent to a fake kernel with the same family id.
  const family = new DataView(theirs.buffer).getUint16(4, true);
  const t = new ScriptedNetlink([{ replies: [familyReply(family), ackOf] }, { replies: [ackOf] }]);
  const nl = EthtoolNetlink.open({ transport: t });
  assert.equal(nl.family.id, family);
  nl.set('CHANNELS_SET', 'va', { rx_count: 3 });
  assert.equal(diffRequest(theirs, t.sent[1].bytes), null);
  assert.equal(sections(ethtool('-l', 'va'))?.cur.get('RX'), 3);
});

test('FEATURES_SET by name (verbose bitset, as ethtool -K sends it) turns rx-gro on and off', () => {
  const setGro = (on: boolean): object => ({
    set: 'FEATURES_SET', dev: 'va', hdr: { compact: true }, attrs: { wanted: { verbose: [{ name: 'rx-gro', value: on }] } },
  });
  assert.equal(keyValues(ethtool('-k', 'va')).get('generic-receive-offload'), 'off', 'a new veth has GRO off');
  const [names, on, readOn] = runChild(ns, [
    { strings: [ETH_SS.FEATURES] },
    setGro(true),
    { get: 'FEATURES_GET', dev: 'va', hdr: { compact: true } },
  ]);
  const features: string[] = ok(names)[ETH_SS.FEATURES];
  const gro = features.indexOf('rx-gro');
  assert.ok(gro >= 0);
  const onRes = ok(on);
  assert.equal(onRes.ok, true);
  // The FEATURES_SET_REPLY lists what differs from the request: nothing here.
  assert.equal(onRes.replies[0].message, 'FEATURES_SET_REPLY');
  assert.deepEqual(onRes.replies[0].attrs.wanted.set, []);
  assert.equal(ok(readOn).replies[0].attrs.active.set.includes(gro), true);
  assert.equal(keyValues(ethtool('-k', 'va')).get('generic-receive-offload'), 'on');
  const [off, readOff] = runChild(ns, [setGro(false), { get: 'FEATURES_GET', dev: 'va' }]);
  assert.equal(ok(off).ok, true);
  const active = ok(readOff).replies[0].attrs.active;
  assert.equal(active.set.includes(gro), false);
  assert.equal(active.named['rx-gro'], undefined, 'a verbose list names only the set bits');
  assert.equal(active.named['tx-checksum-ip-generic'], true);
  assert.equal(keyValues(ethtool('-k', 'va')).get('generic-receive-offload'), 'off');
});

test('FEATURES_SET by index (compact value/mask), OMIT_REPLY: no reply message', () => {
  const [names] = runChild(ns, [{ strings: [ETH_SS.FEATURES] }]);
  const features: string[] = ok(names)[ETH_SS.FEATURES];
  const i = features.indexOf('tx-nocache-copy');
  const [set, read] = runChild(ns, [
    { set: 'FEATURES_SET', dev: 'va', hdr: { omitReply: true }, attrs: { wanted: { $bitset: 'change', size: features.length, bits: [[i, true]] } } },
    { get: 'FEATURES_GET', dev: 'va' },
  ]);
  assert.deepEqual(ok(set), { ok: true, replies: [], warning: null, interrupted: false, done: false });
  assert.equal(ok(read).replies[0].attrs.active.named['tx-nocache-copy'], true);
  assert.equal(keyValues(ethtool('-k', 'va')).get('tx-nocache-copy'), 'on');
});

test('the request bytes of ethtool -K va rx-gro off are ours', () => {
  const theirs = ethtoolRequests(['-K', 'va', 'rx-gro', 'off']);
  // STRSET_GET (the feature names) then FEATURES_SET.
  assert.equal(theirs.length, 2);
  const family = new DataView(theirs[1].buffer).getUint16(4, true);
  const t = new ScriptedNetlink([{ replies: [familyReply(family), ackOf] }, { replies: [ackOf] }, { replies: [ackOf] }]);
  const nl = EthtoolNetlink.open({ transport: t });
  nl.request('STRSET_GET', { header: {}, stringsets: { stringset: [{ id: ETH_SS.FEATURES }] } });
  nl.set('FEATURES_SET', 'va', { wanted: { verbose: [{ name: 'rx-gro', value: false }] } }, { compact: true });
  assert.equal(diffRequest(theirs[0], t.sent[1].bytes), null, 'STRSET_GET');
  assert.equal(diffRequest(theirs[1], t.sent[2].bytes), null, 'FEATURES_SET');
});

test('a dump in the namespace: every device, and an unsupported SET fails as ethtool\'s does', () => {
  const [dump, rings] = runChild(ns, [
    { dump: 'FEATURES_GET', hdr: { compact: true } },
    { set: 'RINGS_SET', dev: 'va', attrs: { rx: 100 } },
  ]);
  const devs = ok(dump).replies.map((r: { attrs: { header: { dev_name: string } } }) => r.attrs.header.dev_name).sort();
  assert.deepEqual(devs, ['lo', 'va', 'vb']);
  const r = ok(rings);
  assert.equal(r.ok, false);
  assert.equal(r.errno, 95);
  const theirs = ns.exec('ethtool', ['-G', 'va', 'rx', '100'], { allowFail: true });
  assert.equal(theirs.stderr.trim(), 'netlink error: Operation not supported');
});
