/**
 * The real kernel. On eth0 (the host's only link): read-only requests, compared with what
 * `ethtool` prints. Everything that sets something runs on veth/tap devices inside a network
 * namespace this file creates and always removes, through a child process under
 * `ip netns exec` (the API is in-process; see test/helpers/netns.ts and nic-child.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KoffiTransport } from '../src/ffi/koffi';
import { Nic } from '../src/device/nic';
import { EthtoolError } from '../src/device/errors';
import { ETHTOOL_F, SPEED_UNKNOWN } from '../src/ethtool/constants';
import type { FeatureState, Channels, Ring, Coalesce, DriverInfo, LinkSettings } from '../src/ethtool/types';
import { Netns, requireTool, value, OpResult } from './helpers/netns';
import { keyValues, assertDrvinfo } from './helpers/ethtool-text';

const ROOT = path.resolve(__dirname, '../..');
const HOST_IF = 'eth0';

requireTool('ethtool', 'ethtool');

/** ethtool's output on the host (read-only options only are used with it here). */
function hostEthtool(...args: string[]): string {
  const r = spawnSync('ethtool', args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`ethtool ${args.join(' ')}: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout;
}

// ---- parsers for ethtool's text output ------------------------------------------------

/** -g / -l: the "Pre-set maximums" and "Current hardware settings" sections. */
function sections(text: string): { max: Map<string, string>; cur: Map<string, string> } {
  const i = text.indexOf('Pre-set maximums:');
  const j = text.indexOf('Current hardware settings:');
  assert.ok(i >= 0 && j > i, `unexpected ethtool output:\n${text}`);
  return { max: keyValues(text.slice(i + 17, j)), cur: keyValues(text.slice(j + 26)) };
}

/** A number as ethtool prints it; "n/a" (netlink: attribute absent) is what the ioctl reports as 0. */
function num(v: string | undefined, what: string): number {
  assert.ok(v !== undefined, `ethtool printed no ${what}`);
  if (v === 'n/a') return 0;
  if (v === 'on') return 1;
  if (v === 'off') return 0;
  assert.match(v, /^\d+$/, `${what}: ${v}`);
  return Number(v);
}

/** ethtool -k: name -> { on, fixed }. */
function features(text: string): Map<string, { on: boolean; fixed: boolean }> {
  const m = new Map<string, { on: boolean; fixed: boolean }>();
  for (const line of text.split('\n')) {
    const f = /^\s*([\w-]+): (on|off)( \[fixed\])?( \[requested (?:on|off)\])?$/.exec(line);
    if (f) m.set(f[1], { on: f[2] === 'on', fixed: !!f[3] });
  }
  return m;
}

/** ethtool -S: [name, value] in order. */
function stats(text: string): [string, bigint][] {
  const out: [string, bigint][] = [];
  for (const line of text.split('\n')) {
    const s = /^\s+(\S.*): (\d+)$/.exec(line);
    if (s) out.push([s[1], BigInt(s[2])]);
  }
  return out;
}

function compareChannels(ch: Channels, text: string): void {
  const { max, cur } = sections(text);
  assert.deepEqual(
    [ch.max_rx, ch.max_tx, ch.max_other, ch.max_combined, ch.rx_count, ch.tx_count, ch.other_count, ch.combined_count],
    [num(max.get('RX'), 'max RX'), num(max.get('TX'), 'max TX'), num(max.get('Other'), 'max Other'), num(max.get('Combined'), 'max Combined'),
      num(cur.get('RX'), 'RX'), num(cur.get('TX'), 'TX'), num(cur.get('Other'), 'Other'), num(cur.get('Combined'), 'Combined')]);
}

/** Features ethtool -k prints under their legacy (pre-GFEATURES) names. */
const LEGACY_NAME: Record<string, string> = {
  'rx-checksum': 'rx-checksumming', 'rx-gro': 'generic-receive-offload', 'rx-lro': 'large-receive-offload',
  'tx-generic-segmentation': 'generic-segmentation-offload', 'rx-vlan-hw-parse': 'rx-vlan-offload',
  'tx-vlan-hw-insert': 'tx-vlan-offload', 'rx-ntuple-filter': 'ntuple-filters', 'rx-hashing': 'receive-hashing',
};

function compareFeatures(mine: FeatureState[], text: string): number {
  const theirs = features(text);
  let compared = 0;
  for (const f of mine) {
    const t = theirs.get(f.name) ?? theirs.get(LEGACY_NAME[f.name]);
    if (!t) continue; // a feature ethtool does not print on its own
    assert.equal(f.active, t.on, `${f.name} active`);
    assert.equal(!f.available, t.fixed, `${f.name} fixed`);
    compared++;
  }
  return compared;
}

const COALESCE_KEYS: [keyof Coalesce, string[]][] = [
  ['rx_coalesce_usecs', ['rx-usecs']], ['rx_max_coalesced_frames', ['rx-frames']],
  ['rx_coalesce_usecs_irq', ['rx-usecs-irq']], ['rx_max_coalesced_frames_irq', ['rx-frames-irq']],
  ['tx_coalesce_usecs', ['tx-usecs']], ['tx_max_coalesced_frames', ['tx-frames']],
  ['tx_coalesce_usecs_irq', ['tx-usecs-irq']], ['tx_max_coalesced_frames_irq', ['tx-frames-irq']],
  ['stats_block_coalesce_usecs', ['stats-block-usecs']], ['rate_sample_interval', ['sample-interval']],
  ['pkt_rate_low', ['pkt-rate-low']], ['pkt_rate_high', ['pkt-rate-high']],
  ['rx_coalesce_usecs_low', ['rx-usecs-low']], ['rx_max_coalesced_frames_low', ['rx-frames-low', 'rx-frame-low']],
  ['tx_coalesce_usecs_low', ['tx-usecs-low']], ['tx_max_coalesced_frames_low', ['tx-frames-low', 'tx-frame-low']],
  ['rx_coalesce_usecs_high', ['rx-usecs-high']], ['rx_max_coalesced_frames_high', ['rx-frames-high', 'rx-frame-high']],
  ['tx_coalesce_usecs_high', ['tx-usecs-high']], ['tx_max_coalesced_frames_high', ['tx-frames-high', 'tx-frame-high']],
];

function compareCoalesce(co: Coalesce, text: string): void {
  const kv = keyValues(text);
  for (const [field, keys] of COALESCE_KEYS) {
    const k = keys.find(x => kv.has(x));
    assert.ok(k, `ethtool -c printed none of ${keys.join('/')}`);
    assert.equal(co[field], num(kv.get(k), k), field);
  }
  const adaptive = /Adaptive RX: (\S+)\s+TX: (\S+)/.exec(text);
  assert.ok(adaptive, 'ethtool -c printed no Adaptive line');
  assert.equal(co.use_adaptive_rx_coalesce, num(adaptive[1], 'Adaptive RX'));
  assert.equal(co.use_adaptive_tx_coalesce, num(adaptive[2], 'Adaptive TX'));
}

function compareLink(ls: LinkSettings, link: boolean, text: string): void {
  const kv = keyValues(text);
  assert.equal(link ? 'yes' : 'no', kv.get('Link detected'));
  const speed = kv.get('Speed')!;
  if (speed.startsWith('Unknown')) assert.ok(ls.speed === 0 || ls.speed === SPEED_UNKNOWN, `speed ${ls.speed}`);
  else assert.equal(`${ls.speed}Mb/s`, speed);
  const duplex = kv.get('Duplex')!;
  const d = duplex === 'Full' ? 1 : duplex === 'Half' ? 0 : Number(/\((\d+)\)/.exec(duplex)?.[1]);
  assert.equal(ls.duplex, d, `duplex (ethtool: ${duplex})`);
}

// ---- eth0: read-only ------------------------------------------------------------------

const host = { t: null as KoffiTransport | null };
function hostNic(): Nic {
  host.t ??= new KoffiTransport();
  return new Nic(HOST_IF, host.t);
}

test('eth0 (read-only): driverInfo matches ethtool -i', () => {
  assertDrvinfo(hostNic().driverInfo(), hostEthtool('-i', HOST_IF));
});

test('eth0 (read-only): ring matches ethtool -g', () => {
  const r: Ring = hostNic().ring();
  const { max, cur } = sections(hostEthtool('-g', HOST_IF));
  assert.deepEqual(
    [r.rx_max_pending, r.rx_mini_max_pending, r.rx_jumbo_max_pending, r.tx_max_pending, r.rx_pending, r.rx_mini_pending, r.rx_jumbo_pending, r.tx_pending],
    [num(max.get('RX'), 'max RX'), num(max.get('RX Mini'), 'max RX Mini'), num(max.get('RX Jumbo'), 'max RX Jumbo'), num(max.get('TX'), 'max TX'),
      num(cur.get('RX'), 'RX'), num(cur.get('RX Mini'), 'RX Mini'), num(cur.get('RX Jumbo'), 'RX Jumbo'), num(cur.get('TX'), 'TX')]);
  assert.ok(r.rx_max_pending > 0);
});

test('eth0 (read-only): coalesce matches ethtool -c', () => {
  compareCoalesce(hostNic().coalesce(), hostEthtool('-c', HOST_IF));
});

test('eth0 (read-only): channels match ethtool -l', () => {
  compareChannels(hostNic().channels(), hostEthtool('-l', HOST_IF));
});

test('eth0 (read-only): features match ethtool -k', () => {
  const mine = hostNic().features();
  assert.ok(mine.length >= 32);
  assert.ok(compareFeatures(mine, hostEthtool('-k', HOST_IF)) >= 40, 'most features compared');
});

test('eth0 (read-only): stats names match ethtool -S and its values lie between two reads', () => {
  const nic = hostNic();
  const reader = nic.statsReader();
  const lo = Array.from(reader.read());
  const theirs = stats(hostEthtool('-S', HOST_IF));
  const hi = Array.from(reader.read());
  assert.deepEqual(reader.names, theirs.map(([n]) => n));
  theirs.forEach(([name, v], i) => assert.ok(lo[i] <= v && v <= hi[i], `${name}: ${lo[i]} <= ${v} <= ${hi[i]}`));
  assert.equal(reader.generation, 1);
});

test('eth0 (read-only): link, link settings and permanent address match ethtool', () => {
  const nic = hostNic();
  compareLink(nic.linkSettings(), nic.link(), hostEthtool(HOST_IF));
  const mac = Array.from(nic.permAddr(), b => b.toString(16).padStart(2, '0')).join(':');
  assert.equal(`Permanent address: ${mac}`, hostEthtool('-P', HOST_IF).trim());
});

test('KoffiTransport on eth0 (read-only GSTATS): replies larger than the buffer stop at the guard page', async () => {
  const t = new KoffiTransport();
  try {
    const n = new Nic(HOST_IF, t).stringCount(1 /* ETH_SS_STATS */);
    assert.ok(n > 0);
    const gstats = (buf: Uint8Array, count: number): DataView => {
      const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      dv.setUint32(0, 0x1d, true);
      dv.setUint32(4, count, true);
      return dv;
    };
    // A buffer from alloc() ends at the guard page itself.
    const guarded = t.alloc(8);
    const g = gstats(guarded, 0);
    assert.equal(t.ioctl(HOST_IF, guarded), -14, 'EFAULT');
    assert.equal(g.getUint32(4, true), n, 'the header carries the driver\'s count');
    // Any other buffer goes through the guarded scratch area: nothing past it changes.
    const whole = new Uint8Array(8 + 64).fill(0xa5);
    const plain = whole.subarray(0, 8);
    const p = gstats(plain, 0);
    assert.equal(t.ioctl(HOST_IF, plain), -14);
    assert.equal(p.getUint32(4, true), n);
    assert.ok(whole.subarray(8).every(b => b === 0xa5), 'no byte past the buffer was written');
    // The same off the main thread.
    const a = t.alloc(8);
    gstats(a, 0);
    assert.equal(await t.ioctlAsync(HOST_IF, a), -14);
    const b = new Uint8Array(8);
    const bv = gstats(b, 0);
    assert.equal(await t.ioctlAsync(HOST_IF, b), -14);
    assert.equal(bv.getUint32(4, true), n);
    // A correctly sized request works through both paths, and agrees with GDRVINFO's count.
    const ok = new Uint8Array(8 + 8 * n);
    gstats(ok, n);
    assert.equal(t.ioctl(HOST_IF, ok), 0);
    const info = new Uint8Array(196);
    new DataView(info.buffer).setUint32(0, 3, true);
    assert.equal(await t.ioctlAsync(HOST_IF, info), 0);
    assert.equal(new DataView(info.buffer).getUint32(4 + 32 * 5 + 12 + 4, true), n, 'drvinfo n_stats');
    // Bad names never reach the kernel; a closed transport refuses.
    assert.throws(() => t.ioctl('bad/name', ok), /contains '\/'/);
    await assert.rejects(t.ioctlAsync('x'.repeat(16), ok), /longer than 15 bytes/);
  } finally {
    t.close();
  }
  assert.throws(() => t.ioctl(HOST_IF, new Uint8Array(8)), /transport is closed/);
});

// ---- a namespace of our own: veth pair and a tap device ------------------------------------

const VA = 'ekcva';
const VB = 'ekcvb';
const TAP = 'ekctp';
let ns: Netns;

before(() => {
  if (!existsSync(path.join(__dirname, 'helpers', 'nic-child.js'))) throw new Error('test/helpers/nic-child.js was not built');
  ns = Netns.create('co');
  ns.veth(VA, VB);
  ns.ip('tuntap', 'add', 'dev', TAP, 'mode', 'tap');
});

after(() => {
  host.t?.close();
  ns?.destroy();
  if (ns) assert.equal(ns.exists(), false, `namespace ${ns.name} was removed`);
});

function nsEthtool(...args: string[]): string {
  return ns.exec('ethtool', args).stdout;
}

test('veth: identity, link and settings match ethtool inside the namespace', () => {
  const [info, link, ls, perm] = ns.runNic(VA, [{ call: 'driverInfo' }, { call: 'link' }, { call: 'linkSettings' }, { call: 'permAddr' }]);
  const di = value<DriverInfo>(info);
  assert.equal(di.driver, 'veth');
  assertDrvinfo(di, nsEthtool('-i', VA));
  compareLink(value<LinkSettings>(ls), value<boolean>(link), nsEthtool(VA));
  const bytes = value<number[]>(perm);
  const mac = bytes.map(b => b.toString(16).padStart(2, '0')).join(':');
  const shown = nsEthtool('-P', VA).trim();
  if (bytes.every(b => b === 0)) assert.ok(shown === `Permanent address: ${mac}` || shown === 'Permanent address: not set', shown);
  else assert.equal(shown, `Permanent address: ${mac}`);
  assert.equal(bytes.length, 6);
});

test('veth: feature toggles round-trip and ethtool -k agrees; a fixed one answers UNSUPPORTED', () => {
  const feats = (r: OpResult) => new Map(value<FeatureState[]>(r).map(f => [f.name, f]));
  const [r0] = ns.runNic(VA, [{ call: 'features' }]);
  const before = feats(r0);
  assert.ok(compareFeatures(value<FeatureState[]>(r0), nsEthtool('-k', VA)) >= 40);
  const gro = before.get('rx-gro')!.active;
  const csum = before.get('tx-checksum-ip-generic')!.active;
  assert.equal(before.get('rx-gro')?.available, true);
  assert.equal(before.get('rx-vlan-filter')?.available, false, 'rx-vlan-filter is fixed on veth');
  const [set, r1, fixed, r2, restore, r3] = ns.runNic(VA, [
    { call: 'setFeatures', args: [{ 'rx-gro': !gro, 'tx-checksum-ip-generic': !csum }] },
    { call: 'features' },
    { call: 'setFeatures', args: [{ 'rx-vlan-filter': true }] },
    { call: 'features' },
    { call: 'setFeatures', args: [{ 'rx-gro': gro, 'tx-checksum-ip-generic': csum }] },
    { call: 'features' },
  ]);
  assert.equal(value<number>(set) & ETHTOOL_F.UNSUPPORTED, 0);
  const flipped = feats(r1);
  assert.equal(flipped.get('rx-gro')?.active, !gro);
  assert.equal(flipped.get('tx-checksum-ip-generic')?.active, !csum);
  assert.equal(flipped.get('rx-gro')?.requested, !gro);
  assert.equal(value<number>(fixed) & ETHTOOL_F.UNSUPPORTED, ETHTOOL_F.UNSUPPORTED);
  assert.equal(feats(r2).get('rx-vlan-filter')?.active, false, 'a fixed feature keeps its state');
  assert.equal(value<number>(restore) & ETHTOOL_F.UNSUPPORTED, 0);
  const back = feats(r3);
  assert.equal(back.get('rx-gro')?.active, gro);
  assert.equal(back.get('tx-checksum-ip-generic')?.active, csum);
  // Seen from outside the process: flip, look with ethtool, flip back, look again.
  ns.runNic(VA, [{ call: 'setFeatures', args: [{ 'rx-gro': !gro }] }]);
  assert.equal(features(nsEthtool('-k', VA)).get('generic-receive-offload')?.on, !gro);
  ns.runNic(VA, [{ call: 'setFeatures', args: [{ 'rx-gro': gro }] }]);
  assert.equal(features(nsEthtool('-k', VA)).get('generic-receive-offload')?.on, gro);
});

test('veth: channels round-trip, ethtool -l agrees, beyond max is EINVAL naming veth', () => {
  const [c0] = ns.runNic(VA, [{ call: 'channels' }]);
  const ch = value<Channels>(c0);
  assert.ok(ch.max_rx >= 2, `veth offers ${ch.max_rx} rx channels: need 2 CPUs`);
  const [set, c1, bad, c2] = ns.runNic(VA, [
    { call: 'setChannels', args: [{ rx_count: 2 }] },
    { call: 'channels' },
    { call: 'setChannels', args: [{ rx_count: ch.max_rx + 1 }] },
    { call: 'channels' },
  ]);
  value(set);
  assert.equal(value<Channels>(c1).rx_count, 2);
  compareChannels(value<Channels>(c1), nsEthtool('-l', VA));
  assert.ok('error' in bad);
  assert.equal(bad.error.kind, 'invalid');
  assert.equal(bad.error.op, 'SCHANNELS');
  assert.match(bad.error.message, new RegExp(`^${VA}: set channels: invalid argument \\(value rejected by driver veth\\)$`));
  assert.deepEqual(value(c2), value(c1), 'a rejected change leaves the channels as they were');
  ns.runNic(VA, [{ call: 'setChannels', args: [{ rx_count: ch.rx_count }] }]);
  compareChannels(ch, nsEthtool('-l', VA));
});

test('veth: a StatsReader follows a channel change (names re-read, generation bumped); ethtool -S agrees', () => {
  const [c0] = ns.runNic(VA, [{ call: 'channels' }]);
  const ch = value<Channels>(c0);
  const res = ns.runNic(VA, [
    { reader: 'new' },
    { reader: 'read' },
    { exec: ['ethtool', '-L', VA, 'rx', String(ch.max_rx), 'tx', String(ch.max_tx)] },
    { reader: 'read' },
    { call: 'stats' },
  ]);
  type R = { names: string[]; generation: number; values: string[] };
  const first = value<R>(res[1]);
  assert.equal(value<{ status: number }>(res[2]).status, 0);
  const second = value<R>(res[3]);
  assert.equal(first.generation, 1);
  assert.equal(second.generation, 2);
  assert.ok(second.names.length > first.names.length, `${first.names.length} -> ${second.names.length} counters`);
  assert.equal(second.values.length, second.names.length);
  assert.ok(second.names.includes('rx_queue_1_xdp_packets'), 'per-queue counters of the new queue');
  const theirs = stats(nsEthtool('-S', VA));
  assert.deepEqual(second.names, theirs.map(([n]) => n));
  assert.deepEqual(value<{ name: string }[]>(res[4]).map(s => s.name), second.names);
  ns.runNic(VA, [{ exec: ['ethtool', '-L', VA, 'rx', String(ch.rx_count), 'tx', String(ch.tx_count)] }]);
});

test('guard page: a GSTATS reply larger than the buffer stops at the guard (EFAULT), nothing past it is written', () => {
  // n_stats 0 makes every kernel answer with all of its counters, whatever the buffer holds.
  const [r] = ns.runNic(VA, [{ raw: 'gstatsOverflow', nStats: 0 }]);
  const v = value<{ r: number; nStats: number; canaryIntact: boolean }>(r);
  assert.equal(v.r, -14, 'EFAULT');
  assert.ok(v.nStats > 0, 'the header carries the driver\'s count');
  assert.equal(v.canaryIntact, true);
});

test('veth: what the driver lacks is EOPNOTSUPP naming veth; ring agrees with ethtool -g', () => {
  const [msg, ring, reg] = ns.runNic(VA, [{ call: 'msglvl' }, { call: 'ring' }, { call: 'regs' }]);
  assert.ok('error' in msg);
  assert.equal(msg.error.kind, 'unsupported');
  assert.equal(msg.error.message, `${VA}: get message level: operation not supported by driver veth`);
  const g = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', '-g', VA], { encoding: 'utf8' });
  if ('error' in ring) {
    assert.equal(ring.error.kind, 'unsupported');
    assert.notEqual(g.status, 0, 'ethtool -g fails too');
  } else {
    assert.equal(g.status, 0);
    assert.equal(value<Ring>(ring).rx_max_pending, num(sections(g.stdout).max.get('RX'), 'max RX'));
  }
  assert.ok('error' in reg && reg.error.kind === 'unsupported');
});

test('tap: msglvl and coalesce round-trip; ethtool agrees', () => {
  const [m0, co0] = ns.runNic(TAP, [{ call: 'msglvl' }, { call: 'coalesce' }]);
  const level = value<number>(m0);
  assert.match(nsEthtool(TAP), new RegExp(`Current message level: 0x${level.toString(16).padStart(8, '0')} \\(${level}\\)`));
  compareCoalesce(value<Coalesce>(co0), nsEthtool('-c', TAP));
  const [setM, m1, setC, co1] = ns.runNic(TAP, [
    { call: 'setMsglvl', args: [0x7] },
    { call: 'msglvl' },
    { call: 'setCoalesce', args: [{ rx_max_coalesced_frames: 5 }] },
    { call: 'coalesce' },
  ]);
  value(setM);
  assert.equal(value<number>(m1), 0x7);
  assert.match(nsEthtool(TAP), /Current message level: 0x00000007 \(7\)/);
  value(setC);
  assert.equal(value<Coalesce>(co1).rx_max_coalesced_frames, 5);
  compareCoalesce(value<Coalesce>(co1), nsEthtool('-c', TAP));
  const [restore, m2] = ns.runNic(TAP, [{ call: 'setMsglvl', args: [level] }, { call: 'msglvl' }]);
  value(restore);
  assert.equal(value<number>(m2), level);
});
