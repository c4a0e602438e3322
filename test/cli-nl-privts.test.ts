/**
 * The netlink --show-priv-flags/--set-priv-flags, -T and --show-eee/--set-eee over the
 * scripted fake: exact request bytes, and hand-built replies the suite's devices cannot give
 * (drivers with private flags, hardware time stamping, EEE).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as B from './helpers/nl-bytes';
import { ackOf, ethkitNl, header, msg, request, strsetStep } from './helpers/nl-cli';

const { nest, str, u32, u8, flag } = B;
const PRIV_FLAGS = 2;

/** A verbose value/mask bitset: each bit listed with its index and name, VALUE when set. */
function verbose(type: number, size: number, bits: readonly [number, string, boolean][]): Uint8Array {
  return nest(type, u32(2, size), nest(3, ...bits.map(([i, n, v]) => nest(1, u32(1, i), str(2, n), ...(v ? [flag(3)] : [])))));
}

test('--show-priv-flags: PRIVFLAGS_GET, names padded to the longest', async () => {
  const r = await ethkitNl(['--show-priv-flags', 'va'], [
    { note: 'PRIVFLAGS_GET', request: request(13, 5, header('va')), replies: [msg(14, 'va', verbose(2, 3, [[0, 'legacy-rx', true], [1, 'mdd-auto-reset-vf', false], [2, 'x', true]])), ackOf] },
  ]);
  assert.equal(r.err, '');
  assert.equal(r.out, 'Private flags for va:\nlegacy-rx        : on\nmdd-auto-reset-vf: off\nx                : on\n');
  assert.equal(r.code, 0);
  r.t.assertDone();
});

test('--show-priv-flags: a compact bitset is named from the device\'s PRIV_FLAGS string set', async () => {
  const r = await ethkitNl(['--show-priv-flags', 'va'], [
    { note: 'PRIVFLAGS_GET', request: request(13, 5, header('va')), replies: [msg(14, 'va', nest(2, u32(2, 2), B.bin(4, B.words(2)), B.bin(5, B.words(3)))), ackOf] },
    { note: 'STRSET_GET va', request: request(1, 5, header('va'), nest(2, nest(1, u32(1, PRIV_FLAGS)))), replies: [msg(1, 'va', nest(2, nest(1, u32(1, PRIV_FLAGS), u32(2, 2), nest(3, nest(1, u32(1, 0), str(2, 'aa')), nest(1, u32(1, 1), str(2, 'bbbb')))))), ackOf] },
  ]);
  assert.equal(r.err, '');
  assert.equal(r.out, 'Private flags for va:\naa  : off\nbbbb: on\n');
  r.t.assertDone();
});

test('--set-priv-flags: the names and values sent verbose for the kernel to look up', async () => {
  const want = request(14, 5, header('va'), nest(2, nest(3, nest(1, str(2, 'legacy-rx'), flag(3)), nest(1, str(2, 'x')))));
  const r = await ethkitNl(['--set-priv-flags', 'va', 'legacy-rx', 'on', 'x', 'off'], [
    { note: 'PRIVFLAGS_SET', request: want, replies: [ackOf] },
  ]);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  r.t.assertDone();
});

test('-T: TSINFO_GET with hardware stamping, a PHC and filters', async () => {
  const r = await ethkitNl(['-T', 'va'], [
    { note: 'TSINFO_GET', request: request(25, 5, header('va')), replies: [msg(26, 'va',
      verbose(2, 17, [[0, 'hardware-transmit', true], [2, 'hardware-receive', true], [6, 'hardware-raw-clock', true]]),
      verbose(3, 4, [[0, 'off', true], [1, 'on', true]]),
      verbose(4, 16, [[0, 'none', true], [1, 'all', true]]),
      u32(5, 0)), ackOf] },
  ]);
  assert.equal(r.err, '');
  assert.equal(r.out, 'Time stamping parameters for va:\nCapabilities:\n\thardware-transmit\n\thardware-receive\n\thardware-raw-clock\n' +
    'PTP Hardware Clock: 0\nHardware Transmit Timestamp Modes:\n\toff\n\ton\nHardware Receive Filter Modes:\n\tnone\n\tall\n');
});

test('--show-eee: EEE_GET, status, Tx LPI and the three link mode lines', async () => {
  const r = await ethkitNl(['--show-eee', 'va'], [
    { note: 'EEE_GET', request: request(23, 5, header('va')), replies: [msg(24, 'va',
      verbose(2, 92, [[3, '100baseT/Full', true], [5, '1000baseT/Full', false]]),
      verbose(3, 92, [[3, '100baseT/Full', true]]),
      u8(4, 1), u8(5, 1), u8(6, 1), u32(7, 17)), ackOf] },
  ]);
  assert.equal(r.err, '');
  assert.equal(r.out, 'EEE settings for va:\n\tEEE status: enabled - active\n\tTx LPI: 17 (us)\n' +
    '\tSupported EEE link modes:  100baseT/Full\n\t                           1000baseT/Full\n' +
    '\tAdvertised EEE link modes:  100baseT/Full\n' +
    '\tLink partner advertised EEE link modes:  100baseT/Full\n');
  assert.equal(r.code, 0);
});

test('--set-eee: exactly the parameters given; advertise is hex, without a mask a list', async () => {
  const want = request(24, 5, header('va'), u8(5, 0), u32(7, 100), nest(2, flag(1), u32(2, 6), B.bin(4, B.words(0x20))));
  const r = await ethkitNl(['--set-eee', 'va', 'eee', 'off', 'tx-timer', '100', 'advertise', '20'], [
    { note: 'EEE_SET', request: want, replies: [ackOf] },
  ]);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  r.t.assertDone();
});
