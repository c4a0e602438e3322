/**
 * The rig's comparison of live register dumps (test/rig/common.ts maskedSame): a 32-bit word
 * that moved between ethtool's two runs is masked whole; everything else must be equal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskedSame } from './rig/common';
import type { Capture } from './diff/harness';

const cap = (stdout: Buffer | string): Capture => ({ tool: 'ethtool', argv: [], ns: null, status: 0, stdout: Buffer.from(stdout as string, 'latin1'), stderr: Buffer.alloc(0) });
const hex = (bytes: number[]) => 'Offset\t\tValues\n------\t\t------' +
  bytes.map((b, i) => (i % 16 === 0 ? `\n0x${i.toString(16).padStart(4, '0')}:\t\t` : '') + b.toString(16).padStart(2, '0') + ' ').join('') + '\n';

test('raw dumps: a counter word whose high byte happened to stay equal in both references is masked whole', () => {
  const a = [1, 2, 3, 4, 0x26, 0x2c, 0x6a, 0];
  const b = [1, 2, 3, 4, 0x27, 0x2d, 0x6a, 0];
  const got = [1, 2, 3, 4, 0xdb, 0xf0, 0x4a, 0];
  const r = maskedSame(cap(Buffer.from(a)), cap(Buffer.from(b)), cap(Buffer.from(got)), true);
  assert.deepEqual(r, { same: true, masked: 4 });
});

test('raw dumps: a difference in a word that did not move is a mismatch', () => {
  const a = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const b = Buffer.from([1, 2, 3, 4, 9, 6, 7, 8]);
  const got = Buffer.from([1, 2, 3, 5, 9, 6, 7, 8]);
  assert.equal(maskedSame(cap(a), cap(b), cap(got), true)?.same, false);
});

test('hex dumps are compared by word too, and their offsets and layout must match exactly', () => {
  const a = [...Array(20).keys()];
  const b = a.map((x, i) => (i === 17 ? 99 : x));
  const got = a.map((x, i) => (i === 16 ? 50 : x));
  assert.deepEqual(maskedSame(cap(hex(a)), cap(hex(b)), cap(hex(got)), false), { same: true, masked: 4 });
  const shifted = hex(got).replace('0x0010:', '0x0011:');
  assert.equal(maskedSame(cap(hex(a)), cap(hex(b)), cap(shifted), false)?.same, false);
  const other = a.map((x, i) => (i === 3 ? 77 : x));
  assert.equal(maskedSame(cap(hex(a)), cap(hex(b)), cap(hex(other)), false)?.same, false);
});

test('a different exit status or stderr is never masked', () => {
  const a = cap(Buffer.from([1]));
  assert.equal(maskedSame(a, a, { ...a, status: 74 }, true)?.same, false);
  assert.equal(maskedSame(a, a, { ...a, stderr: Buffer.from('x') }, true)?.same, false);
});
