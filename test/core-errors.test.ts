/**
 * The error model: every failing ioctl becomes an EthtoolError carrying the operation, the
 * device, the errno and its kind, with a one-line message; EOPNOTSUPP and EINVAL name the
 * driver (asked with one extra GDRVINFO).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nic } from '../src/device/nic';
import { EthtoolError, EthtoolErrorKind } from '../src/device/errors';
import { ERRNO, strerror, errnoName } from '../src/ethtool/errno';
import { ScriptedTransport, Step, drvinfoStep } from './helpers/scripted';
import type { Ring } from '../src/ethtool/types';

const DEV = 'eke0';
const RING: Ring = {
  rx_max_pending: 1024, rx_mini_max_pending: 0, rx_jumbo_max_pending: 0, tx_max_pending: 1024,
  rx_pending: 256, rx_mini_pending: 0, rx_jumbo_pending: 0, tx_pending: 256,
};

const CASES: { errno: number; kind: EthtoolErrorKind; text: RegExp; driverAsked: boolean }[] = [
  { errno: ERRNO.EOPNOTSUPP, kind: 'unsupported', text: /^eke0: get ring parameters: operation not supported by driver fakenic$/, driverAsked: true },
  { errno: ERRNO.EPERM, kind: 'permission', text: /^eke0: get ring parameters: permission denied \(needs CAP_NET_ADMIN; run as root\)$/, driverAsked: false },
  { errno: ERRNO.ENODEV, kind: 'no-device', text: /^eke0: no such device$/, driverAsked: false },
  { errno: ERRNO.EINVAL, kind: 'invalid', text: /^eke0: get ring parameters: invalid argument \(value rejected by driver fakenic\)$/, driverAsked: true },
  { errno: ERRNO.EBUSY, kind: 'busy', text: /^eke0: get ring parameters: device or resource busy$/, driverAsked: false },
  { errno: ERRNO.EAGAIN, kind: 'again', text: /^eke0: get ring parameters: resource temporarily unavailable, try again$/, driverAsked: false },
];

for (const c of CASES) {
  test(`${errnoName(c.errno)} -> EthtoolError kind ${c.kind}`, () => {
    const steps: Step[] = [{ cmd: 'GRINGPARAM', errno: c.errno }];
    if (c.driverAsked) steps.push(drvinfoStep({ driver: 'fakenic' }));
    const t = new ScriptedTransport(DEV, steps);
    let caught: unknown;
    try { new Nic(DEV, t).ring(); } catch (e) { caught = e; }
    t.assertDone();
    assert.ok(caught instanceof EthtoolError, `got ${String(caught)}`);
    assert.equal(caught.name, 'EthtoolError');
    assert.equal(caught.op, 'GRINGPARAM');
    assert.equal(caught.what, 'get ring parameters');
    assert.equal(caught.dev, DEV);
    assert.equal(caught.errno, c.errno);
    assert.equal(caught.kind, c.kind);
    assert.equal(caught.driver, c.driverAsked ? 'fakenic' : undefined);
    assert.match(caught.message, c.text);
    assert.doesNotMatch(caught.message, /[\r\n]/, 'one line');
  });
}

test('a set operation names itself: SRINGPARAM EPERM', () => {
  const t = new ScriptedTransport(DEV, [{ cmd: 'SRINGPARAM', errno: ERRNO.EPERM }]);
  assert.throws(() => new Nic(DEV, t).setRing({ rx_pending: 512 }, RING), (e: unknown) =>
    e instanceof EthtoolError && e.op === 'SRINGPARAM' && e.kind === 'permission' &&
    e.message === 'eke0: set ring parameters: permission denied (needs CAP_NET_ADMIN; run as root)');
  t.assertDone();
});

test('EOPNOTSUPP when the driver cannot even be named: "(unknown)"', () => {
  const t = new ScriptedTransport(DEV, [{ cmd: 'GCOALESCE', errno: ERRNO.EOPNOTSUPP }, { cmd: 'GDRVINFO', errno: ERRNO.EOPNOTSUPP }]);
  assert.throws(() => new Nic(DEV, t).coalesce(), { message: 'eke0: get coalesce settings: operation not supported by driver (unknown)' });
  t.assertDone();
});

test('the driver name is asked once and remembered', () => {
  const t = new ScriptedTransport(DEV, [
    { cmd: 'GPAUSEPARAM', errno: ERRNO.EOPNOTSUPP }, drvinfoStep({ driver: 'fakenic' }),
    { cmd: 'GFECPARAM', errno: ERRNO.EOPNOTSUPP },
  ]);
  const nic = new Nic(DEV, t);
  assert.throws(() => nic.pause(), /get pause parameters: operation not supported by driver fakenic/);
  assert.throws(() => nic.fec(), /get FEC settings: operation not supported by driver fakenic/);
  t.assertDone();
});

test('any other errno: strerror text and errno name', () => {
  const t = new ScriptedTransport(DEV, [{ cmd: 'GLINK', errno: ERRNO.EIO }]);
  assert.throws(() => new Nic(DEV, t).link(), (e: unknown) =>
    e instanceof EthtoolError && e.kind === 'other' && e.message === 'eke0: get link status: Input/output error (EIO)');
  t.assertDone();
  assert.equal(strerror(ERRNO.EOPNOTSUPP), 'Operation not supported');
  assert.equal(strerror(ERRNO.EBUSY), 'Device or resource busy');
  assert.match(strerror(4095), /Unknown error 4095/);
});

test('errors from the stats hot path carry GSTATS and the device', () => {
  const t = new ScriptedTransport(DEV, [
    { cmd: 'GSSET_INFO', reply: { sset_mask: 2n }, data: [1, 0, 0, 0] },
    { cmd: 'GSTRINGS', reply: { len: 1 }, data: Buffer.alloc(32, 0x61).fill(0, 31) },
    { cmd: 'GSTATS', errno: ERRNO.ENODEV },
  ]);
  const r = new Nic(DEV, t).statsReader();
  assert.deepEqual(r.names, ['a'.repeat(31)]);
  assert.throws(() => r.read(), (e: unknown) => e instanceof EthtoolError && e.op === 'GSTATS' && e.kind === 'no-device' && e.message === 'eke0: no such device');
  t.assertDone();
});
