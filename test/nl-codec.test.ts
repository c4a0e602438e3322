/**
 * The netlink codec on bytes: attribute tables (encode, decode, round trips, nesting, unknown
 * attributes), ethtool bitsets in both forms, message framing, multi-part answers, acks with
 * extended ack TLVs, family decoding — on bytes built by hand (test/helpers/nl-bytes.ts, which
 * shares no code with the codec) and on real kernel bytes (test/helpers/nl-fixtures.ts).
 * Malformed input must fail with a NetlinkFormatError, never anything else and never hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as NL from '../src/ethtool/netlink';
import { Bitset, NetlinkFormatError, Writer, decodeAttrs, encodeAttrs, defineAttrs } from '../src/ethtool/netlink';
import * as B from './helpers/nl-bytes';
import * as FX from './helpers/nl-fixtures';

const { cat, nla, u8, u16, u32, u64, str, flag, nest, nestPlain, bin, words, fromHex, toHex } = B;

function enc(set: NL.AttrSet, v: NL.Attrs): Uint8Array {
  const w = new Writer(16);
  encodeAttrs(w, set, v);
  return w.bytesView().slice();
}
function dec(set: NL.AttrSet, b: Uint8Array): NL.Attrs {
  return decodeAttrs(set, b, 0, b.byteLength);
}

// A table with one attribute of every kind.
const INNER = defineAttrs('inner', 'T_INNER_', [[1, 'a', 'u32'], [2, 'b', 'string']]);
const ALL = defineAttrs('all', 'T_', [
  [1, 'u8', 'u8'], [2, 'u16', 'u16'], [3, 'u32', 'u32'], [4, 'u64', 'u64'], [5, 's8', 's8'],
  [6, 's16', 's16'], [7, 's32', 's32'], [8, 's64', 's64'], [9, 'port', 'be16'], [10, 'name', 'string'],
  [11, 'on', 'flag'], [12, 'blob', 'binary'], [13, 'inner', INNER], [14, 'many', INNER, { multi: true }],
  [15, 'arr', INNER, { array: true }], [16, 'bits', 'bitset'], [17, 'u64s', 'u64array'], [18, 's32s', 's32array'],
  [19, 'stat', 'u64map'], [20, 'pad', 'pad'],
]);

test('Writer: each attribute type as the kernel lays it out (header, payload, padding); attributes in the order given', () => {
  const got = enc(ALL, { u8: 7, u16: 0x1234, u32: 0xdeadbeef, u64: 1n << 40n, port: 4789, name: 'eth0', on: true });
  const want = cat(u8(1, 7), u16(2, 0x1234), u32(3, 0xdeadbeef), u64(4, 1n << 40n), B.be16(9, 4789), str(10, 'eth0'), flag(11));
  assert.equal(toHex(got), toHex(want));
  // be16 carries NLA_F_NET_BYTEORDER and big-endian bytes.
  assert.equal(toHex(B.be16(9, 4789)), '0600094012b50000');
  // The order given is kept (ethtool writes attributes in command-line order; extack offsets count in it).
  assert.equal(toHex(enc(ALL, { u32: 1, u8: 2 })), toHex(cat(u32(3, 1), u8(1, 2))));
});

test('nests carry NLA_F_NESTED and a length that covers their padded children', () => {
  const got = enc(NL.RINGS, { header: { dev_name: 'eth0' } });
  assert.equal(toHex(got), '10000180090002006574683000000000');
  assert.equal(toHex(got), toHex(nest(1, str(2, 'eth0'))));
});

test('round trip of every attribute type', () => {
  const v: NL.Attrs = {
    u8: 255, u16: 65535, u32: 4294967295, u64: 18446744073709551615n, s8: -128, s16: -32768, s32: -2147483648,
    s64: -9223372036854775808n, port: 6081, name: 'vëth-ü', on: true, blob: Uint8Array.from([1, 2, 3]),
    inner: { a: 1, b: 'x' }, many: [{ a: 2 }, { a: 3, b: 'y' }], arr: [{ a: 4 }, { b: 'z' }],
    bits: Bitset.list(40, [0, 33, 39]), u64s: [1n, 2n ** 63n], s32s: [-1, 5], stat: { 0: 10n, 7: 70n },
  };
  const back = dec(ALL, enc(ALL, v));
  const { bits, ...rest } = back;
  const { bits: _b, ...want } = v;
  assert.deepEqual(rest, want);
  assert.ok(bits instanceof Bitset);
  assert.deepEqual(bits.indices(), [0, 33, 39]);
  assert.equal(bits.size, 40);
  assert.ok(bits.isList);
});

test('a false flag and undefined values are omitted; unknown names are refused', () => {
  assert.equal(enc(ALL, { on: false, u8: undefined }).byteLength, 0);
  assert.throws(() => enc(NL.RINGS, { rx_pending: 1 }), /rings: no attribute "rx_pending"/);
  assert.throws(() => enc(ALL, { u32: 'x' as unknown as number }), /all\.u32: expected a number/);
  assert.throws(() => enc(ALL, { many: { a: 1 } }), /a repeated attribute takes an array/);
});

test('decoding keeps unknown attributes by id, at any depth, and skips padding', () => {
  const bytes = cat(
    nest(1, u32(1, 4), str(2, 'eth0'), u32(4, 7) /* HEADER_PHY_INDEX, newer than 6.1 */),
    u32(2, 4096),
    u8(99, 1),
    nla(20, [0, 0, 0, 0]),
    u32(6, 512),
  );
  const d = dec(NL.RINGS, bytes);
  assert.equal(d.rx_max, 4096);
  assert.equal(d.rx, 512);
  assert.deepEqual((d.header as NL.Attrs).dev_name, 'eth0');
  assert.deepEqual((d.header as NL.Attrs)._unknown, [{ id: 4, nested: false, data: Uint8Array.from([7, 0, 0, 0]) }]);
  assert.deepEqual(d._unknown, [{ id: 99, nested: false, data: Uint8Array.from([1]) }, { id: 20, nested: false, data: new Uint8Array(4) }]);
  const st = dec(NL.STATS_GRP, cat(nla(1), u32(2, 1), nest(4, u64(0, 5n)), nest(4, u64(3, 9n)), nla(1)));
  assert.deepEqual(st, { id: 1, stat: { 0: 5n, 3: 9n } }); // pad attributes vanish, counters merge
});

test('nested tables decode with or without NLA_F_NESTED; repeated ones become arrays', () => {
  const s = cat(
    nestPlain(1, str(2, 'eth0')),
    nest(2,
      nest(1, u32(1, 4), u32(2, 2), nest(3, nest(1, u32(1, 0), str(2, 'tx-sg')), nest(1, u32(1, 1), str(2, 'tx-csum')))),
      nest(1, u32(1, 9), u32(2, 0))),
  );
  const d = dec(NL.STRSET, s);
  assert.deepEqual(d, {
    header: { dev_name: 'eth0' },
    stringsets: {
      stringset: [
        { id: 4, count: 2, strings: { string: [{ index: 0, value: 'tx-sg' }, { index: 1, value: 'tx-csum' }] } },
        { id: 9, count: 0 },
      ],
    },
  });
  assert.deepEqual(NL.stringSetsOf(d), new Map([[4, ['tx-sg', 'tx-csum']], [9, []]]));
});

test('u64 accepts the kernel\'s 4-byte variable-width form; a short u32 is an error', () => {
  assert.deepEqual(dec(ALL, u32(4, 77)), { u64: 77n });
  assert.throws(() => dec(ALL, nla(3, [1, 2])), (e: Error) => e instanceof NetlinkFormatError && /all\.u32: u32 attribute has 2 bytes/.test(e.message));
});

// ---- bitsets -----------------------------------------------------------------------------------

const BS = defineAttrs('bs', 'BS_', [[1, 'b', 'bitset']]);
const decBits = (body: Uint8Array): Bitset => dec(BS, nest(1, body)).b as Bitset;

test('bitset, compact value/mask: SIZE, VALUE and MASK words', () => {
  const b = decBits(cat(u32(2, 40), bin(4, words(0b1001, 0x80)), bin(5, words(0b1011, 0xff))));
  assert.equal(b.size, 40);
  assert.equal(b.isList, false);
  assert.deepEqual(b.indices(), [0, 3, 39]);
  assert.deepEqual(b.maskIndices(), [0, 1, 3, 32, 33, 34, 35, 36, 37, 38, 39]);
  assert.equal(b.test(1), false);
  assert.equal(b.inMask(1), true);
  assert.equal(b.inMask(2), false);
});

test('bitset, compact list (NOMASK): bits past SIZE are not part of it', () => {
  const b = decBits(cat(flag(1), u32(2, 5), bin(4, words(0xffffffff))));
  assert.ok(b.isList);
  assert.deepEqual(b.indices(), [0, 1, 2, 3, 4]);
  assert.deepEqual(b.setNames(['a', 'b', 'c', 'd']), ['a', 'b', 'c', 'd', '#4']);
});

test('bitset, verbose value/mask: listed bits form the mask, VALUE flags the set ones; names kept', () => {
  const bit = (i: number, name: string, v: boolean): Uint8Array => nest(1, u32(1, i), str(2, name), ...(v ? [flag(3)] : []));
  const b = decBits(cat(u32(2, 3), nest(3, bit(0, 'rx', true), bit(2, 'tx', false))));
  assert.equal(b.isList, false);
  assert.deepEqual(b.named(), { rx: true, tx: false });
  assert.deepEqual(b.indices(), [0]);
  assert.equal(b.nameOf(2), 'tx');
});

test('bitset, verbose list: listed bits are set, without VALUE flags', () => {
  const b = decBits(cat(flag(1), u32(2, 19), nest(3, nest(1, u32(1, 1), str(2, 'software-transmit')), nest(1, u32(1, 4), str(2, 'software-receive')))));
  assert.ok(b.isList);
  assert.deepEqual(b.setNames(), ['software-transmit', 'software-receive']);
});

test('bitset encoding: compact list, compact value/mask, verbose by name and by index', () => {
  assert.equal(toHex(enc(BS, { b: Bitset.list(35, [1, 34]) })),
    toHex(nest(1, flag(1), u32(2, 35), bin(4, words(2, 4)))));
  assert.equal(toHex(enc(BS, { b: Bitset.change(8, [[0, true], [3, false]]) })),
    toHex(nest(1, u32(2, 8), bin(4, words(1)), bin(5, words(9)))));
  assert.equal(toHex(enc(BS, { b: { verbose: [{ name: 'rx-gro', value: false }, { index: 7, value: true }] } })),
    toHex(nest(1, nest(3, nest(1, str(2, 'rx-gro')), nest(1, u32(1, 7), flag(3))))));
  assert.equal(toHex(enc(BS, { b: { verbose: [{ name: 'magic', value: true }], nomask: true, size: 10 } })),
    toHex(nest(1, flag(1), u32(2, 10), nest(3, nest(1, str(2, 'magic'))))));
  assert.throws(() => enc(BS, { b: { verbose: [{}] } }), /needs an index or a name/);
  assert.throws(() => new Bitset(8).set(8, true), RangeError);
});

test('bitset round trips in both forms', () => {
  const a = Bitset.change(70, [[0, true], [33, false], [69, true]]);
  const back = dec(BS, enc(BS, { b: a })).b as Bitset;
  assert.deepEqual([...back.value], [...a.value]);
  assert.deepEqual([...back.mask!], [...a.mask!]);
  const v = dec(BS, enc(BS, { b: { verbose: [{ index: 3, name: 'x', value: true }, { index: 5, name: 'y' }], size: 8 } })).b as Bitset;
  assert.deepEqual(v.named(), { x: true, y: false });
});

test('malformed bitsets are rejected', () => {
  const bad = (body: Uint8Array, re: RegExp): void => assert.throws(() => decBits(body), (e: Error) => e instanceof NetlinkFormatError && re.test(e.message));
  bad(cat(bin(4, words(1))), /compact bitset without SIZE/);
  bad(cat(u32(2, 40), bin(4, words(1)), bin(5, words(1, 1))), /VALUE has 4 bytes, SIZE 40 needs 8/);
  bad(cat(u32(2, 8), bin(4, words(1))), /without MASK/);
  bad(cat(u32(2, 2), nest(3, nest(1, u32(1, 5)))), /bit 5 is outside SIZE 2/);
  bad(cat(nest(3, nest(1, str(2, 'x')))), /verbose bit without an index/);
});

test('the kernel\'s compact FEATURES reply decodes: hw value/mask, wanted/active lists', () => {
  const [m] = NL.parseMessages(fromHex(FX.FEATURES_COMPACT), fromHex(FX.FEATURES_COMPACT).byteLength);
  const r = NL.decodeReply(m);
  assert.equal(r.message, 'FEATURES_GET_REPLY');
  const hw = r.attrs.hw as Bitset;
  const active = r.attrs.active as Bitset;
  assert.equal(hw.size, 64);
  assert.equal(hw.isList, false);
  assert.equal(active.isList, true);
  assert.deepEqual(active.indices().slice(0, 3), [0, 3, 5]); // VALUE word 0x00134829
  assert.equal(hw.names, null); // compact: names come from the FEATURES string set
});

// ---- framing ---------------------------------------------------------------------------------

test('message building: nlmsghdr + genlmsghdr + attributes, exactly as ethtool -g eth0 sends it', () => {
  const w = new Writer(8);
  const bytes = NL.buildGenl(w, { family: 21, cmd: 15, version: 1, flags: 5, seq: 2, attrs: NL.RINGS, values: { header: { dev_name: 'eth0' } } });
  assert.equal(toHex(bytes), '24000000150005000200000000000000' + '0f010000' + '10000180090002006574683000000000');
});

test('a datagram of several messages: multi-part replies and NLMSG_DONE', () => {
  const rep = (name: string): Uint8Array => B.nlmsg({ type: 21, flags: 2, seq: 7, pid: 9 }, B.genl(16, 1, nest(1, str(2, name)), u32(6, 1)));
  const d = B.datagram(rep('a0'), rep('abc1'), B.done({ seq: 7, pid: 9 }));
  const msgs = NL.parseMessages(d, d.byteLength);
  assert.deepEqual(msgs.map(m => [m.type, m.flags, m.seq]), [[21, 2, 7], [21, 2, 7], [3, 2, 7]]);
  assert.deepEqual(msgs.slice(0, 2).map(m => ((NL.decodeReply(m).attrs.header) as NL.Attrs).dev_name), ['a0', 'abc1']);
  assert.deepEqual(NL.parseDone(msgs[2]), { error: 0, extack: null, request: null, requestPayload: null });
  const real = fromHex(FX.RINGS_DUMP);
  assert.deepEqual(NL.parseMessages(real, real.byteLength).map(m => m.type), [21, 3]);
});

test('an NLMSG_DONE may carry an error and extended ack TLVs', () => {
  const d = B.done({ seq: 1 }, -22, [str(1, 'dump failed'), u32(2, 20)]);
  const a = NL.parseDone(NL.parseMessages(d, d.byteLength)[0]);
  assert.equal(a.error, -22);
  assert.deepEqual(a.extack, { message: 'dump failed', offset: 20 });
});

test('acks: the kernel\'s -ENODEV with message and offset, -EOPNOTSUPP without TLVs', () => {
  const nodev = fromHex(FX.NODEV_EXTACK);
  const a = NL.parseAck(NL.parseMessages(nodev, nodev.byteLength)[0]);
  assert.equal(a.error, -19);
  assert.deepEqual(a.extack, { message: 'no device matches name', offset: 24 });
  assert.equal(a.request?.type, 21);
  assert.equal(a.requestPayload?.byteLength, 36 - 16);
  assert.deepEqual(NL.ethtoolErrorLines(a), ['netlink error: no device matches name (offset 24)', 'netlink error: No such device']);
  // OFFS 24 is the DEV_NAME attribute of the header nest in the echoed request.
  const req = cat(new Uint8Array(16), a.requestPayload!);
  assert.deepEqual(NL.attrPath(NL.RINGS, req, 20, req.byteLength, 24), ['header', 'dev_name']);

  const eop = fromHex(FX.PAUSE_EOPNOTSUPP);
  const b = NL.parseAck(NL.parseMessages(eop, eop.byteLength)[0]);
  assert.equal(b.error, -95);
  assert.equal(b.extack, null);
  assert.deepEqual(NL.ethtoolErrorLines(b), ['netlink error: Operation not supported']);
  assert.deepEqual(NL.ethtoolErrorLines(b, 1), []);
  const tun = fromHex(FX.TUNNEL_EXTACK);
  const c = NL.parseAck(NL.parseMessages(tun, tun.byteLength)[0]);
  assert.deepEqual(NL.ethtoolErrorLines(c), ['netlink error: device does not report tunnel offload info', 'netlink error: Operation not supported']);
  assert.deepEqual(NL.ethtoolErrorLines(c, 2), []);
});

test('acks: capped, with policy, missing attribute, cookie and an unknown TLV; a success ack with a warning', () => {
  const req = B.nlmsg({ type: 21, flags: 5, seq: 3 }, B.genl(18, 1, nest(1, str(2, 'va')), u32(6, 99)));
  const m = B.ack({ seq: 3 }, -34, req, {
    capped: true,
    tlvs: [str(1, 'requested channel count exceeds maximum'), u32(2, 32), bin(3, [0xaa, 0xbb]),
      nest(4, u32(1, 4), u64(5, 16n)), u32(5, 6), u32(6, 20), u32(77, 1)],
  });
  const a = NL.parseAck(NL.parseMessages(m, m.byteLength)[0]);
  assert.equal(a.error, -34);
  assert.equal(a.requestPayload, null);
  assert.deepEqual(a.extack, {
    message: 'requested channel count exceeds maximum', offset: 32, cookie: Uint8Array.from([0xaa, 0xbb]),
    policy: { type: 4, max_value_u: 16n }, missingType: 6, missingNest: 20,
    unknown: [{ id: 77, nested: false, data: Uint8Array.from([1, 0, 0, 0]) }],
  });
  const ok = B.ack({ seq: 4 }, 0, req, { tlvs: [str(1, 'setting ignored')] });
  const w = NL.parseAck(NL.parseMessages(ok, ok.byteLength)[0]);
  assert.equal(w.error, 0);
  assert.deepEqual(NL.ethtoolErrorLines(w), ['netlink warning: setting ignored']);
});

test('the kernel\'s family reply: id, version, 50 ops with flags, the monitor group', () => {
  const d = fromHex(FX.FAMILY_REPLY);
  const [m] = NL.parseMessages(d, d.byteLength);
  const g = NL.genlHeader(m);
  assert.equal(g.cmd, NL.CTRL_CMD.NEWFAMILY);
  const f = NL.familyFromAttrs(decodeAttrs(NL.CTRL, d, g.attrs, m.end));
  assert.equal(f.id, 21);
  assert.equal(f.name, 'ethtool');
  assert.equal(f.version, 1);
  assert.equal(f.ops.size, 50);
  assert.deepEqual([...f.groups], [['monitor', 6]]);
  assert.equal(NL.familyHas(f, 'RINGS_GET'), true);
  assert.equal(NL.familyHas(f, 'RINGS_GET', 'dump'), true);
  assert.equal(NL.familyHas(f, 'RINGS_SET', 'dump'), false); // SETs are do-only (flags 0x1a)
  assert.equal(NL.familyHas(f, 50), true); // a message newer than the catalog, by id
  assert.equal(NL.familyHas(f, 51), false);
});

// ---- malformed input --------------------------------------------------------------------------

test('malformed attributes and messages fail with a NetlinkFormatError naming the place', () => {
  const isFmt = (re: RegExp) => (e: Error): boolean => e instanceof NetlinkFormatError && re.test(e.message);
  // nla_len 0 would never advance: rejected, not looped on.
  assert.throws(() => dec(NL.RINGS, Uint8Array.from([0, 0, 2, 0, 1, 2, 3, 4])), isFmt(/has nla_len 0/));
  assert.throws(() => dec(NL.RINGS, Uint8Array.from([12, 0, 2, 0, 1, 2, 3, 4])), isFmt(/is 12 bytes, only 8 left/));
  assert.throws(() => dec(NL.RINGS, cat(u32(2, 1), [1, 2])), isFmt(/2 stray bytes/));
  assert.throws(() => dec(NL.RINGS, nest(1, Uint8Array.from([9, 0, 1, 0, 4, 0, 0, 0]))), isFmt(/^rings.header: attribute 1 at offset 4 is 9 bytes, only 8 left/));
  const short = Uint8Array.from([8, 0, 0, 0, 21, 0, 0, 0]);
  assert.throws(() => NL.parseMessages(short, 8), isFmt(/too short for a message header/));
  const len10 = fromHex('0a000000150000000000000000000000');
  assert.throws(() => NL.parseMessages(len10, 16), isFmt(/has nlmsg_len 10/));
  const over = fromHex('40000000150000000000000000000000');
  assert.throws(() => NL.parseMessages(over, 16), isFmt(/nlmsg_len 64, only 16 bytes received/));
  const errShort = B.nlmsg({ type: 2 }, Uint8Array.from([0xea, 0xff, 0xff, 0xff]));
  assert.throws(() => NL.parseAck(NL.parseMessages(errShort, errShort.byteLength)[0]), isFmt(/struct nlmsgerr needs/));
  const errOver = B.nlmsg({ type: 2 }, cat([0xea, 0xff, 0xff, 0xff], fromHex('ff000000150005000100000000000000')));
  assert.throws(() => NL.parseAck(NL.parseMessages(errOver, errOver.byteLength)[0]), isFmt(/echoed request of 255 bytes runs past/));
  const noGenl = B.nlmsg({ type: 21 }, Uint8Array.from([]));
  assert.throws(() => NL.genlHeader(NL.parseMessages(noGenl, 16)[0]), isFmt(/has no genlmsghdr/));
});

/** A small deterministic PRNG, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Decode a datagram the way the client does; returns how it ended. */
function decodeAll(d: Uint8Array): 'ok' | 'format' {
  try {
    for (const m of NL.parseMessages(d, d.byteLength)) {
      if (m.type === NL.NLMSG.ERROR) NL.parseAck(m);
      else if (m.type === NL.NLMSG.DONE) NL.parseDone(m);
      else if (m.type === NL.GENL_ID_CTRL) decodeAttrs(NL.CTRL, d, NL.genlHeader(m).attrs, m.end);
      else NL.decodeReply(m);
    }
    return 'ok';
  } catch (e) {
    if (e instanceof NetlinkFormatError) return 'format';
    throw e;
  }
}

test('truncated and corrupted kernel messages: a NetlinkFormatError or a decode, never another error', () => {
  const samples = [FX.FAMILY_REPLY, FX.RINGS_REPLY, FX.NODEV_EXTACK, FX.RINGS_DUMP, FX.FEATURES_COMPACT, FX.TUNNEL_EXTACK].map(fromHex);
  let format = 0;
  for (const s of samples) {
    assert.equal(decodeAll(s), 'ok');
    // Every truncation, with the message length left as it was and with it matching the cut.
    for (let n = 0; n < s.byteLength; n++) {
      const cut = s.slice(0, n);
      if (decodeAll(cut) === 'format') format++;
      if (n >= 16) {
        new DataView(cut.buffer).setUint32(0, n, true);
        decodeAll(cut);
      }
    }
  }
  assert.ok(format > 500, `only ${format} truncations were rejected`);
  // Random byte corruption.
  const r = rng(12345);
  for (let i = 0; i < 4000; i++) {
    const s = samples[i % samples.length].slice();
    const flips = 1 + Math.floor(r() * 4);
    for (let k = 0; k < flips; k++) s[Math.floor(r() * s.byteLength)] = Math.floor(r() * 256);
    decodeAll(s);
  }
});
