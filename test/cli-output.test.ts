/** ethkit's text output and set commands on the simulated NIC (in-process, no child processes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethkit, newSim, CliSim, LinkSpec } from './cli-helpers';
import { Out } from '../src/cli/out';
import { ETHTOOL } from '../src/ethtool/constants';

const ENODEV = 19, EINVAL = 22;

test('-i: driver information lines', async () => {
  const { t } = newSim();
  const r = await ethkit(['-i', 'sim0'], t);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  assert.equal(r.out, [
    'driver: simnic', 'version: 1.0', 'firmware-version: ', 'expansion-rom-version: ', 'bus-info: 0000:00:10.0',
    'supports-statistics: yes', 'supports-test: no', 'supports-eeprom-access: no', 'supports-register-dump: no',
    'supports-priv-flags: no', '',
  ].join('\n'));
});

test('-g / -l / -c / -a: the parameter pages', async () => {
  const { t } = newSim();
  assert.equal((await ethkit(['-g', 'sim0'], t)).out,
    'Ring parameters for sim0:\nPre-set maximums:\nRX:\t\t4096\nRX Mini:\t0\nRX Jumbo:\t0\nTX:\t\t4096\n' +
    'Current hardware settings:\nRX:\t\t256\nRX Mini:\t0\nRX Jumbo:\t0\nTX:\t\t256\n\n');
  assert.equal((await ethkit(['--show-channels', 'sim0'], t)).out,
    'Channel parameters for sim0:\nPre-set maximums:\nRX:\t\t0\nTX:\t\t0\nOther:\t\t1\nCombined:\t8\n' +
    'Current hardware settings:\nRX:\t\t0\nTX:\t\t0\nOther:\t\t1\nCombined:\t4\n\n');
  const c = await ethkit(['-c', 'sim0'], t);
  assert.equal(c.out.split('\n').slice(0, 7).join('\n'),
    'Coalesce parameters for sim0:\nAdaptive RX: off  TX: off\nstats-block-usecs: 0\nsample-interval: 0\npkt-rate-low: 0\npkt-rate-high: 0\n');
  assert.equal(c.out.split('\n').length, 28);
  assert.ok(c.out.endsWith('tx-frames-high: 0\n\n'));
  assert.equal((await ethkit(['-a', 'sim0'], t)).out, 'Pause parameters for sim0:\nAutonegotiate:\toff\nRX:\t\ton\nTX:\t\ton\n\n');
});

test('-a with pause autonegotiation resolves the negotiated pause from the legacy GSET', async () => {
  const { t, dev } = newSim();
  dev.pause = { autoneg: 1, rx_pause: 1, tx_pause: 0 };
  t.link = link({ advertising: [1 << 14], lp: [(1 << 13) | (1 << 14)] });
  const r = await ethkit(['-a', 'sim0'], t);
  assert.equal(r.out, 'Pause parameters for sim0:\nAutonegotiate:\ton\nRX:\t\ton\nTX:\t\toff\nRX negotiated:\toff\nTX negotiated:\ton\n\n');
  t.link = link({ lp: [] });
  assert.equal((await ethkit(['-a', 'sim0'], t)).out, 'Pause parameters for sim0:\nAutonegotiate:\ton\nRX:\t\ton\nTX:\t\toff\n\n');
});

test('-P, -S, -r, -p', async () => {
  const { t } = newSim({ queues: 1 });
  assert.equal((await ethkit(['-P', 'sim0', 'ignored'], t)).out, 'Permanent address: 02:00:00:00:00:10\n');
  const s = await ethkit(['-S', 'sim0'], t);
  assert.equal(s.out, 'NIC statistics:\n' + ['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_dropped', 'rx_errors',
    'rx_missed_errors', 'tx_timeout_count', 'rx_queue_0_packets', 'rx_queue_0_bytes', 'tx_queue_0_packets', 'tx_queue_0_bytes']
    .map(n => `     ${n}: 0\n`).join(''));
  t.devices.get('sim0')!.stats[1].value = 18446744073709551615n;
  assert.match((await ethkit(['-S', 'sim0'], t)).out, /^     tx_packets: 18446744073709551615$/m);
  assert.equal((await ethkit(['-r', 'sim0'], t)).code, 0);
  assert.deepEqual((await ethkit(['-p', 'sim0', '-3'], t)).code, 0);
  assert.deepEqual(t.sets.map(s => [s.cmd, s.fields.data]), [[ETHTOOL.NWAY_RST, 0], [ETHTOOL.PHYS_ID, 4294967293]]);
});

function link(over: Partial<LinkSpec> = {}): LinkSpec {
  const bits = (...b: number[]) => { const w = [0, 0, 0]; for (const x of b) w[x >> 5] |= 1 << (x & 31); return w.map(v => v >>> 0); };
  return {
    speed: 1000, duplex: 1, port: 0, phyad: 1, autoneg: 1, mdix: 2, mdixCtrl: 3, transceiver: 0,
    supported: bits(0, 1, 2, 3, 5, 6, 7, 13, 14, 47), advertising: bits(1, 5, 6, 13), lp: bits(0, 1, 3, 13, 14),
    ...over,
  };
}

test('settings page: ports, wrapped link-mode lists, pause, partner block, WoL, msglvl, link', async () => {
  const { t } = newSim();
  t.link = link();
  const r = await ethkit(['sim0'], t);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  assert.equal(r.out, [
    'Settings for sim0:',
    '\tSupported ports: [ TP ]',
    '\tSupported link modes:   10baseT/Half 10baseT/Full ',
    '\t                        100baseT/Half 100baseT/Full ',
    '\t                        1000baseT/Full ',
    '\t                        2500baseT/Full ',
    '\tSupported pause frame use: Symmetric Receive-only',
    '\tSupports auto-negotiation: Yes',
    '\tSupported FEC modes: Not reported',
    '\tAdvertised link modes:  10baseT/Full ',
    '\t                        1000baseT/Full ',
    '\tAdvertised pause frame use: Symmetric',
    '\tAdvertised auto-negotiation: Yes',
    '\tAdvertised FEC modes: Not reported',
    '\tLink partner advertised link modes:  10baseT/Half 10baseT/Full ',
    '\t                                     100baseT/Full ',
    '\tLink partner advertised pause frame use: Symmetric Receive-only',
    '\tLink partner advertised auto-negotiation: No',
    '\tLink partner advertised FEC modes: Not reported',
    '\tSpeed: 1000Mb/s',
    '\tDuplex: Full',
    '\tPort: Twisted Pair',
    '\tPHYAD: 1',
    '\tTransceiver: internal',
    '\tAuto-negotiation: on',
    '\tMDI-X: on (auto)',
    '\tSupports Wake-on: g',
    '\tWake-on: d',
    '\tCurrent message level: 0x00000007 (7)',
    '\t\t\t       drv probe link',
    '\tLink detected: yes',
    '',
  ].join('\n'));
});

test('settings page: legacy GSET driver, unknown speed/duplex, no MDI-X line off TP; parts failing', async () => {
  const { t, dev } = newSim();
  t.link = link({ legacyOnly: true, speed: 0xffff, duplex: 0xff, port: 3, lp: [0], mdixCtrl: 1 });
  dev.msglvl = 0xffff8000;
  const r = await ethkit(['sim0'], t);
  assert.match(r.out, /\tSpeed: Unknown!\n\tDuplex: Unknown! \(255\)\n\tPort: FIBRE\n\tPHYAD: 1\n\tTransceiver: internal\n\tAuto-negotiation: on\n\tSupports Wake-on/);
  assert.match(r.out, /\tCurrent message level: 0xffff8000 \(-32768\)\n\t\t\t       0xffff8000\n/);
  assert.doesNotMatch(r.out, /Link partner|MDI-X/);
  // EOPNOTSUPP parts are silent; others are reported; all failing: "No data available", 75.
  t.link = null;
  t.injector = (_n, cmd) => (cmd === ETHTOOL.GWOL ? EINVAL : undefined);
  const p = await ethkit(['sim0'], t);
  assert.equal(p.code, 0);
  assert.equal(p.err, 'Cannot get wake-on-lan settings: Invalid argument\n');
  assert.equal(p.out, 'Settings for sim0:\n\tCurrent message level: 0xffff8000 (-32768)\n\t\t\t       0xffff8000\n\tLink detected: yes\n');
  t.injector = () => ENODEV;
  const all = await ethkit(['sim0'], t);
  assert.equal(all.code, 75);
  assert.equal(all.out, 'Settings for sim0:\nNo data available\n');
  assert.equal(all.err, ['device settings', 'wake-on-lan settings', 'message level', 'link status'].map(x => `Cannot get ${x}: No such device\n`).join(''));
});

test('-k: legacy groups first, kernel features after, [fixed] and [requested] annotations', async () => {
  const { t, dev } = newSim();
  dev.features.find(f => f.name === 'rx-gro')!.requested = false;
  const r = await ethkit(['-k', 'sim0'], t);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(0, 9), [
    'Features for sim0:', 'rx-checksumming: on', 'tx-checksumming: on', '\ttx-checksum-ipv4: off', '\ttx-checksum-ip-generic: on',
    '\ttx-checksum-ipv6: off', '\ttx-checksum-fcoe-crc: off', '\ttx-checksum-sctp: off', 'scatter-gather: on',
  ]);
  assert.ok(lines.includes('generic-receive-offload: on [requested off]'));
  assert.ok(lines.includes('large-receive-offload: on'));
  assert.ok(lines.includes('tx-lockless: off [fixed]'));
  assert.ok(!lines.some(l => l.startsWith('udp-fragmentation-offload')));
  assert.equal(lines.filter(l => l.startsWith('\t')).length, 5 + 2 + 4);
  // Header, three group lines (tx, sg, tso), one line per kernel feature, final newline.
  assert.equal(lines.length, 1 + 3 + dev.features.length + 1);""
});

test('-K: group expands to its changeable features; fixed ones; "Actual changes"', async () => {
  const { t, dev } = newSim();
  const f = (n: string) => dev.features.find(x => x.name === n)!;
  assert.deepEqual(await ethkit(['-K', 'sim0', 'gro', 'off'], t), { code: 0, out: '', err: '', both: '', outBytes: Buffer.alloc(0) });
  assert.equal(f('rx-gro').active, false);
  // "on" is sticky.
  await ethkit(['-K', 'sim0', 'gro', 'on', 'gro', 'off'], t);
  assert.equal(f('rx-gro').active, true);
  // A fixed feature: nothing changes at all.
  const fixed = await ethkit(['-K', 'sim0', 'loopback', 'on'], t);
  assert.deepEqual([fixed.code, fixed.out, fixed.err], [1, '', 'Could not change any device features\n']);
  // A group none of whose features can change.
  const none = await ethkit(['-K', 'sim0', 'tx-fcoe-segmentation', 'on', 'sg', 'off'], t);
  assert.equal(none.code, 0);
  assert.equal(none.out, 'Actual changes:\nscatter-gather: off\n\ttx-scatter-gather: off\n');
  assert.equal(f('tx-scatter-gather').active, false);
  const no = await ethkit(['-K', 'sim0'], t);
  assert.deepEqual([no.code, no.out], [0, 'no features changed\n']);
});

test('-G / -L / -C / -A: unmodified keys, nothing-changed exits, driver refusals', async () => {
  const { t, dev } = newSim();
  assert.equal((await ethkit(['-G', 'sim0', 'rx', '0x200', 'tx', '256'], t)).err, 'tx unmodified, ignoring\n');
  assert.equal(dev.ring!.rx_pending, 512);
  const same = await ethkit(['-G', 'sim0', 'rx', '512', 'rx-mini', '-5'], t);
  assert.deepEqual([same.code, same.err], [80, 'rx unmodified, ignoring\nno ring parameters changed, aborting\n']);
  const big = await ethkit(['-G', 'sim0', 'rx', '5000'], t);
  assert.deepEqual([big.code, big.err], [81, 'Cannot set device ring parameters: Invalid argument\n']);
  const ch = await ethkit(['-L', 'sim0', 'combined', '4'], t);
  assert.deepEqual([ch.code, ch.err], [0, 'combined unmodified, ignoring\nno channel parameters changed.\ncurrent values: rx 0 tx 0 other 1 combined 4\n']);
  assert.equal((await ethkit(['-L', 'sim0', 'combined', '2'], t)).code, 0);
  assert.equal(dev.channels!.combined_count, 2);
  const co = await ethkit(['-C', 'sim0', 'tx-frames-high', '7', 'rx-usecs', '0', 'adaptive-rx', 'on', 'adaptive-tx', 'off'], t);
  assert.deepEqual([co.code, co.err], [0, 'adaptive-tx unmodified, ignoring\nrx-usecs unmodified, ignoring\n']);
  assert.equal(dev.coalesce!.use_adaptive_rx_coalesce, 1);
  assert.equal(dev.coalesce!.tx_max_coalesced_frames_high, 7);
  const pa = await ethkit(['-A', 'sim0', 'rx', 'on', 'tx', 'on'], t);
  assert.deepEqual([pa.code, pa.err], [78, 'rx unmodified, ignoring\ntx unmodified, ignoring\nno pause parameters changed, aborting\n']);
  assert.equal((await ethkit(['-A', 'sim0', 'autoneg', 'on'], t)).code, 0);
  assert.equal(dev.pause!.autoneg, 1);
});

test('-s: link mode from speed/duplex, autoneg on advertises all supported, wol, msglvl, failures', async () => {
  const { t, dev } = newSim();
  t.link = link();
  assert.equal((await ethkit(['-s', 'sim0', 'speed', '100', 'duplex', 'full'], t)).err, '');
  assert.deepEqual(t.sets.pop()!.fields, { speed: 100, duplex: 1, port: 0, phyad: 1, autoneg: 1, mdixCtrl: 3, transceiver: 0, advertising: [(1 << 3) | (1 << 6) | (1 << 13), 0, 0] });
  const adv = await ethkit(['-s', 'sim0', 'speed', '100'], t);
  assert.equal(adv.err, 'Cannot advertise speed 100\n');
  await ethkit(['-s', 'sim0', 'autoneg', 'on'], t);
  assert.deepEqual(t.sets.pop()!.fields.advertising, [0b1111 | (1 << 5) | (1 << 6) | (1 << 13), 1 << (47 - 32), 0]);
  const x = await ethkit(['-s', 'sim0', 'xcvr', 'external'], t);
  assert.deepEqual([x.code, x.err], [0, 'Cannot set new settings: Address family not supported by protocol\n  not setting transceiver\n']);
  assert.equal((await ethkit(['-s', 'sim0', 'msglvl', 'drv', 'off', 'hw', 'on'], t)).code, 0);
  assert.equal(dev.msglvl, 0x2006);
  await ethkit(['-s', 'sim0', 'msglvl', '0x10'], t);
  assert.equal(dev.msglvl, 0x10);
  await ethkit(['-s', 'sim0', 'wol', 'g', 'sopass', '1:2:3:4:5:6'], t);
  assert.deepEqual([dev.wol!.wolopts, dev.wol!.sopass], [0x20, [1, 2, 3, 4, 5, 6]]);
  const w = await ethkit(['-s', 'sim0', 'wol', 'p'], t);
  assert.deepEqual([w.code, w.err], [0, 'Cannot set new wake-on-lan settings: Invalid argument\n  not setting wol\n']);
  t.injector = () => ENODEV;
  const f = await ethkit(['-s', 'sim0', 'speed', '10', 'duplex', 'half', 'phyad', '2', 'mdix', 'on', 'wol', 'g', 'msglvl', '1'], t);
  assert.equal(f.code, 0);
  assert.equal(f.err, 'Cannot get current device settings: No such device\n  not setting speed\n  not setting duplex\n' +
    '  not setting phy_address\n  not setting mdix\nCannot get current wake-on-lan settings: No such device\n  not setting wol\n' +
    'Cannot get msglvl: No such device\n');
});

test('-t: PASS/FAIL report, exit 2 on FAIL; -d/-e hex dumps', async () => {
  const { t, dev } = newSim();
  dev.tests = [{ name: 'link test', value: 0n }, { name: 'register test', value: 0xffffffffn }];
  const r = await ethkit(['-t', 'sim0', 'online'], t);
  assert.deepEqual([r.code, r.out], [2, 'The test result is FAIL\nThe test extra info:\nlink test\t 0\nregister test\t -1\n\n']);
  dev.tests = [{ name: 'link test', value: 0n }];
  assert.deepEqual([(await ethkit(['-t', 'sim0'], t)).code], [0]);
  dev.regs = Uint8Array.from({ length: 20 }, (_, i) => i * 7);
  assert.equal((await ethkit(['-d', 'sim0'], t)).out,
    'Offset\t\tValues\n------\t\t------\n0x0000:\t\t00 07 0e 15 1c 23 2a 31 38 3f 46 4d 54 5b 62 69 \n0x0010:\t\t70 77 7e 85 \n');
  assert.deepEqual((await ethkit(['-d', 'sim0', 'raw', 'on'], t)).outBytes, Buffer.from(dev.regs));
  dev.eeprom = Uint8Array.from({ length: 40 }, (_, i) => i);
  assert.equal((await ethkit(['-e', 'sim0', 'offset', '30', 'length', '20'], t)).out,
    'Offset\t\tValues\n------\t\t------\n0x001e:\t\t1e 1f 20 21 22 23 24 25 26 27 \n');
  const none = new CliSim([]);
  assert.deepEqual([(await ethkit(['-d', 'sim9'], none)).code, (await ethkit(['-e', 'sim9'], none)).code], [72, 74]);
});

test('stdio order: stderr at once, stdout held in 4096-byte blocks (as ethtool on a pipe)', async () => {
  const { t } = newSim();
  t.injector = (_n, cmd) => (cmd === ETHTOOL.GPAUSEPARAM ? 95 : undefined);
  const r = await ethkit(['-a', 'sim0'], t);
  assert.equal(r.both, 'Cannot get device pause settings: Operation not supported\nPause parameters for sim0:\n');
  assert.equal(r.code, 76);
  const log: string[] = [];
  const o = new Out({ write: c => log.push('out' + c.length) }, { write: c => log.push('err' + c.length) }, false);
  o.print('x'.repeat(3000));
  o.err('e');
  o.print('y'.repeat(3000));
  o.err('e');
  o.finish(0);
  assert.deepEqual(log, ['err1', 'out4096', 'err1', 'out1904']);
});
