/**
 * The client against the real kernel, read-only on eth0 (the machine's only link: nothing
 * here changes it). Every value is compared with an independent oracle: ethtool 6.1's text
 * output (which on this kernel comes over its own netlink code), iproute2's `genl` for the
 * family, and ethtool's stderr for the errors.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Attrs, Bitset, EthtoolNetlink, ETH_SS, ethtoolErrorLines } from '../src/ethtool/netlink';
import { keyValues, sections } from './helpers/ethtool-text';
import { requireTool } from './helpers/netns';

const DEV = 'eth0';
requireTool('ethtool', 'ethtool');

function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function ethtool(...args: string[]): string {
  const r = run('ethtool', args);
  if (r.status !== 0) throw new Error(`ethtool ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const nl = EthtoolNetlink.open();
after(() => nl.close());

function get(msg: Parameters<EthtoolNetlink['get']>[0], hdr = {}): Attrs {
  const r = nl.get(msg, DEV, {}, hdr);
  if (!r.ok) throw new Error(`${msg} ${DEV}: errno ${r.errno} ${r.extack?.message ?? ''}`);
  assert.equal(r.replies.length, 1);
  assert.equal((r.replies[0].attrs.header as Attrs).dev_name, DEV);
  return r.replies[0].attrs;
}

/** ethtool prints n/a for a value the kernel left out. */
function same(what: string, ours: unknown, theirs: string | number | undefined): void {
  if (theirs === undefined) throw new Error(`${what}: ethtool printed no value`);
  if (theirs === 'n/a' || Number.isNaN(theirs)) assert.equal(ours, undefined, `${what}: ethtool says n/a`);
  else assert.equal(ours, Number(theirs), what);
}

test('family: id, version, operations and the monitor group as `genl ctrl get` lists them', () => {
  requireTool('genl', 'iproute2', ['-V']);
  const out = run('genl', ['ctrl', 'get', 'name', 'ethtool']).stdout;
  const id = /ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)/.exec(out);
  assert.ok(id, `genl printed no family id:\n${out}`);
  assert.equal(nl.family.id, Number(id[1]));
  assert.equal(nl.family.version, Number(id[2]));
  const cmds = out.slice(out.indexOf('commands supported'), out.indexOf('multicast groups'));
  const ops = [...cmds.matchAll(/ID-(0x[0-9a-f]+)/g)].map(m => Number(m[1])).sort((a, b) => a - b);
  assert.deepEqual([...nl.family.ops.keys()].sort((a, b) => a - b), ops);
  const grp = /ID-(0x[0-9a-f]+)\s+name: monitor/.exec(out);
  assert.ok(grp);
  assert.equal(nl.monitorGroup, Number(grp[1]));
  for (const m of ['STRSET_GET', 'RINGS_GET', 'FEATURES_SET', 'PSE_SET'] as const) assert.ok(nl.has(m), m);
  assert.equal(nl.has('RINGS_SET', 'dump'), false);
});

test('LINKINFO, LINKMODES, LINKSTATE vs `ethtool eth0`', () => {
  const kv = keyValues(ethtool(DEV));
  const li = get('LINKINFO_GET');
  const lm = get('LINKMODES_GET');
  const ls = get('LINKSTATE_GET');
  const PORTS: Record<number, string> = { 0: 'Twisted Pair', 1: 'AUI', 2: 'BNC', 3: 'MII', 4: 'FIBRE', 5: 'Direct Attach Copper', 0xef: 'None', 0xff: 'Other' };
  assert.equal(PORTS[li.port as number], kv.get('Port'));
  assert.equal(String(li.phyaddr), kv.get('PHYAD'));
  assert.equal(li.transceiver === 0 ? 'internal' : 'external', kv.get('Transceiver'));
  assert.equal(ls.link === 1 ? 'yes' : 'no', kv.get('Link detected'));
  assert.equal(lm.autoneg === 1 ? 'on' : 'off', kv.get('Auto-negotiation'));
  const speed = lm.speed as number;
  assert.equal(speed === 0xffffffff || speed === 0 ? 'Unknown!' : `${speed}Mb/s`, kv.get('Speed'));
  const duplex = lm.duplex as number;
  assert.equal(duplex === 0 ? 'Half' : duplex === 1 ? 'Full' : `Unknown! (${duplex})`, kv.get('Duplex'));
  const ours = lm.ours as Bitset;
  assert.ok(ours instanceof Bitset && ours.size > 90, 'LINKMODES_OURS is a bitset over every link mode');
  assert.equal(ours.indices().length === 0, /Not reported/.test(kv.get('Supported link modes') ?? ''));
});

test('RINGS vs `ethtool -g`', () => {
  const s = sections(ethtool('-g', DEV));
  assert.ok(s, 'ethtool -g printed no sections');
  const r = get('RINGS_GET');
  same('rx_max', r.rx_max, s.max.get('RX'));
  same('rx_mini_max', r.rx_mini_max, s.max.get('RX Mini'));
  same('rx_jumbo_max', r.rx_jumbo_max, s.max.get('RX Jumbo'));
  same('tx_max', r.tx_max, s.max.get('TX'));
  same('rx', r.rx, s.cur.get('RX'));
  same('rx_mini', r.rx_mini, s.cur.get('RX Mini'));
  same('rx_jumbo', r.rx_jumbo, s.cur.get('RX Jumbo'));
  same('tx', r.tx, s.cur.get('TX'));
  const kv = keyValues(ethtool('-g', DEV));
  same('rx_buf_len', r.rx_buf_len, kv.get('RX Buf Len'));
  same('cqe_size', r.cqe_size, kv.get('CQE Size'));
  assert.equal(r.tx_push === undefined ? 'n/a' : r.tx_push ? 'on' : 'off', kv.get('TX Push'));
});

test('CHANNELS vs `ethtool -l`', () => {
  const s = sections(ethtool('-l', DEV));
  assert.ok(s);
  const c = get('CHANNELS_GET');
  same('rx_max', c.rx_max, s.max.get('RX'));
  same('tx_max', c.tx_max, s.max.get('TX'));
  same('other_max', c.other_max, s.max.get('Other'));
  same('combined_max', c.combined_max, s.max.get('Combined'));
  same('rx_count', c.rx_count, s.cur.get('RX'));
  same('tx_count', c.tx_count, s.cur.get('TX'));
  same('other_count', c.other_count, s.cur.get('Other'));
  same('combined_count', c.combined_count, s.cur.get('Combined'));
});

test('COALESCE vs `ethtool -c`', () => {
  const text = ethtool('-c', DEV);
  const kv = keyValues(text);
  const c = get('COALESCE_GET');
  const KEYS: Record<string, string> = {
    'stats-block-usecs': 'stats_block_usecs', 'sample-interval': 'rate_sample_interval',
    'pkt-rate-low': 'pkt_rate_low', 'pkt-rate-high': 'pkt_rate_high',
    'rx-usecs': 'rx_usecs', 'rx-frames': 'rx_max_frames', 'rx-usecs-irq': 'rx_usecs_irq', 'rx-frames-irq': 'rx_max_frames_irq',
    'tx-usecs': 'tx_usecs', 'tx-frames': 'tx_max_frames', 'tx-usecs-irq': 'tx_usecs_irq', 'tx-frames-irq': 'tx_max_frames_irq',
    'rx-usecs-low': 'rx_usecs_low', 'rx-frame-low': 'rx_max_frames_low', 'tx-usecs-low': 'tx_usecs_low', 'tx-frame-low': 'tx_max_frames_low',
    'rx-usecs-high': 'rx_usecs_high', 'rx-frame-high': 'rx_max_frames_high', 'tx-usecs-high': 'tx_usecs_high', 'tx-frame-high': 'tx_max_frames_high',
  };
  for (const [k, name] of Object.entries(KEYS)) same(k, c[name], kv.get(k));
  const adaptive = /Adaptive RX: (\S+)\s+TX: (\S+)/.exec(text);
  assert.ok(adaptive);
  const onoff = (v: unknown): string => (v === undefined ? 'n/a' : v ? 'on' : 'off');
  assert.deepEqual([onoff(c.use_adaptive_rx), onoff(c.use_adaptive_tx)], [adaptive[1], adaptive[2]]);
});

test('FEATURES vs `ethtool -k`: on/off, [fixed] and [requested], verbose and compact alike', () => {
  const text = ethtool('-k', DEV);
  const verbose = get('FEATURES_GET');
  const compact = get('FEATURES_GET', { compact: true });
  const names = nl.stringSets(undefined, [ETH_SS.FEATURES]).get(ETH_SS.FEATURES);
  assert.ok(names && names.length > 50, 'the FEATURES string set');
  const hw = compact.hw as Bitset, wanted = compact.wanted as Bitset, active = compact.active as Bitset, nochange = compact.nochange as Bitset;
  // The verbose reply names the same bits the compact one sets.
  assert.deepEqual((verbose.active as Bitset).setNames(), active.setNames(names));
  assert.deepEqual((verbose.hw as Bitset).named(), hw.named(names));
  const lines = new Map<string, string>();
  for (const m of text.matchAll(/^\t?([a-z0-9_-]+): (on|off)( \[[a-z ]+\])?$/gm)) lines.set(m[1], `${m[2]}${m[3] ?? ''}`);
  let compared = 0;
  names.forEach((name, i) => {
    if (!name || !lines.has(name)) return;
    let suffix = '';
    if (!hw.test(i) || nochange.test(i)) suffix = ' [fixed]';
    else if (active.test(i) !== wanted.test(i)) suffix = wanted.test(i) ? ' [requested on]' : ' [requested off]';
    assert.equal(`${active.test(i) ? 'on' : 'off'}${suffix}`, lines.get(name), name);
    compared++;
  });
  assert.ok(compared > 40, `only ${compared} features compared`);
});

test('TSINFO vs `ethtool -T`', () => {
  const text = ethtool('-T', DEV);
  const t = get('TSINFO_GET');
  const caps = text.slice(text.indexOf('Capabilities:'), text.indexOf('PTP Hardware Clock')).split('\n').slice(1).map(l => l.trim()).filter(Boolean);
  assert.deepEqual((t.timestamping as Bitset).setNames(), caps);
  const phc = /PTP Hardware Clock: (\S+)/.exec(text)?.[1];
  assert.equal(t.phc_index === undefined || (t.phc_index as number) > 0x7fffffff ? 'none' : String(t.phc_index), phc);
  const tx = /Hardware Transmit Timestamp Modes:(.*)/.exec(text)?.[1].trim();
  assert.equal(tx === 'none', !t.tx_types || (t.tx_types as Bitset).indices().length === 0);
});

test('string sets: global ones without a device, FEATURES per device as the verbose reply names them', () => {
  const global = nl.stringSets(undefined, [ETH_SS.LINK_MODES, ETH_SS.SOF_TIMESTAMPING]);
  assert.equal(global.get(ETH_SS.LINK_MODES)?.[0], '10baseT/Half');
  assert.equal(global.get(ETH_SS.SOF_TIMESTAMPING)?.[0], 'hardware-transmit');
  const perDev = nl.stringSets(DEV, [ETH_SS.FEATURES]).get(ETH_SS.FEATURES)!;
  const hw = get('FEATURES_GET').hw as Bitset;
  for (const [i, name] of hw.names ?? []) assert.equal(perDev[i], name);
});

test('errors are those ethtool prints: EOPNOTSUPP, an extack message, ENODEV with an offset', () => {
  const cases: Array<[string[], Parameters<EthtoolNetlink['get']>[0], string]> = [
    [['-a', DEV], 'PAUSE_GET', DEV],
    [['--show-priv-flags', DEV], 'PRIVFLAGS_GET', DEV],
    [['--show-tunnels', DEV], 'TUNNEL_INFO_GET', DEV],
    [['-g', 'nosuchdev9'], 'RINGS_GET', 'nosuchdev9'],
  ];
  for (const [args, msg, dev] of cases) {
    const theirs = run('ethtool', args);
    assert.notEqual(theirs.status, 0);
    const r = nl.get(msg, dev);
    assert.ok(!r.ok, `${msg} ${dev} should fail`);
    if (r.ok) continue;
    assert.equal(r.source, 'kernel');
    assert.deepEqual(ethtoolErrorLines({ error: -r.errno, extack: r.extack }), theirs.stderr.trim().split('\n'), `ethtool ${args.join(' ')}`);
  }
  const nodev = nl.get('RINGS_GET', 'nosuchdev9');
  assert.ok(!nodev.ok && nodev.errno === 19);
  if (!nodev.ok) assert.deepEqual(nodev.offending, ['header', 'dev_name']);
});

test('a dump reaches the devices ethtool\'s wildcard dump shows', () => {
  const r = nl.dump('RINGS_GET');
  assert.ok(r.ok);
  const ours = r.replies.map(x => (x.attrs.header as Attrs).dev_name).sort();
  const theirs = [...ethtool('-g', '*').matchAll(/^Ring parameters for (\S+):$/gm)].map(m => m[1]).sort();
  assert.deepEqual(ours, theirs);
  assert.ok(ours.includes(DEV));
});
