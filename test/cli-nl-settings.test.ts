/**
 * The settings page, -s and -P on ethtool's netlink path, against hand-built kernel answers
 * (the scripted netlink fake): what the suite's virtual devices cannot show — link modes of
 * real NICs (the rig drivers' captures, nl-facts §2), many modes, FEC, link partner, lanes,
 * master-slave, SQI, link-down reasons, MDI-X, WoL with SecureOn, dumps, compact bitsets as
 * --monitor gets them — and the exact requests -s and -P send.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../src/app/run';
import {
  Attrs, Bitset, CTRL, CTRL_CMD, EthtoolNetlink, GENL_CMD_CAP, GENL_ID_CTRL, KERNEL_MESSAGES, USER_MESSAGES,
  Writer, buildGenl, decodeAttrs, genlHeader, parseMessages, userMessage, Reply,
} from '../src/ethtool/netlink';
import { LINK_MODES } from '../src/ethtool/linkmodes';
import { ETH_SS } from '../src/ethtool/netlink/constants';
import { Out } from '../src/cli/out';
import { Printer } from '../src/cli/nl/print';
import { NlState } from '../src/cli/nl/cmd';
import { SETTINGS_NOTIFICATIONS, SettingsPrinter, printDebug, printLinkState } from '../src/cli/nl/settings';
import { ScriptedNetlink, ackOf, errorOf, NlStep, Sent } from './helpers/nl-scripted';
import * as B from './helpers/nl-bytes';
import { newSim } from './cli-helpers';

const FAM = 21;
const { nest, str, u32, u8, flag, bin, words } = B;

// ---- kernel side ------------------------------------------------------------------------------

/** A CTRL_CMD_NEWFAMILY for "ethtool": every 6.1 message with DO and DUMP, but those in `drop` (and `noDump` without DUMP). */
function family(drop: readonly string[] = [], noDump: readonly string[] = []): Uint8Array {
  const ops = [...USER_MESSAGES.values()].filter(m => !drop.includes(m.name))
    .map(m => ({ id: m.id, flags: GENL_CMD_CAP.DO | (noDump.includes(m.name) ? 0 : GENL_CMD_CAP.DUMP) }));
  return buildGenl(new Writer(), {
    family: GENL_ID_CTRL, cmd: CTRL_CMD.NEWFAMILY, version: 2, flags: 0, seq: 0, attrs: CTRL,
    values: { family_name: 'ethtool', family_id: FAM, version: 1, hdrsize: 0, maxattr: 0, ops, mcast_groups: [{ name: 'monitor', id: 6 }] },
  }).slice();
}

/** The kernel's link mode names (ETH_SS_LINK_MODES) for bits 0..92. */
const NAMES: string[] = (() => {
  const n: string[] = new Array(93).fill('');
  for (const m of LINK_MODES) n[m.bit] = m.name;
  Object.assign(n, { 6: 'Autoneg', 7: 'TP', 8: 'AUI', 9: 'MII', 10: 'FIBRE', 11: 'BNC', 13: 'Pause', 14: 'Asym_Pause', 16: 'Backplane', 49: 'None', 50: 'RS', 51: 'BASER', 74: 'LLRS' });
  return n;
})();
const MSG_CLASSES = ['drv', 'probe', 'link', 'timer', 'ifdown', 'ifup', 'rx_err', 'tx_err', 'tx_queued', 'intr', 'tx_done', 'rx_status', 'pktdata', 'hw', 'wol'];
const WOL_NAMES = ['phy', 'ucast', 'mcast', 'bcast', 'arp', 'magic', 'magicsecure', 'filter'];

/** A verbose value/mask bitset as the kernel answers (only the mask's bits listed). */
function verbose(mask: readonly number[], value: readonly number[], names: readonly string[] = NAMES, size = 93) {
  return { size, verbose: mask.map(i => ({ index: i, name: names[i] ?? `mode${i}`, value: value.includes(i) })) };
}
/** A verbose list bitset (NOMASK: the bits given are set). */
function list(bits: readonly number[], names: readonly string[] = NAMES, size = 93) {
  return { size, nomask: true, verbose: bits.map(i => ({ index: i, name: names[i] ?? `mode${i}` })) };
}

/** A kernel message of the ethtool family, with a header for `dev`. */
function kmsg(name: string, dev: string, values: Attrs, nlFlags = 0): Uint8Array {
  const m = KERNEL_MESSAGES.get(name)!;
  return buildGenl(new Writer(), {
    family: FAM, cmd: m.id, version: 1, flags: nlFlags, seq: 0, attrs: m.attrs, values: { header: { dev_index: 2, dev_name: dev }, ...values },
  }).slice();
}

/** The extended ack TLVs: message, and offset. */
function extack(msg: string, offset?: number): Uint8Array[] {
  return offset === undefined ? [str(1, msg)] : [str(1, msg), u32(2, offset)];
}

/** The request ethtool sends for a GET of `dev` (flags 0), or the dump for "*". */
function getReq(msg: string, dev: string | null, hdrFlags = 0): Uint8Array {
  const id = USER_MESSAGES.get(msg)!.id;
  const hdr = dev === null ? nest(1) : hdrFlags ? nest(1, str(2, dev), u32(3, hdrFlags)) : nest(1, str(2, dev));
  return B.nlmsg({ type: FAM, flags: dev === null ? 0x305 : 5 }, B.genl(id, 1, hdr));
}

function setReq(msg: string, dev: string, ...attrs: Uint8Array[]): Uint8Array {
  return B.nlmsg({ type: FAM, flags: 5 }, B.genl(USER_MESSAGES.get(msg)!.id, 1, nest(1, str(2, dev)), ...attrs));
}

const GETS = ['LINKMODES_GET', 'LINKINFO_GET', 'WOL_GET', 'DEBUG_GET', 'LINKSTATE_GET'];

/** The five GETs of the page for `dev`, each answered by `answers[i]` (a reply message, or an errno). */
function page(dev: string, answers: ReadonlyArray<Uint8Array | number | ((r: Sent) => Uint8Array)>): NlStep[] {
  return GETS.map((m, i) => {
    const a = answers[i];
    const replies = typeof a === 'number' ? [errorOf(a)] : typeof a === 'function' ? [a] : [a, ackOf];
    return { note: m, request: getReq(m, dev), replies };
  });
}

// ---- running ethkit ---------------------------------------------------------------------------

interface Ran { code: number; out: string; err: string; sent: Sent[]; routeSent: Sent[] }

async function ethkit(argv: string[], steps: NlStep[], opts: { route?: NlStep[]; family?: Uint8Array } = {}): Promise<Ran> {
  const t = new ScriptedNetlink([{ note: 'family', replies: [opts.family ?? family(), ackOf] }, ...steps]);
  const rt = new ScriptedNetlink(opts.route ?? []);
  const out: Buffer[] = [], err: Buffer[] = [];
  const sink = (into: Buffer[]) => ({ write(c: string | Uint8Array): void { into.push(Buffer.from(c)); } });
  const code = await run(argv, {
    transport: newSim().t, stdout: sink(out), stderr: sink(err),
    netlink: () => EthtoolNetlink.open({ transport: t, timeoutMs: 200, routeTransport: () => rt }),
  });
  t.assertDone();
  rt.assertDone();
  return { code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString(), sent: t.sent, routeSent: rt.sent };
}

const lines = (...l: string[]): string => l.map(x => x + '\n').join('');
const I24 = '\t' + ' '.repeat(24);

// ---- the settings page: the rig drivers' answers ------------------------------------------------

const LINKINFO_TP = (phy = 0, mdix = 1, ctrl = 3) => ({ port: 0, phyaddr: phy, tp_mdix: mdix, tp_mdix_ctrl: ctrl, transceiver: 0 });
const DEBUG7 = { msgmask: list([0, 1, 2], MSG_CLASSES, 15) };
const LINK_UP = { link: 1 };

test('page: e1000 (rig capture): modes paired after the half-duplex ones, no trailing spaces, netlink order', async () => {
  const r = await ethkit(['eth0'], page('eth0', [
    kmsg('LINKMODES_GET_REPLY', 'eth0', { autoneg: 1, ours: verbose([0, 1, 2, 3, 5, 6, 7], [0, 1, 2, 3, 5, 6, 7]), speed: 1000, duplex: 1 }),
    kmsg('LINKINFO_GET_REPLY', 'eth0', LINKINFO_TP()),
    kmsg('WOL_GET_REPLY', 'eth0', { modes: verbose([1, 2, 3, 5], [], WOL_NAMES, 8) }),
    kmsg('DEBUG_GET_REPLY', 'eth0', DEBUG7),
    kmsg('LINKSTATE_GET_REPLY', 'eth0', LINK_UP),
  ]));
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.equal(r.out, lines(
    'Settings for eth0:',
    '\tSupported ports: [ TP ]',
    '\tSupported link modes:   10baseT/Half 10baseT/Full',
    `${I24}100baseT/Half 100baseT/Full`,
    `${I24}1000baseT/Full`,
    '\tSupported pause frame use: No',
    '\tSupports auto-negotiation: Yes',
    '\tSupported FEC modes: Not reported',
    '\tAdvertised link modes:  10baseT/Half 10baseT/Full',
    `${I24}100baseT/Half 100baseT/Full`,
    `${I24}1000baseT/Full`,
    '\tAdvertised pause frame use: No',
    '\tAdvertised auto-negotiation: Yes',
    '\tAdvertised FEC modes: Not reported',
    '\tSpeed: 1000Mb/s',
    '\tDuplex: Full',
    '\tAuto-negotiation: on',
    '\tPort: Twisted Pair',
    '\tPHYAD: 0',
    '\tTransceiver: internal',
    '\tMDI-X: off (auto)',
    '\tSupports Wake-on: umbg',
    '\tWake-on: d',
    '        Current message level: 0x00000007 (7)',
    '                               drv probe link',
    '\tLink detected: yes',
  ));
});

test('page: 8139cp (rig capture): two ports, link partner, advertised pause the mask does not list', async () => {
  const r = await ethkit(['eth2'], page('eth2', [
    kmsg('LINKMODES_GET_REPLY', 'eth2', {
      autoneg: 1,
      // advertising has Pause (13), but the supported mask does not: the verbose bitset cannot show it
      ours: verbose([0, 1, 2, 3, 6, 7, 9], [0, 1, 2, 3, 6, 7, 9, 13]),
      peer: list([0, 1, 2, 3, 13]), speed: 100, duplex: 1,
    }),
    kmsg('LINKINFO_GET_REPLY', 'eth2', { port: 2, phyaddr: 32, tp_mdix: 0, tp_mdix_ctrl: 0, transceiver: 0 }),
    kmsg('WOL_GET_REPLY', 'eth2', { modes: verbose([0, 1, 2, 3, 5], [], WOL_NAMES, 8) }),
    kmsg('DEBUG_GET_REPLY', 'eth2', DEBUG7),
    kmsg('LINKSTATE_GET_REPLY', 'eth2', LINK_UP),
  ]));
  assert.equal(r.code, 0);
  assert.equal(r.out, lines(
    'Settings for eth2:',
    '\tSupported ports: [ TP\t MII ]',
    '\tSupported link modes:   10baseT/Half 10baseT/Full',
    `${I24}100baseT/Half 100baseT/Full`,
    '\tSupported pause frame use: No',
    '\tSupports auto-negotiation: Yes',
    '\tSupported FEC modes: Not reported',
    '\tAdvertised link modes:  10baseT/Half 10baseT/Full',
    `${I24}100baseT/Half 100baseT/Full`,
    '\tAdvertised pause frame use: No',
    '\tAdvertised auto-negotiation: Yes',
    '\tAdvertised FEC modes: Not reported',
    '\tLink partner advertised link modes:  10baseT/Half 10baseT/Full',
    `\t${' '.repeat(37)}100baseT/Half 100baseT/Full`,
    '\tLink partner advertised pause frame use: Symmetric',
    '\tLink partner advertised auto-negotiation: No',
    '\tLink partner advertised FEC modes: Not reported',
    '\tSpeed: 100Mb/s',
    '\tDuplex: Full',
    '\tAuto-negotiation: on',
    '\tPort: MII',
    '\tPHYAD: 32',
    '\tTransceiver: internal',
    '\tSupports Wake-on: pumbg',
    '\tWake-on: d',
    '        Current message level: 0x00000007 (7)',
    '                               drv probe link',
    '\tLink detected: yes',
  ));
});

test('page: vmxnet3 (rig capture): no message level (EOPNOTSUPP is silent), MDI-X Unknown', async () => {
  const r = await ethkit(['eth3'], page('eth3', [
    kmsg('LINKMODES_GET_REPLY', 'eth3', { autoneg: 0, ours: verbose([5, 7, 12], []), speed: 1000, duplex: 1 }),
    kmsg('LINKINFO_GET_REPLY', 'eth3', LINKINFO_TP(0, 0, 0)),
    kmsg('WOL_GET_REPLY', 'eth3', { modes: verbose([1, 4, 5], [], WOL_NAMES, 8) }),
    95,
    kmsg('LINKSTATE_GET_REPLY', 'eth3', LINK_UP),
  ]));
  assert.equal(r.err, '');
  assert.equal(r.out, lines(
    'Settings for eth3:',
    '\tSupported ports: [ TP ]',
    '\tSupported link modes:   1000baseT/Full',
    `${I24}10000baseT/Full`,
    '\tSupported pause frame use: No',
    '\tSupports auto-negotiation: No',
    '\tSupported FEC modes: Not reported',
    '\tAdvertised link modes:  Not reported',
    '\tAdvertised pause frame use: No',
    '\tAdvertised auto-negotiation: No',
    '\tAdvertised FEC modes: Not reported',
    '\tSpeed: 1000Mb/s',
    '\tDuplex: Full',
    '\tAuto-negotiation: off',
    '\tPort: Twisted Pair',
    '\tPHYAD: 0',
    '\tTransceiver: internal',
    '\tMDI-X: Unknown',
    '\tSupports Wake-on: uag',
    '\tWake-on: d',
    '\tLink detected: yes',
  ));
});

/** A 100G NIC: many modes (one past ethtool 6.1's table), FEC, partner, lanes, master-slave, link down with a reason, SQI. */
function bigNic(dev: string, link: Attrs): NlStep[] {
  const supported = [6, 10, 13, 14, 16, 31, 32, 33, 36, 37, 38, 39, 49, 50, 51, 57, 90, 91, 100];
  const advertised = [6, 14, 36, 37, 50, 74, 90, 91];
  const names = [...NAMES];
  names[100] = '800000baseKR8/Full';
  return page(dev, [
    kmsg('LINKMODES_GET_REPLY', dev, {
      autoneg: 1, ours: verbose(supported, advertised, names, 101), peer: list([6, 13, 36, 38, 50, 74], names, 101),
      speed: 100000, duplex: 1, master_slave_cfg: 3, master_slave_state: 3, lanes: 4,
    }),
    kmsg('LINKINFO_GET_REPLY', dev, { port: 3, phyaddr: 0, tp_mdix: 0, tp_mdix_ctrl: 0, transceiver: 1 }),
    95, 95,
    kmsg('LINKSTATE_GET_REPLY', dev, link),
  ]);
}

test('page: many modes, ports and FEC lists (TAB+space), partner, lanes, master-slave, link-down reason, SQI', async () => {
  const r = await ethkit(['enp1'], bigNic('enp1', { link: 0, sqi: 5, sqi_max: 7, ext_state: 0, ext_substate: 1 }));
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  assert.equal(r.out, lines(
    'Settings for enp1:',
    '\tSupported ports: [ FIBRE\t Backplane ]',
    '\tSupported link modes:   25000baseCR/Full',
    `${I24}25000baseKR/Full`,
    `${I24}25000baseSR/Full`,
    `${I24}100000baseKR4/Full`,
    `${I24}100000baseSR4/Full`,
    `${I24}100000baseCR4/Full`,
    `${I24}100000baseLR4_ER4/Full`,
    `${I24}100000baseKR2/Full`,
    `${I24}100baseFX/Half 100baseFX/Full`,
    `${I24}800000baseKR8/Full`,
    '\tSupported pause frame use: Symmetric Receive-only',
    '\tSupports auto-negotiation: Yes',
    '\tSupported FEC modes: None\t RS\t BASER',
    '\tAdvertised link modes:  100000baseKR4/Full',
    `${I24}100000baseSR4/Full`,
    `${I24}100baseFX/Half 100baseFX/Full`,
    '\tAdvertised pause frame use: Transmit-only',
    '\tAdvertised auto-negotiation: Yes',
    '\tAdvertised FEC modes: RS',
    '\tLink partner advertised link modes:  100000baseKR4/Full',
    `\t${' '.repeat(37)}100000baseCR4/Full`,
    '\tLink partner advertised pause frame use: Symmetric',
    '\tLink partner advertised auto-negotiation: Yes',
    '\tLink partner advertised FEC modes: RS\t LLRS',
    '\tSpeed: 100000Mb/s',
    '\tLanes: 4',
    '\tDuplex: Full',
    '\tAuto-negotiation: on',
    '\tmaster-slave cfg: preferred slave',
    '\tmaster-slave status: slave',
    '\tPort: FIBRE',
    '\tPHYAD: 0',
    '\tTransceiver: external',
    '\tLink detected: no (Autoneg, No partner detected)',
    '\tSQI: 5/7',
  ));
});

test('page: link-down reasons and SQI variants', async () => {
  const cases: [Attrs, string][] = [
    [{ link: 0, ext_state: 4 }, '\tLink detected: no (No cable)\n'],
    [{ link: 0, ext_state: 4, ext_substate: 3 }, '\tLink detected: no (No cable, 3)\n'],
    [{ link: 0, ext_state: 1, ext_substate: 4 }, '\tLink detected: no (Link training failure, Remote side is not ready yet)\n'],
    [{ link: 0, ext_state: 2, ext_substate: 5 }, '\tLink detected: no (Logical mismatch, RS FEC is not locked)\n'],
    [{ link: 0, ext_state: 3, ext_substate: 9 }, '\tLink detected: no (Bad signal integrity, 9)\n'],
    [{ link: 0, ext_state: 5, ext_substate: 2 }, '\tLink detected: no (Cable issue, Cable test failure)\n'],
    [{ link: 0, ext_state: 10, ext_substate: 1 }, '\tLink detected: no (Module, CMIS module is not in ModuleReady state)\n'],
    [{ link: 0, ext_state: 9 }, '\tLink detected: no (Overheat)\n'],
    [{ link: 0, ext_state: 42, ext_substate: 7 }, '\tLink detected: no (42, 7)\n'],
    [{ link: 1, sqi: 3 }, '\tLink detected: yes\n\tSQI: 3\n'],
    [{ sqi: 2, sqi_max: 7 }, '\tSQI: 2/7\n'],
  ];
  for (const [attrs, want] of cases) {
    const r = await ethkit(['eth9'], page('eth9', [95, 95, 95, 95, kmsg('LINKSTATE_GET_REPLY', 'eth9', attrs)]));
    assert.equal(r.out, 'Settings for eth9:\n' + want, JSON.stringify(attrs));
  }
});

test('page: MDI-X (forced, auto, only on twisted pair) and out-of-table values', async () => {
  const cases: [Attrs, Attrs, string][] = [
    [{}, LINKINFO_TP(0, 2, 1), '\tMDI-X: off (forced)'],
    [{}, LINKINFO_TP(0, 1, 2), '\tMDI-X: on (forced)'],
    [{}, LINKINFO_TP(0, 2, 3), '\tMDI-X: on (auto)'],
    [{}, LINKINFO_TP(0, 2, 0), '\tMDI-X: on'],
    [{}, LINKINFO_TP(0, 0, 3), '\tMDI-X: Unknown (auto)'],
  ];
  for (const [, info, want] of cases) {
    const r = await ethkit(['eth9'], page('eth9', [95, kmsg('LINKINFO_GET_REPLY', 'eth9', info), 95, 95, 95]));
    assert.equal(r.out, lines('Settings for eth9:', '\tPort: Twisted Pair', '\tPHYAD: 0', '\tTransceiver: internal', want));
  }
  const r = await ethkit(['eth9'], page('eth9', [
    kmsg('LINKMODES_GET_REPLY', 'eth9', { speed: 65535, duplex: 255, autoneg: 7, master_slave_cfg: 0, master_slave_state: 9 }),
    kmsg('LINKINFO_GET_REPLY', 'eth9', { port: 0x10, phyaddr: 255, tp_mdix: 1, tp_mdix_ctrl: 1, transceiver: 4 }),
    95, 95, 95,
  ]));
  assert.equal(r.out, lines(
    'Settings for eth9:', '\tSpeed: Unknown!', '\tDuplex: Unknown! (255)', '\tAuto-negotiation: on',
    '\tmaster-slave cfg: Unknown! (0)', '\tmaster-slave status: Unknown! (9)',
    '\tPort: Unknown! (16)', '\tPHYAD: 255', '\tTransceiver: Unknown! (4)',
  ));
  const other = await ethkit(['eth9'], page('eth9', [95, kmsg('LINKINFO_GET_REPLY', 'eth9', { port: 0xef, phyaddr: 1, transceiver: 1 }), 95, 95, 95]));
  assert.equal(other.out, lines('Settings for eth9:', '\tPort: None', '\tPHYAD: 1', '\tTransceiver: external'));
});

test('page: WoL with SecureOn; a password of the wrong length is reported and shown as zeros', async () => {
  const wol = (sopass: number[]) => page('eth9', [95, 95,
    kmsg('WOL_GET_REPLY', 'eth9', { modes: verbose([0, 1, 2, 3, 4, 5, 6], [5, 6], WOL_NAMES, 8), sopass: Uint8Array.from(sopass) }), 95, 95]);
  const r = await ethkit(['eth9'], wol([1, 2, 3, 0xab, 0xcd, 0xef]));
  assert.equal(r.out, lines('Settings for eth9:', '\tSupports Wake-on: pumbags', '\tWake-on: gs', '        SecureOn password: 01:02:03:ab:cd:ef'));
  const bad = await ethkit(['eth9'], wol([1, 2, 3, 4]));
  assert.equal(bad.err, 'invalid SecureOn password length 4 (should be 6)\n');
  assert.equal(bad.out, lines('Settings for eth9:', '\tSupports Wake-on: pumbags', '\tWake-on: gs', '        SecureOn password: 00:00:00:00:00:00'));
  const none = await ethkit(['eth9'], page('eth9', [95, 95, kmsg('WOL_GET_REPLY', 'eth9', { modes: verbose([], [], WOL_NAMES, 8) }), 95, 95]));
  assert.equal(none.out, lines('Settings for eth9:', '\tSupports Wake-on: d', '\tWake-on: d'));
});

test('page: message level 0 and every class; the banner uses the kernel\'s name (an altname asked for)', async () => {
  const r = await ethkit(['an-altname-of-eth0'], page('an-altname-of-eth0', [95, 95, 95,
    kmsg('DEBUG_GET_REPLY', 'eth0', { msgmask: list([], MSG_CLASSES, 15) }), 95]));
  assert.equal(r.out, lines('Settings for eth0:', '        Current message level: 0x00000000 (0)', ' '.repeat(30)));
  const all = await ethkit(['eth0'], page('eth0', [95, 95, 95,
    kmsg('DEBUG_GET_REPLY', 'eth0', { msgmask: list([...MSG_CLASSES.keys()], MSG_CLASSES, 15) }), 95]));
  assert.equal(all.out, lines('Settings for eth0:', '        Current message level: 0x00007fff (32767)', ' '.repeat(30) + MSG_CLASSES.map(n => ' ' + n).join('')));
});

test('page: nothing printed is "No data available", exit 75; a missing device gets five error pairs', async () => {
  const nsim = await ethkit(['eth7'], page('eth7', [95, 95, 95, 95, 95]));
  assert.deepEqual([nsim.code, nsim.out, nsim.err], [75, 'No data available\n', '']);
  // EOPNOTSUPP with an extack message (lo's link settings) is silenced whole
  const lo = await ethkit(['lo'], page('lo', [errorOf(95, extack('failed to retrieve link settings')), 95, 95, 95, kmsg('LINKSTATE_GET_REPLY', 'lo', LINK_UP)]));
  assert.deepEqual([lo.code, lo.out, lo.err], [0, 'Settings for lo:\n\tLink detected: yes\n', '']);
  const nodev = errorOf(19, extack('no device matches name', 24));
  const r = await ethkit(['nosuch0'], page('nosuch0', [nodev, nodev, nodev, nodev, nodev]));
  assert.equal(r.code, 75);
  assert.equal(r.out, 'No data available\n');
  assert.equal(r.err, 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n'.repeat(5));
});

test('page: an error other than EOPNOTSUPP is printed and the page goes on (exit 0)', async () => {
  const r = await ethkit(['eth0'], page('eth0', [95, kmsg('LINKINFO_GET_REPLY', 'eth0', LINKINFO_TP()), 1, 95, kmsg('LINKSTATE_GET_REPLY', 'eth0', LINK_UP)]));
  assert.equal(r.code, 0);
  assert.equal(r.err, 'netlink error: Operation not permitted\n');
  assert.equal(r.out, lines('Settings for eth0:', '\tPort: Twisted Pair', '\tPHYAD: 0', '\tTransceiver: internal', '\tMDI-X: off (auto)', '\tLink detected: yes'));
});

test('page: "*" dumps each message, a banner per reply, grouped by message; a DONE warning is not printed', async () => {
  const dump = (msg: string, replies: Uint8Array[], tlvs: Uint8Array[] = []) => ({
    note: msg, request: getReq(msg, null), replies: [B.datagram(...replies, B.done({}, 0, tlvs))],
  });
  const r = await ethkit(['*'], [
    dump('LINKMODES_GET', [kmsg('LINKMODES_GET_REPLY', 'va', { autoneg: 0, ours: verbose([], []), speed: 10000, duplex: 1 }, 2)], extack('failed to retrieve link settings')),
    dump('LINKINFO_GET', [kmsg('LINKINFO_GET_REPLY', 'va', LINKINFO_TP(0, 0, 0), 2)]),
    dump('WOL_GET', []),
    dump('DEBUG_GET', [kmsg('DEBUG_GET_REPLY', 'tp0', { msgmask: list([], MSG_CLASSES, 15) }, 2)]),
    dump('LINKSTATE_GET', [kmsg('LINKSTATE_GET_REPLY', 'lo', { link: 0 }, 2), kmsg('LINKSTATE_GET_REPLY', 'va', LINK_UP, 2)]),
  ]);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  assert.equal(r.out, lines(
    'Settings for va:', '\tSupported ports: [  ]', '\tSupported link modes:   Not reported', '\tSupported pause frame use: No',
    '\tSupports auto-negotiation: No', '\tSupported FEC modes: Not reported', '\tAdvertised link modes:  Not reported',
    '\tAdvertised pause frame use: No', '\tAdvertised auto-negotiation: No', '\tAdvertised FEC modes: Not reported',
    '\tSpeed: 10000Mb/s', '\tDuplex: Full', '\tAuto-negotiation: off',
    'Settings for va:', '\tPort: Twisted Pair', '\tPHYAD: 0', '\tTransceiver: internal', '\tMDI-X: Unknown',
    'Settings for tp0:', '        Current message level: 0x00000000 (0)', ' '.repeat(30),
    'Settings for lo:', '\tLink detected: no',
    'Settings for va:', '\tLink detected: yes',
  ));
});

test('page: the kernel without a GET: the ioctl page; "*" where one GET cannot dump: refused', async () => {
  const { t } = newSim();
  const want: Buffer[] = [];
  await run(['sim0'], { transport: t, stdout: { write: c => { want.push(Buffer.from(c)); } }, stderr: { write: () => undefined }, netlink: () => null });
  const r = await ethkit(['sim0'], [], { family: family(['WOL_GET']) });
  assert.equal(r.out, Buffer.concat(want).toString());
  assert.match(r.out, /^Settings for sim0:\n/);
  const w = await ethkit(['*'], [], { family: family([], ['LINKINFO_GET']) });
  assert.deepEqual([w.code, w.out, w.err], [1, '', 'subcommand does not support wildcard dump\n']);
});

test('page --json: one object per device (the five messages merged), ethkit\'s keys and the netlink ones', async () => {
  const r = await ethkit(['--json', 'enp1'], bigNic('enp1', { link: 0, sqi: 5, sqi_max: 7, ext_state: 0, ext_substate: 1 }));
  assert.equal(r.code, 0);
  const [o] = JSON.parse(r.out);
  assert.deepEqual(o, {
    ifname: 'enp1',
    'supported-ports': ['FIBRE', 'Backplane'],
    'supported-link-modes': ['25000baseCR/Full', '25000baseKR/Full', '25000baseSR/Full', '100000baseKR4/Full', '100000baseSR4/Full',
      '100000baseCR4/Full', '100000baseLR4_ER4/Full', '100000baseKR2/Full', '100baseFX/Half', '100baseFX/Full', '800000baseKR8/Full'],
    'supported-pause-frame-use': 'Symmetric Receive-only',
    'supports-auto-negotiation': true,
    'supported-fec-modes': ['None', 'RS', 'BASER'],
    'advertised-link-modes': ['100000baseKR4/Full', '100000baseSR4/Full', '100baseFX/Half', '100baseFX/Full'],
    'advertised-pause-frame-use': 'Transmit-only',
    'advertised-auto-negotiation': true,
    'advertised-fec-modes': ['RS'],
    'link-partner-advertised-link-modes': ['100000baseKR4/Full', '100000baseCR4/Full'],
    'link-partner-advertised-pause-frame-use': 'Symmetric',
    'link-partner-advertised-auto-negotiation': true,
    'link-partner-advertised-fec-modes': ['RS', 'LLRS'],
    speed: 100000, lanes: 4, duplex: 'Full', 'auto-negotiation': true,
    'master-slave-cfg': 'preferred slave', 'master-slave-status': 'slave',
    port: 'FIBRE', phyad: 0, transceiver: 'external',
    'link-detected': false, 'link-ext-state': 'Autoneg', 'link-ext-substate': 'No partner detected', sqi: 5, 'sqi-max': 7,
  });
  const d = await ethkit(['--json', '*'], [
    { request: getReq('LINKMODES_GET', null), replies: [B.datagram(B.done({}))] },
    { request: getReq('LINKINFO_GET', null), replies: [B.datagram(kmsg('LINKINFO_GET_REPLY', 'va', LINKINFO_TP(), 2), kmsg('LINKINFO_GET_REPLY', 'vb', LINKINFO_TP(1), 2), B.done({}))] },
    { request: getReq('WOL_GET', null), replies: [B.datagram(B.done({}))] },
    { request: getReq('DEBUG_GET', null), replies: [B.datagram(B.done({}))] },
    { request: getReq('LINKSTATE_GET', null), replies: [B.datagram(kmsg('LINKSTATE_GET_REPLY', 'vb', LINK_UP, 2), kmsg('LINKSTATE_GET_REPLY', 'va', { link: 0 }, 2), B.done({}))] },
  ]);
  assert.deepEqual(JSON.parse(d.out).map((o: Attrs) => [o.ifname, o.phyad, o['link-detected']]), [['va', 0, false], ['vb', 1, true]]);
});

// ---- the printers as --monitor calls them (compact bitsets) -------------------------------------

function monitorPrinter(filterDev: string | null = null): { pr: SettingsPrinter; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = { write(c: string | Uint8Array): void { chunks.push(Buffer.from(c)); } };
  const out = new Out(sink, sink, false);
  const st = new NlState();
  st.isMonitor = true;
  st.filterDev = filterDev;
  const strings = (id: number) => (id === ETH_SS.LINK_MODES ? NAMES : id === ETH_SS.MSG_CLASSES ? MSG_CLASSES : undefined);
  const pr = new SettingsPrinter({ p: new Printer(out), st, strings });
  return { pr, text: () => { out.finish(0); return Buffer.concat(chunks).toString(); } };
}

function ntf(message: string, dev: string, attrs: Attrs): Reply {
  return { cmd: KERNEL_MESSAGES.get(message)!.id, message, attrs: { header: { dev_index: 2, dev_name: dev }, ...attrs } };
}

test('monitor: LINKMODES_NTF (compact) prints ethtool\'s separator before the first item (rig capture)', () => {
  const { pr, text } = monitorPrinter();
  const ours = new Bitset(93);
  for (const i of [0, 1, 2, 3, 5, 6, 7]) ours.set(i, false);
  assert.equal(pr.print(ntf('LINKMODES_NTF', 'eth0', { autoneg: 0, ours, speed: 1000, duplex: 1 })), true);
  assert.equal(text(), lines(
    'Settings for eth0:',
    '\tSupported ports: [ \t TP ]',
    '\tSupported link modes:   ',
    `${I24}10baseT/Half 10baseT/Full`,
    `${I24}100baseT/Half 100baseT/Full`,
    `${I24}1000baseT/Full`,
    '\tSupported pause frame use: No',
    '\tSupports auto-negotiation: Yes',
    '\tSupported FEC modes: Not reported',
    '\tAdvertised link modes:  Not reported',
    '\tAdvertised pause frame use: No',
    '\tAdvertised auto-negotiation: No',
    '\tAdvertised FEC modes: Not reported',
    '\tSpeed: 1000Mb/s',
    '\tDuplex: Full',
    '\tAuto-negotiation: off',
  ));
});

test('monitor: a banner for every notification; names from the string sets; BIT<n> for unnamed; --monitor DEV filters', () => {
  const { pr, text } = monitorPrinter();
  pr.print(ntf('DEBUG_NTF', 'eth0', { msgmask: Bitset.list(15, [0, 1]) }));
  pr.print(ntf('DEBUG_NTF', 'eth0', { msgmask: Bitset.list(15, [2]) }));
  pr.print(ntf('LINKINFO_NTF', 'eth0', LINKINFO_TP()));
  pr.print(ntf('WOL_NTF', 'eth0', { modes: Bitset.change(8, [[1, false], [5, true]]) }));
  const ours = new Bitset(120);
  ours.set(5, true).set(110, true).set(50, true).set(51, false);
  pr.print(ntf('LINKMODES_NTF', 'eth1', { ours }));
  pr.print(ntf('FEATURES_NTF', 'eth0', {}));
  assert.equal(text(), lines(
    'Settings for eth0:', '        Current message level: 0x00000003 (3)', ' '.repeat(30) + ' drv probe',
    'Settings for eth0:', '        Current message level: 0x00000004 (4)', ' '.repeat(30) + ' link',
    'Settings for eth0:', '\tPort: Twisted Pair', '\tPHYAD: 0', '\tTransceiver: internal', '\tMDI-X: off (auto)',
    'Settings for eth0:', '\tSupports Wake-on: ug', '\tWake-on: g',
    'Settings for eth1:', '\tSupported ports: [  ]', '\tSupported link modes:   ', `${I24}1000baseT/Full`, `${I24}BIT110`,
    '\tSupported pause frame use: No', '\tSupports auto-negotiation: No', '\tSupported FEC modes: \t RS\t BASER',
    '\tAdvertised link modes:  ', `${I24}1000baseT/Full`, `${I24}BIT110`, '\tAdvertised pause frame use: No',
    '\tAdvertised auto-negotiation: No', '\tAdvertised FEC modes: \t RS',
  ));
  const f = monitorPrinter('eth1');
  f.pr.print(ntf('DEBUG_NTF', 'eth0', { msgmask: Bitset.list(15, [0]) }));
  f.pr.print(ntf('LINKINFO_NTF', 'eth1', { phyaddr: 4 }));
  assert.equal(f.text(), 'Settings for eth1:\n\tPHYAD: 4\n');
});

test('monitor: a malformed LINKMODES_NTF (a list where a mask is needed) is reported and skipped', () => {
  const { pr, text } = monitorPrinter();
  assert.equal(pr.print(ntf('LINKMODES_NTF', 'eth0', { ours: Bitset.list(93, [5]), speed: 10 })), true);
  assert.equal(text(), 'Settings for eth0:\nmalformed netlink message (link_modes)\n');
});

// ---- -s -------------------------------------------------------------------------------------

test('-s: one message per group, in ethtool\'s order (LINKINFO, LINKMODES, WOL, DEBUG), attributes as typed', async () => {
  const hdr = nest(1, str(2, 'eth0'));
  const r = await ethkit(['-s', 'eth0', 'msglvl', 'drv', 'on', 'probe', 'off', '--', 'wol', 'g', 'speed', '100', 'port', 'tp', 'duplex', 'full', 'autoneg', 'off', 'mdix', 'auto', 'phyad', '0x1f'], [
    { note: 'LINKINFO_SET', request: B.nlmsg({ type: FAM, flags: 5 }, B.genl(3, 1, hdr, u8(2, 0), u8(5, 3), u8(3, 31))), replies: [ackOf] },
    { note: 'LINKMODES_SET', request: B.nlmsg({ type: FAM, flags: 5 }, B.genl(5, 1, hdr, u32(5, 100), u8(6, 1), u8(2, 0))), replies: [ackOf] },
    { note: 'WOL_SET', request: B.nlmsg({ type: FAM, flags: 5 }, B.genl(10, 1, hdr, nest(2, flag(1), nest(3, nest(1, u32(1, 5)))))), replies: [ackOf] },
    {
      note: 'DEBUG_SET', replies: [ackOf],
      request: B.nlmsg({ type: FAM, flags: 5 }, B.genl(8, 1, hdr, nest(2, nest(3, nest(1, str(2, 'drv'), flag(3)), nest(1, str(2, 'probe')))))),
    },
  ]);
  assert.deepEqual([r.code, r.out, r.err], [0, '', '']);
});

test('-s: the first message refused ends the command (75), with the kernel\'s lines; later ones are not sent', async () => {
  const r = await ethkit(['-s', 'eth0', 'wol', 'g', 'master-slave', 'forced-master', 'port', 'mii'], [
    { note: 'LINKINFO_SET', request: setReq('LINKINFO_SET', 'eth0', u8(2, 2)), replies: [ackOf] },
    { note: 'LINKMODES_SET', request: setReq('LINKMODES_SET', 'eth0', u8(7, 4)), replies: [errorOf(95, extack('master/slave configuration not supported by device', 36))] },
  ]);
  assert.equal(r.code, 75);
  assert.equal(r.err, 'netlink error: master/slave configuration not supported by device (offset 36)\nnetlink error: Operation not supported\n');
  const w = await ethkit(['-s', 'eth0', 'lanes', '1'], [{ request: setReq('LINKMODES_SET', 'eth0', u32(9, 1)), replies: [(req: Sent) => B.ack({ seq: req.seq }, 0, req.bytes, { tlvs: extack('lanes are ignored') })] }]);
  assert.deepEqual([w.code, w.err], [0, 'netlink warning: lanes are ignored\n']);
});

test('-s autoneg on alone: the supported speed modes are read (compact) and all advertised', async () => {
  const supported = new Bitset(93);
  for (const i of [0, 1, 2, 3, 5, 6, 7, 13, 49, 70]) supported.set(i, i < 4);
  const want = new Uint32Array(3);
  for (const i of [0, 1, 2, 3, 5, 70]) want[i >> 5] |= 1 << (i & 31);
  const r = await ethkit(['-s', 'eth0', 'autoneg', 'on', 'msglvl', '3'], [
    { note: 'LINKMODES_GET compact', request: getReq('LINKMODES_GET', 'eth0', 1), replies: [kmsg('LINKMODES_GET_REPLY', 'eth0', { ours: supported, autoneg: 0 }), ackOf] },
    { note: 'LINKMODES_SET', request: setReq('LINKMODES_SET', 'eth0', u8(2, 1), nest(3, u32(2, 93), bin(4, words(...want)), bin(5, words(...want)))), replies: [ackOf] },
    { note: 'DEBUG_SET', request: setReq('DEBUG_SET', 'eth0', nest(2, flag(1), u32(2, 2), bin(4, words(3)))), replies: [ackOf] },
  ]);
  assert.deepEqual([r.code, r.err], [0, '']);
  // with speed (or advertise, duplex, lanes) nothing is read first; a failed read ends with 75
  const s = await ethkit(['-s', 'eth0', 'autoneg', 'on', 'speed', '10'], [{ request: setReq('LINKMODES_SET', 'eth0', u8(2, 1), u32(5, 10)), replies: [ackOf] }]);
  assert.equal(s.code, 0);
  const f = await ethkit(['-s', 'nosuch0', 'autoneg', 'on'], [{ request: getReq('LINKMODES_GET', 'nosuch0', 1), replies: [errorOf(19, extack('no device matches name', 24))] }]);
  assert.deepEqual([f.code, f.err], [75, 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n']);
});

/** The bitset attribute `attr` of the one request `sent` (after the family lookup), decoded. */
function sentBitset(sent: Sent[], msg: string, attr: string): Bitset {
  const [m] = parseMessages(sent[1].bytes, sent[1].bytes.byteLength);
  const g = genlHeader(m);
  const a = decodeAttrs(userMessage(msg).attrs, m.buf, g.attrs, m.end);
  return a[attr] as Bitset;
}

test('-s numbers for bitsets: hex for advertise, decimal else hex for msglvl and wol, masks, sizes', async () => {
  const cases: [string[], string, string, number, boolean, number[], number[] | null][] = [
    [['advertise', '0x1000000000000000000000'], 'LINKMODES_SET', 'ours', 85, true, [0, 0, 0x100000], null],
    [['advertise', '10'], 'LINKMODES_SET', 'ours', 5, true, [0x10], null],
    [['advertise', '0'], 'LINKMODES_SET', 'ours', 0, true, [], null],
    [['advertise', '0x-1'], 'LINKMODES_SET', 'ours', 32, true, [0xffffffff], null],
    [['advertise', '3/f'], 'LINKMODES_SET', 'ours', 4, false, [3], [0xf]],
    [['advertise', '0x00000000000000001'], 'LINKMODES_SET', 'ours', 1, true, [1], null],
    [['msglvl', '5/7'], 'DEBUG_SET', 'msgmask', 3, false, [5], [7]],
    [['msglvl', '4294967295'], 'DEBUG_SET', 'msgmask', 32, true, [0xffffffff], null],
    [['msglvl', '4294967296'], 'DEBUG_SET', 'msgmask', 39, true, [0x94967296, 0x42], null],
    [['msglvl', 'ff'], 'DEBUG_SET', 'msgmask', 8, true, [0xff], null],
    [['msglvl', '0x1/4294967295'], 'DEBUG_SET', 'msgmask', 32, false, [1], [0xffffffff]],
    [['wol', '32'], 'WOL_SET', 'modes', 6, true, [32], null],
    [['wol', '0x20/0x60'], 'WOL_SET', 'modes', 7, false, [0x20], [0x60]],
  ];
  for (const [args, msg, attr, size, isList, value, mask] of cases) {
    const r = await ethkit(['-s', 'eth0', ...args], [{ note: msg, replies: [ackOf] }]);
    const b = sentBitset(r.sent, msg, attr);
    const what = args.join(' ');
    assert.equal(r.code, 0, what);
    assert.deepEqual([b.size, b.isList, [...b.value]], [size, isList, value], what);
    if (mask) assert.deepEqual([...b.mask!], mask, what);
  }
});

test('-s wol letters: d clears what came before, "" sends an empty list, + and - change single bits', async () => {
  const modes = (...bits: Uint8Array[]) => setReq('WOL_SET', 'eth0', nest(2, flag(1), nest(3, ...bits)));
  const bit = (i: number, on?: boolean) => nest(1, u32(1, i), ...(on ? [flag(3)] : []));
  const cases: [string, Uint8Array][] = [
    ['pud', modes()],
    ['dpu', modes(bit(0), bit(1))],
    ['', modes()],
    ['bad', modes()],
    ['dab', modes(bit(4), bit(3))],
    ['+g-um', setReq('WOL_SET', 'eth0', nest(2, nest(3, bit(5, true), bit(1, false), bit(2, false))))],
  ];
  for (const [arg, req] of cases) {
    const r = await ethkit(['-s', 'eth0', 'wol', arg], [{ note: arg, request: req, replies: [ackOf] }]);
    assert.equal(r.code, 0, arg);
  }
  const s = await ethkit(['-s', 'eth0', 'sopass', '1:a:FF:0:00:7'], [{ request: setReq('WOL_SET', 'eth0', bin(3, [1, 10, 255, 0, 0, 7])), replies: [ackOf] }]);
  assert.equal(s.code, 0);
});

test('-s parse errors: ethtool\'s message for the parameter, exit 1, nothing sent', async () => {
  const cases: [string[], string][] = [
    [['bogus', '1'], "unknown parameter 'bogus'"],
    [['speed'], "no value for parameter 'speed'"],
    [['speed', '1', 'speed', '2'], "duplicate parameter 'speed'"],
    [['speed', '-1'], "invalid value '-1' for parameter 'speed'"],
    [['phyad', '256'], "invalid value '256' for parameter 'phyad'"],
    [['duplex', 'Half'], "invalid value 'Half' for parameter 'duplex'"],
    [['xcvr', 'internal'], "deprecated parameter 'xcvr' not supported by kernel"],
    [['advertise', '0x'], "invalid value '' for parameter 'advertise'"],
    [['advertise', '0x5/0x'], "invalid value '5/0x' for parameter 'advertise'"],
    [['advertise', '0x1/2/3'], "invalid value '1/2/3' for parameter 'advertise'"],
    [['advertise', '10baseT/Half', 'on', 'b'], "flag 'b' for parameter 'advertise' is not followed by 'on' or 'off'"],
    [['advertise', 'a', 'on'], "unknown parameter 'on'"],
    [['msglvl', 'drv', 'on', 'speed', '10'], "flag 'speed' for parameter 'msglvl' is not followed by 'on' or 'off'"],
    [['wol', 'z'], "invalid char 'z' in 'z' for parameter 'wol'"],
    [['wol', '-gd'], "invalid char 'd' in '-gd' for parameter 'wol'"],
    [['wol', 'g-u'], "invalid value 'g-u' for parameter 'wol'"],
    [['sopass', '1:2:3:4:5'], "invalid value '1:2:3:4:5' of parameter 'sopass'"],
    [['sopass', '1:2:3:4:5:6:'], "invalid value '1:2:3:4:5:6:' of parameter 'sopass'"],
    [['sopass', '1:2:3:4:5:g'], "invalid value '1:2:3:4:5:g' of parameter 'sopass'"],
    [['sopass', ':1:2:3:4:5'], "invalid value ':1:2:3:4:5' of parameter 'sopass'"],
    [['sopass', ''], "invalid value '' of parameter 'sopass'"],
    [['master-slave', 'master'], "invalid value 'master' for parameter 'master-slave'"],
  ];
  for (const [args, msg] of cases) {
    const r = await ethkit(['-s', 'eth0', ...args], []);
    assert.deepEqual([r.code, r.out, r.err], [1, '', `ethtool (-s): ${msg}\n`], args.join(' '));
  }
});

test('-s: a SET the kernel lacks fails silently (exit 1, no ioctl); "*" is refused after parsing', async () => {
  const r = await ethkit(['-s', 'eth0', 'speed', '10', 'wol', 'g'], [], { family: family(['WOL_SET']) });
  assert.deepEqual([r.code, r.out, r.err], [1, '', '']);
  const c = await ethkit(['-s', 'eth0', 'autoneg', 'on'], [], { family: family(['LINKMODES_GET']) });
  assert.equal(c.code, 75);
  const w = await ethkit(['-s', '*', 'msglvl', '1'], []);
  assert.deepEqual([w.code, w.err], [1, 'subcommand does not support wildcard dump\n']);
  const n = await ethkit(['-s', '*'], []);
  assert.deepEqual([n.code, n.err], [0, '']);
});

test('-s --json: the keys applied on success; a refusal is the error line and no document', async () => {
  const r = await ethkit(['--json', '-s', 'eth0', 'lanes', '2', 'master-slave', 'forced-slave', 'port', 'fibre'], [
    { replies: [ackOf] }, { replies: [ackOf] },
  ]);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.out), [{ ifname: 'eth0', applied: ['lanes', 'master-slave', 'port'], failed: [] }]);
  const f = await ethkit(['--json', '-s', 'eth0', 'speed', '10'], [{ replies: [errorOf(95)] }]);
  assert.deepEqual([f.code, f.out, f.err], [75, '', '{"error":"netlink error: Operation not supported","exit":75}\n']);
});

// ---- -P ---------------------------------------------------------------------------------------

function ifinfo(index: number): Uint8Array {
  return B.cat([0, 0], [1, 0], words(index, 0x1003, 0));
}
function newlink(name: string, index: number, perm?: number[], flags = 0): Uint8Array {
  return B.nlmsg({ type: 16, flags }, B.cat(ifinfo(index), bin(1, [2, 0, 0, 0, 0, index]), str(3, name), ...(perm ? [bin(54, perm)] : [])));
}
function getlink(name: string | null, type = 3): Uint8Array {
  return B.nlmsg({ type: 18, flags: name === null ? 0x305 : 5 }, B.cat(new Uint8Array(16), ...(name === null ? [] : [str(type, name)]), u32(29, 8)));
}

test('-P: RTM_GETLINK by name (IFLA_ALT_IFNAME from 16 bytes on), the permanent address or "not set"', async () => {
  const mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x10];
  const r = await ethkit(['-P', 'eth0', 'junk'], [], { route: [{ request: getlink('eth0'), replies: [newlink('eth0', 2, mac), ackOf] }] });
  assert.deepEqual([r.code, r.out, r.err], [0, 'Permanent address: 52:54:00:12:34:10\n', '']);
  const v = await ethkit(['-P', 'va'], [], { route: [{ request: getlink('va'), replies: [newlink('va', 3), ackOf] }] });
  assert.equal(v.out, 'Permanent address: not set\n');
  const long = 'a-sixteen-byte-altname';
  const a = await ethkit(['-P', long], [], { route: [{ request: getlink(long, 53), replies: [newlink('eth0', 2, [1, 2]), ackOf] }] });
  assert.equal(a.out, 'Permanent address: 01:02\n');
  const z = await ethkit(['-P', 'sit0'], [], { route: [{ request: getlink('sit0'), replies: [newlink('sit0', 5, []), ackOf] }] });
  assert.equal(z.out, 'Permanent address:\n');
});

test('-P: errors are the kernel\'s (exit 1); a reply without a name exits 2; "*" lists the devices that have one', async () => {
  const e = await ethkit(['-P', 'nosuch0'], [], { route: [{ request: getlink('nosuch0'), replies: [errorOf(19)] }] });
  assert.deepEqual([e.code, e.out, e.err], [1, '', 'netlink error: No such device\n']);
  const bad = B.nlmsg({ type: 16 }, B.cat(ifinfo(2), bin(54, [1])));
  const m = await ethkit(['-P', 'eth0'], [], { route: [{ replies: [bad, ackOf] }] });
  assert.deepEqual([m.code, m.out, m.err], [2, '', '']);
  const d = await ethkit(['-P', '*'], [], {
    route: [{
      request: getlink(null),
      replies: [B.datagram(newlink('lo', 1, undefined, 2), newlink('eth0', 2, [0x52, 0x54, 0, 0x12, 0x34, 0x10], 2), bad), B.datagram(newlink('eth1', 3, [0x52, 0x54, 0, 0x12, 0x34, 0x11], 2), B.done({}))],
    }],
  });
  assert.deepEqual([d.code, d.err], [0, '']);
  assert.equal(d.out, 'Permanent address of eth0: 52:54:00:12:34:10\nPermanent address of eth1: 52:54:00:12:34:11\n');
  const j = await ethkit(['--json', '-P', 'va'], [], { route: [{ replies: [newlink('va', 3), ackOf] }] });
  assert.deepEqual(JSON.parse(j.out), [{ ifname: 'va', 'permanent-address': null }]);
});

test('page: a link mode without its name is a malformed reply: what came before, "No data available", the rest goes on', async () => {
  const ours = { size: 93, verbose: [{ index: 5, value: true }, { index: 7, name: 'TP', value: true }] };
  const r = await ethkit(['eth0'], page('eth0', [
    kmsg('LINKMODES_GET_REPLY', 'eth0', { ours, speed: 10 }), 95, 95, 95, kmsg('LINKSTATE_GET_REPLY', 'eth0', LINK_UP),
  ]));
  assert.equal(r.code, 0);
  assert.equal(r.err, 'malformed netlink message (link_modes)\n');
  assert.equal(r.out, lines('Settings for eth0:', '\tSupported ports: [ ', 'No data available', '\tLink detected: yes'));
});

test('monitor: the per-message printers, each notification with its own banner', () => {
  const chunks: Buffer[] = [];
  const sink = { write(c: string | Uint8Array): void { chunks.push(Buffer.from(c)); } };
  const out = new Out(sink, sink, false);
  const o = { p: new Printer(out), st: new NlState(), strings: (id: number) => (id === ETH_SS.MSG_CLASSES ? MSG_CLASSES : undefined) };
  assert.deepEqual(Object.keys(SETTINGS_NOTIFICATIONS).sort(), ['DEBUG_NTF', 'LINKINFO_NTF', 'LINKMODES_NTF', 'WOL_NTF']);
  SETTINGS_NOTIFICATIONS.LINKINFO_NTF(o, ntf('LINKINFO_NTF', 'eth2', { phyaddr: 1 }));
  SETTINGS_NOTIFICATIONS.LINKMODES_NTF(o, ntf('LINKMODES_NTF', 'eth2', { speed: 100, duplex: 0 }));
  printLinkState(o, ntf('LINKSTATE_GET_REPLY', 'eth2', { link: 1 }));
  printDebug(o, ntf('DEBUG_NTF', 'eth2', { msgmask: Bitset.list(15, [14]) }));
  out.finish(0);
  assert.equal(Buffer.concat(chunks).toString(), lines(
    'Settings for eth2:', '\tPHYAD: 1', 'Settings for eth2:', '\tSpeed: 100Mb/s', '\tDuplex: Half',
    'Settings for eth2:', '\tLink detected: yes', 'Settings for eth2:', '        Current message level: 0x00004000 (16384)', ' '.repeat(30) + ' wol',
  ));
});
