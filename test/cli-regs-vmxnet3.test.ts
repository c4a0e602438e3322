/**
 * vmxnet3 register-dump printer against ethtool 6.1's `-d` output captured on the real driver
 * (link up and link down), and its fallback to the hex dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { print } from '../src/cli/regs/vmxnet3';
import { prettyRegs } from '../src/cli/regs/index';

const FIX = path.join(path.resolve(__dirname, '../..'), 'test/fixtures/regs');
const raw = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIX, `${name}.raw`)));
const pretty = (name: string): string => fs.readFileSync(path.join(FIX, `${name}.pretty`), 'latin1');

for (const name of ['vmxnet3', 'vmxnet3.down']) {
  test(`${name}: byte-identical to ethtool -d`, () => {
    assert.equal(print({ driver: 'vmxnet3', version: 2, data: raw(name) }), pretty(name));
    assert.equal(prettyRegs({ driver: 'vmxnet3', version: 2, data: raw(name) }), pretty(name));
  });
}

test('vmxnet3: versions other than 2 fall back to the hex dump', () => {
  for (const version of [0, 1, 3, 0x102, 0xffffffff]) {
    assert.equal(print({ driver: 'vmxnet3', version, data: raw('vmxnet3') }), null);
  }
});

test('vmxnet3: a dump shorter than its queue counts say falls back instead of inventing values', () => {
  const data = raw('vmxnet3');
  assert.equal(print({ driver: 'vmxnet3', version: 2, data: data.subarray(0, data.length - 4) }), null);
  assert.equal(print({ driver: 'vmxnet3', version: 2, data: new Uint8Array(0) }), null);
});

test('vmxnet3: queue counts and values come from the dump', () => {
  const words = new Uint32Array(14);
  words.set([0x1, 0x1, 0x89abcdef, 0x01234567, 0xcafe, 0x12005452, 0xaabb3434, 0x5, 0x6]);
  words[9] = 2; // two interrupt masks
  words[10] = 0x10;
  words[11] = 0x20;
  words[12] = 0x80000000; // a transmit-queue count with the top bit set lists no queue
  words[13] = 0; // no receive queue
  const text = print({ driver: 'vmxnet3', version: 2, data: new Uint8Array(words.buffer) });
  assert.ok(text !== null);
  const lines = text.split('\n');
  assert.equal(lines[4], '    DSA  (Driver Shared Address)                    0x0123456789abcdef');
  assert.equal(lines[5], '    CMD  (Command Register)                         0xcafe');
  assert.equal(lines[6], '    MAC  (Media Access Control address)             52:54:00:12:34:34');
  assert.equal(lines[11], '    IMR (Interrupt Mask Register) 0                 0x10');
  assert.equal(lines[12], '    IMR (Interrupt Mask Register) 1                 0x20');
  assert.equal(lines.length, 14);
  assert.equal(text.endsWith('0x20\n'), true);
});
