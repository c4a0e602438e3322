/**
 * The client's protocol handling over the scripted fake: family lookup, GET/SET/dump answers
 * decoded, errors with extended acks named back to the request's attributes, multi-datagram
 * dumps, stale and foreign messages skipped, answers larger than the receive buffer, socket
 * failures and timeouts, and the monitor's notifications.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset, EthtoolNetlink, FamilyError, NetlinkConnection, NetlinkFormatError, RECV_BUFFER } from '../src/ethtool/netlink';
import { ScriptedNetlink, ackOf, errorOf, NlStep } from './helpers/nl-scripted';
import * as B from './helpers/nl-bytes';
import * as FX from './helpers/nl-fixtures';

const { nest, str, u32, u8, flag, bin, words, fromHex } = B;
const FAM = 21;
const familyStep: NlStep = { note: 'family', replies: [FX.FAMILY_REPLY, ackOf] };

function client(steps: NlStep[], monitor?: ScriptedNetlink): { nl: EthtoolNetlink; t: ScriptedNetlink } {
  const t = new ScriptedNetlink([familyStep, ...steps]);
  const nl = EthtoolNetlink.open({ transport: t, timeoutMs: 200, monitorTransport: monitor ? () => monitor : undefined });
  return { nl, t };
}

/** An ethtool family message (kernel → user) with a header for `dev`. */
function reply(cmd: number, dev: string, ...attrs: Uint8Array[]): Uint8Array {
  return B.nlmsg({ type: FAM }, B.genl(cmd, 1, nest(1, u32(1, 7), str(2, dev)), ...attrs));
}

test('open: the family from the kernel\'s reply; has() follows its ops', () => {
  const { nl, t } = client([]);
  assert.equal(nl.family.id, 21);
  assert.equal(nl.monitorGroup, 6);
  assert.equal(nl.has('RINGS_GET'), true);
  assert.equal(nl.has('STRSET_GET', 'dump'), true);
  assert.equal(nl.has('CABLE_TEST_ACT', 'dump'), false);
  t.assertDone();
});

test('open: no ethtool family is a FamilyError with the errno, and the socket is closed', () => {
  const t = new ScriptedNetlink([{ replies: [errorOf(2)] }]);
  assert.throws(() => EthtoolNetlink.open({ transport: t }), (e: Error) => e instanceof FamilyError && e.errno === 2);
  assert.equal(t.closed, true);
});

test('GET: the real RINGS reply decoded, newer attributes kept by id', () => {
  const { nl, t } = client([{ replies: [FX.RINGS_REPLY, ackOf] }]);
  const r = nl.get('RINGS_GET', 'eth0');
  assert.ok(r.ok);
  assert.equal(r.replies.length, 1);
  assert.equal(r.replies[0].message, 'RINGS_GET_REPLY');
  const a = r.replies[0].attrs;
  assert.deepEqual({ rx_max: a.rx_max, rx: a.rx, tx_max: a.tx_max, tx: a.tx, tx_push: a.tx_push }, { rx_max: 256, rx: 256, tx_max: 256, tx: 256, tx_push: 0 });
  assert.deepEqual(a.header, { dev_index: 4, dev_name: 'eth0' });
  assert.deepEqual(a._unknown, [{ id: 14, nested: false, data: Uint8Array.from([0]) }]);
  t.assertDone();
});

test('SET: the header first, then the attributes in the order given; the ack ends it', () => {
  const want = B.nlmsg({ type: FAM, flags: 5, seq: 2 }, B.genl(18, 1, nest(1, str(2, 'va')), u32(9, 1), u32(6, 2)));
  const { nl, t } = client([{ request: want, replies: [ackOf] }]);
  const r = nl.set('CHANNELS_SET', 'va', { combined_count: 1, rx_count: 2 });
  assert.deepEqual(r, { ok: true, replies: [], warning: null, interrupted: false, done: false });
  t.assertDone();
});

test('SET of a bitset, OMIT_REPLY in the header, by ifindex', () => {
  const bits = Bitset.change(64, [[12, false]]);
  const want = B.nlmsg({ type: FAM, flags: 5 }, B.genl(12, 1, nest(1, u32(1, 9), u32(3, 2)), nest(3, u32(2, 64), bin(4, words(0, 0)), bin(5, words(1 << 12, 0)))));
  const { nl, t } = client([{ request: want, replies: [ackOf] }]);
  assert.ok(nl.set('FEATURES_SET', 9, { wanted: bits }, { omitReply: true }).ok);
  t.assertDone();
});

test('errors: errno, the extended ack, and the attribute it points at', () => {
  const { nl, t } = client([
    { replies: [fromHex(FX.NODEV_EXTACK)] },
    { replies: [fromHex(FX.PAUSE_EOPNOTSUPP)] },
    { replies: [errorOf(22, [str(1, 'missing'), u32(5, 6), u32(6, 20)])] },
  ]);
  const r = nl.get('RINGS_GET', 'nosuch0');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.errno, 19);
  assert.equal(r.source, 'kernel');
  assert.deepEqual(r.extack, { message: 'no device matches name', offset: 24 });
  assert.deepEqual(r.offending, ['header', 'dev_name']);
  const p = nl.get('PAUSE_GET', 'eth0');
  assert.ok(!p.ok && p.errno === 95 && p.extack === null && p.offending.length === 0);
  // MISS_TYPE 6 in the nest at offset 20 (the header): HEADER has no attribute 6 (in 6.1), so by id.
  const m = nl.get('CHANNELS_GET', 'eth0');
  assert.ok(!m.ok);
  if (!m.ok) assert.deepEqual(m.missing, ['header', '#6']);
  t.assertDone();
});

test('a missing attribute named in its table', () => {
  const { nl, t } = client([{ replies: [errorOf(22, [u32(5, 2)])] }]);
  const r = nl.set('CHANNELS_SET', 'eth0', {});
  assert.ok(!r.ok);
  if (!r.ok) assert.deepEqual(r.missing, ['rx_max']);
  t.assertDone();
});

test('dump: replies across datagrams until NLMSG_DONE; DUMP_INTR reported', () => {
  const multi = (dev: string, f = 2): Uint8Array => {
    const m = reply(16, dev, u32(6, 128));
    new DataView(m.buffer).setUint16(6, f, true);
    return m;
  };
  const { nl, t } = client([{ replies: [B.datagram(multi('a'), multi('b')), B.datagram(multi('c', 2 | 0x10), B.done({}))] }]);
  const r = nl.dump('RINGS_GET');
  assert.ok(r.ok);
  assert.deepEqual(r.replies.map(x => (x.attrs.header as { dev_name: string }).dev_name), ['a', 'b', 'c']);
  assert.equal(r.interrupted, true);
  t.assertDone();
});

test('the kernel\'s real dump datagram (reply + DONE)', () => {
  const { nl, t } = client([{ replies: [FX.RINGS_DUMP] }]);
  const r = nl.dump('RINGS_GET');
  assert.ok(r.ok && r.replies.length === 1 && r.replies[0].attrs.rx === 256);
  t.assertDone();
});

test('a dump that fails: the error in NLMSG_DONE', () => {
  const { nl, t } = client([{ replies: [B.datagram(reply(16, 'a'), B.done({}, -90, [str(1, 'too big')]))] }]);
  const r = nl.dump('RINGS_GET');
  assert.ok(!r.ok);
  if (!r.ok) {
    assert.equal(r.errno, 90);
    assert.equal(r.extack?.message, 'too big');
    assert.equal(r.replies.length, 1);
  }
  t.assertDone();
});

test('messages of an earlier request, of other ports and notifications are skipped', () => {
  const stale = reply(16, 'old', u32(6, 1));
  const ntf = reply(19, 'ntf');
  const { nl, t } = client([{
    raw: true,
    replies: [
      B.datagram(B.nlmsg({ type: FAM, seq: 1, pid: 4242 }, stale.subarray(16))), // seq of the family lookup
      B.datagram(B.nlmsg({ type: FAM, seq: 0, pid: 0 }, ntf.subarray(16))),     // a notification
      B.datagram(B.nlmsg({ type: FAM, seq: 2, pid: 999 }, stale.subarray(16))), // another port
      req => B.datagram(B.nlmsg({ type: FAM, seq: req.seq, pid: 4242 }, reply(16, 'eth0', u32(6, 64)).subarray(16))),
      req => B.ack({ seq: req.seq, pid: 4242 }, 0, req.bytes),
    ],
  }]);
  const r = nl.get('RINGS_GET', 'eth0');
  assert.ok(r.ok);
  assert.equal(r.replies.length, 1);
  assert.equal(r.replies[0].attrs.rx, 64);
  t.assertDone();
});

test('an answer larger than the receive buffer: the buffer grows, nothing is lost', () => {
  // A STATS_GET_REPLY of 800 groups of 12 counters: one message of about 160 KiB (attributes
  // are at most 64 KiB each, messages are not).
  const grp = (g: number): Uint8Array => nest(4, u32(2, g), ...Array.from({ length: 12 }, (_, i) => nest(4, B.u64(i, BigInt(g * 100 + i)))));
  const big = B.nlmsg({ type: FAM }, B.genl(33, 1, nest(2, str(2, 'eth0')), ...Array.from({ length: 800 }, (_, g) => grp(g))));
  assert.ok(big.byteLength > 2 * RECV_BUFFER);
  const { nl, t } = client([{ replies: [big, ackOf] }]);
  const r = nl.get('STATS_GET', 'eth0');
  assert.ok(r.ok);
  const groups = r.replies[0].attrs.grp as Array<{ id: number; stat: Record<number, bigint> }>;
  assert.equal(groups.length, 800);
  assert.equal(groups[799].id, 799);
  assert.equal(groups[799].stat[11], 79911n);
  assert.ok(nl.conn.bufferSize >= big.byteLength);
  t.assertDone();
});

test('string sets of a STRSET reply, by id and index', () => {
  const strings = (...names: string[]): Uint8Array => nest(3, ...names.map((n, i) => nest(1, u32(1, i), str(2, n))));
  const rep = reply(1, 'eth0', nest(2, nest(1, u32(1, 4), u32(2, 2), strings('rx-gro', 'tx-sg')), nest(1, u32(1, 2), u32(2, 0))));
  const { nl, t } = client([{ replies: [rep, ackOf] }]);
  assert.deepEqual(nl.stringSets('eth0', [4, 2]), new Map([[4, ['rx-gro', 'tx-sg']], [2, []]]));
  t.assertDone();
});

test('socket failures: send errno, timeout, closed client', () => {
  const { nl, t } = client([{ sendErrno: 105 }, { replies: [] }]);
  const a = nl.get('RINGS_GET', 'eth0');
  assert.ok(!a.ok && a.errno === 105 && a.source === 'socket');
  const b = nl.get('RINGS_GET', 'eth0');
  assert.ok(!b.ok && b.errno === 110 && b.source === 'socket');
  nl.close();
  const c = nl.get('RINGS_GET', 'eth0');
  assert.ok(!c.ok && c.errno === 9);
  t.assertDone();
});

test('a malformed answer is a NetlinkFormatError; the next request still works', () => {
  const { nl, t } = client([
    { replies: [B.nlmsg({ type: FAM }, B.genl(16, 1, Uint8Array.from([40, 0, 2, 0, 1, 0, 0, 0]))), ackOf] },
    { replies: [FX.RINGS_REPLY, ackOf] },
  ]);
  assert.throws(() => nl.get('RINGS_GET', 'eth0'), NetlinkFormatError);
  // The first answer's ack is still queued: it carries the old seq and is skipped.
  const r = nl.get('RINGS_GET', 'eth0');
  assert.ok(r.ok && r.replies[0].attrs.rx === 256);
  t.assertDone();
});

test('sequence numbers count up from 1, as ethtool\'s', () => {
  const t = new ScriptedNetlink([familyStep, { replies: [ackOf] }, { replies: [ackOf] }]);
  const conn = new NetlinkConnection(t);
  assert.equal(conn.nextSeq(), 1);
  const nl = EthtoolNetlink.open({ transport: t });
  nl.get('LINKSTATE_GET', 'eth0');
  nl.get('LINKSTATE_GET', 'eth0');
  assert.deepEqual(t.sent.map(s => s.seq), [1, 2, 3]);
});

test('monitor: joins the monitor group, decodes notifications, filters by device, counts losses', async () => {
  const mon = new ScriptedNetlink([], 0);
  const { nl } = client([], mon);
  const m = nl.monitor({ dev: 'va' });
  assert.deepEqual(mon.memberships, [6]);
  mon.push(
    B.datagram(reply(19, 'vb', u32(9, 1))), // another device: filtered out
    { errno: 105 },                           // ENOBUFS: counted, not fatal
    B.datagram(reply(19, 'va', u32(9, 2)), reply(13, 'va', nest(4, flag(1), u32(2, 3), bin(4, words(5))))),
    B.datagram(B.nlmsg({ type: 0x10 }, B.genl(1, 1, u8(1, 1)))), // another family: ignored
  );
  const a = await m.next(100);
  assert.equal(a?.message, 'CHANNELS_NTF');
  assert.equal(a?.attrs.combined_count, 2);
  assert.deepEqual(a?.dev, { index: 7, name: 'va' });
  const b = await m.next(100);
  assert.equal(b?.message, 'FEATURES_NTF');
  assert.deepEqual((b?.attrs.active as Bitset).indices(), [0, 2]);
  assert.equal(m.lost, 1);
  assert.equal(await m.next(50), null); // nothing more: timeout
  m.close();
  assert.equal(mon.closed, true);
  assert.equal(await m.next(50), null);
});

test('bit names: a global string set fetched once, a per-device one each time', () => {
  const strings = (...names: string[]): Uint8Array => nest(3, ...names.map((n, i) => nest(1, u32(1, i), str(2, n))));
  const set = (id: number, ...names: string[]): Uint8Array => reply(1, '', nest(2, nest(1, u32(1, id), u32(2, names.length), strings(...names))));
  const globalReq = B.nlmsg({ type: FAM, flags: 5 }, B.genl(1, 1, nest(1), nest(2, nest(1, u32(1, 4)))));
  const devReq = B.nlmsg({ type: FAM, flags: 5 }, B.genl(1, 1, nest(1, str(2, 'eth0')), nest(2, nest(1, u32(1, 2)))));
  const { nl, t } = client([
    { request: globalReq, replies: [set(4, 'tx-sg', 'tx-csum'), ackOf] },
    { request: devReq, replies: [set(2, 'legacy-rx'), ackOf] },
    { request: devReq, replies: [set(2, 'legacy-rx'), ackOf] },
  ]);
  assert.deepEqual(nl.bitNames('FEATURES_GET', 'active'), ['tx-sg', 'tx-csum']);
  assert.deepEqual(nl.bitNames('FEATURES_SET', 'wanted'), ['tx-sg', 'tx-csum']); // cached
  assert.deepEqual(nl.bitNames('PRIVFLAGS_GET', 'flags', 'eth0'), ['legacy-rx']);
  assert.deepEqual(nl.bitNames('PRIVFLAGS_GET', 'flags', 'eth0'), ['legacy-rx']);
  assert.throws(() => nl.bitNames('PRIVFLAGS_GET', 'flags'), /per device/);
  assert.throws(() => nl.bitNames('RINGS_GET', 'rx'), /not a bitset/);
  t.assertDone();
});
