/**
 * e100 register-dump printer against ethtool 6.1's `-d` output captured on the real driver
 * (link up and link down), and its fallback to the hex dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { print } from '../src/cli/regs/e100';
import { prettyRegs } from '../src/cli/regs/index';

const FIX = path.join(path.resolve(__dirname, '../..'), 'test/fixtures/regs');
const raw = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIX, `${name}.raw`)));
const pretty = (name: string): string => fs.readFileSync(path.join(FIX, `${name}.pretty`), 'latin1');
/** ethtool_regs.version of the captured device: format 1, PCI revision 9 (82559-class, before 82551) */
const VERSION = 0x1000009;

test('e100: byte-identical to ethtool -d (link up)', () => {
  assert.equal(print({ driver: 'e100', version: VERSION, data: raw('e100') }), pretty('e100'));
  assert.equal(prettyRegs({ driver: 'e100', version: VERSION, data: raw('e100') }), pretty('e100'));
});

test('e100: byte-identical to ethtool -d (link down)', () => {
  // The raw and pretty captures are two separate dumps of live registers. The driver reads the
  // SCB status before reading the PHY over MDI, and with the interface down (all interrupts
  // masked) nothing acknowledges the resulting "MDI done" interrupt, so the dump taken after the
  // first one sees status bit 0x0800 pending. The pretty capture is such a later dump; the raw one
  // is not. Give the printer the status word the pretty capture saw, and check the rest unchanged.
  const data = raw('e100.down').slice();
  const view = new DataView(data.buffer);
  assert.equal(view.getUint16(0, true), 0x0000);
  view.setUint16(0, 0x0800, true);
  assert.equal(print({ driver: 'e100', version: VERSION, data }), pretty('e100.down'));
  // and the dump exactly as captured differs only in the status word and its MDI-done line
  const asCaptured = print({ driver: 'e100', version: VERSION, data: raw('e100.down') });
  assert.ok(asCaptured !== null);
  const want = pretty('e100.down').split('\n');
  const got = asCaptured.split('\n');
  assert.equal(got.length, want.length);
  const differing = got.flatMap((line, i) => (line === want[i] ? [] : [i]));
  assert.deepEqual(differing, [0, 7]);
  assert.equal(got[0], 'SCB Status Word (Lower Word)             0x0000');
  assert.equal(got[7], '      MDI Done:                          no');
});

test('e100: a format other than 1 in the top byte falls back to the hex dump', () => {
  for (const version of [0, 9, 0x2000009, 0xff000009, 0x0100009]) {
    assert.equal(print({ driver: 'e100', version, data: raw('e100') }), null);
  }
  assert.equal(print({ driver: 'e100', version: VERSION, data: new Uint8Array(2) }), null);
});

test('e100: state names, flags, and MDI/MDI-X from the PHY on revision 12 and later', () => {
  const dump = (w0: number, w1: number | null, rev: number): string[] => {
    const data = new Uint8Array(w1 === null ? 4 : 8);
    const v = new DataView(data.buffer);
    v.setUint32(0, w0, true);
    if (w1 !== null) v.setUint32(4, w1, true);
    const text = print({ driver: 'e100', version: 0x1000000 | rev, data });
    assert.ok(text !== null && text.endsWith('\n'));
    return text.split('\n').slice(0, -1);
  };
  let lines = dump(0xff87_c0a4, null, 12);
  assert.equal(lines[0], 'SCB Status Word (Lower Word)             0xC0A4');
  assert.equal(lines[1], '      RU Status:               Suspended with no more RBDs');
  assert.equal(lines[2], '      CU Status:              Active');
  assert.equal(lines[12], 'SCB Command Word (Upper Word)            0xFF87');
  assert.equal(lines[13], '      RU Command:              Unknown');
  assert.equal(lines[14], '      CU Command:              Unknown');
  assert.equal(lines[15], '      Software Generated Interrupt:      yes');
  assert.equal(lines.length, 24); // one word: no MDI/MDI-X line
  lines = dump(0x0074_00fc, 0x30, 12);
  assert.equal(lines[1], '      RU Status:               Unknown State');
  assert.equal(lines[2], '      CU Status:               Unknown State');
  assert.equal(lines[14], '      CU Command:              Dump & Reset Counters');
  assert.equal(lines[24], 'MDI/MDI-X Status:                        MDI-X');
  assert.equal(dump(0, 0x10, 12)[24], 'MDI/MDI-X Status:                        MDI');
  assert.equal(dump(0, 0x20, 12)[24], 'MDI/MDI-X Status:                        Unknown');
  assert.equal(dump(0, 0x30, 11)[24], 'MDI/MDI-X Status:                        MDI');
});
