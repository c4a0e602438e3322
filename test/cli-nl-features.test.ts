/**
 * The netlink -k/-K, -S --groups, --show-fec/-I, --show-module, --show-tunnels and cable tests
 * over the scripted fake, with hand-built kernel replies for what the suite's devices cannot
 * show (fixed features, standard statistics with values and histograms, FEC statistics per
 * lane, module power modes, tunnel tables, cable test results and TDR data).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as B from './helpers/nl-bytes';
import { NlStep, errorOf } from './helpers/nl-scripted';
import { FAM, ackOf, compact, ethkitNl, header, msg, msgHdr, request, strsetStep, verboseList } from './helpers/nl-cli';

const { nest, str, u32, u8, u16, flag, bin, words } = B;
const FEATURES = 4, LINK_MODES = 9, UDP_TUNNEL_TYPES = 15, STATS_STD = 16, STATS_ETH_MAC = 18, STATS_RMON = 20;

// ---- -k / -K ----------------------------------------------------------------------------------

const NAMES = ['tx-scatter-gather', 'tx-checksum-ipv4', 'tx-checksum-ip-generic', 'rx-gro', 'highdma', '', 'rx-checksum'];
const bits = (...i: number[]): number[] => [i.reduce((w, b) => w | (1 << b), 0)];

function featuresReply(dev: string): Uint8Array {
  return msg(11, dev,
    compact(2, 7, bits(0, 2, 3, 4, 6), bits(0, 1, 2, 3, 4, 5, 6)),
    compact(3, 7, bits(0, 2, 3), bits(0, 1, 2, 3, 4, 5, 6)),
    compact(4, 7, bits(0, 2, 3, 6), bits(0, 1, 2, 3, 4, 5, 6)),
    compact(5, 7, bits(4), bits(0, 1, 2, 3, 4, 5, 6)));
}

const K_TEXT = [
  'Features for va:',
  'rx-checksumming: on [requested off]',
  'tx-checksumming: on',
  '\ttx-checksum-ipv4: off [fixed]',
  '\ttx-checksum-ip-generic: on',
  'scatter-gather: on',
  'tcp-segmentation-offload: off',
  'generic-segmentation-offload: off',
  'generic-receive-offload: on',
  'large-receive-offload: off',
  'rx-vlan-offload: off',
  'tx-vlan-offload: off',
  'ntuple-filters: off',
  'receive-hashing: off',
  'highdma: off [fixed]',
  '',
].join('\n');

test('-k: compact FEATURES_GET, named by the FEATURES string set, legacy groups first', async () => {
  const r = await ethkitNl(['-k', 'va'], [
    { note: 'FEATURES_GET', request: request(11, 5, header('va', 1)), replies: [featuresReply('va'), ackOf] },
    strsetStep(FEATURES, NAMES),
  ]);
  assert.equal(r.err, '');
  assert.equal(r.out, K_TEXT);
  assert.equal(r.code, 0);
  r.t.assertDone();
});

test('-k --json on a dump: ethtool\'s newline before each device lands in the document', async () => {
  const r = await ethkitNl(['--json', '-k', '*'], [
    { note: 'FEATURES_GET dump', request: request(11, 0x305, header(null, 1)), replies: [B.datagram(featuresReply('a'), featuresReply('b')), B.done({})] },
    strsetStep(FEATURES, NAMES),
  ]);
  assert.equal(r.code, 0);
  assert.ok(r.out.startsWith('[ \n{\n        "ifname": "a",\n        "rx-checksumming": {\n            "active": true,\n            "fixed": false,\n            "requested": false\n        },'), r.out);
  assert.ok(r.out.includes('\n    }\n,{\n        "ifname": "b",'), r.out);
  assert.ok(r.out.includes('"tx-checksumming": {\n            "active": true,\n            "fixed": null,\n            "requested": null\n        }'));
  assert.ok(r.out.endsWith('    } ]\n'));
});

function setReply(dev: string, wanted: [number[], number[]], active: [number[], number[]]): Uint8Array {
  return msg(12, dev, compact(3, 7, wanted[0], wanted[1]), compact(4, 7, active[0], active[1]));
}

test('-K: legacy names expand to kernel names; "Actual changes" in kernel order with raw names', async () => {
  const want = request(12, 5, header('va', 1), nest(3, nest(3,
    nest(1, str(2, 'tx-checksum-ipv4')), nest(1, str(2, 'tx-checksum-ip-generic')),
    nest(1, str(2, 'tx-scatter-gather'), flag(3)), nest(1, str(2, 'foo'), flag(3)))));
  const r = await ethkitNl(['-K', 'va', 'tx', 'off', 'sg', 'on', 'foo', 'on'], [
    strsetStep(FEATURES, NAMES),
    { note: 'FEATURES_SET', request: want, replies: [setReply('va', [bits(), bits(1)], [bits(4), bits(2, 4)]), ackOf] },
  ]);
  assert.equal(r.out, 'Actual changes:\ntx-checksum-ipv4: on [requested off]\ntx-checksum-ip-generic: off\nhighdma: on [not requested]\n');
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  r.t.assertDone();
});

test('-K: a fixed feature: the listing, then "Could not change any device features", exit 1', async () => {
  const r = await ethkitNl(['-K', 'va', 'highdma', 'on'], [
    strsetStep(FEATURES, NAMES),
    { replies: [setReply('va', [bits(4), bits(4)], [bits(), bits()]), ackOf] },
  ]);
  assert.equal(r.out, 'Actual changes:\nhighdma: off [requested on]\n');
  assert.equal(r.err, 'Could not change any device features\n');
  assert.equal(r.code, 1);
});

test('-K: a reply about another name (an altname was given) is only warned about', async () => {
  const r = await ethkitNl(['-K', 'longaltname-of-va', 'highdma', 'on'], [
    strsetStep(FEATURES, NAMES),
    { replies: [setReply('va', [bits(4), bits(4)], [bits(), bits()]), ackOf] },
  ]);
  assert.equal(r.out, '');
  assert.equal(r.err, 'warning: unexpected message for device va\n');
  assert.equal(r.code, 0);
});

test('-K: kernel errors exit 92; a value that is not on/off is ethtool\'s (null) message', async () => {
  const r = await ethkitNl(['-K', 'va', 'foo', 'on'], [
    strsetStep(FEATURES, NAMES),
    { replies: [errorOf(95, [str(1, 'bit name not found'), u32(2, 52)])] },
  ]);
  assert.equal(r.err, 'netlink error: bit name not found (offset 52)\nnetlink error: Operation not supported\n');
  assert.equal(r.code, 92);
  const b = await ethkitNl(['-K', 'va', 'gro'], [strsetStep(FEATURES, NAMES)]);
  assert.equal(b.err, "ethtool (-K): flag '(null)' for parameter '(null)' is not followed by 'on' or 'off'\n");
  assert.equal(b.code, 1);
  b.t.assertDone();
});

// ---- -S --groups ------------------------------------------------------------------------------

const STD = ['eth-phy', 'eth-mac', 'eth-ctrl', 'rmon'];
const MAC = ['', '', 'FramesTransmittedOK', 'SingleCollisionFrames', '', 'FramesReceivedOK'];
const RMON = ['etherStatsUndersizePkts', 'etherStatsOversizePkts'];
const stat = (id: number, v: bigint): Uint8Array => nest(4, B.u64(id, v));
const hist = (t: number, low: number, hi: number, v: bigint): Uint8Array => nest(t, u32(7, low), u32(8, hi), B.u64(9, v));

function statsReply(dev: string): Uint8Array {
  return msgHdr(33, 2, dev,
    nest(4, u32(2, 1), u32(3, STATS_ETH_MAC), stat(2, 12n), stat(3, 0n), stat(5, 18446744073709551615n)),
    nest(4, u32(2, 3), u32(3, STATS_RMON), stat(0, 1n), hist(5, 0, 64, 2n), hist(5, 65, 127, 5n), hist(5, 1519, 0, 7n), hist(6, 0, 64, 3n)),
    nest(4, u32(2, 0), u32(3, 17)));
}

test('-S --groups: counters named by each group\'s string set, RMON histograms rx then tx', async () => {
  const want = request(32, 5, header('va', 0, 2), nest(3, flag(1), nest(3, nest(1, str(2, 'eth-mac')), nest(1, str(2, 'rmon')))));
  const r = await ethkitNl(['-S', 'va', '--groups', 'eth-mac', 'rmon'], [
    { note: 'STATS_GET', request: want, replies: [statsReply('va'), ackOf] },
    strsetStep(STATS_STD, STD),
    strsetStep(STATS_ETH_MAC, MAC),
    strsetStep(STATS_RMON, RMON),
    strsetStep(17, ['SymbolErrorDuringCarrier']),
  ]);
  assert.equal(r.err, '');
  assert.equal(r.out, [
    'Standard stats for va:',
    'eth-mac-FramesTransmittedOK: 12',
    'eth-mac-SingleCollisionFrames: 0',
    'eth-mac-FramesReceivedOK: 18446744073709551615',
    'rmon-etherStatsUndersizePkts: 1',
    'rx-rmon-etherStatsPkts64Octets: 2',
    'rx-rmon-etherStatsPkts65to127Octets: 5',
    'rx-rmon-etherStatsPkts1519toMaxOctets: 7',
    'tx-rmon-etherStatsPkts64Octets: 3',
    '',
  ].join('\n'));
  assert.equal(r.code, 0);
  r.t.assertDone();
});

test('-S --all-groups --json: every group of STATS_STD asked for; ethtool\'s document', async () => {
  const want = request(32, 5, header('va', 0, 2), nest(3, flag(1), u32(2, 4), bin(4, words(0xf))));
  const r = await ethkitNl(['--json', '-S', 'va', '--all-groups'], [
    strsetStep(STATS_STD, STD),
    { request: want, replies: [statsReply('va'), ackOf] },
    strsetStep(STATS_ETH_MAC, MAC),
    strsetStep(STATS_RMON, RMON),
    strsetStep(17, ['SymbolErrorDuringCarrier']),
  ]);
  assert.equal(r.code, 0);
  assert.equal(r.out, `[ {
        "ifname": "va",
        "eth-mac": {
            "FramesTransmittedOK": 12,
            "SingleCollisionFrames": 0,
            "FramesReceivedOK": 18446744073709551615
        },
        "rmon": {
            "etherStatsUndersizePkts": 1,
            "rx-pktsNtoM": [ {
                    "low": 0,
                    "high": 64,
                    "val": 2
                },{
                    "low": 65,
                    "high": 127,
                    "val": 5
                },{
                    "low": 1519,
                    "high": 0,
                    "val": 7
                } ],
            "tx-pktsNtoM": [ {
                    "low": 0,
                    "high": 64,
                    "val": 3
                } ]
        },
        "eth-phy": {}
    } ]
`);
  r.t.assertDone();
});

test('-S --groups NUMBER: a compact list bitset (hex with 0x, else decimal)', async () => {
  const r = await ethkitNl(['-S', 'va', '--groups', '0x5'], [
    { request: request(32, 5, header('va', 0, 2), nest(3, flag(1), u32(2, 3), bin(4, words(5)))), replies: [msgHdr(33, 2, 'va'), ackOf] },
    strsetStep(STATS_STD, STD),
  ]);
  assert.equal(r.out, 'Standard stats for va:\n');
  r.t.assertDone();
});

// ---- --show-fec, -I --------------------------------------------------------------------------

const LM: string[] = Array.from({ length: 75 }, (_, i) => `mode${i}`);
LM[49] = 'None'; LM[50] = 'RS'; LM[51] = 'BASER'; LM[74] = 'LLRS';

/** CTRL_CMD_GETPOLICY answer for FEC_GET (29): DO policy 0, header policy 1, FLAGS mask `mask`. */
function policySteps(mask: bigint | null, opMap = true): NlStep {
  const ctrl = (...a: Uint8Array[]): Uint8Array => B.nlmsg({ type: 0x10, flags: 2 }, B.genl(10, 1, u16(1, FAM), ...a));
  const msgs = [
    ...(opMap ? [ctrl(nest(9, nest(29, u32(1, 0), u32(2, 0))))] : []),
    ctrl(nest(8, nest(0, nest(1, u32(1, 13), u32(8, 1), u32(9, 3))))),
    ctrl(nest(8, nest(1, nest(2, u32(1, 12))))),
    ctrl(nest(8, nest(1, nest(3, u32(1, 4), ...(mask === null ? [] : [B.u64(12, mask)]))))),
  ];
  return {
    note: 'GETPOLICY',
    request: B.nlmsg({ type: 0x10, flags: 0x305 }, B.genl(10, 1, u16(1, FAM), u32(10, 29))),
    replies: [B.datagram(...msgs), B.done({})],
  };
}

function fecReply(dev: string, withStats: boolean): Uint8Array {
  const u64s = (...v: number[]): Uint8Array => B.cat(...v.map(x => words(x, 0)));
  return msg(30, dev, verboseList(2, 121, [[50, 'RS'], [51, 'BASER']]), u8(3, 0), u32(4, 50),
    ...(withStats ? [nest(5, bin(2, u64s(10, 4, 6)), bin(3, u64s(1)), bin(4, []))] : []));
}

test('-I --show-fec: the policy says FLAGS takes STATS, so FEC_GET asks for it; statistics per lane', async () => {
  const r = await ethkitNl(['-I', '--show-fec', 'eth9'], [
    policySteps(7n),
    { note: 'FEC_GET', request: request(29, 5, header('eth9', 4)), replies: [fecReply('eth9', true), ackOf] },
    strsetStep(LINK_MODES, LM),
  ]);
  assert.equal(r.err, '');
  assert.equal(r.out, 'FEC parameters for eth9:\nSupported/Configured FEC encodings: RS BaseR\nActive FEC encoding: RS\n' +
    'Statistics:\n  corrected_blocks: 10\n    Lane 0: 4\n    Lane 1: 6\n  uncorrectable_blocks: 1\n');
  assert.equal(r.code, 0);
  r.t.assertDone();
});

test('-I --show-fec --json: ethtool\'s statistics object', async () => {
  const r = await ethkitNl(['--json', '-I', '--show-fec', 'eth9'], [
    policySteps(7n),
    { request: request(29, 5, header('eth9', 4)), replies: [fecReply('eth9', true), ackOf] },
    strsetStep(LINK_MODES, LM),
  ]);
  assert.equal(r.out, `[ {
        "ifname": "eth9",
        "config": [ "RS","BaseR" ],
        "active": [ "RS" ],
        "statistics": {
            "corrected_blocks": {
                "total": 10,
                "lanes": [ 4,6 ]
            },
            "uncorrectable_blocks": {
                "total": 1
            }
        }
    } ]
`);
});

test('-I: no STATS bit in the mask, or a policy answer without the op map: no flag (and ethtool\'s complaint)', async () => {
  const a = await ethkitNl(['-I', '--show-fec', 'eth9'], [
    policySteps(3n),
    { request: request(29, 5, header('eth9')), replies: [fecReply('eth9', false), ackOf] },
    strsetStep(LINK_MODES, LM),
  ]);
  assert.equal(a.err, '');
  a.t.assertDone();
  const b = await ethkitNl(['-I', '--show-fec', 'eth9'], [
    policySteps(7n, false),
    { request: request(29, 5, header('eth9')), replies: [fecReply('eth9', false), ackOf] },
    strsetStep(LINK_MODES, LM),
  ]);
  assert.equal(b.err, 'Error: op policy map not present\n');
  assert.equal(b.code, 0);
  b.t.assertDone();
  const c = await ethkitNl(['-I', '--show-fec', 'eth9'], [
    policySteps(null),
    { request: request(29, 5, header('eth9')), replies: [fecReply('eth9', false), ackOf] },
    strsetStep(LINK_MODES, LM),
  ]);
  assert.equal(c.err, 'Error: validation mask not reported for ethtool header flags\n');
});

test('--show-fec: Auto, no modes, an active mode without a name', async () => {
  const r = await ethkitNl(['--show-fec', 'eth9'], [
    { replies: [msg(30, 'eth9', verboseList(2, 121, []), u8(3, 1), u32(4, 100)), ackOf] },
    strsetStep(LINK_MODES, LM),
  ]);
  assert.equal(r.out, 'FEC parameters for eth9:\nSupported/Configured FEC encodings: Auto\nActive FEC encoding: BIT100\n');
});

test('--set-fec: names upper-cased, off is None, auto is FEC_AUTO; kernel errors exit 83', async () => {
  const want = request(30, 5, header('eth9'), nest(2, flag(1), nest(3, nest(1, str(2, 'None')), nest(1, str(2, 'BASER')))), u8(3, 1));
  const r = await ethkitNl(['--set-fec', 'eth9', 'encoding', 'off', 'Auto', 'baser'], [{ request: want, replies: [errorOf(95)] }]);
  assert.equal(r.err, 'netlink error: Operation not supported\n');
  assert.equal(r.code, 83);
  r.t.assertDone();
});

// ---- --show-module / --set-module ------------------------------------------------------------

test('--show-module: power mode policy and power mode, in words', async () => {
  const r = await ethkitNl(['--show-module', 'sw1p1'], [{ replies: [msg(35, 'sw1p1', u8(2, 2), u8(3, 1)), ackOf] }]);
  assert.equal(r.out, 'Module parameters for sw1p1:\npower-mode-policy: auto\npower-mode: low\n');
  const j = await ethkitNl(['--json', '--show-module', 'sw1p1'], [{ replies: [msg(35, 'sw1p1', u8(2, 1), u8(3, 9)), ackOf] }]);
  assert.equal(j.out, '[ {\n        "ifname": "sw1p1",\n        "power-mode-policy": "high",\n        "power-mode": "unknown"\n    } ]\n');
});

test('--set-module power-mode-policy high: MODULE_SET; errors exit 83', async () => {
  const want = request(35, 5, header('sw1p1'), u8(2, 1));
  const r = await ethkitNl(['--set-module', 'sw1p1', 'power-mode-policy', 'high'], [{ request: want, replies: [ackOf] }]);
  assert.equal(r.code, 0);
  assert.equal(r.out + r.err, '');
  const e = await ethkitNl(['--set-module', 'sw1p1', 'power-mode-policy', 'auto'], [{ replies: [errorOf(95, [str(1, 'Setting power mode policy is not supported by this device'), u32(2, 36)])] }]);
  assert.equal(e.err, 'netlink error: Setting power mode policy is not supported by this device (offset 36)\nnetlink error: Operation not supported\n');
  assert.equal(e.code, 83);
});

// ---- --show-tunnels ---------------------------------------------------------------------------

test('--show-tunnels: tables with their types and entries', async () => {
  const entry = (port: number, type: number): Uint8Array => nest(3, B.be16(1, port), u32(2, type));
  const reply = msg(29, 'eth7', nest(2,
    nest(1, u32(1, 4), verboseList(2, 3, [[0, 'vxlan']]), entry(4789, 0), entry(8472, 0)),
    nest(1, u32(1, 2), verboseList(2, 3, [[1, 'geneve'], [2, 'vxlan-gpe']])),
    nest(1, u32(1, 1), verboseList(2, 3, []))));
  const r = await ethkitNl(['--show-tunnels', 'eth7'], [{ replies: [reply, ackOf] }, strsetStep(UDP_TUNNEL_TYPES, ['vxlan', 'geneve', 'vxlan-gpe'])]);
  assert.equal(r.out, [
    'Tunnel information for eth7:',
    '  UDP port table 0: ',
    '    Size: 4',
    '    Types: vxlan',
    '    Entries (2):',
    '        port 4789, vxlan',
    '        port 8472, vxlan',
    '  UDP port table 1: ',
    '    Size: 2',
    '    Types: geneve, vxlan-gpe',
    '    No entries',
    '  UDP port table 2: ',
    '    Size: 1',
    '    Types: none (static entries)',
    '    No entries',
    '',
  ].join('\n'));
  assert.equal(r.code, 0);
  r.t.assertDone();
});

// ---- cable tests -------------------------------------------------------------------------------

const ntf = (cmd: number, dev: string, status: number, ...nested: Uint8Array[]): Uint8Array =>
  B.nlmsg({ type: FAM }, B.genl(cmd, 1, nest(1, u32(1, 7), str(2, dev)), u8(2, status), ...(nested.length ? [nest(3, ...nested)] : [])));

test('--cable-test: the device\'s notifications until COMPLETED, results and fault lengths in their order', async () => {
  const r = await ethkitNl(['--cable-test', 'eth1'], [{ request: request(26, 5, header('eth1')), replies: [ackOf] }], [
    ntf(27, 'eth1', 1),
    ntf(27, 'eth2', 2),
    ntf(27, 'eth1', 2,
      nest(1, u8(1, 0), u8(2, 1)), nest(1, u8(1, 1), u8(2, 2)), nest(2, u8(1, 1), u32(2, 1234)),
      nest(1, u8(1, 2), u8(2, 3)), nest(1, u8(1, 7), u8(2, 9))),
  ]);
  assert.equal(r.out, [
    'Cable test started for device eth1.',
    'Cable test completed for device eth1.',
    'Pair A code OK',
    'Pair B code Open Circuit',
    'Pair B, fault length: 12.34m',
    'Pair C code Short within Pair',
    'Unexpected pair code Unknown',
    '',
  ].join('\n'));
  assert.equal(r.code, 0);
  r.t.assertDone();
});

test('--cable-test --json: one object per result; [ ] when the kernel refuses', async () => {
  const r = await ethkitNl(['--json', '--cable-test', 'eth1'], [{ replies: [ackOf] }], [
    ntf(27, 'eth1', 2, nest(1, u8(1, 3), u8(2, 4)), nest(2, u8(1, 3), u32(2, 150))),
  ]);
  assert.equal(r.out, '[ {\n        "pair": "Pair D",\n        "code": "Short to another pair"\n    },{\n        "pair": "Pair D",\n        "length": 1.5\n    } ]\n');
  const e = await ethkitNl(['--json', '--cable-test', 'va'], [{ replies: [errorOf(95)] }]);
  assert.equal(e.out, '[ ]\n');
  assert.equal(e.code, 1);
});

test('--cable-test-tdr: configuration nested in command-line order; steps, amplitudes, pulse', async () => {
  const want = request(27, 5, header('eth1'), nest(2, u32(3, 50), u32(1, 150), u8(4, 1)));
  const r = await ethkitNl(['--cable-test-tdr', 'eth1', 'step', '0.5', 'first', '1.5', 'pair', '1'], [{ request: want, replies: [ackOf] }], [
    ntf(28, 'eth1', 1),
    ntf(28, 'eth1', 2,
      nest(1, u32(1, 150), u32(2, 10000), u32(3, 50)),
      nest(2, u8(1, 1), u16(2, 0xfffb)), nest(2, u8(1, 1), u16(2, 120)),
      nest(3, u16(1, 500))),
  ]);
  assert.equal(r.out, [
    'Cable test TDR started for device eth1.',
    'Cable test TDR completed for device eth1.',
    'Step configuration: 1.50-100.00 meters in 0.50m steps',
    'Pair B Amplitude   -5',
    'Pair B Amplitude  120',
    'TDR Pulse 500mV',
    '',
  ].join('\n'));
  assert.equal(r.code, 0);
  r.t.assertDone();
  const j = await ethkitNl(['--json', '--cable-test-tdr', 'eth1'], [{ replies: [ackOf] }], [
    ntf(28, 'eth1', 2, nest(1, u32(1, 0), u32(2, 12345678), u32(3, 1))),
  ]);
  assert.equal(j.out, '[ {\n        "first": 0,\n        "last": 123457,\n        "step": 0.01\n    } ]\n');
});

test('--cable-test-tdr: bad values are the parser\'s, before anything is sent (no JSON document)', async () => {
  const r = await ethkitNl(['--json', '--cable-test-tdr', 'eth1', 'first', '151'], []);
  assert.equal(r.out, '');
  assert.equal(r.code, 1);
  const t = await ethkitNl(['--cable-test-tdr', 'eth1', 'last'], []);
  assert.equal(t.err, "ethtool (--cable-test-tdr): invalid value '(null)' for parameter 'last'\n");
});

test('-I -a: PAUSE_GET asks for statistics when the policy takes the flag', async () => {
  const step = policySteps(7n);
  const pausePolicy: NlStep = {
    ...step,
    request: B.nlmsg({ type: 0x10, flags: 0x305 }, B.genl(10, 1, u16(1, FAM), u32(10, 21))),
    replies: [B.datagram(
      B.nlmsg({ type: 0x10, flags: 2 }, B.genl(10, 1, u16(1, FAM), nest(9, nest(21, u32(1, 0), u32(2, 0))))),
      B.nlmsg({ type: 0x10, flags: 2 }, B.genl(10, 1, u16(1, FAM), nest(8, nest(0, nest(1, u32(1, 13), u32(8, 1)))))),
      B.nlmsg({ type: 0x10, flags: 2 }, B.genl(10, 1, u16(1, FAM), nest(8, nest(1, nest(3, u32(1, 4), B.u64(12, 7n))))))), B.done({})],
  };
  const r = await ethkitNl(['-I', '-a', 'eth9'], [pausePolicy, { note: 'PAUSE_GET', request: request(21, 5, header('eth9', 4)), replies: [errorOf(95)] }]);
  assert.equal(r.err, 'netlink error: Operation not supported\n');
  assert.equal(r.code, 1);
  r.t.assertDone();
});
