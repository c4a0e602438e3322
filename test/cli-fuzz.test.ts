/**
 * Property test: no command line makes ethkit print a stack trace or an internal error.
 *
 * A seeded generator builds command lines from ethkit's real vocabulary (every option, every
 * key of the key/value commands, feature names, boundary and garbage values, odd device names,
 * global flags in and out of place, profile and --top commands) and runs them:
 *   1. in-process through run() against a simulated NIC (CliSim + a simulated host for the
 *      profile commands + a fake /sys/class/net for --top), with errnos injected at random
 *      requests — several thousand lines;
 *   2. through the real binary as child processes, on device names that do not exist and with
 *      read-only commands only (every ioctl fails with ENODEV) — a few hundred lines.
 * Every run must end with a documented exit status, nothing on stderr that looks like a crash,
 * nothing on stdout like "undefined"/"NaN"/"[object", and with --json: JSON lines on stderr and
 * an empty or valid JSON stdout.
 *
 * Deterministic: ETHKIT_FUZZ_SEED (default below) seeds everything; a failure prints the seed,
 * the case number and the command line. ETHKIT_FUZZ_CASE=N re-runs only case N of the
 * in-process parts (after the earlier cases of its group for the profile commands, which share
 * a simulated host). ETHKIT_FUZZ_SCALE=K multiplies the in-process line counts.
 *
 * The machine's devices are never reached: the in-process part has no real transport at all
 * (loading it is made to fail loudly), and the child part uses names checked to be absent.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { run } from '../src/app/run';
import { CliSim, LinkSpec } from './cli-helpers';
import { simDevice, SimDevice, SIM_FEATURE_NAMES } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';
import { ETHTOOL } from '../src/ethtool/constants';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(__dirname, '../src/app/main.js');
const SEED = Number(process.env.ETHKIT_FUZZ_SEED ?? 0x5eed_e7c1) >>> 0;
const ONLY = process.env.ETHKIT_FUZZ_CASE === undefined ? null : Number(process.env.ETHKIT_FUZZ_CASE);
/** ETHKIT_FUZZ_SCALE=K runs K times as many in-process lines (a longer hunt; the default stays fast). */
const SCALE = Math.max(1, Number(process.env.ETHKIT_FUZZ_SCALE ?? 1) || 1);
const N_ETHTOOL = 8000 * SCALE, N_PROFILE = 1000 * SCALE, N_TOP = 40 * SCALE, N_CHILD = 200;

// ---- no real transport in this process -----------------------------------------------------

let realTransportUses = 0;
{
  const file = require.resolve('../src/ffi/koffi');
  class RefusedTransport {
    constructor() {
      realTransportUses++;
      throw new Error('cli-fuzz: the real SIOCETHTOOL transport must not be used in-process');
    }
  }
  require.cache[file] = { id: file, filename: file, loaded: true, exports: { KoffiTransport: RefusedTransport } } as unknown as NodeJS.Module;
}

// ---- seeded randomness ---------------------------------------------------------------------

class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  /** mulberry32 */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(a: readonly T[]): T { return a[Math.floor(this.next() * a.length)]; }
  chance(p: number): boolean { return this.next() < p; }
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Seed of case `i` of part `part`: each case is reproducible on its own. */
function caseSeed(part: number, i: number): number {
  return fmix32((fmix32(SEED) + fmix32(part * 1000003 + i + 1)) >>> 0);
}

// ---- vocabulary (from the ethtool 6.1 facts and ethkit's docs, not from the code under test) --

const OPTION_NAMES = [
  '-s', '--change', '-a', '--show-pause', '-A', '--pause', '-c', '--show-coalesce', '-C', '--coalesce',
  '-g', '--show-ring', '-G', '--set-ring', '-k', '--show-features', '--show-offload', '-K', '--features', '--offload',
  '-i', '--driver', '-d', '--register-dump', '-e', '--eeprom-dump', '-E', '--change-eeprom', '-r', '--negotiate',
  '-p', '--identify', '-t', '--test', '-S', '--statistics', '--phy-statistics', '-n', '-u', '--show-nfc', '--show-ntuple',
  '-N', '-U', '--config-nfc', '--config-ntuple', '-T', '--show-time-stamping', '-x', '--show-rxfh-indir', '--show-rxfh',
  '-X', '--set-rxfh-indir', '--rxfh', '-f', '--flash', '-P', '--show-permaddr', '-w', '--get-dump', '-W', '--set-dump',
  '-l', '--show-channels', '-L', '--set-channels', '--show-priv-flags', '--set-priv-flags', '-m', '--dump-module-eeprom',
  '--module-info', '--show-eee', '--set-eee', '--set-phy-tunable', '--get-phy-tunable', '--get-tunable', '--set-tunable',
  '--reset', '--show-fec', '--set-fec', '-Q', '--per-queue', '--cable-test', '--cable-test-tdr', '--show-tunnels',
  '--show-module', '--set-module', '-h', '--help', '--version',
];
/** Not options: bad arguments, or --monitor. */
const JUNK_OPTIONS = ['-Z', '--foo', '-', '--', '--monitor', '-i=x', '--json=1', '-s0', '-kk', '--Change', '-I'];

const S_KEYS = ['speed', 'duplex', 'port', 'mdix', 'autoneg', 'advertise', 'phyad', 'xcvr', 'wol', 'sopass', 'msglvl', 'master-slave', 'lanes'];
const A_KEYS = ['autoneg', 'rx', 'tx'];
const C_KEYS = ['adaptive-rx', 'adaptive-tx', 'sample-interval', 'stats-block-usecs', 'pkt-rate-low', 'pkt-rate-high',
  'rx-usecs', 'rx-frames', 'rx-usecs-irq', 'rx-frames-irq', 'tx-usecs', 'tx-frames', 'tx-usecs-irq', 'tx-frames-irq',
  'rx-usecs-low', 'rx-frames-low', 'tx-usecs-low', 'tx-frames-low', 'rx-usecs-high', 'rx-frames-high', 'tx-usecs-high',
  'tx-frames-high', 'cqe-mode-rx', 'cqe-mode-tx'];
const G_KEYS = ['rx', 'rx-mini', 'rx-jumbo', 'tx', 'rx-buf-len', 'cqe-size', 'tx-push'];
const L_KEYS = ['rx', 'tx', 'other', 'combined'];
const D_KEYS = ['raw', 'hex', 'file'];
const E_KEYS = ['raw', 'offset', 'length'];
const EE_KEYS = ['magic', 'offset', 'length', 'value'];
const T_MODES = ['online', 'offline', 'external_lb'];
const MSGLVL_NAMES = ['drv', 'probe', 'link', 'timer', 'ifdown', 'ifup', 'rx_err', 'tx_err', 'tx_queued', 'intr', 'tx_done', 'rx_status', 'pktdata', 'hw', 'wol'];
const LEGACY = ['rx', 'tx', 'sg', 'tso', 'ufo', 'gso', 'gro', 'lro', 'rxvlan', 'txvlan', 'ntuple', 'rxhash',
  'rx-checksumming', 'tx-checksumming', 'scatter-gather', 'tcp-segmentation-offload', 'udp-fragmentation-offload',
  'generic-segmentation-offload', 'generic-receive-offload', 'large-receive-offload', 'rx-vlan-offload', 'tx-vlan-offload',
  'ntuple-filters', 'receive-hashing'];
const S_CHOICES: Record<string, string[]> = {
  duplex: ['half', 'full', 'Full'], port: ['tp', 'aui', 'bnc', 'mii', 'fibre', 'da'], mdix: ['auto', 'on', 'off'],
  autoneg: ['on', 'off'], xcvr: ['internal', 'external'], wol: ['p', 'u', 'm', 'b', 'a', 'g', 's', 'f', 'd', 'pumbagsfd', 'dg', 'gs', 'z', '1'],
  sopass: ['1:2:3:4:5:6', '01:02:03:04:05:06:07', 'ff:ff:ff:ff:ff:ff', '123:1:1:1:1:1', '1:2:3', 'g:h:i:j:k:l'],
  advertise: ['0x3f', '0X1', 'ff', '0x', '0x1/0xf', '1000baseT/Full', 'f'.repeat(254), '0x' + 'f'.repeat(300), 'fffffffffffffffffffffffffffffffff'],
};

const NUMS = ['0', '1', '7', '255', '256', '4096', '4097', '2147483647', '2147483648', '4294967295', '4294967296',
  '18446744073709551615', '18446744073709551616', String(2n ** 64n), '-1', '-0', '-2147483648', '-2147483649', '-4294967295',
  '0x10', '0X1f', '0xffffffff', '0x100000000', '0x7fffffff', '010', '08', '0x', '+7', ' 7', '7 ', '\t9', '1e3', '1.5',
  '10x', '99999999999999999999999999999'];
const GARBAGE = ['', 'abc', 'on', 'off', 'yes', 'ON', 'NaN', 'Infinity', 'undefined', 'null', '[object Object]', 'é', 'ü',
  '💥', '١٢', '１２', 'x'.repeat(300), 'a b', 'a/b', '../x', '%s%n%x', '\\', '"', "'", '\n', '\t', '\x1b[31m', '--json',
  '-1', '--', '-', '{}', '[]', 'constructor', '__proto__', 'toString', 'hasOwnProperty'];

/** Device names for the in-process part: the simulated device and every kind of bad name. */
const DEVNAMES = ['sim0', 'sim0', 'sim0', 'sim0', 'sim0', 'sim0', 'sim0:1', 'sim0:', ':sim0', 'nosuch0', '', 'abcdefghijklmno',
  'abcdefghijklmnop', 'x'.repeat(100), 'x'.repeat(127), 'x'.repeat(128), 'a/b', 'a:b', 'a b', '*', '-k', '--json', '-',
  'ééééééé', 'éééééééé', '.', '..', 'constructor', '__proto__', 'sim0 ', '💥💥💥💥'];

/**
 * Half of the lines are "clean": well-formed, on the simulated device, mostly valid values, so
 * they get past the parsers into the ioctl, output and error paths. The others are chaos.
 */
let clean = false;
const VALID_NUMS = ['0', '1', '2', '3', '4', '7', '8', '16', '64', '100', '256', '512', '1000', '1024', '2048', '4096', '4097', '-1', '0x10', '010'];
/** p: how likely a value is well-formed. */
const ok = (r: Rng, p: number): boolean => r.chance(clean ? 0.98 : p);

function num(r: Rng): string { return clean && r.chance(0.9) ? r.pick(VALID_NUMS) : ok(r, 0.8) ? r.pick(NUMS) : r.pick(GARBAGE); }
function boolv(r: Rng): string { return ok(r, 0.8) ? r.pick(['on', 'off']) : r.pick(GARBAGE); }

// ---- files the -d file key and the profile commands read (never written by ethkit) -----------

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'ekfuzz-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

const FILES = {
  small: path.join(TMP, 'regs.bin'),
  empty: path.join(TMP, 'empty.bin'),
  dir: path.join(TMP, 'adir'),
  missing: path.join(TMP, 'missing.bin'),
};
fs.writeFileSync(FILES.small, Buffer.from([...Array(70).keys()]));
fs.writeFileSync(FILES.empty, '');
fs.mkdirSync(FILES.dir);
const REG_FILES = [...Object.values(FILES), '', 'x'.repeat(300), path.join(TMP, 'é💥')];

const PROFILE_DIR = path.join(ROOT, 'profiles');
const BAD_PROFILES = path.join(TMP, 'profiles');
fs.mkdirSync(BAD_PROFILES);
const BAD_PROFILE_TEXT: Record<string, string> = {
  'syntax.yaml': 'params: [\n',
  'empty.yaml': '',
  'scalar.yaml': '42\n',
  'wrongtypes.yaml': 'name: 5\nsettings: 5\nparams: x\nring: [1, 2]\n',
  'badparam.yaml': 'name: bp\ndescription: d\nparams:\n  p:\n    type: int\n    min: 5\n    max: 1\n    default: 3\nring:\n  rx: $p\n',
  'unknownref.yaml': 'name: ur\ndescription: d\nring:\n  rx: $nope\nfeatures:\n  gro: { value: on, when: "$x == (" }\n',
  'binary.yaml': '\u0000\u0001\u0002\uffff',
  'deep.yaml': 'a: ' + '['.repeat(3000) + ']'.repeat(3000) + '\n',
  'anchors.yaml': 'a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n',
  'good.yaml': 'name: good\ndescription: fuzz profile\nparams:\n  n:\n    type: int\n    min: 1\n    max: 4096\n    default: 512\n  on:\n    type: bool\n    default: on\nring:\n  rx: $n\n  tx: $n\nfeatures:\n  gro: $on\nchannels:\n  combined: { value: 2, when: "$on" }\n',
};
for (const [f, t] of Object.entries(BAD_PROFILE_TEXT)) fs.writeFileSync(path.join(BAD_PROFILES, f), t);
fs.mkdirSync(path.join(BAD_PROFILES, 'isdir.yaml'));

/** State directories with damaged snapshots of sim0 (the simulated host's netns tag). */
const CORRUPT_SNAPSHOTS = ['null', '[]', '{', '{"version":1,"dev":"sim0","stack":[{}]}', '{"version":1,"dev":"sim0","stack":[null]}',
  '{"version":1,"dev":"sim0","stack":[{"device":{"dev":"sim0"},"touched":[{"id":"x","setting":"ring rx","dev":"sim0"}],"sysctl":{}}]}',
  '{"version":1,"dev":"sim0","stack":[{"device":null,"touched":null,"sysctl":null}]}', '{"version":2}', '"sim0"']
  .map((text, k) => {
    const dir = path.join(TMP, `corrupt${k}`);
    fs.mkdirSync(path.join(dir, 'snapshots', 'net-4026530000'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'snapshots', 'net-4026530000', 'sim0.json'), text);
    return dir;
  });

// ---- fake /sys/class/net for --top ------------------------------------------------------------

const SYSNET = path.join(TMP, 'sysnet');
function sysDev(name: string, flags: string, stats: Record<string, string>): void {
  const d = path.join(SYSNET, name);
  fs.mkdirSync(path.join(d, 'statistics'), { recursive: true });
  fs.writeFileSync(path.join(d, 'ifindex'), '2\n');
  fs.writeFileSync(path.join(d, 'operstate'), 'up\n');
  fs.writeFileSync(path.join(d, 'speed'), '10000\n');
  fs.writeFileSync(path.join(d, 'flags'), flags + '\n');
  for (const [k, v] of Object.entries(stats)) fs.writeFileSync(path.join(d, 'statistics', k), v + '\n');
}
sysDev('sim0', '0x1003', { rx_bytes: '1000', tx_bytes: '2000', rx_packets: '10', tx_packets: '20', rx_dropped: '0', tx_dropped: '0', rx_errors: '0', tx_errors: '0' });
sysDev('sysonly0', '0x1003', { rx_bytes: 'garbage', tx_bytes: '18446744073709551615', rx_packets: '', rx_errors: '-5' });
sysDev('lo', '0x9', { rx_bytes: '0' });

// ---- the simulated NIC -------------------------------------------------------------------------

const ERRNOS = { EPERM: 1, ENODEV: 19, EBUSY: 16, EINVAL: 22, EOPNOTSUPP: 95 };

/** Driver names: plain, and every one with a register/EEPROM pretty-printer in ethtool 6.1. */
const DRIVERS = ['simnic', 'simnic', 'simnic', '', 'virtio_net', '8139cp', '8139too', 'r8169', 'de2104x', 'e1000', 'e1000e', 'igb',
  'ixgb', 'ixgbe', 'ixgbevf', 'natsemi', 'e100', 'amd8111e', 'pcnet32', 'fec_8xx', 'ibm_emac', 'tg3', 'skge', 'sky2', 'vioc',
  'smsc911x', 'at76c50x-usb', 'sfc', 'st_mac100', 'st_gmac', 'et131x', 'altera_tse', 'vmxnet3', 'fjes', 'lan78xx', 'dsa', 'fec',
  'igc', 'bnxt_en', 'cpsw-switch', 'lan743x', 'fsl_enetc', 'fsl_enetc_vf'];

/** CliSim whose register dumps carry a chosen version word (pretty-printers check it). */
class FuzzSim extends CliSim {
  regsVersion = 1;
  override ioctl(ifname: string, buf: Uint8Array): number {
    const r = super.ioctl(ifname, buf);
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (r >= 0 && v.getUint32(0, true) === ETHTOOL.GREGS) v.setUint32(4, this.regsVersion >>> 0, true);
    return r;
  }
}

function bytes(r: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r.int(0, 255);
  return b;
}

function mask(r: Rng): number[] {
  return [0, 1, 2].map(() => r.pick([0, 0xffffffff, 0x7f, 0x20ff, r.int(0, 0xffffffff)]) >>> 0);
}

/** A rich simulated "sim0" (and sometimes "sim1"), with driver quirks and errno injection. */
function makeSim(r: Rng): { t: FuzzSim; inject: string } {
  const devs: SimDevice[] = [];
  for (const name of r.chance(0.2) ? ['sim0', 'sim1'] : ['sim0']) {
    const maxQueues = r.pick([1, 4, 8, 16]);
    const d = simDevice(name, { queues: r.int(1, maxQueues), maxQueues, extraStats: r.int(0, 4), driver: r.pick(DRIVERS) });
    d.regs = r.chance(0.8) ? bytes(r, r.pick([0, 1, 3, 7, 16, 17, 64, 100, 256, 300, 1024, 4096])) : undefined;
    d.eeprom = r.chance(0.8) ? bytes(r, r.pick([0, 1, 40, 128, 256])) : undefined;
    d.tests = r.pick([undefined, [], [{ name: 'Register test  (offline)', value: 0n }, { name: 'Link test   (on/offline)', value: r.pick([0n, 1n, 2n ** 64n - 1n, 2n ** 31n]) }]]);
    if (r.chance(0.3)) d.stats.push({ name: 'rx_packets', value: 2n ** 64n - 1n }, { name: 'x'.repeat(32), value: 2n ** 53n + 1n }, { name: 'é_stat', value: 1n });
    if (r.chance(0.2)) d.stats = [];
    if (r.chance(0.1)) d.ring = undefined;
    if (r.chance(0.1)) d.channels = undefined;
    if (r.chance(0.1)) d.pause = undefined;
    if (r.chance(0.1)) d.coalesce = undefined;
    if (r.chance(0.1)) d.wol = undefined;
    else if (r.chance(0.5)) d.wol = { supported: r.pick([0xff, 0x40, 0x100, 0x1ff]), wolopts: r.pick([0, 0x20, 0x100, 0xffffffff]) >>> 0, sopass: [1, 2, 3, 4, 5, 255] };
    if (r.chance(0.1)) d.msglvl = undefined;
    else if (r.chance(0.3)) d.msglvl = r.pick([0, 0xffffffff, 0x18007, 0x8000]) >>> 0;
    if (r.chance(0.2) && d.coalesce) for (const k of Object.keys(d.coalesce)) (d.coalesce as unknown as Record<string, number>)[k] = r.pick([0, 1, 0x7fffffff, 0xffffffff]);
    if (r.chance(0.2) && d.ring) Object.assign(d.ring, { rx_pending: 0xffffffff, rx_max_pending: 0xffffffff, tx_pending: 0 });
    if (r.chance(0.2)) d.permaddr = r.pick([[], [1, 2, 3, 4, 5, 6, 7, 8], [...Array(33).keys()]]);
    if (r.chance(0.1)) d.features = [];
    devs.push(d);
  }
  const t = new FuzzSim(devs);
  t.regsVersion = r.pick([0, 1, 1, 2, 3, 0xffffffff, r.int(0, 0xffffffff)]);
  if (r.chance(0.85)) {
    const link: LinkSpec = {
      speed: r.pick([0, 10, 100, 1000, 2500, 10000, 0xffff, 0xffffffff, 0x7fffffff]),
      duplex: r.pick([0, 1, 255, 7]), port: r.pick([0, 1, 2, 3, 4, 5, 0xef, 0xff, 9]), phyad: r.int(0, 255),
      autoneg: r.pick([0, 1, 255]), mdix: r.pick([0, 1, 2, 3, 9]), mdixCtrl: r.pick([0, 1, 2, 3, 9]), transceiver: r.pick([0, 1, 2]),
      supported: mask(r), advertising: mask(r), lp: r.chance(0.5) ? [0, 0, 0] : mask(r), legacyOnly: r.chance(0.2),
    };
    t.link = link;
  }
  return { t, inject: injectErrnos(r, t) };
}

/** Maybe make some requests fail (errno per request, seeded); returns a description. */
function injectErrnos(r: Rng, t: FuzzSim): string {
  t.injector = undefined;
  let inject = 'none';
  if (r.chance(clean ? 0.3 : 0.5)) {
    const rate = r.pick([0.05, 0.2, 0.5, 1]);
    const pool = r.chance(0.5) ? Object.values(ERRNOS) : [r.pick(Object.values(ERRNOS))];
    const only = r.chance(0.3) ? r.pick([ETHTOOL.GDRVINFO, ETHTOOL.GSSET_INFO, ETHTOOL.GSTRINGS, ETHTOOL.GFEATURES, ETHTOOL.SFEATURES, ETHTOOL.GLINKSETTINGS, ETHTOOL.GSTATS, ETHTOOL.GREGS, ETHTOOL.GEEPROM, ETHTOOL.TEST]) : null;
    const ir = new Rng(r.int(0, 0xffffffff));
    inject = `rate ${rate} errnos ${pool.join('/')}${only === null ? '' : ` cmd 0x${only.toString(16)} only`}`;
    t.injector = (_ifname, cmd) => ((only === null || cmd === only) && ir.chance(rate) ? ir.pick(pool) : undefined);
  }
  return inject;
}

// ---- command-line generator --------------------------------------------------------------------

function pairs(r: Rng, keys: readonly string[], value: (k: string) => string): string[] {
  const out: string[] = [];
  for (let n = r.int(0, 4); n > 0; n--) {
    const k = ok(r, 0.93) ? r.pick(keys) : r.pick(GARBAGE);
    out.push(k);
    if (ok(r, 0.95)) out.push(value(k));
  }
  return out;
}

function sArgs(r: Rng): string[] {
  const out: string[] = [];
  for (let n = r.int(0, 4); n > 0; n--) {
    const k = ok(r, 0.95) ? r.pick(clean ? S_KEYS.slice(0, 11) : S_KEYS) : r.pick(GARBAGE);
    out.push(k);
    if (k === 'msglvl' && r.chance(0.5)) {
      out.push(...pairs(r, MSGLVL_NAMES, () => boolv(r)));
      if (out.length === 1 || !ok(r, 0.7)) out.push(r.pick(MSGLVL_NAMES));
      break;
    }
    if (!ok(r, 0.95)) break; // key without a value
    const choices = Object.hasOwn(S_CHOICES, k) ? S_CHOICES[k] : undefined;
    out.push(choices && ok(r, 0.8) ? r.pick(choices) : ok(r, 0.5) ? num(r) : r.pick(GARBAGE));
  }
  return out;
}

function argsFor(r: Rng, opt: string): string[] {
  switch (opt) {
    case '-s': case '--change': return sArgs(r);
    case '-A': case '--pause': return pairs(r, A_KEYS, () => boolv(r));
    case '-C': case '--coalesce': return pairs(r, C_KEYS, k => (k.startsWith('adaptive') || k.startsWith('cqe') ? boolv(r) : num(r)));
    case '-G': case '--set-ring': return pairs(r, G_KEYS, () => num(r));
    case '-L': case '--set-channels': return pairs(r, L_KEYS, () => num(r));
    case '-K': case '--features': case '--offload':
      return pairs(r, [...SIM_FEATURE_NAMES, ...LEGACY, ...LEGACY, 'rx-bogus'], () => boolv(r));
    case '-d': case '--register-dump': return pairs(r, D_KEYS, k => (k === 'file' ? r.pick(REG_FILES) : boolv(r)));
    case '-e': case '--eeprom-dump': return pairs(r, E_KEYS, k => (k === 'raw' ? boolv(r) : num(r)));
    case '-E': case '--change-eeprom': return pairs(r, EE_KEYS, () => num(r));
    case '-t': case '--test': return Array.from({ length: r.pick(clean ? [0, 1] : [0, 0, 1, 1, 1, 2]) }, () => (ok(r, 0.8) ? r.pick(T_MODES) : r.pick(GARBAGE)));
    case '-p': case '--identify': return Array.from({ length: r.pick(clean ? [0, 1] : [0, 1, 1, 1, 2]) }, () => num(r));
    case '-S': case '--statistics': return ok(r, 0.7) ? [] : [r.pick(['--all-groups', '--groups', 'eth-mac', 'x'])];
    case '-P': case '--show-permaddr': return ok(r, 0.6) ? [] : [r.pick(GARBAGE)];
    case '-h': case '--help': case '--version': return ok(r, 0.7) ? [] : [r.pick(GARBAGE), r.pick(DEVNAMES)];
    default: return ok(r, 0.7) ? [] : [r.pick(GARBAGE)];
  }
}

function globals(r: Rng): string[] {
  const out: string[] = [];
  if (clean) return r.chance(0.25) ? ['--json'] : [];
  for (let n = r.pick([0, 0, 0, 1, 1, 2, 3]); n > 0; n--) {
    const g = r.pick(['--json', '--json', '--json', '-I', '--include-statistics', '--debug', '--debug']);
    out.push(g);
    if (g === '--debug' && r.chance(0.95)) out.push(r.chance(0.7) ? r.pick(['0', '1', '255', '-1', '0x1f', '18446744073709551616', '010']) : num(r));
  }
  return out;
}

/** The commands ethkit implements (a clean line picks one of these). */
const IMPLEMENTED = ['-s', '-a', '-A', '-c', '-C', '-g', '-G', '-k', '-K', '-i', '-d', '-e', '-r', '-p', '-t', '-S', '--phy-statistics', '-P', '-l', '-L'];

/** One ethtool-style command line. */
function ethtoolLine(r: Rng, devnames: readonly string[]): string[] {
  const argv = globals(r);
  const roll = r.next();
  if (roll < 0.07) { /* default settings page: the device name is the first argument */ }
  else if (roll < 0.1 && !clean) argv.push(r.pick(JUNK_OPTIONS));
  else argv.push(r.pick(clean ? IMPLEMENTED : OPTION_NAMES));
  const opt = argv[argv.length - 1];
  if (ok(r, 0.96)) argv.push(clean ? r.pick(['sim0', 'sim0', 'sim0', 'sim0', 'sim1', 'sim0:1', 'nosuch0']) : r.pick(devnames));
  argv.push(...argsFor(r, roll < 0.07 ? '' : opt));
  if (!ok(r, 0.92)) argv.push(...Array.from({ length: r.int(1, 3) }, () => r.pick(GARBAGE)));
  if (!ok(r, 0.92)) argv.splice(r.int(0, argv.length), 0, '--json');
  if (!ok(r, 0.97)) argv.splice(r.int(0, argv.length), 0, r.pick(['-I', '--debug']));
  return argv;
}

const PROFILE_CMDS = ['--profile-list', '--profile-show', '--plan', '--apply', '--verify', '--rollback', '--profile-help', '--profile-bogus', '--profile'];
/** Weighted: the commands that read and change the (simulated) host come up most. */
const PROFILE_CMD_MIX = [...PROFILE_CMDS, '--plan', '--apply', '--apply', '--apply', '--verify', '--rollback', '--rollback', '--rollback'];
const SETS = ['mode=nat', 'mode=dr', 'mode=tun', 'mode=x', 'mode=', 'gro=off', 'gro=on', 'gro=maybe', 'forward=on', 'backlog=0',
  'backlog=4294967296', 'backlog=-1', 'backlog=1e3', 'usecs=0', 'usecs=1000', 'usecs=1001', 'usecs=0x10', 'busy=', 'busy=NaN',
  'tunnel=tunl0', 'tunnel=', 'tunnel=a/b', 'tunnel=' + 'x'.repeat(20), 'n=4096', 'n=0', 'on=off', '=x', 'x', '', 'nope=1',
  'mode=nat=nat', 'constructor=1', '__proto__=1'];

/** Valid --set values per profile. */
const GOOD_SETS: Record<string, string[]> = {
  director: ['mode=nat', 'mode=dr', 'mode=tun', 'gro=off', 'gro=on', 'forward=on', 'forward=off', 'backlog=1000', 'backlog=5000'],
  latency: ['usecs=0', 'usecs=50', 'usecs=1000', 'busy=0', 'busy=50'],
  realserver: ['mode=dr', 'mode=tun', 'tunnel=tunl0', 'tunnel=sim1'],
  good: ['n=256', 'n=4096', 'n=1', 'on=off', 'on=on'],
};

function cleanProfileLine(r: Rng): string[] {
  const argv = r.chance(0.3) ? ['--json'] : [];
  const cmd = r.pick(['--plan', '--apply', '--apply', '--apply', '--verify', '--rollback', '--rollback', '--profile-show']);
  argv.push(cmd);
  const devs = r.pick([['sim0'], ['sim0'], ['sim0'], ['sim1'], ['sim0', 'sim1'], ['nosuch0']]);
  const profile = r.pick(['director', 'latency', 'realserver', 'good']);
  if (cmd === '--profile-show') return [...argv, profile === 'good' ? path.join(BAD_PROFILES, 'good.yaml') : profile];
  if (cmd === '--rollback') return [...argv, ...devs, ...(r.chance(0.7) ? ['--yes'] : [])];
  argv.push(profile === 'good' ? path.join(BAD_PROFILES, 'good.yaml') : profile, ...devs);
  for (let n = r.pick([0, 1, 1, 2]); n > 0; n--) argv.push('--set', r.pick(GOOD_SETS[profile]));
  if (r.chance(0.7)) argv.push('--yes');
  return argv;
}

function profileLine(r: Rng, stateDir: string): string[] {
  if (clean) return cleanProfileLine(r);
  const argv = globals(r);
  const cmd = r.pick(PROFILE_CMD_MIX);
  argv.push(r.chance(0.05) ? `${cmd}=${r.pick(['director', 'sim0', ''])}` : cmd);
  const profileDir = r.chance(0.7) ? null : r.pick([BAD_PROFILES, path.join(TMP, 'nodir'), FILES.small, PROFILE_DIR]);
  if (cmd !== '--rollback' && cmd !== '--profile-list' && r.chance(0.95)) {
    argv.push(r.pick(['director', 'latency', 'realserver', 'director', 'latency', 'nope', '', 'DIRECTOR', 'good', 'syntax',
      ...Object.keys(BAD_PROFILE_TEXT).map(f => path.join(BAD_PROFILES, f)), path.join(BAD_PROFILES, 'isdir.yaml'),
      path.join(TMP, 'missing.yaml'), FILES.small, 'a/b']));
  }
  for (let n = r.pick([0, 1, 1, 1, 1, 1, 2, 3]); n > 0; n--) argv.push(r.pick(['sim0', 'sim0', 'sim0', 'sim0', 'sim0', 'sim1', 'sim1', 'nosuch0', '', 'x'.repeat(16), 'a/b', 'a:b', 'a b', '-', '.']));
  for (let n = r.pick([0, 0, 1, 2]); n > 0; n--) {
    if (r.chance(0.15)) argv.push(`--set=${r.pick(SETS)}`);
    else { argv.push('--set'); if (r.chance(0.95)) argv.push(r.pick(SETS)); }
  }
  if (r.chance(0.4)) argv.push(r.pick(['--yes', '-y']));
  if (r.chance(0.25)) argv.push('--json');
  if (profileDir) argv.push('--profile-dir', profileDir);
  if (r.chance(0.3)) argv.push('--state-dir', r.pick([stateDir, path.join(stateDir, 'sub', 'dir'), FILES.small, '', ...CORRUPT_SNAPSHOTS]));
  if (r.chance(0.05)) argv.push(r.pick(['--state-dir', '--profile-dir', '--set']));
  if (r.chance(0.08)) argv.push(r.pick([...GARBAGE, '--frobnicate', '-h', '--help', ...PROFILE_CMDS]));
  if (r.chance(0.1)) argv.splice(r.int(0, argv.length), 0, r.pick(['--json', '--yes', '--set', '-I']));
  return argv;
}

function topLine(r: Rng): string[] {
  const argv = globals(r);
  argv.push('--top');
  for (let n = r.pick([0, 1, 1, 2, 3]); n > 0; n--) {
    argv.push(r.pick(['sim0', 'sim0', 'sysonly0', 'sim1', 'nosuch0', 'lo', '', 'x'.repeat(16), 'a/b', 'a:b', '-', '--json', '-j',
      '-h', '--help', '--bogus', '--count', '--count=0', '--count=x', '--interval', '--interval=0', '--interval=NaN', '--interval=1e9',
      '--count=1.5', '--count=-1', '-n', '-i', '--debug', '-I', ...GARBAGE.slice(0, 8)]));
  }
  // Never more than one quick sample: the last --count/--interval given wins.
  if (r.chance(0.9)) argv.push('--count', '1');
  if (r.chance(0.95)) argv.push(r.chance(0.5) ? '--interval' : '-i', '0.05');
  return argv;
}

/** Change one value deep inside a snapshot an earlier apply wrote (a hand edit, a foreign file). */
function damageSnapshot(r: Rng, stateDir: string): void {
  const dir = path.join(stateDir, 'snapshots', 'net-4026530000');
  let files: string[];
  try { files = fs.readdirSync(dir).filter(f => f.endsWith('.json')); } catch { return; }
  if (files.length === 0) return;
  const file = path.join(dir, r.pick(files));
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  let node = data as Record<string, unknown>;
  for (let depth = r.int(1, 6); depth > 0; depth--) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = r.pick(keys);
    const child = node[k];
    if (depth === 1 || typeof child !== 'object' || child === null) {
      if (r.chance(0.2)) delete node[k];
      else node[k] = r.pick([null, 0, -1, 1.5, '', 'x', true, [], {}, [null], { ok: null }, { err: 5 }, 'file:/proc/sys/x', 2 ** 53]);
      break;
    }
    node = child as Record<string, unknown>;
  }
  fs.writeFileSync(file, JSON.stringify(data));
}

// ---- running and checking ----------------------------------------------------------------------

interface Outcome { code: number; out: Buffer; err: string; threw?: unknown }

// 99: -f "Filename too long"; 161 and 242: -Q's -EOPNOTSUPP and -EFAULT returns.
const ETHTOOL_CODES = new Set([0, 1, 2, 99, 161, 242, 255, ...Array.from({ length: 27 }, (_, i) => 71 + i)]);
const PROFILE_CODES = new Set([0, 1, 2, 3, 4, 5]);
const TOP_CODES = new Set([0, 1]);

type Family = 'ethtool' | 'profiles' | 'top';

/** Which front end run() hands the line to, and whether --json is in effect there. */
function classify(argv: readonly string[]): { family: Family; json: boolean } {
  let i = 0, json = false;
  for (; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '-I' || argv[i] === '--include-statistics') continue;
    else if (argv[i] === '--debug') {
      // strtoul(MASK, &end, 0) must consume it all; otherwise: bad arguments, nothing after is read.
      if (!/^[ \t\n\v\f\r]*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(argv[i + 1] ?? '')) return { family: 'ethtool', json };
      i++;
    } else break;
  }
  const a = argv[i] ?? '';
  if (a === '--top') return { family: 'top', json: argv.some(x => x === '--json' || x === '-j' || x.startsWith('--json=')) };
  if (a.startsWith('--profile') || ['--plan', '--apply', '--verify', '--rollback'].includes(a)) {
    return { family: 'profiles', json: argv.some(x => x === '--json' || x.startsWith('--json=')) };
  }
  return { family: 'ethtool', json };
}

/** Words that must not appear in output, unless they came from the command line itself. */
const FORBIDDEN = [/^\s+at /m, /internal error/i, /TypeError/, /RangeError/, /ReferenceError/, /SyntaxError/, /\bundefined\b/, /\bNaN\b/, /\[object /, /Error: /];

function scrub(text: string, argv: readonly string[]): string {
  // A command line that contains one of the words may see it echoed back (e.g. a bad value).
  let t = text;
  const words = argv.flatMap(a => [a, ...a.split('=')]);
  for (const a of words.sort((x, y) => y.length - x.length)) {
    if (a.length >= 3) t = t.split(a).join('<ARG>');
  }
  return t;
}

/** The commands ethtool 6.1 has JSON for (on its netlink path). */
const ETHTOOL_JSON_OPTIONS = new Set(['-a', '--show-pause', '-k', '--show-features', '--show-offload', '-S', '--statistics',
  '--show-fec', '--show-module', '--cable-test', '--cable-test-tdr']);

function problems(argv: readonly string[], o: Outcome): string[] {
  const p: string[] = [];
  if (o.threw !== undefined) {
    const e = o.threw as Error;
    return [`run() threw: ${e?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)}`];
  }
  const { family, json } = classify(argv);
  const codes = family === 'ethtool' ? ETHTOOL_CODES : family === 'profiles' ? PROFILE_CODES : TOP_CODES;
  if (!Number.isInteger(o.code) || !codes.has(o.code)) p.push(`exit ${o.code} is not one of ${family}'s documented codes`);
  const err = scrub(o.err, argv);
  const out = scrub(o.out.toString('latin1'), argv);
  for (const re of FORBIDDEN) {
    if (re.test(err)) p.push(`stderr matches ${re}`);
    if (re !== FORBIDDEN[0] && re.test(out)) p.push(`stdout matches ${re}`);
  }
  if (o.err !== '' && !o.err.endsWith('\n')) p.push('stderr does not end with a newline');
  if (json) {
    const lines: unknown[] = [];
    for (const line of o.err.split('\n').filter(l => l !== '')) {
      try { lines.push(JSON.parse(line)); } catch { p.push(`--json: stderr line is not JSON: ${line.slice(0, 100)}`); break; }
    }
    // docs/json.md: at most one {"error", "exit"} line, last, exactly when the exit status is not 0.
    const errors = lines.filter(l => typeof l === 'object' && l !== null && 'error' in l) as { error: unknown; exit?: unknown }[];
    if (errors.length > 1) p.push('--json: more than one error line');
    if (errors.length === 1 && (typeof errors[0].error !== 'string' || errors[0].exit !== o.code)) p.push(`--json: error line ${JSON.stringify(errors[0])} does not match exit ${o.code}`);
    if (family === 'ethtool') {
      if (o.code !== 0 && (errors.length !== 1 || lines[lines.length - 1] !== errors[0])) p.push('--json: failing exit without a last error line');
      if (o.code === 0 && errors.length) p.push('--json: error line with exit 0');
      if (o.code === 0 && !o.out.toString('utf8').trimStart().startsWith('[')) p.push('--json: exit 0 without a document');
      // A failed command prints no partial document (a failed self-test still reports its results);
      // ethtool's own JSON commands on the netlink path print their empty document "[ ]", as ethtool does.
      const ownJson = argv.some(a => ETHTOOL_JSON_OPTIONS.has(a));
      if (o.code !== 0 && o.code !== 2 && o.out.length && !(ownJson && o.out.toString('utf8') === '[ ]\n')) p.push('--json: document on stdout with a failing exit');
    }
    if (family === 'profiles') {
      // docs/profiles.md: every command prints one object with its exit_code, errors included.
      let doc: { exit_code?: unknown } | null = null;
      try { doc = JSON.parse(o.out.toString('utf8')) as { exit_code?: unknown }; } catch { /* reported below */ }
      if (doc?.exit_code !== o.code) p.push(`--json: profile command without one object whose exit_code is ${o.code}`);
    }
    const text = o.out.toString('utf8');
    if (text.trim() !== '') {
      let ok = true;
      try { JSON.parse(text); } catch { ok = false; }
      // --top --count N --json: one document per line.
      if (!ok && family === 'top') ok = text.trim().split('\n').every(l => { try { JSON.parse(l); return true; } catch { return false; } });
      if (!ok) p.push(`--json: stdout is not JSON: ${text.slice(0, 100)}`);
    }
  }
  return p;
}

async function inProcess(argv: string[], opts: Parameters<typeof run>[1]): Promise<Outcome> {
  const out: Buffer[] = [], err: Buffer[] = [];
  const sink = (into: Buffer[]) => ({ write(c: string | Uint8Array): void { into.push(Buffer.from(c as Uint8Array)); } });
  const stdout = sink(out), stderr = sink(err);
  const o: Outcome = { code: NaN, out: Buffer.alloc(0), err: '' };
  try {
    o.code = await run(argv, { ...opts, stdout, stderr });
  } catch (e) {
    o.threw = e;
  }
  o.out = Buffer.concat(out);
  o.err = Buffer.concat(err).toString('utf8');
  return o;
}

interface Finding { part: string; i: number; argv: string[]; inject: string; code: number; what: string[]; err: string; out: string }

let findings: Finding[] = [];
let seen = new Set<string>();
let linesRun = 0, problemsTotal = 0;

/** Each test reports its own findings. */
function fresh(): void {
  problemsTotal += findings.length;
  findings = [];
  seen = new Set();
}

/** Exit statuses seen, per part: shows which paths the lines reached. */
const histogram = new Map<string, Map<number, number>>();

function record(part: string, i: number, argv: string[], inject: string, o: Outcome): void {
  linesRun++;
  const h = histogram.get(part) ?? new Map<number, number>();
  histogram.set(part, h.set(o.code, (h.get(o.code) ?? 0) + 1));
  const what = problems(argv, o);
  if (realTransportUses > 0) what.push('the real transport was opened');
  if (what.length === 0) return;
  const key = `${classify(argv).family} ${argv.find(a => a.startsWith('-') && a !== '--json' && a !== '-I') ?? ''} ${what.join(';').replace(/\d+/g, 'N')}`;
  if (seen.has(key)) return;
  seen.add(key);
  findings.push({ part, i, argv, inject, code: o.code, what, err: o.err.slice(0, 400), out: o.out.toString('utf8').slice(0, 300) });
}

function report(): string {
  return `${findings.length} distinct problem(s) (seed ${SEED}; rerun one with ETHKIT_FUZZ_SEED=${SEED} ETHKIT_FUZZ_CASE=N):\n` +
    findings.slice(0, 25).map(f => `  [${f.part} case ${f.i}] ${JSON.stringify(f.argv)} (inject: ${f.inject}) → exit ${f.code}: ${f.what.join('; ')}\n` +
      `      stderr: ${JSON.stringify(f.err)}\n      stdout: ${JSON.stringify(f.out)}`).join('\n');
}

/** Case numbers to run; with ETHKIT_FUZZ_CASE, that case after the earlier ones of its group (shared state). */
function cases(n: number, group = 1): number[] {
  if (ONLY === null) return [...Array(n).keys()];
  if (ONLY >= n) return [];
  const first = ONLY - (ONLY % group);
  return Array.from({ length: ONLY - first + 1 }, (_, k) => first + k);
}

test('the checker: what it must flag, and what it must let pass', () => {
  const o = (code: number, err: string, out = ''): Outcome => ({ code, err, out: Buffer.from(out) });
  const flagged: [string[], Outcome][] = [
    [['-i', 'sim0'], o(1, 'TypeError: x is not a function\n    at Object.<anonymous> (/x.js:1:1)\n')],
    [['-i', 'sim0'], o(1, 'ethkit: internal error: boom\n')],
    [['-i', 'sim0'], o(70, 'Cannot get control socket: Success\n')],
    [['-i', 'sim0'], o(0, '', 'driver: undefined\n')],
    [['-G', 'sim0', 'rx', '1'], o(0, '', 'rx: NaN\n')],
    [['-i', 'sim0'], o(0, '', '[object Object]\n')],
    [['--json', '-i', 'sim0'], o(71, 'Cannot get driver information: No such device\n')],
    [['--json', '-i', 'sim0'], o(0, '', '[ {')],
    [['--json', '-i', 'sim0'], o(71, '{"error":"x","exit":71}\n', '[ ]\n')],
    [['--json', '-i', 'sim0'], o(71, '{"error":"x","exit":1}\n')],
    [['--json', '--plan', 'director', 'sim0'], o(1, '{"error":"x","exit":1}\n', '{"exit_code": 0}')],
    [['--json', '--plan', 'director', 'sim0'], o(1, 'ethkit: x\n', '{"exit_code": 1}')],
    [['--plan', 'director', 'sim0'], o(6, '')],
    [['--top'], o(3, '')],
    [['-i', 'sim0'], o(1.5, '')],
  ];
  for (const [argv, out] of flagged) assert.notDeepEqual(problems(argv, out), [], `not flagged: ${JSON.stringify(argv)} ${JSON.stringify(out.err)}`);
  const passed: [string[], Outcome][] = [
    [['-i', 'sim0'], o(0, '', 'driver: simnic\n')],
    [['-G', 'sim0', 'rx', 'NaN'], o(1, 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n')],
    [['--plan', 'undefined', 'sim0'], o(1, 'ethkit: no profile "undefined"\n')],
    [['--json', '-t', 'sim0'], o(2, '{"error":"The test result is FAIL","exit":2}\n', '[ {"ifname": "sim0"} ]\n')],
    [['--debug', 'x', '--json', '-i', 'sim0'], o(1, 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n')],
    [['--json', '--top', '--count', '2'], o(0, '', '{"sample":1}\n{"sample":2}\n')],
  ];
  for (const [argv, out] of passed) assert.deepEqual(problems(argv, out), [], JSON.stringify(argv));
});

test('in-process: ethtool command lines against a simulated NIC with injected errnos', async () => {
  fresh();
  for (const i of cases(N_ETHTOOL)) {
    const r = new Rng(caseSeed(0, i));
    clean = r.chance(0.5);
    const { t, inject } = makeSim(r);
    const argv = ethtoolLine(r, DEVNAMES);
    record('ethtool', i, argv, inject, await inProcess(argv, { transport: t }));
  }
  assert.equal(findings.length, 0, report());
});

test('in-process: profile commands on a simulated host (state in a temporary directory)', async () => {
  fresh();
  const cwdBefore = new Set(fs.readdirSync(process.cwd()));
  const stateRoot = path.join(TMP, 'state');
  // Groups of 8 cases share one simulated host and state directory: an apply is followed by
  // re-applies, verifies and rollbacks of the same devices.
  let world: { t: FuzzSim; host: SimHostFs } | null = null;
  for (const i of cases(N_PROFILE, 8)) {
    const r = new Rng(caseSeed(1, i));
    clean = r.chance(0.6);
    if (i % 8 === 0 || !world) {
      const { t } = makeSim(r);
      world = { t, host: new SimHostFs(t, { cpus: r.pick([1, 2, 4, 8]), ipvs: r.chance(0.5), defaultRoute: r.chance(0.3) ? ['sim0'] : [] }) };
    }
    const { t, host } = world;
    const inject = injectErrnos(r, t);
    host.injector = undefined;
    let fsInject = 'none';
    if (r.chance(0.3)) {
      const ir = new Rng(r.int(0, 0xffffffff));
      const code = r.pick(['EINVAL', 'EACCES', 'EIO', 'EBUSY']);
      fsInject = `fs writes ${code}`;
      host.injector = () => (ir.chance(0.3) ? code : undefined);
    }
    // A state directory per few cases: rollbacks find snapshots of earlier applies.
    const stateDir = path.join(stateRoot, String(i >> 3));
    if (r.chance(0.15)) damageSnapshot(r, stateDir);
    const argv = profileLine(r, stateDir);
    const env = { ETHKIT_STATE_DIR: stateDir, ETHKIT_PROFILE_DIR: r.chance(0.8) ? PROFILE_DIR : BAD_PROFILES };
    record('profiles', i, argv, `${inject}; ${fsInject}`, await inProcess(argv, { transport: t, hostFs: host, env }));
  }
  const stray = fs.readdirSync(process.cwd()).filter(f => !cwdBefore.has(f));
  assert.deepEqual(stray, [], `files appeared in the working directory ${process.cwd()}`);
  assert.equal(findings.length, 0, report());
});

test('in-process: --top --count 1 with random arguments on a fake sysfs', async () => {
  fresh();
  for (const i of cases(N_TOP)) {
    const r = new Rng(caseSeed(2, i));
    clean = r.chance(0.5);
    const { t, inject } = makeSim(r);
    const argv = topLine(r);
    record('top', i, argv, inject, await inProcess(argv, { transport: t, sysfsNet: SYSNET, env: {} }));
  }
  assert.equal(findings.length, 0, report());
});

// ---- the real binary, on devices that do not exist -----------------------------------------------

/**
 * Commands that start with a read (GET/GSSET_INFO/GDRVINFO); on a device that does not exist
 * that first request fails with ENODEV and nothing else is sent. No -p/-r/-E (they act first).
 */
const READ_ONLY = ['', '-a', '--show-pause', '-c', '-g', '-k', '--show-features', '-i', '--driver', '-d', '-e', '-t', '-S', '--statistics',
  '--phy-statistics', '-P', '-l', '-T', '-x', '-n', '-m', '--show-eee', '--show-fec', '--show-priv-flags', '-h', '--version',
  '--cable-test', '--show-module', '-G', '-C', '-A', '-L', '-K', '-s'];

function absentNames(): string[] {
  const present = new Set(fs.readdirSync('/sys/class/net'));
  const names = ['nosuchfz0', 'nosuchfz' + (process.pid % 10000), 'nosuchfz-é', '', ':', ':nosuchfz', 'nosuchfz0:1', 'nosuchfzabcdefg',
    'nosuchfzabcdefgh', 'x'.repeat(100), 'x'.repeat(128), 'nosuch/fz', 'nosuch fz', '*', '-k', 'nosuchfz💥'];
  // The kernel looks up the part before ':'; none of these may name a device of this machine.
  return names.filter(n => !present.has(n.split(':')[0]) || n.split(':')[0] === '');
}

function childLine(r: Rng, names: readonly string[]): string[] {
  const argv = globals(r);
  const opt = r.pick(READ_ONLY);
  if (opt !== '') argv.push(opt);
  argv.push(r.pick(names));
  // Set commands: GET first, which fails with ENODEV; arguments exercise the parsers first.
  argv.push(...argsFor(r, opt).map(a => a.replace(/\0/g, '')));
  if (r.chance(0.1)) argv.push(r.pick(GARBAGE));
  if (r.chance(0.05)) argv.splice(0, argv.length, ...r.pick([['--top', 'nosuchfz0', '--count', '1'], ['--top', '--bogus'], ['--plan', 'director', 'nosuchfz0', '--json'],
    ['--verify', 'latency', 'nosuchfz0'], ['--profile-show', 'nope'], ['--profile-list', '--json'], ['--plan', 'director', 'nosuchfz0', '--set', 'mode=x']]));
  return argv;
}

function spawnOne(argv: string[], stateDir: string): Promise<Outcome> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [MAIN, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ETHKIT_STATE_DIR: stateDir, ETHKIT_PROFILE_DIR: PROFILE_DIR, ETHKIT_SYSFS_NET: SYSNET },
    });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', code => resolve({ code: code ?? NaN, out: Buffer.concat(out), err: Buffer.concat(err).toString('utf8') }));
  });
}

test('child processes: the real binary on absent devices, read-only commands', async () => {
  fresh();
  const names = absentNames();
  assert.ok(names.length >= 10, 'absent device names');
  const stateDir = path.join(TMP, 'child-state');
  const lines = cases(N_CHILD).map(i => {
    const r = new Rng(caseSeed(3, i));
    clean = r.chance(0.3);
    return { i, argv: childLine(r, names) };
  });
  // Guard: nothing here may change anything or reach an existing device.
  for (const { argv } of lines) {
    assert.ok(!argv.some(a => ['--apply', '--rollback', '-p', '--identify', '-r', '--negotiate', '-E'].includes(a)), `not read-only: ${argv.join(' ')}`);
  }
  let next = 0;
  const worker = async () => {
    while (next < lines.length) {
      const { i, argv } = lines[next++];
      record('child', i, argv, 'none (absent device)', await spawnOne(argv, stateDir));
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, Math.min(4, os.cpus().length * 2)) }, worker));
  assert.equal(findings.length, 0, report());
});

after(() => {
  fresh();
  process.stdout.write(`# cli-fuzz: seed ${SEED}, ${linesRun} command lines, ${problemsTotal} distinct problem(s)\n`);
  for (const [part, h] of histogram) {
    process.stdout.write(`#   ${part}: exit ${[...h].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}×${n}`).join(' ')}\n`);
  }
});
