/**
 * The netlink socket itself (src/ffi/netlink.ts) on the real kernel, with raw messages:
 * binding, the kernel's port id in replies, receive timeouts, a datagram larger than the
 * buffer left queued and taken whole with a larger one, async receive, errors after close;
 * and under native/build/nonetlink.so (no AF_NETLINK sockets) a typed error carrying
 * EAFNOSUPPORT, in a child process, while the ioctl transport still opens (the fallback).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openNetlink, NetlinkSocketError } from '../src/ffi/netlink';
import { FfiError } from '../src/ffi/koffi';
import { CTRL, CTRL_CMD, GENL_ID_CTRL, NLMSG, Writer, buildGenl, parseAck, parseMessages } from '../src/ethtool/netlink';
import { runChild, ok } from './helpers/nl-run';

const ROOT = path.resolve(__dirname, '../..');
const SHIM = path.join(ROOT, 'native', 'build', 'nonetlink.so');
const EAFNOSUPPORT = 97;

function getFamily(seq: number): Uint8Array {
  return buildGenl(new Writer(), { family: GENL_ID_CTRL, cmd: CTRL_CMD.GETFAMILY, version: 1, flags: 5, seq, attrs: CTRL, values: { family_name: 'ethtool' } }).slice();
}

test('open, send, receive: the reply is addressed to our port and seq', () => {
  const t = openNetlink();
  try {
    assert.ok(t.portId > 0, 'the kernel assigned a port id');
    const req = getFamily(77);
    assert.equal(t.send(req), req.byteLength);
    const buf = new Uint8Array(65536);
    const n = t.recv(buf, 2000);
    assert.ok(n > 100, `reply of ${n} bytes`);
    const [m] = parseMessages(buf, n);
    assert.equal(m.type, GENL_ID_CTRL);
    assert.equal(m.seq, 77);
    assert.equal(m.pid, t.portId);
    const a = t.recv(buf, 2000);
    const [ackMsg] = parseMessages(buf, a);
    assert.equal(ackMsg.type, NLMSG.ERROR);
    assert.equal(parseAck(ackMsg).error, 0);
  } finally {
    t.close();
  }
});

test('a datagram larger than the buffer is reported by size, stays queued, and comes whole', () => {
  const t = openNetlink();
  try {
    t.send(getFamily(1));
    const small = new Uint8Array(64);
    const size = t.recv(small, 2000);
    assert.ok(size > small.byteLength, `reported ${size}`);
    assert.equal(t.recv(small, 2000), size, 'still queued, same size');
    const big = new Uint8Array(size);
    assert.equal(t.recv(big, 2000), size);
    const [m] = parseMessages(big, size);
    assert.equal(m.len, size);
    const rest = new Uint8Array(4096);
    assert.equal(parseMessages(rest, t.recv(rest, 2000))[0].type, NLMSG.ERROR, 'then the ack');
  } finally {
    t.close();
  }
});

test('receive timeout: -ETIMEDOUT after about the time asked', () => {
  const t = openNetlink();
  try {
    const start = Date.now();
    assert.equal(t.recv(new Uint8Array(1024), 150), -110);
    const ms = Date.now() - start;
    assert.ok(ms >= 140 && ms < 2000, `${ms} ms`);
  } finally {
    t.close();
  }
});

test('async receive: waits off the main thread, times out, and ends on close', async () => {
  const t = openNetlink();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    assert.equal(await t.recvAsync(new Uint8Array(1024), 200), -110);
    assert.ok(ticks >= 5, `the event loop ran ${ticks} times during the wait`);
    t.send(getFamily(5));
    const buf = new Uint8Array(65536);
    const n = await t.recvAsync(buf, 2000);
    assert.equal(parseMessages(buf, n)[0].seq, 5);
    assert.equal(await t.recvAsync(buf, 2000) > 0, true); // the ack
    const pending = t.recvAsync(buf);
    const concurrent = await t.recvAsync(buf, 10);
    assert.equal(concurrent, -16, 'one wait at a time (EBUSY)');
    const start = Date.now();
    setTimeout(() => t.close(), 50);
    assert.equal(await pending, -9);
    assert.ok(Date.now() - start < 1000);
  } finally {
    clearInterval(timer);
    t.close();
  }
  assert.equal(t.send(getFamily(6)), -9);
  assert.equal(t.recv(new Uint8Array(16), 10), -9);
  assert.equal(t.addMembership(1), -9);
});

test('membership of a group that does not exist is refused with an errno', () => {
  const t = openNetlink();
  try {
    assert.ok(t.addMembership(0x7fffffff) < 0);
  } finally {
    t.close();
  }
});

test('under nonetlink.so: opening fails with a typed error carrying EAFNOSUPPORT; ioctls still open', () => {
  if (!existsSync(SHIM)) {
    const make = spawnSync('make', ['-s', '-C', path.join(ROOT, 'native')], { encoding: 'utf8' });
    if (make.status !== 0 || !existsSync(SHIM)) throw new Error(`cannot build ${SHIM}: ${make.stderr}`);
  }
  const [open] = runChild(null, [{ open: true }], { LD_PRELOAD: SHIM });
  assert.ok('error' in open, 'opening must fail under the shim');
  if (!('error' in open)) return;
  assert.equal(open.error.name, 'NetlinkSocketError');
  assert.equal(open.error.errno, EAFNOSUPPORT);
  assert.equal(open.error.op, 'socket');
  assert.equal(open.error.ffiError, true);
  // The same child without the shim opens fine: the failure is the shim's doing.
  assert.ok(ok(runChild(null, [{ open: true }])[0]).family > 0);
  // And under the shim the ioctl transport is still there to fall back to.
  const probe = spawnSync(process.execPath, ['-e', `
    const { KoffiTransport } = require(${JSON.stringify(path.join(ROOT, 'dist/src/ffi/koffi.js'))});
    const { openNetlink } = require(${JSON.stringify(path.join(ROOT, 'dist/src/ffi/netlink.js'))});
    let nl; try { openNetlink(); nl = 'opened'; } catch (e) { nl = e.name + ' ' + e.errno; }
    const t = new KoffiTransport(); t.close();
    console.log(JSON.stringify({ nl, ioctl: 'opened' }));
  `], { encoding: 'utf8', env: { ...process.env, LD_PRELOAD: SHIM } });
  assert.equal(probe.status, 0, probe.stderr);
  assert.deepEqual(JSON.parse(probe.stdout), { nl: `NetlinkSocketError ${EAFNOSUPPORT}`, ioctl: 'opened' });
});

test('NetlinkSocketError is an FfiError', () => {
  const e = new NetlinkSocketError('x', 97, 'socket');
  assert.ok(e instanceof FfiError);
  assert.equal(e.errno, 97);
});
