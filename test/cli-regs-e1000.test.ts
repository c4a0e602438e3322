/**
 * e1000 / e1000e register-dump printer against ethtool 6.1's `-d` output captured on the real
 * drivers (link up and link down), the lines that depend on the MAC generation, and the fallback
 * to the hex dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { print } from '../src/cli/regs/e1000';
import { prettyRegs } from '../src/cli/regs/index';

const FIX = path.join(path.resolve(__dirname, '../..'), 'test/fixtures/regs');
const raw = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIX, `${name}.raw`)));
const pretty = (name: string): string => fs.readFileSync(path.join(FIX, `${name}.pretty`), 'latin1');
/** ethtool's hex dump ("Offset\t\tValues" table) back to bytes */
const fromHex = (name: string): Uint8Array => {
  const rows = fs.readFileSync(path.join(FIX, `${name}.hex`), 'latin1').split('\n').slice(2).filter(Boolean);
  return Uint8Array.from(rows.flatMap((r) => r.split('\t').pop()!.trim().split(' ').map((h) => parseInt(h, 16))));
};
/** ethtool_regs.version of the captured devices: format 1, revision, PCI device id */
const V_E1000 = 0x103100e; // 82540EM
const V_E1000E = 0x10010d3; // 82574L: not in ethtool's table, shown as an 82543-class part

test('e1000e: byte-identical to ethtool -d (link up and down)', () => {
  for (const name of ['e1000e', 'e1000e.down']) {
    assert.equal(print({ driver: 'e1000e', version: V_E1000E, data: raw(name) }), pretty(name), name);
    assert.equal(prettyRegs({ driver: 'e1000e', version: V_E1000E, data: raw(name) }), pretty(name), name);
  }
});

test('e1000: byte-identical to ethtool -d (link down)', () => {
  assert.equal(print({ driver: 'e1000', version: V_E1000, data: raw('e1000.down') }), pretty('e1000.down'));
  assert.equal(prettyRegs({ driver: 'e1000', version: V_E1000, data: raw('e1000.down') }), pretty('e1000.down'));
});

test('e1000: byte-identical to ethtool -d (link up)', () => {
  // The raw, hex and pretty captures are separate dumps of live registers: between the raw one and
  // the other two the interface sent a frame, moving the transmit descriptor head and tail (words 9
  // and 10) from 5 to 6. The hex capture holds the registers the pretty one printed.
  const captured = raw('e1000');
  const hex = fromHex('e1000');
  assert.equal(hex.length, captured.length);
  const differing = [...captured].flatMap((b, i) => (b === hex[i] ? [] : [i]));
  assert.deepEqual(differing, [36, 40]);
  assert.deepEqual([captured[36], captured[40], hex[36], hex[40]], [5, 5, 6, 6]);
  assert.equal(print({ driver: 'e1000', version: V_E1000, data: hex }), pretty('e1000'));
  assert.equal(prettyRegs({ driver: 'e1000', version: V_E1000, data: hex }), pretty('e1000'));
  // and the raw dump as captured differs only in those two lines
  const got = print({ driver: 'e1000', version: V_E1000, data: captured });
  assert.ok(got !== null);
  const want = pretty('e1000').split('\n');
  const lines = got.split('\n');
  assert.equal(lines.length, want.length);
  assert.deepEqual(lines.flatMap((l, i) => (l === want[i] ? [] : [i])), [45, 46]);
  assert.equal(lines[45], '0x03810: TDH   (Transmit desc head)      0x00000005');
});

test('e1000: a dump format other than 1 in the top byte falls back to the hex dump', () => {
  for (const version of [0, 0x100e, 0x203100e, 0xff03100e, 0x003100e]) {
    assert.equal(print({ driver: 'e1000', version, data: raw('e1000') }), null);
  }
  // too short for the words the printer reads
  assert.equal(print({ driver: 'e1000', version: V_E1000, data: new Uint8Array(48) }), null);
  const noPhy = new Uint8Array(52);
  new DataView(noPhy.buffer).setUint32(48, 7, true);
  assert.ok(print({ driver: 'e1000', version: V_E1000, data: noPhy })!.endsWith('PHY type:                                unknown\n'));
  new DataView(noPhy.buffer).setUint32(48, 0, true); // M88: words 13 and 17 are needed
  assert.equal(print({ driver: 'e1000', version: V_E1000, data: noPhy }), null);
});

/** Lines of a dump whose words are `w` (index → value), for device id `dev`. */
const lines = (dev: number, w: Record<number, number>): string[] => {
  const data = new Uint8Array(128);
  const v = new DataView(data.buffer);
  for (const [i, x] of Object.entries(w)) v.setUint32(Number(i) * 4, x >>> 0, true);
  const text = print({ driver: 'e1000', version: 0x1000000 | dev, data });
  assert.ok(text !== null && text.endsWith('\n'));
  return text.split('\n').slice(0, -1);
};
const value = (ls: string[], label: string): string[] =>
  ls.filter((l) => l.startsWith(`      ${label}:`)).map((l) => l.slice(41));

test('e1000: lines that depend on the MAC generation', () => {
  // 82542: no speed/duplex forcing, no bus lines, no BSEX sizes, no late-collision line
  let ls = lines(0x1000, { 1: 0xffff_ffff, 2: 0x0203_0000, 12: 1 });
  assert.deepEqual(value(ls, 'Speed select'), []);
  assert.deepEqual(value(ls, 'Bus type'), []);
  assert.deepEqual(value(ls, 'TBI mode'), []);
  assert.deepEqual(value(ls, 'Receive buffer size'), ['256']);
  assert.deepEqual(value(ls, 'Re-transmit on late collision'), []);
  assert.equal(ls.length, 2 + 8 + 3 + 13 + 4 + 4 + 4 + 1);
  assert.equal(ls[ls.length - 1], 'PHY type:                                IGP');
  // 82571 (PCI Express): port number instead of bus speed and width
  ls = lines(0x105e, { 1: 0x0000_1ac4, 12: 2 });
  assert.deepEqual(value(ls, 'Bus type'), ['PCI Express']);
  assert.deepEqual(value(ls, 'Port number'), ['1']);
  assert.deepEqual(value(ls, 'Bus speed'), []);
  assert.deepEqual(value(ls, 'Bus width'), []);
  assert.deepEqual(value(ls, 'Link speed'), ['not used']);
  assert.equal(ls[ls.length - 1], 'PHY type:                                IGP2');
  // PCI-X bus speeds, 64-bit, BSEX buffer sizes, forced speed
  ls = lines(0x1010, { 0: 0x0000_1b00, 1: 0x0000_b000, 2: 0x0201_0300 });
  assert.deepEqual(value(ls, 'Bus type'), ['PCI-X']);
  assert.deepEqual(value(ls, 'Bus speed'), ['133MHz']);
  assert.deepEqual(value(ls, 'Bus width'), ['64-bit']);
  assert.deepEqual(value(ls, 'Receive buffer size'), ['16384']);
  assert.deepEqual(value(ls, 'Descriptor minimum threshold size'), ['reserved']);
  assert.deepEqual(value(ls, 'Speed select'), ['not used']);
  assert.deepEqual(value(ls, 'Force speed'), ['yes']);
  assert.deepEqual(value(ls, 'Force duplex'), ['yes']);
  assert.deepEqual(value(lines(0x1010, { 1: 0x6000 }), 'Bus speed'), ['100MHz']);
  assert.deepEqual(value(lines(0x1010, { 1: 0x2000 }), 'Bus speed'), ['66MHz']);
  assert.deepEqual(value(lines(0x1010, { 1: 0x0800 }), 'Bus speed'), ['66MHz']);
  assert.deepEqual(value(lines(0x1010, { 2: 0x0200_0000 }), 'Receive buffer size'), ['reserved']);
});

test('e1000: M88 PHY status and control decoding', () => {
  const ls = lines(0x100e, { 13: 0x5ba3, 17: 0x0fd7 });
  assert.deepEqual(value(ls, 'Cable Length Estimate'), ['unknown meters']);
  assert.deepEqual(value(ls, 'Speed'), ['100 mbps']);
  assert.deepEqual(value(ls, 'Polarity'), ['reverse']);
  assert.deepEqual(value(ls, 'Jabber'), ['yes']);
  assert.deepEqual(value(ls, 'Jabber function'), ['disabled']);
  assert.deepEqual(value(ls, 'Auto-MDIX'), ['1000 auto, 10/100 MDI']);
  assert.deepEqual(value(ls, 'Force Link Good'), ['forced']);
  assert.deepEqual(value(ls, '100Base-TX Interface'), ['5-bit']);
  assert.deepEqual(value(lines(0x100e, { 13: 0xc200 }), 'Cable Length Estimate'), ['140+ meters']);
  assert.deepEqual(value(lines(0x100e, { 13: 0xc200 }), 'Speed'), ['unknown mbps']);
  assert.deepEqual(value(lines(0x100e, { 17: 0x20 }), 'Auto-MDIX'), ['force MDIX']);
});
