/**
 * The request builders and decoders of FLASHDEV, SEEPROM, the firmware dump and PERQUEUE, and
 * the command-line parsing helpers of -f and -Q: exact request bytes against a scripted port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fw from '../src/ethtool/firmware';
import * as pq from '../src/ethtool/perqueue';
import * as S from '../src/ethtool/structs';
import { ETHTOOL } from '../src/ethtool/constants';
import { parseQueueMask } from '../src/cli/cmd/perqueue';
import { strtolPrefix } from '../src/common/numbers';
import { run } from '../src/app/run';
import type { Port } from '../src/ethtool/transport';

/** A port that records each request and answers with `reply` (which may fill the buffer). */
function port(reply: (buf: Uint8Array) => number = () => 0): Port & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { sent, ioctl: buf => { sent.push(buf.slice()); return reply(buf); } };
}
const u32 = (b: Uint8Array, off: number): number => new DataView(b.buffer, b.byteOffset).getUint32(off, true);

test('FLASHDEV: region (all regions = 0) and the NUL-terminated name in a 136-byte request', () => {
  const p = port();
  assert.equal(fw.flash(p, 'fw.bin', null), 0);
  assert.equal(fw.flash(p, 'x', 7), 0);
  assert.equal(p.sent[0].length, S.ethtool_flash.size);
  assert.equal(S.ethtool_flash.size, 136);
  assert.equal(u32(p.sent[0], 0), ETHTOOL.FLASHDEV);
  assert.equal(u32(p.sent[0], 4), 0);
  assert.equal(Buffer.from(p.sent[0].subarray(8, 15)).toString('latin1'), 'fw.bin\0');
  assert.equal(u32(p.sent[1], 4), 7);
  assert.throws(() => fw.flash(p, 'f'.repeat(128), null), /longer than 127/);
  assert.equal(fw.flash(p, 'f'.repeat(127), null), 0);
  assert.equal(p.sent[2][8 + 126], 0x66);
  assert.equal(p.sent[2][8 + 127], 0);
});

test('SEEPROM: magic, offset, len and the bytes after the 16-byte header', () => {
  const p = port();
  fw.setEeprom(p, 0x100e8086, 0x50, Uint8Array.of(0xab, 0xcd));
  const b = p.sent[0];
  assert.deepEqual([u32(b, 0), u32(b, 4), u32(b, 8), u32(b, 12)], [ETHTOOL.SEEPROM, 0x100e8086, 0x50, 2]);
  assert.deepEqual([...b.subarray(16)], [0xab, 0xcd]);
  fw.setEeprom(p, 0, 1, new Uint8Array(0), 0xffffffff);
  assert.equal(p.sent[1].length, 16);
  assert.equal(u32(p.sent[1], 12), 0xffffffff);
});

test('firmware dump: GET_DUMP_FLAG decoded, GET_DUMP_DATA sized by len, SET_DUMP carries the flag', () => {
  const p = port(buf => {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    dv.setUint32(4, 3, true); dv.setUint32(8, 2, true);
    if (dv.getUint32(0, true) === ETHTOOL.GET_DUMP_FLAG) dv.setUint32(12, 4, true);
    else if (dv.getUint32(0, true) === ETHTOOL.GET_DUMP_DATA) buf.set([1, 2, 3], 16), dv.setUint32(12, 3, true);
    return 0;
  });
  assert.deepEqual(fw.getDumpFlag(p), { ok: true, v: { flag: 2, version: 3, len: 4 } });
  const d = fw.getDumpData(p, 4);
  assert.ok(d.ok);
  assert.deepEqual([...d.v.data], [1, 2, 3]);
  assert.equal(p.sent[1].length, 20);
  assert.equal(u32(p.sent[1], 12), 4);
  fw.setDump(p, 0x10);
  assert.deepEqual([u32(p.sent[2], 0), u32(p.sent[2], 8)], [ETHTOOL.SET_DUMP, 0x10]);
  assert.deepEqual(fw.getDumpFlag(port(() => -95)), { ok: false, errno: 95 });
});

test('PERQUEUE: sub-command, 4096-bit mask, one ethtool_coalesce per queue of the mask', () => {
  const C = S.ethtool_coalesce.size;
  const p = port(buf => {
    // the kernel's answer: rx-usecs = 10 + slot
    for (let i = 0; i * C + 520 < buf.length; i++) new DataView(buf.buffer, buf.byteOffset).setUint32(520 + i * C + 4, 10 + i, true);
    return 0;
  });
  const mask = pq.queueMask([0, 33, 4095]);
  assert.deepEqual(pq.maskQueues(mask), [0, 33, 4095]);
  const got = pq.getPerQueueCoalesce(p, mask, 3);
  assert.ok(got.ok);
  assert.deepEqual(got.v.map(c => c.rx_coalesce_usecs), [10, 11, 12]);
  const b = p.sent[0];
  assert.equal(b.length, 520 + 3 * C);
  assert.deepEqual([u32(b, 0), u32(b, 4), u32(b, 8), u32(b, 12), u32(b, 8 + 127 * 4)], [ETHTOOL.PERQUEUE, ETHTOOL.GCOALESCE, 1, 2, 0x80000000]);
  assert.equal(pq.setPerQueueCoalesce(p, mask, got.v.map(c => ({ ...c, tx_max_coalesced_frames: 9 }))), 0);
  const s = p.sent[1];
  assert.equal(u32(s, 4), ETHTOOL.SCOALESCE);
  assert.equal(u32(s, 520 + C + 4), 11);
  assert.equal(u32(s, 520 + 2 * C + S.ethtool_coalesce.byName.tx_max_coalesced_frames.offset), 9);
  assert.throws(() => pq.queueMask([4096]), /outside/);
});

test('-Q queue_mask: hex with an optional 0x before digits, at most 1024 digits', () => {
  assert.deepEqual([...parseQueueMask('0x3')!.subarray(0, 2)], [3, 0]);
  assert.deepEqual([...parseQueueMask('1ffffffff')!.subarray(0, 2)], [0xffffffff, 1]);
  assert.equal(parseQueueMask('0x'), null);
  assert.equal(parseQueueMask('zz'), null);
  assert.equal(parseQueueMask('f'.repeat(1025)), null);
  assert.equal(parseQueueMask('f'.repeat(1024))![127], 0xffffffff);
  assert.deepEqual(parseQueueMask('')!.every(w => w === 0), true);
});

test('-f REGION: strtol without an end check, as a C long', () => {
  assert.equal(strtolPrefix('abc'), 0n);
  assert.equal(strtolPrefix('0x10'), 16n);
  assert.equal(strtolPrefix('010'), 8n);
  assert.equal(strtolPrefix(' -5x'), -5n);
  assert.equal(strtolPrefix('99999999999999999999'), (1n << 63n) - 1n);
  assert.equal(strtolPrefix('-99999999999999999999'), -(1n << 63n));
});

/** ethkit in-process over a port-like transport (for -E's stdin). */
async function ethkit(argv: string[], stdin: Uint8Array, reply: (buf: Uint8Array) => number): Promise<{ code: number; out: string; err: string; sent: Uint8Array[] }> {
  const sent: Uint8Array[] = [];
  const out: string[] = [], err: string[] = [];
  const transport = {
    ioctl: (_name: string, buf: Uint8Array) => { const r = reply(buf); sent.push(buf.slice()); return r; },
    alloc: (n: number) => new Uint8Array(n), close: () => undefined,
  };
  const code = await run(argv, {
    transport: transport as never, stdinBytes: stdin,
    stdout: { write: c => { out.push(Buffer.from(c).toString()); } }, stderr: { write: c => { err.push(Buffer.from(c).toString()); } },
  });
  return { code, out: out.join(''), err: err.join(''), sent };
}

/** A driver with a 128-byte EEPROM (GDRVINFO's eedump_len). */
function eepromDriver(buf: Uint8Array): number {
  if (u32(buf, 0) === ETHTOOL.GDRVINFO) new DataView(buf.buffer, buf.byteOffset).setUint32(S.ethtool_drvinfo.byName.eedump_len.offset, 128, true);
  return 0;
}

test('-E without value: exactly `length` bytes from stdin, sent after the header', async () => {
  const ok = await ethkit(['-E', 'e0', 'magic', '0x100e8086', 'offset', '4', 'length', '3'], Uint8Array.of(7, 8, 9), eepromDriver);
  assert.deepEqual([ok.code, ok.err], [0, '']);
  const set = ok.sent[1];
  assert.deepEqual([u32(set, 0), u32(set, 4), u32(set, 8), u32(set, 12), ...set.subarray(16)], [ETHTOOL.SEEPROM, 0x100e8086, 4, 3, 7, 8, 9]);
  const short = await ethkit(['-E', 'e0', 'offset', '4', 'length', '3'], Uint8Array.of(7, 8), eepromDriver);
  assert.deepEqual([short.code, short.err, short.sent.length], [75, 'not enough data from stdin\n', 1]);
  const long = await ethkit(['-E', 'e0', 'offset', '4', 'length', '3'], Uint8Array.of(7, 8, 9, 10), eepromDriver);
  assert.deepEqual([long.code, long.err, long.sent.length], [75, 'too much data from stdin\n', 1]);
  const refused = await ethkit(['-E', 'e0', 'value', '1'], new Uint8Array(0), b => (u32(b, 0) === ETHTOOL.SEEPROM ? -14 : eepromDriver(b)));
  assert.deepEqual([refused.code, refused.err], [87, 'Cannot set EEPROM data: Bad address\n']);
  const json = await ethkit(['--json', '-E', 'e0', 'offset', '9', 'value', '0x5a'], new Uint8Array(0), eepromDriver);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.out), [{ ifname: 'e0', magic: 0, offset: 9, length: 1 }]);
  assert.equal(json.sent[1][16], 0x5a);
});

test('-Q -c prints each queue of the mask; -Q -C sends every queue with the keys applied', async () => {
  const C = S.ethtool_coalesce.size;
  const pqDriver = (buf: Uint8Array): number => {
    if (u32(buf, 0) === ETHTOOL.PERQUEUE) for (let i = 0; 520 + i * C < buf.length; i++) new DataView(buf.buffer, buf.byteOffset).setUint32(520 + i * C + 4, 5, true);
    return 0;
  };
  const show = await ethkit(['-Q', 'e0', 'queue_mask', '0x5', '-c'], new Uint8Array(0), pqDriver);
  assert.equal(show.code, 0);
  assert.match(show.out, /^Queue: 0\nAdaptive RX: off  TX: off\n[\s\S]*rx-usecs: 5\n[\s\S]*Queue: 2\n/);
  const set = await ethkit(['-Q', 'e0', 'queue_mask', '0x3', '-C', 'rx-usecs', '5', 'tx-frames', '4'], new Uint8Array(0), pqDriver);
  assert.deepEqual([set.code, set.err], [0, 'rx-usecs unmodified, ignoring\nrx-usecs unmodified, ignoring\n']);
  const s = set.sent[1];
  assert.equal(u32(s, 4), ETHTOOL.SCOALESCE);
  assert.equal(u32(s, 520 + C + S.ethtool_coalesce.byName.tx_max_coalesced_frames.offset), 4);
  const none = await ethkit(['-Q', 'e0', 'queue_mask', '0x2', '-C'], new Uint8Array(0), pqDriver);
  assert.deepEqual([none.code, none.err], [0, 'Queue 1, no coalesce parameters changed\n']);
});
