/**
 * The exact SIOCETHTOOL requests of the private flags, time stamping and EEE operations,
 * byte for byte against a scripted kernel (test/helpers/scripted.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nic } from '../src/device/nic';
import { UsageError } from '../src/device/errors';
import * as S from '../src/ethtool/structs';
import { ETH_SS } from '../src/ethtool/constants';
import { ScriptedTransport, Step, structBytes, stringSetSteps } from './helpers/scripted';

const DEV = 'ekf0';

function run<T>(steps: Step[], fn: (nic: Nic) => T): T {
  const t = new ScriptedTransport(DEV, steps, { overflow: 'efault' });
  const result = fn(new Nic(DEV, t));
  t.assertDone();
  return result;
}

const FLAGS = ['legacy-rx', 'disable-fw-lldp', 'rs-fec'];

test('privFlags: the PRIV_FLAGS string set, then GPFLAGS', () => {
  const got = run([
    ...stringSetSteps(ETH_SS.PRIV_FLAGS, FLAGS),
    { cmd: 'GPFLAGS', bytes: structBytes(S.ethtool_value, 'GPFLAGS'), reply: { data: 0b101 } },
  ], nic => nic.privFlags());
  assert.deepEqual(got, { 'legacy-rx': true, 'disable-fw-lldp': false, 'rs-fec': true });
});

test('setPrivFlags: GPFLAGS, then SPFLAGS with only the named bits changed', () => {
  run([
    ...stringSetSteps(ETH_SS.PRIV_FLAGS, FLAGS),
    { cmd: 'GPFLAGS', bytes: structBytes(S.ethtool_value, 'GPFLAGS'), reply: { data: 0b101 } },
    { cmd: 'SPFLAGS', bytes: structBytes(S.ethtool_value, 'SPFLAGS', { data: 0b110 }) },
  ], nic => nic.setPrivFlags({ 'legacy-rx': false, 'disable-fw-lldp': true }));
});

test('setPrivFlags: an unknown name is a usage error, and nothing is set', () => {
  run([
    ...stringSetSteps(ETH_SS.PRIV_FLAGS, FLAGS),
    { cmd: 'GPFLAGS', bytes: structBytes(S.ethtool_value, 'GPFLAGS'), reply: { data: 0 } },
  ], nic => assert.throws(() => nic.setPrivFlags({ bogus: true }), (e: unknown) => e instanceof UsageError && /no private flag 'bogus'/.test((e as Error).message)));
});

test('tsInfo: GET_TS_INFO, its 44 bytes, phc_index signed', () => {
  assert.equal(S.ethtool_ts_info.size, 44);
  const got = run([{
    cmd: 'GET_TS_INFO', bytes: structBytes(S.ethtool_ts_info, 'GET_TS_INFO'),
    reply: { so_timestamping: 0x5f, phc_index: -1, tx_types: 3, rx_filters: 0x8001 },
  }], nic => nic.tsInfo());
  assert.deepEqual(got, { so_timestamping: 0x5f, phc_index: -1, tx_types: 3, rx_filters: 0x8001 });
});

const EEE = { supported: 0x28, advertised: 0x28, lp_advertised: 0x20, eee_active: 1, eee_enabled: 1, tx_lpi_enabled: 1, tx_lpi_timer: 17 };

test('eee: GEEE', () => {
  assert.equal(S.ethtool_eee.size, 40);
  const got = run([{ cmd: 'GEEE', bytes: structBytes(S.ethtool_eee, 'GEEE'), reply: EEE }], nic => nic.eee());
  assert.deepEqual(got, EEE);
});

test('setEee: GEEE, then SEEE with the whole struct as read and the change over it', () => {
  run([
    { cmd: 'GEEE', bytes: structBytes(S.ethtool_eee, 'GEEE'), reply: EEE },
    { cmd: 'SEEE', bytes: structBytes(S.ethtool_eee, 'SEEE', { ...EEE, eee_enabled: 0, tx_lpi_timer: 250 }) },
  ], nic => nic.setEee({ eee_enabled: 0, tx_lpi_timer: 250 }));
});

test('reset: ETHTOOL_RESET with the flags, the answer is what was not reset', () => {
  const left = run([
    { cmd: 'RESET', bytes: structBytes(S.ethtool_value, 'RESET', { data: 0xffff }), reply: { data: 0x0100 } },
  ], nic => nic.reset(0xffff));
  assert.equal(left, 0x0100);
});

test('tunable: GTUNABLE with id, type and length, the value after the 16-byte header', () => {
  assert.equal(S.ethtool_tunable.size, 16);
  const bytes = structBytes(S.ethtool_tunable, 'GTUNABLE', { id: 1, type_id: 3, len: 4 }, 4);
  const data = new Uint8Array([0x00, 0x01, 0, 0]);
  const v = run([{ cmd: 'GTUNABLE', bytes, data }], nic => nic.tunable(1, 3, 4));
  assert.equal(v, 256n);
});

test('setTunable: STUNABLE carries a u16 in two bytes', () => {
  const bytes = structBytes(S.ethtool_tunable, 'STUNABLE', { id: 3, type_id: 2, len: 2 }, new Uint8Array([0x34, 0x12]));
  run([{ cmd: 'STUNABLE', bytes }], nic => nic.setTunable(3, 2, 2, 0x1234n));
});
