/**
 * The exact SIOCETHTOOL requests each Nic operation makes, checked byte for byte against a
 * scripted "kernel" (test/helpers/scripted.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nic } from '../src/device/nic';
import { UsageError } from '../src/device/errors';
import * as S from '../src/ethtool/structs';
import { ETH_SS, ETH_TEST_FL, ETH_FLAG, ETHTOOL_F, LINK_MODE_MASK_MAX_KERNEL_NU32 } from '../src/ethtool/constants';
import type { Ring, Channels, Pause, Coalesce, LinkSettings } from '../src/ethtool/types';
import {
  ScriptedTransport, Step, structBytes, u32s, u64s, stringSetSteps, statsStep, drvinfoStep, ssetInfoStep,
} from './helpers/scripted';

const DEV = 'ekf0';
const EOPNOTSUPP = 95;

/** Run `fn` on a Nic over a scripted kernel and check every step was taken, in order. */
function run<T>(steps: Step[], fn: (nic: Nic) => T): { result: T; t: ScriptedTransport } {
  const t = new ScriptedTransport(DEV, steps, { overflow: 'efault' });
  const result = fn(new Nic(DEV, t));
  t.assertDone();
  return { result, t };
}

const RING: Ring = {
  rx_max_pending: 4096, rx_mini_max_pending: 0, rx_jumbo_max_pending: 0, tx_max_pending: 2048,
  rx_pending: 512, rx_mini_pending: 0, rx_jumbo_pending: 0, tx_pending: 256,
};

test('scripted transport itself: fails on an unexpected, a wrong or a missing request', () => {
  const t = new ScriptedTransport(DEV, [{ cmd: 'GRINGPARAM' }, { cmd: 'GCHANNELS' }]);
  const nic = new Nic(DEV, t);
  nic.ring();
  assert.throws(() => t.assertDone(), /requests never made: step #1 GCHANNELS/);
  assert.throws(() => nic.pause(), /command is GPAUSEPARAM, expected GCHANNELS/);
  assert.throws(() => nic.ring(), /unexpected, the script has no more steps/);
  assert.throws(() => t.assertDone(), /GPAUSEPARAM, expected GCHANNELS[\s\S]*no more steps/);
  const other = new ScriptedTransport(DEV, [{ cmd: 'GLINK', ifname: 'other0' }]);
  assert.throws(() => new Nic(DEV, other).link(), /interface is ekf0, expected other0/);
  const exact = new ScriptedTransport(DEV, [{ cmd: 'SMSGLVL', bytes: structBytes(S.ethtool_value, 'SMSGLVL', { data: 7 }) }]);
  assert.throws(() => new Nic(DEV, exact).setMsglvl(6), /byte 4 \(ethtool_value\.data\) is 0x06, expected 0x07/);
  const plain = new ScriptedTransport(DEV, [{ cmd: 'GSTATS', reply: { n_stats: 3 }, data: u64s([1, 2, 3]) }]);
  assert.throws(() => plain.ioctl(DEV, structBytes(S.ethtool_stats, 'GSTATS', { n_stats: 1 }, 8)), /would write 16 bytes past the end/);
});

test('driverInfo: one GDRVINFO on a zeroed struct; reserved2 is not exposed', () => {
  const { result } = run([drvinfoStep({
    driver: 'virtio_net', version: '1.0.0', fw_version: 'fw 2', bus_info: '0000:00:03.0', erom_version: '',
    n_priv_flags: 1, n_stats: 20, testinfo_len: 2, eedump_len: 256, regdump_len: 64,
  })], nic => nic.driverInfo());
  assert.deepEqual(result, {
    driver: 'virtio_net', version: '1.0.0', fw_version: 'fw 2', bus_info: '0000:00:03.0', erom_version: '',
    n_priv_flags: 1, n_stats: 20, testinfo_len: 2, eedump_len: 256, regdump_len: 64,
  });
  assert.equal(S.ethtool_drvinfo.size, 196);
});

test('permAddr: GPERMADDR offers MAX_ADDR_LEN (32) bytes and returns the size the driver wrote', () => {
  const mac = [0x02, 0xfc, 0, 0, 0, 1];
  const { result } = run([{
    cmd: 'GPERMADDR', bytes: structBytes(S.ethtool_perm_addr, 'GPERMADDR', { size: 32 }, 32),
    reply: { size: 6 }, data: mac,
  }], nic => nic.permAddr());
  assert.deepEqual([...result], mac);
});

test('link: GLINK data', () => {
  const { result } = run([{ cmd: 'GLINK', bytes: structBytes(S.ethtool_value, 'GLINK'), reply: { data: 1 } }], nic => nic.link());
  assert.equal(result, true);
  assert.equal(run([{ cmd: 'GLINK', reply: { data: 0 } }], nic => nic.link()).result, false);
});

test('linkSettings: GLINKSETTINGS handshake (nwords 0, kernel answers -N, then N words)', () => {
  const L = S.ethtool_link_settings;
  const { result } = run([
    {
      cmd: 'GLINKSETTINGS', note: 'handshake', fields: { link_mode_masks_nwords: 0 },
      check: (_d, raw) => raw.byteLength >= L.size || 'too short',
      reply: { link_mode_masks_nwords: -3 },
    },
    {
      // As ethtool: the second call has the room for the largest mask the kernel may report.
      cmd: 'GLINKSETTINGS', bytes: structBytes(L, 'GLINKSETTINGS', { link_mode_masks_nwords: 3 }, 3 * 4 * LINK_MODE_MASK_MAX_KERNEL_NU32),
      reply: { speed: 25000, duplex: 1, port: 3, autoneg: 1, link_mode_masks_nwords: 3, transceiver: 0 },
      data: u32s(0x1, 0x2, 0x80000000, 0x10, 0x20, 0x0, 0x100, 0x200, 0x7),
    },
  ], nic => nic.linkSettings());
  assert.equal(result.legacy, false);
  assert.equal(result.speed, 25000);
  assert.equal(result.port, 3);
  assert.equal(result.autoneg, 1);
  assert.deepEqual(result.supported, [0x1, 0x2, 0x80000000]);
  assert.deepEqual(result.advertising, [0x10, 0x20, 0x0]);
  assert.deepEqual(result.lp_advertising, [0x100, 0x200, 0x7]);
});

test('linkSettings: falls back to GSET when GLINKSETTINGS is not supported; speed_hi joins speed', () => {
  const { result } = run([
    { cmd: 'GLINKSETTINGS', errno: EOPNOTSUPP },
    {
      cmd: 'GSET', bytes: structBytes(S.ethtool_cmd, 'GSET'),
      reply: { speed: 100000 & 0xffff, speed_hi: 100000 >>> 16, duplex: 1, port: 0, autoneg: 0, supported: 0x2f, advertising: 0x2f, lp_advertising: 0x0c },
    },
  ], nic => nic.linkSettings());
  assert.equal(result.legacy, true);
  assert.equal(result.speed, 100000);
  assert.deepEqual(result.supported, [0x2f]);
  assert.deepEqual(result.lp_advertising, [0x0c]);
});

const LS: LinkSettings = {
  legacy: false, speed: 10000, duplex: 1, port: 0, phy_address: 0, autoneg: 1, mdio_support: 0,
  eth_tp_mdix: 0, eth_tp_mdix_ctrl: 0, transceiver: 0, master_slave_cfg: 0, master_slave_state: 0,
  rate_matching: 0, supported: [0xff, 0x1], advertising: [0xff, 0x1], lp_advertising: [0, 0],
};

test('setLinkSettings with current: one SLINKSETTINGS carrying nwords and the three masks', () => {
  const L = S.ethtool_link_settings;
  run([{
    cmd: 'SLINKSETTINGS',
    bytes: structBytes(L, 'SLINKSETTINGS', { speed: 1000, duplex: 1, autoneg: 0, link_mode_masks_nwords: 2 },
      u32s(0xff, 0x1, 0x20, 0x0, 0, 0)),
  }], nic => nic.setLinkSettings({ speed: 1000, autoneg: 0, advertising: [0x20, 0x0] }, LS));
});

test('setLinkSettings on a GSET-only driver: SSET with speed split into speed/speed_hi', () => {
  run([{
    cmd: 'SSET',
    bytes: structBytes(S.ethtool_cmd, 'SSET', { supported: 0x2f, advertising: 0x2f, speed: 40000 & 0xffff, speed_hi: 0, duplex: 1, autoneg: 0 }),
  }], nic => nic.setLinkSettings({ speed: 40000 }, { ...LS, legacy: true, speed: 1000, autoneg: 0, supported: [0x2f], advertising: [0x2f], lp_advertising: [0] }));
});

test('restartAutoneg: NWAY_RST', () => {
  run([{ cmd: 'NWAY_RST', bytes: structBytes(S.ethtool_value, 'NWAY_RST') }], nic => nic.restartAutoneg());
});

test('ring / setRing: SRINGPARAM carries the struct as read, merged with the change', () => {
  const { result } = run([{ cmd: 'GRINGPARAM', bytes: structBytes(S.ethtool_ringparam, 'GRINGPARAM'), reply: { ...RING } }], nic => nic.ring());
  assert.deepEqual(result, RING);
  run([
    { cmd: 'GRINGPARAM', reply: { ...RING } },
    { cmd: 'SRINGPARAM', bytes: structBytes(S.ethtool_ringparam, 'SRINGPARAM', { ...RING, rx_pending: 1024 }) },
  ], nic => nic.setRing({ rx_pending: 1024 }));
  // With the current values given: exactly one ioctl.
  run([{ cmd: 'SRINGPARAM', bytes: structBytes(S.ethtool_ringparam, 'SRINGPARAM', { ...RING, tx_pending: 2048 }) }],
    nic => nic.setRing({ tx_pending: 2048 }, RING));
});

test('channels / setChannels: SCHANNELS merged struct', () => {
  const ch: Channels = { max_rx: 0, max_tx: 0, max_other: 1, max_combined: 8, rx_count: 0, tx_count: 0, other_count: 1, combined_count: 4 };
  run([
    { cmd: 'GCHANNELS', bytes: structBytes(S.ethtool_channels, 'GCHANNELS'), reply: { ...ch } },
    { cmd: 'SCHANNELS', bytes: structBytes(S.ethtool_channels, 'SCHANNELS', { ...ch, combined_count: 2 }) },
  ], nic => nic.setChannels({ combined_count: 2 }));
});

test('pause / setPause and coalesce / setCoalesce: merged structs', () => {
  const p: Pause = { autoneg: 1, rx_pause: 1, tx_pause: 0 };
  run([
    { cmd: 'GPAUSEPARAM', bytes: structBytes(S.ethtool_pauseparam, 'GPAUSEPARAM'), reply: { ...p } },
    { cmd: 'SPAUSEPARAM', bytes: structBytes(S.ethtool_pauseparam, 'SPAUSEPARAM', { autoneg: 0, rx_pause: 1, tx_pause: 0 }) },
  ], nic => nic.setPause({ autoneg: 0 }));
  const co = Object.fromEntries(S.ethtool_coalesce.fields.filter(f => f.name !== 'cmd').map((f, i) => [f.name, i + 1])) as unknown as Coalesce;
  const { result } = run([{ cmd: 'GCOALESCE', bytes: structBytes(S.ethtool_coalesce, 'GCOALESCE'), reply: { ...co } }], nic => nic.coalesce());
  assert.deepEqual(result, co);
  run([{ cmd: 'SCOALESCE', bytes: structBytes(S.ethtool_coalesce, 'SCOALESCE', { ...co, rx_coalesce_usecs: 50, use_adaptive_rx_coalesce: 0 }) }],
    nic => nic.setCoalesce({ rx_coalesce_usecs: 50, use_adaptive_rx_coalesce: 0 }, co));
});

test('fec: GFECPARAM', () => {
  const { result } = run([{ cmd: 'GFECPARAM', bytes: structBytes(S.ethtool_fecparam, 'GFECPARAM'), reply: { active_fec: 4, fec: 6 } }], nic => nic.fec());
  assert.equal(result.active_fec, 4);
  assert.equal(result.fec, 6);
});

test('msglvl / setMsglvl and wol / setWol', () => {
  assert.equal(run([{ cmd: 'GMSGLVL', reply: { data: 0x7 } }], nic => nic.msglvl()).result, 0x7);
  run([{ cmd: 'SMSGLVL', bytes: structBytes(S.ethtool_value, 'SMSGLVL', { data: 0xffffffff }) }], nic => nic.setMsglvl(-1));
  const wol = { supported: 0x21, wolopts: 0, sopass: [1, 2, 3, 4, 5, 6] };
  run([
    { cmd: 'GWOL', bytes: structBytes(S.ethtool_wolinfo, 'GWOL'), reply: wol },
    { cmd: 'SWOL', bytes: structBytes(S.ethtool_wolinfo, 'SWOL', { ...wol, wolopts: 0x20 }) },
  ], nic => nic.setWol({ wolopts: 0x20 }));
});

test('strings: GSSET_INFO for exactly that set, then GSTRINGS with len and room for len strings', () => {
  const names = ['rx_packets', 'tx_packets', 'a_name_that_is_exactly_31_bytes'];
  const { result } = run([
    { cmd: 'GSSET_INFO', bytes: structBytes(S.ethtool_sset_info, 'GSSET_INFO', { sset_mask: 1n << 1n }, 4), reply: { sset_mask: 2n }, data: u32s(3) },
    { cmd: 'GSTRINGS', bytes: structBytes(S.ethtool_gstrings, 'GSTRINGS', { string_set: 1, len: 3 }, 96), reply: { len: 3 }, data: stringSetSteps(1, names)[1].data },
  ], nic => nic.strings(ETH_SS.STATS));
  assert.deepEqual(result, names);
  // A set the driver does not have: GSSET_INFO clears its bit; no GSTRINGS follows.
  const none = run([{ cmd: 'GSSET_INFO', fields: { sset_mask: 1n }, reply: { sset_mask: 0n } }], nic => nic.strings(ETH_SS.TEST));
  assert.deepEqual(none.result, []);
});

test('stats: names, then GSTATS with n_stats and room for n u64s', () => {
  const names = ['rx_packets', 'tx_packets', 'rx_bytes'];
  const { result } = run([
    ...stringSetSteps(ETH_SS.STATS, names),
    { cmd: 'GSTATS', bytes: structBytes(S.ethtool_stats, 'GSTATS', { n_stats: 3 }, 24), reply: { n_stats: 3 }, data: u64s([10, 20, 2n ** 63n + 5n]) },
  ], nic => nic.stats());
  assert.deepEqual(result, [
    { name: 'rx_packets', value: 10n }, { name: 'tx_packets', value: 20n }, { name: 'rx_bytes', value: 2n ** 63n + 5n },
  ]);
});

test('StatsReader.read reuses one buffer: one GSTATS per read, same view', () => {
  const t = new ScriptedTransport(DEV, [...stringSetSteps(ETH_SS.STATS, ['a', 'b']), statsStep(2, [1, 2]), statsStep(2, [3, 4])]);
  const r = new Nic(DEV, t).statsReader();
  const v1 = r.read();
  assert.deepEqual([...v1], [1n, 2n]);
  const v2 = r.read();
  assert.equal(v2, v1, 'the same BigUint64Array is returned');
  assert.deepEqual([...v2], [3n, 4n]);
  assert.equal(r.generation, 1);
  t.assertDone();
});

const FEATURE_NAMES = Array.from({ length: 40 }, (_, i) => `feature-${i}`);

test('features: GFEATURES asks for ceil(n/32) blocks and decodes every bit', () => {
  const blocks = u32s(
    // block 0: available, requested, active, never_changed
    0xfffffff0, 0x00000005, 0x00000003, 0x0000000f,
    // block 1 (features 32..39)
    0x000000ff, 0x00000080, 0x00000081, 0x0,
  );
  const { result } = run([
    ...stringSetSteps(ETH_SS.FEATURES, FEATURE_NAMES),
    { cmd: 'GFEATURES', bytes: structBytes(S.ethtool_gfeatures, 'GFEATURES', { size: 2 }, 32), reply: { size: 2 }, data: blocks },
  ], nic => nic.features());
  assert.equal(result.length, 40);
  assert.deepEqual(result[0], { name: 'feature-0', available: false, requested: true, active: true, never_changed: true });
  assert.deepEqual(result[2], { name: 'feature-2', available: false, requested: true, active: false, never_changed: true });
  assert.deepEqual(result[4], { name: 'feature-4', available: true, requested: false, active: false, never_changed: false });
  assert.deepEqual(result[32], { name: 'feature-32', available: true, requested: false, active: true, never_changed: false });
  assert.deepEqual(result[39], { name: 'feature-39', available: true, requested: true, active: true, never_changed: false });
});

test('setFeatures: one SFEATURES with valid bits for the named features and requested = wanted', () => {
  const { result } = run([{
    cmd: 'SFEATURES',
    // block 0: valid bits 1, 3; requested bit 1 (feature-1 on, feature-3 off). block 1: feature-33 on.
    bytes: structBytes(S.ethtool_sfeatures, 'SFEATURES', { size: 2 }, u32s(0b1010, 0b0010, 0b10, 0b10)),
    rc: ETHTOOL_F.WISH,
  }], nic => nic.setFeatures({ 'feature-1': true, 'feature-3': false, 'feature-33': true }, FEATURE_NAMES));
  assert.equal(result, ETHTOOL_F.WISH);
  // Without the names: the string set is read first.
  run([
    ...stringSetSteps(ETH_SS.FEATURES, FEATURE_NAMES),
    { cmd: 'SFEATURES', bytes: structBytes(S.ethtool_sfeatures, 'SFEATURES', { size: 2 }, u32s(0, 0, 1 << 7, 0)) },
  ], nic => nic.setFeatures({ 'feature-39': false }));
  // An unknown name is a usage error before any ioctl.
  const t = new ScriptedTransport(DEV, []);
  assert.throws(() => new Nic(DEV, t).setFeatures({ 'no-such-feature': true }, FEATURE_NAMES), UsageError);
  assert.equal(t.seen.length, 0);
});

test('legacy offloads: lro through GFLAGS/SFLAGS, the others through their own ioctls', () => {
  const other = ETH_FLAG.RXHASH | ETH_FLAG.TXVLAN;
  assert.equal(run([{ cmd: 'GFLAGS', bytes: structBytes(S.ethtool_value, 'GFLAGS'), reply: { data: other | ETH_FLAG.LRO } }], nic => nic.legacyOffload('lro')).result, true);
  assert.equal(run([{ cmd: 'GFLAGS', reply: { data: other } }], nic => nic.legacyOffload('lro')).result, false);
  run([
    { cmd: 'GFLAGS', reply: { data: other } },
    { cmd: 'SFLAGS', bytes: structBytes(S.ethtool_value, 'SFLAGS', { data: other | ETH_FLAG.LRO }) },
  ], nic => nic.setLegacyOffload('lro', true));
  run([
    { cmd: 'GFLAGS', reply: { data: other | ETH_FLAG.LRO } },
    { cmd: 'SFLAGS', bytes: structBytes(S.ethtool_value, 'SFLAGS', { data: other }) },
  ], nic => nic.setLegacyOffload('lro', false));
  assert.equal(run([{ cmd: 'GGRO', bytes: structBytes(S.ethtool_value, 'GGRO'), reply: { data: 1 } }], nic => nic.legacyOffload('gro')).result, true);
  run([{ cmd: 'STSO', bytes: structBytes(S.ethtool_value, 'STSO', { data: 0 }) }], nic => nic.setLegacyOffload('tso', false));
  // EOPNOTSUPP reads as "not reported", with no error and no extra request.
  assert.equal(run([{ cmd: 'GUFO', errno: EOPNOTSUPP }], nic => nic.legacyOffload('ufo')).result, null);
});

for (const [mode, flags] of [['offline', ETH_TEST_FL.OFFLINE], ['online', 0], ['external_lb', ETH_TEST_FL.OFFLINE | ETH_TEST_FL.EXTERNAL_LB]] as const) {
  test(`selfTest ${mode}: TEST flags 0x${flags.toString(16)} and len from the test string set`, () => {
    const names = ['Register test', 'Link test'];
    const out = flags | ETH_TEST_FL.FAILED | (mode === 'external_lb' ? ETH_TEST_FL.EXTERNAL_LB_DONE : 0);
    const { result } = run([
      ...stringSetSteps(ETH_SS.TEST, names),
      { cmd: 'TEST', bytes: structBytes(S.ethtool_test, 'TEST', { flags, len: 2 }, 16), reply: { flags: out, len: 2 }, data: u64s([0, 1]) },
    ], nic => nic.selfTest(mode));
    assert.equal(result.failed, true);
    assert.equal(result.external_lb_done, mode === 'external_lb');
    assert.deepEqual(result.results, [{ name: 'Register test', value: 0n }, { name: 'Link test', value: 1n }]);
  });
}

test('identify: PHYS_ID carries the seconds; identifyAsync blinks in one-second calls until aborted', async () => {
  run([{ cmd: 'PHYS_ID', bytes: structBytes(S.ethtool_value, 'PHYS_ID', { data: 5 }) }], nic => nic.identify(5));
  const ac = new AbortController();
  const t = new ScriptedTransport(DEV, [
    { cmd: 'PHYS_ID', fields: { data: 1 } },
    { cmd: 'PHYS_ID', fields: { data: 1 }, respond: () => ac.abort() },
  ]);
  await new Nic(DEV, t).identifyAsync(0, ac.signal);
  t.assertDone();
});

test('regs: GREGS len comes from GDRVINFO regdump_len', () => {
  const dump = Array.from({ length: 16 }, (_, i) => i * 3);
  const { result } = run([
    drvinfoStep({ driver: 'e1000e', regdump_len: 16 }),
    { cmd: 'GREGS', bytes: structBytes(S.ethtool_regs, 'GREGS', { len: 16 }, 16), reply: { version: 0x1000003, len: 16 }, data: dump },
  ], nic => nic.regs());
  assert.equal(result.version, 0x1000003);
  assert.deepEqual([...result.data], dump);
});

test('eeprom: GEEPROM offset/len bounded by GDRVINFO eedump_len', () => {
  const { result } = run([
    drvinfoStep({ driver: 'e1000e', eedump_len: 8 }),
    { cmd: 'GEEPROM', bytes: structBytes(S.ethtool_eeprom, 'GEEPROM', { offset: 2, len: 4 }, 4), reply: { magic: 0x8086, offset: 2, len: 4 }, data: [9, 8, 7, 6] },
  ], nic => nic.eeprom(2, 4));
  assert.equal(result.magic, 0x8086);
  assert.deepEqual([...result.data], [9, 8, 7, 6]);
  run([
    drvinfoStep({ driver: 'e1000e', eedump_len: 8 }),
    { cmd: 'GEEPROM', bytes: structBytes(S.ethtool_eeprom, 'GEEPROM', { offset: 0, len: 8 }, 8), reply: { len: 8 }, data: [1, 2, 3, 4, 5, 6, 7, 8] },
  ], nic => nic.eeprom());
  // Out of bounds: refused after reading the size, before GEEPROM.
  const t = new ScriptedTransport(DEV, [drvinfoStep({ driver: 'e1000e', eedump_len: 8 })]);
  assert.throws(() => new Nic(DEV, t).eeprom(6, 4), UsageError);
  t.assertDone();
});

test('stringCount: GSSET_INFO, or GDRVINFO counts when GSSET_INFO is not supported', () => {
  assert.equal(run([ssetInfoStep(ETH_SS.STATS, 42)], nic => nic.stringCount(ETH_SS.STATS)).result, 42);
  assert.equal(run([ssetInfoStep(ETH_SS.TEST, 0, EOPNOTSUPP), drvinfoStep({ driver: 'old', testinfo_len: 3 })],
    nic => nic.stringCount(ETH_SS.TEST)).result, 3);
  assert.equal(run([ssetInfoStep(ETH_SS.PRIV_FLAGS, 0, EOPNOTSUPP), drvinfoStep({ driver: 'old', n_priv_flags: 2 })],
    nic => nic.stringCount(ETH_SS.PRIV_FLAGS)).result, 2);
});
