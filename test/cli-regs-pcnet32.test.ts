/**
 * PCnet32 register-dump printer against ethtool 6.1's `-d` output captured on the pcnet32 driver
 * (link up and link down), and the cases ethtool's text depends on beyond those captures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { print } from '../src/cli/regs/pcnet32';
import { prettyRegs } from '../src/cli/regs/index';

const FIX = path.join(path.resolve(__dirname, '../..'), 'test/fixtures/regs');
const raw = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIX, `${name}.raw`)));
const pretty = (name: string): string => fs.readFileSync(path.join(FIX, `${name}.pretty`), 'latin1');
/** `ethtool -i` of the captured interface said "version: 6.1.0-57-amd64". */
const drvVersion = '6.1.0-57-amd64';

for (const name of ['pcnet32', 'pcnet32.down']) {
  test(`${name}: byte-identical to ethtool -d`, () => {
    assert.equal(print({ driver: 'pcnet32', version: 0, data: raw(name), drvVersion }), pretty(name));
    assert.equal(prettyRegs({ driver: 'pcnet32', version: 0, data: raw(name), drvVersion }), pretty(name));
  });
}

test('pcnet32: every dump version is printed (ethtool never falls back for this driver)', () => {
  for (const version of [1, 2, 0xffffffff]) {
    assert.equal(print({ driver: 'pcnet32', version, data: raw('pcnet32'), drvVersion }), pretty('pcnet32'));
  }
});

test('pcnet32: a dump shorter than the CSR/BCR block, or no driver version, falls back to hex', () => {
  const data = raw('pcnet32');
  assert.equal(print({ driver: 'pcnet32', version: 0, data: data.subarray(0, 271), drvVersion }), null);
  assert.equal(print({ driver: 'pcnet32', version: 0, data: new Uint8Array(0), drvVersion }), null);
  assert.equal(print({ driver: 'pcnet32', version: 0, data }), null);
});

test('pcnet32: MII words of two PHYs, an odd trailing byte, and an unknown chip id', () => {
  const data = new Uint8Array((136 + 64) * 2 + 1);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < 64; i++) dv.setUint16((136 + i) * 2, 0x100 + i, true);
  dv.setUint16((8 + 89) * 2, 0xf123, true); // CSR89: VER f, part 0x123 (no chip of that name)
  dv.setUint16(8 * 2, 0x8421, true); // CSR0
  dv.setUint16((100 + 19) * 2, 0xa000, true); // BCR19
  const text = print({ driver: 'pcnet32', version: 0, data, drvVersion: '1.2' });
  assert.ok(text !== null);
  const lines = text.split('\n');
  assert.equal(lines[1], 'Version: 1.2');
  assert.equal(lines[19], 'BCR32:   0000  0000  0000  0000 ');
  assert.equal(lines[20], 'MII00:   0100  0101  0102  0103  0104  0105  0106  0107 ');
  assert.equal(lines[23], 'MII24:   0118  0119  011a  011b  011c  011d  011e  011f ');
  assert.equal(lines[24], 'MII00:   0120  0121  0122  0123  0124  0125  0126  0127 ');
  assert.equal(lines[27], 'MII24:   0138  0139  013a  013b  013c  013d  013e  013f ');
  // 64 words is whole rows: ethtool's block end still adds a newline, then the blank separator.
  assert.deepEqual(lines.slice(28, 30), ['', '']);
  assert.equal(lines[30], 'CSR0:   Status and Control         0x8421');
  assert.equal(lines[31], '  ERR RINT RXON INIT ');
  const at = lines.indexOf('CSR89:  Chip ID Upper              0xf123');
  assert.equal(lines[at - 1], 'CSR88:  Chip ID Lower              0x0000');
  assert.equal(lines[at + 1], '  VER: 000f  PARTIDU: 0123');
  assert.ok(lines.includes('  PVALID EEDET '));
  assert.ok(text.endsWith('BCR35:  PCI Vendor ID              0x0000\n'));
});
