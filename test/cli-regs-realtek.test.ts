/**
 * RealTek register-dump printer against ethtool 6.1's `-d` output captured on the 8139cp driver
 * (link up and link down), and its fallback to the hex dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { print } from '../src/cli/regs/realtek';
import { prettyRegs } from '../src/cli/regs/index';

const FIX = path.join(path.resolve(__dirname, '../..'), 'test/fixtures/regs');
const raw = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIX, `${name}.raw`)));
const pretty = (name: string): string => fs.readFileSync(path.join(FIX, `${name}.pretty`), 'latin1');

/**
 * The raw and pretty captures are two ethtool runs, and the Timer count register (TCTR, 0x48)
 * counts PCI clocks freely between them; every other register is identical. The dump is given the
 * counter value the pretty run saw, so the whole text can be compared byte for byte.
 */
const capture = (name: string): Uint8Array => {
  const data = raw(name).slice();
  const m = /^0x48: Timer count +0x([0-9a-f]{8})$/m.exec(pretty(name));
  assert.ok(m, `${name}.pretty has a Timer count line`);
  new DataView(data.buffer).setUint32(0x48, parseInt(m[1], 16), true);
  return data;
};

for (const name of ['8139cp', '8139cp.down']) {
  test(`${name}: byte-identical to ethtool -d`, () => {
    assert.equal(print({ driver: '8139cp', version: 1, data: capture(name) }), pretty(name));
    assert.equal(prettyRegs({ driver: '8139cp', version: 1, data: capture(name) }), pretty(name));
  });
}

test('8139cp: the unpatched capture differs only in the Timer count line', () => {
  const mine = print({ driver: '8139cp', version: 1, data: raw('8139cp') });
  assert.ok(mine !== null);
  const a = mine.split('\n');
  const b = pretty('8139cp').split('\n');
  assert.equal(a.length, b.length);
  const differ = a.flatMap((l, i) => (l === b[i] ? [] : [l.slice(0, 18)]));
  assert.deepEqual(differ, ['0x48: Timer count ']);
  const tctr = new DataView(raw('8139cp').buffer).getUint32(0x48, true);
  assert.ok(mine.includes(`0x48: Timer count                             0x${tctr.toString(16).padStart(8, '0')}\n`));
});

test('realtek: the chip comes from TxConfig, not from the dump version', () => {
  for (const version of [0, 2, 0xffffffff]) {
    assert.equal(print({ driver: '8139cp', version, data: capture('8139cp') }), pretty('8139cp'));
  }
});

test('realtek: an unidentified chip or a short dump falls back to the hex dump', () => {
  const data = raw('8139cp').slice();
  new DataView(data.buffer).setUint32(0x40, 0x7c400000, true); // no revision matches
  assert.equal(print({ driver: '8139cp', version: 1, data }), null);
  assert.equal(print({ driver: '8139cp', version: 1, data: raw('8139cp').subarray(0, 255) }), null);
  assert.equal(print({ driver: '8139cp', version: 1, data: new Uint8Array(0) }), null);
});

test('realtek: plain 8139 and 8169-family layouts', () => {
  const data = new Uint8Array(256);
  const dv = new DataView(data.buffer);
  dv.setUint32(0x40, 0x74000000, true); // 8139C
  dv.setUint32(0x10, 0x11223344, true);
  dv.setUint16(0x3c, 0x8025, true);
  dv.setUint8(0x36, 0x0a);
  let text = print({ driver: '8139too', version: 1, data });
  assert.ok(text !== null);
  let lines = text.split('\n');
  assert.equal(lines[0], 'RealTek RTL8139C registers:');
  assert.equal(lines[4], '0x10: Transmit Status Desc 0                  0x11223344');
  assert.ok(lines.includes('      ERxGood ERxOverWrite '));
  assert.ok(lines.includes('      SERR LinkChg TxOK RxOK '));
  assert.ok(lines.includes('0xD8: Config 5                                      0x00'));
  assert.ok(!text.includes('C+ Command'));

  dv.setUint32(0x40, 0x38000000, true); // 8168b/8111b (MAC 12): no TBI, no Func block
  dv.setUint16(0xe0, 0x0228, true);
  text = print({ driver: 'r8169', version: 1, data });
  assert.ok(text !== null);
  lines = text.split('\n');
  assert.equal(lines[0], 'RealTek RTL8168b/8111b registers:');
  assert.ok(!text.includes('TBI') && !text.includes('Func Event') && !text.includes('0x30:'));
  assert.ok(lines.includes('0xDA: RX packet maximum size                      0x0000'));
  const at = lines.indexOf('0xE0: C+ Command                                  0x0228');
  assert.deepEqual(lines.slice(at + 1, at + 4), ['      Big-endian mode', '      RX checksumming', '      PCI Multiple RW']);
  assert.ok(text.endsWith('0xEC: Early Tx threshold                            0x00\n'));

  dv.setUint32(0x40, 0x00000000, true); // 8169
  text = print({ driver: 'r8169', version: 1, data });
  assert.ok(text !== null && text.includes('0x64: TBI control and status') && text.endsWith('0xFC: Func Force Event                        0x00000000\n'));
});
