/**
 * The exporter on the simulated NIC: metric names as node_exporter's ethtool collector makes them
 * (its own test cases and fixture), per-queue folding on real drivers' stat names, the settings
 * gauges, filters, per-source scrape errors, the textfile and HTTP modes, and bad command lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../src/app/run';
import { main as exporterMain } from '../src/export/index';
import { ethtoolStatMetric, queueMetric, standardStatMetric, sanitize } from '../src/export/names';
import { statSlots } from '../src/export/collect';
import { queueBlocks } from '../src/common/queues';
import { ETHTOOL } from '../src/ethtool/constants';
import { ERRNO } from '../src/ethtool/errno';
import { SimTransport, simDevice, SimDevice } from './doubles/sim';
import { parseExposition, sample, Series } from './helpers/exposition';
import type { Sink } from '../src/common/io';

function sink(into: string[]): Sink {
  return { write: c => { into.push(typeof c === 'string' ? c : Buffer.from(c).toString()); } };
}

async function scrape(devs: SimDevice[], args: string[], t = new SimTransport(devs)): Promise<{ code: number; out: string; err: string; series: Series[]; types: Map<string, string> }> {
  const out: string[] = [], err: string[] = [];
  const code = await run(['--exporter', '--textfile', '-', '--no-profile-drift', ...args], { transport: t, stdout: sink(out), stderr: sink(err) });
  const text = out.join('');
  const parsed = code === 0 ? parseExposition(text) : { series: [], types: new Map<string, string>() };
  return { code, out: text, err: err.join(''), ...parsed };
}

// ---- names ----------------------------------------------------------------------------------

test("driver stat names: node_exporter's own test cases of buildEthtoolFQName, and its seven _total names", () => {
  const cases: Record<string, string> = {
    'port.rx_errors': 'node_ethtool_port_received_errors',
    'Queue[0] AllocFails': 'node_ethtool_queue_0_allocfails',
    'Tx LPI entry count': 'node_ethtool_transmitted_lpi_entry_count',
    'port.VF_admin_queue_requests': 'node_ethtool_port_vf_admin_queue_requests',
    '[3]: tx_bytes': 'node_ethtool_3_transmitted_bytes',
    '     err': 'node_ethtool_err',
    // seen from Debian's prometheus-node-exporter 1.5 on virtio_net: one pass per direction word
    tx_tx_timeouts: 'node_ethtool_transmitted_tx_timeouts',
    rx0_xdp_tx: 'node_ethtool_rx0_xdp_transmitted',
    rx_bytes: 'node_ethtool_received_bytes_total', rx_packets: 'node_ethtool_received_packets_total',
    rx_dropped: 'node_ethtool_received_dropped_total', rx_errors: 'node_ethtool_received_errors_total',
    tx_bytes: 'node_ethtool_transmitted_bytes_total', tx_packets: 'node_ethtool_transmitted_packets_total',
    tx_errors: 'node_ethtool_transmitted_errors_total',
    tx_dropped: 'node_ethtool_transmitted_dropped',
  };
  for (const [stat, want] of Object.entries(cases)) assert.equal(ethtoolStatMetric(stat), want, stat);
  assert.equal(ethtoolStatMetric('...'), null);
  assert.equal(sanitize('a.-b__c d'), 'a_b__c_d');
});

test("node_exporter's fixture eth0: every name it serves, and both names that sanitize alike dropped", () => {
  const stats = ['tx_packets', 'rx_packets', 'tx_errors', 'rx_errors', 'port.rx_dropped', 'rx_missed', 'align_errors',
    'tx_single_collisions', 'tx_multi_collisions', 'rx_unicast', 'rx_broadcast', 'rx_multicast', 'tx_aborted', 'tx_underrun',
    'duplicate metric', 'duplicate_metric'];
  const names = statSlots('eth0', stats, true).map(s => s?.name ?? null);
  assert.deepEqual(names, [
    'node_ethtool_transmitted_packets_total', 'node_ethtool_received_packets_total', 'node_ethtool_transmitted_errors_total',
    'node_ethtool_received_errors_total', 'node_ethtool_port_received_dropped', 'node_ethtool_received_missed',
    'node_ethtool_align_errors', 'node_ethtool_transmitted_single_collisions', 'node_ethtool_transmitted_multi_collisions',
    'node_ethtool_received_unicast', 'node_ethtool_received_broadcast', 'node_ethtool_received_multicast',
    'node_ethtool_transmitted_aborted', 'node_ethtool_transmitted_underrun', null, null,
  ]);
});

test('standard statistics and queue metric names', () => {
  assert.equal(standardStatMetric('eth-mac', 'FramesTransmittedOK'), 'ethkit_eth_mac_frames_transmitted_ok_total');
  assert.equal(standardStatMetric('eth-mac', 'FrameCheckSequenceErrors'), 'ethkit_eth_mac_frame_check_sequence_errors_total');
  assert.equal(standardStatMetric('eth-ctrl', 'MACControlFramesTransmitted'), 'ethkit_eth_ctrl_mac_control_frames_transmitted_total');
  assert.equal(standardStatMetric('rmon', 'etherStatsUndersizePkts'), 'ethkit_rmon_ether_stats_undersize_pkts_total');
  assert.equal(queueMetric('rx', 'xdp_packets'), 'ethkit_queue_received_xdp_packets');
  assert.equal(queueMetric('tx', 'xdp_tx_drops'), 'ethkit_queue_transmitted_xdp_transmitted_drops');
});

// ---- queue folding on real drivers' names ----------------------------------------------------

function folded(names: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  statSlots('d', names, true).forEach((s, i) => { o[names[i]] = s ? `${s.name}${s.labels.queue !== undefined ? `{queue=${s.labels.queue}}` : ''}` : '-'; });
  return o;
}

test('per-queue stats fold into one metric with a queue label: veth, virtio_net (both schemes), i40e, bnx2x', () => {
  // veth (ethtool -S of a veth, Linux 6.x)
  assert.deepEqual(folded(['peer_ifindex', 'rx_queue_0_xdp_packets', 'rx_queue_0_xdp_bytes', 'rx_queue_0_drops', 'tx_queue_0_xdp_xmit',
    'rx_queue_1_xdp_packets', 'rx_queue_1_xdp_bytes', 'rx_queue_1_drops', 'tx_queue_1_xdp_xmit']), {
    peer_ifindex: 'node_ethtool_peer_ifindex',
    rx_queue_0_xdp_packets: 'ethkit_queue_received_xdp_packets{queue=0}', rx_queue_1_xdp_packets: 'ethkit_queue_received_xdp_packets{queue=1}',
    rx_queue_0_xdp_bytes: 'ethkit_queue_received_xdp_bytes{queue=0}', rx_queue_1_xdp_bytes: 'ethkit_queue_received_xdp_bytes{queue=1}',
    rx_queue_0_drops: 'ethkit_queue_received_drops{queue=0}', rx_queue_1_drops: 'ethkit_queue_received_drops{queue=1}',
    tx_queue_0_xdp_xmit: 'ethkit_queue_transmitted_xdp_xmit{queue=0}', tx_queue_1_xdp_xmit: 'ethkit_queue_transmitted_xdp_xmit{queue=1}',
  });
  // virtio_net on Linux 6.18 (device totals, then rxN_/txN_) and on 6.1 (rx_queue_N_)
  const v618 = folded(['rx_drops', 'rx_kicks', 'tx_kicks', 'tx_tx_timeouts', 'rx0_drops', 'rx0_kicks', 'tx0_kicks', 'tx0_tx_timeouts', 'rx1_kicks', 'tx1_kicks']);
  assert.equal(v618.rx_kicks, 'node_ethtool_received_kicks');
  assert.equal(v618.tx_tx_timeouts, 'node_ethtool_transmitted_tx_timeouts');
  assert.equal(v618.rx1_kicks, 'ethkit_queue_received_kicks{queue=1}');
  assert.equal(v618.tx0_tx_timeouts, 'ethkit_queue_transmitted_timeouts{queue=0}');
  const v61 = folded(['rx_queue_0_packets', 'rx_queue_0_bytes', 'tx_queue_0_packets', 'tx_queue_0_tx_timeouts']);
  assert.equal(v61.rx_queue_0_packets, 'ethkit_queue_received_packets{queue=0}');
  assert.equal(v61.tx_queue_0_tx_timeouts, 'ethkit_queue_transmitted_timeouts{queue=0}');
  // i40e and bnx2x name schemes; size buckets are not queues
  const i40e = folded(['tx-0.tx_packets', 'rx-0.rx_bytes', 'tx-1.tx_packets', 'rx-1.rx_bytes', 'port.rx_size_64', 'port.rx_size_127']);
  assert.equal(i40e['tx-1.tx_packets'], 'ethkit_queue_transmitted_packets{queue=1}');
  assert.equal(i40e['rx-0.rx_bytes'], 'ethkit_queue_received_bytes{queue=0}');
  assert.equal(i40e['port.rx_size_64'], 'node_ethtool_port_received_size_64');
  assert.equal(folded(['[0]: rx_bytes', '[1]: rx_bytes'])['[1]: rx_bytes'], 'ethkit_queue_received_bytes{queue=1}');
  // flat, as node_exporter names them, with --no-fold-queues
  const flat = statSlots('d', ['rx_queue_0_xdp_packets', 'tx0_kicks'], false).map(s => s!.name);
  assert.deepEqual(flat, ['node_ethtool_received_queue_0_xdp_packets', 'node_ethtool_tx0_kicks']);
});

/** vmxnet3's -S names (Linux 6.1, read in the rig), for `queues` queues of each direction. */
function vmxnet3Names(queues: number): string[] {
  const tx = ['  TSO pkts tx', '  TSO bytes tx', '  ucast pkts tx', '  pkts tx err', '  drv dropped tx total', '     too many frags', '     giant hdr', '  ring full', '  giant hdr'];
  const rx = ['  LRO pkts rx', '  ucast pkts rx', '  pkts rx OOB', '  drv dropped rx total', '     err', '     fcs', '  rx buf alloc fail'];
  const out: string[] = [];
  for (let q = 0; q < queues; q++) out.push('Tx Queue#', ...tx);
  for (let q = 0; q < queues; q++) out.push('Rx Queue#', ...rx);
  out.push('tx timeout count');
  return out;
}

test('vmxnet3: the same names repeated per queue under "Tx Queue#"/"Rx Queue#" fold by block (node_exporter keeps only the last queue of each)', () => {
  const names = vmxnet3Names(2);
  const blocks = queueBlocks(names);
  assert.equal(blocks.size, 2 * 9 + 2 * 7);
  const slots = statSlots('eth0', names, true);
  const by = (i: number) => slots[i] && `${slots[i]!.name}{queue=${slots[i]!.labels.queue}}`;
  assert.equal(slots[0], null, 'the marker (its value is the queue number) is not a counter');
  assert.equal(by(1), 'ethkit_queue_transmitted_tso_pkts{queue=0}');
  assert.equal(by(11), 'ethkit_queue_transmitted_tso_pkts{queue=1}');
  assert.equal(by(4), 'ethkit_queue_transmitted_pkts_err{queue=0}');
  assert.equal(by(6), 'ethkit_queue_transmitted_drv_dropped_total_too_many_frags{queue=0}');
  assert.equal(by(7), 'ethkit_queue_transmitted_drv_dropped_total_giant_hdr{queue=0}');
  assert.equal(by(9), 'ethkit_queue_transmitted_giant_hdr{queue=0}');
  assert.equal(by(21), 'ethkit_queue_received_lro_pkts{queue=0}');
  assert.equal(by(29), 'ethkit_queue_received_lro_pkts{queue=1}');
  assert.equal(by(25), 'ethkit_queue_received_drv_dropped_total_err{queue=0}');
  assert.equal(slots[names.length - 1]?.name, 'node_ethtool_transmitted_timeout_count', 'after the blocks, a device counter again');
  // all labels sets unique
  const keys = slots.filter(Boolean).map(s => `${s!.name}${JSON.stringify(s!.labels)}`);
  assert.equal(new Set(keys).size, keys.length);
  // node_exporter's naming of the same table: one series per repeated name (the last queue's value,
  // as its ethtool library keeps the last of a name), and the two "giant hdr" of a block (indented
  // differently) dropped, as they sanitize alike
  const flat = statSlots('eth0', names, false);
  const served = flat.map((x, i) => (x ? `${i} ${x.name}` : null)).filter(Boolean);
  assert.deepEqual(served, [
    '10 node_ethtool_transmitted_queue_', '11 node_ethtool_tso_pkts_transmitted', '12 node_ethtool_tso_bytes_transmitted',
    '13 node_ethtool_ucast_pkts_transmitted', '14 node_ethtool_pkts_transmitted_err', '15 node_ethtool_drv_dropped_transmitted_total',
    '16 node_ethtool_too_many_frags', '18 node_ethtool_ring_full',
    '28 node_ethtool_received_queue_', '29 node_ethtool_lro_pkts_received', '30 node_ethtool_ucast_pkts_received',
    '31 node_ethtool_pkts_received_oob', '32 node_ethtool_drv_dropped_received_total', '33 node_ethtool_err', '34 node_ethtool_fcs',
    '35 node_ethtool_received_buf_alloc_fail', '36 node_ethtool_transmitted_timeout_count',
  ]);
  assert.equal(flat[1], null, 'queue 0 of TSO pkts tx is hidden by queue 1');
});

// ---- a scrape of the simulated NIC -----------------------------------------------------------

test('a scrape of two simulated NICs: info, stats, folded queues, ring/channel/coalesce/pause gauges, types', async () => {
  const a = simDevice('sim0', { queues: 4 }), b = simDevice('sim1', { queues: 2, driver: 'othernic' });
  a.stats.find(s => s.name === 'rx_packets')!.value = 1234n;
  a.stats.find(s => s.name === 'rx_queue_3_bytes')!.value = 777n;
  a.coalesce!.rx_coalesce_usecs = 50;
  const r = await scrape([a, b], ['sim0', 'sim1']);
  assert.equal(r.code, 0, r.err);
  const s = r.series;
  assert.equal(sample(s, 'node_ethtool_info', { device: 'sim0' }), 1);
  assert.deepEqual(s.find(x => x.name === 'node_ethtool_info' && x.labels.device === 'sim1')!.labels,
    { bus_info: '0000:00:10.0', device: 'sim1', driver: 'othernic', expansion_rom_version: '', firmware_version: '', version: '1.0' });
  assert.equal(sample(s, 'node_ethtool_received_packets_total', { device: 'sim0' }), 1234);
  assert.equal(sample(s, 'ethkit_queue_received_bytes', { device: 'sim0', queue: '3' }), 777);
  assert.equal(s.filter(x => x.name === 'ethkit_queue_received_bytes' && x.labels.device === 'sim1').length, 2);
  assert.equal(s.filter(x => /queue_\d/.test(x.name)).length, 0, 'no per-queue names');
  assert.equal(sample(s, 'ethkit_ring_entries', { device: 'sim0', ring: 'rx' }), 256);
  assert.equal(sample(s, 'ethkit_ring_max_entries', { device: 'sim0', ring: 'tx' }), 4096);
  assert.equal(sample(s, 'ethkit_ring_entries', { device: 'sim0', ring: 'rx-mini' }), undefined, 'a ring the driver has not (max 0)');
  assert.equal(sample(s, 'ethkit_channels', { device: 'sim0', type: 'combined' }), 4);
  assert.equal(sample(s, 'ethkit_channels_max', { device: 'sim1', type: 'combined' }), 8);
  assert.equal(sample(s, 'ethkit_coalesce_rx_usecs', { device: 'sim0' }), 50);
  assert.equal(sample(s, 'ethkit_coalesce_adaptive_rx', { device: 'sim0' }), 0);
  assert.equal(sample(s, 'ethkit_pause_enabled', { device: 'sim0', direction: 'rx' }), 1);
  assert.equal(sample(s, 'ethkit_link_up', { device: 'sim1' }), 1);
  for (const src of ['info', 'link', 'stats', 'ring', 'channels', 'coalesce', 'pause']) assert.equal(sample(s, 'ethkit_scrape_error', { device: 'sim0', source: src }), 0, src);
  assert.equal(sample(s, 'ethkit_scrape_devices'), 2);
  assert.equal(r.types.get('node_ethtool_received_packets_total'), 'untyped');
  assert.equal(r.types.get('ethkit_queue_received_bytes'), 'untyped');
  assert.equal(r.types.get('node_ethtool_info'), 'gauge');
  // every sample line is one of a declared family, every name valid
  for (const x of s) assert.ok(r.types.has(x.name), x.name);
});

test('a failing source is a scrape error of its device; the rest of the scrape is served', async () => {
  const a = simDevice('sim0'), b = simDevice('sim1');
  const t = new SimTransport([a, b]);
  t.injector = (ifname, cmd) => (ifname === 'sim0' && cmd === ETHTOOL.GSTATS ? ERRNO.EIO : ifname === 'sim1' && cmd === ETHTOOL.GRINGPARAM ? ERRNO.EOPNOTSUPP : undefined);
  const r = await scrape([a, b], ['sim0', 'sim1', 'gone0'], t);
  assert.equal(r.code, 0, r.err);
  assert.equal(sample(r.series, 'ethkit_scrape_error', { device: 'sim0', source: 'stats' }), 1);
  assert.equal(sample(r.series, 'node_ethtool_received_packets_total', { device: 'sim0' }), undefined);
  assert.equal(sample(r.series, 'node_ethtool_received_packets_total', { device: 'sim1' }), 0);
  assert.equal(sample(r.series, 'ethkit_ring_entries', { device: 'sim0', ring: 'rx' }), 256);
  assert.equal(sample(r.series, 'ethkit_scrape_error', { device: 'sim1', source: 'ring' }), 0, 'not supported is not an error');
  assert.equal(sample(r.series, 'ethkit_ring_entries', { device: 'sim1', ring: 'rx' }), undefined);
  assert.equal(sample(r.series, 'ethkit_scrape_error', { device: 'gone0', source: 'info' }), 1, 'a device that is not there (ENODEV)');
});

test('device and metric include/exclude patterns; --no-fold-queues', async () => {
  const devs = () => [simDevice('eth1'), simDevice('eth2'), simDevice('veth9')];
  let r = await scrape(devs(), ['eth1', 'eth2', 'veth9', '--device-include', '^eth', '--device-exclude', '2$']);
  assert.deepEqual([...new Set(r.series.filter(x => x.labels.device).map(x => x.labels.device))], ['eth1']);
  r = await scrape(devs(), ['eth1', '--metric-include', '^(node_ethtool|ethkit_queue)_', '--metric-exclude', 'bytes']);
  const names = new Set(r.series.map(x => x.name));
  assert.ok(names.has('node_ethtool_received_packets_total') && names.has('ethkit_queue_received_packets'));
  assert.ok(![...names].some(n => n.includes('bytes') || n.startsWith('ethkit_ring')), [...names].join(' '));
  r = await scrape(devs(), ['eth1', '--no-fold-queues', '--metric-include', 'queue']);
  assert.equal(sample(r.series, 'node_ethtool_received_queue_2_packets', { device: 'eth1' }), 0);
  assert.equal(r.series.filter(x => x.name.startsWith('ethkit_queue_')).length, 0);
});

test('stat names read once per device, again when the driver\'s count changes', async () => {
  const a = simDevice('sim0', { queues: 2 });
  const t = new SimTransport([a]);
  const out: string[] = [];
  const ac = new AbortController();
  // periodic textfile mode on stdout, two scrapes, the NIC growing queues in between
  let n = 0;
  const stdout: Sink = { write: c => { out.push(String(c)); if (++n === 1) { a.stats.push({ name: 'rx_queue_2_packets', value: 5n }, { name: 'rx_queue_3_packets', value: 6n }); } else ac.abort(); } };
  const code = await exporterMain(['--exporter', '--textfile', '-', '--interval', '1', '--no-profile-drift', 'sim0'], { stdout, stderr: sink([]), terminal: false, transport: t, env: {} }, {}, ac.signal);
  assert.equal(code, 0);
  assert.equal(out.length, 2);
  const gstrings = t.log.filter(l => l.cmd === ETHTOOL.GSTRINGS).length;
  const second = parseExposition(out[1]).series;
  assert.equal(sample(second, 'ethkit_queue_received_packets', { device: 'sim0', queue: '3' }), 6);
  assert.equal(sample(parseExposition(out[0]).series, 'ethkit_queue_received_packets', { device: 'sim0', queue: '3' }), undefined);
  assert.ok(gstrings <= 3, `${gstrings} GSTRINGS for two scrapes with one change of names`);
});

// ---- textfile and HTTP -----------------------------------------------------------------------

test('--textfile writes the whole file under its name by rename, nothing left beside it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekexp-'));
  try {
    const file = path.join(dir, 'ethkit.prom');
    const err: string[] = [];
    const code = await run(['--exporter', '--textfile', file, '--no-profile-drift', 'sim0'], { transport: new SimTransport([simDevice('sim0')]), stdout: sink([]), stderr: sink(err) });
    assert.equal(code, 0, err.join(''));
    assert.deepEqual(fs.readdirSync(dir), ['ethkit.prom']);
    const { series } = parseExposition(fs.readFileSync(file, 'utf8'));
    assert.equal(sample(series, 'node_ethtool_info', { device: 'sim0' }), 1);
    // a directory that is not there: one line, exit 1
    const err2: string[] = [];
    const code2 = await run(['--exporter', '--textfile', path.join(dir, 'no/such/x.prom'), '--no-profile-drift', 'sim0'], { transport: new SimTransport([simDevice('sim0')]), stdout: sink([]), stderr: sink(err2) });
    assert.equal(code2, 1);
    assert.match(err2.join(''), /^ethkit --exporter: cannot write .*x\.prom: ENOENT\n$/);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('HTTP: /metrics in the text format, / a page, other paths 404, other methods 405; stops on its signal', async () => {
  const err: string[] = [];
  const ac = new AbortController();
  const done = exporterMain(['--exporter', '--listen', '127.0.0.1:0', '--no-profile-drift', 'sim0'],
    { stdout: sink([]), stderr: sink(err), terminal: false, transport: new SimTransport([simDevice('sim0')]), env: {} }, {}, ac.signal);
  try {
    for (let i = 0; i < 100 && !err.join('').includes('serving'); i++) await new Promise(r => setTimeout(r, 20));
    const m = /serving \/metrics on 127\.0\.0\.1:(\d+)/.exec(err.join(''));
    assert.ok(m, err.join(''));
    const base = `http://127.0.0.1:${m[1]}`;
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(sample(parseExposition(await res.text()).series, 'ethkit_channels', { device: 'sim0', type: 'combined' }), 4);
    assert.equal((await fetch(`${base}/`)).status, 200);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
    // concurrent scrapes are all answered
    const all = await Promise.all([1, 2, 3].map(() => fetch(`${base}/metrics`).then(r => r.status)));
    assert.deepEqual(all, [200, 200, 200]);
  } finally {
    ac.abort();
  }
  assert.equal(await done, 0);
});

test('a port in use: one line, exit 1', async () => {
  const net = await import('node:net');
  const srv = net.createServer();
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  try {
    const err: string[] = [];
    const code = await run(['--exporter', '--listen', `127.0.0.1:${port}`, 'sim0'], { transport: new SimTransport([simDevice('sim0')]), stdout: sink([]), stderr: sink(err) });
    assert.equal(code, 1);
    assert.equal(err.join(''), `ethkit --exporter: cannot listen on 127.0.0.1:${port}: address already in use\n`);
  } finally { srv.close(); }
});

test('bad command lines: one line and the hint, exit 1', async () => {
  const cases: [string[], string][] = [
    [['--bogus'], 'unknown option --bogus'],
    [['--listen', 'x:y'], '--listen x:y: expected [HOST]:PORT (such as :9417 or 127.0.0.1:9417)'],
    [['--listen', ':70000'], '--listen :70000: expected [HOST]:PORT (such as :9417 or 127.0.0.1:9417)'],
    [['--device-include', '('], '--device-include (: not a regular expression (/(/: Unterminated group)'],
    [['--textfile', '/tmp/x.txt'], "--textfile /tmp/x.txt: the name must end in .prom (node_exporter's textfile collector reads only *.prom)"],
    [['--interval', '5'], '--interval is for --textfile (HTTP scrapes are driven by Prometheus)'],
    [['--textfile', '-', '--interval', '0'], '--interval 0: expected a whole number of seconds from 1 to 86400'],
    [['--textfile', '-', '--listen', ':1'], '--listen and --textfile: choose one (HTTP or textfile)'],
    [['--listen'], '--listen needs a value'],
    [['sim0', 'sim0'], 'device sim0 named twice'],
  ];
  for (const [args, msg] of cases) {
    const err: string[] = [], out: string[] = [];
    const code = await run(['--exporter', ...args], { transport: new SimTransport([simDevice('sim0')]), stdout: sink(out), stderr: sink(err) });
    assert.equal(code, 1, args.join(' '));
    assert.equal(err.join(''), `ethkit --exporter: ${msg}\nRun ethkit --exporter --help for the options.\n`, args.join(' '));
    assert.equal(out.join(''), '');
  }
  const out: string[] = [];
  assert.equal(await run(['--exporter', '--help'], { transport: new SimTransport([]), stdout: sink(out), stderr: sink([]) }), 0);
  assert.match(out.join(''), /^Usage:\n  ethkit --exporter/);
});

test('the drift check the program lends is served per device and profile', async () => {
  const out: string[] = [];
  const code = await exporterMain(['--exporter', '--textfile', '-', 'sim0', 'sim1'],
    { stdout: sink(out), stderr: sink([]), terminal: false, transport: new SimTransport([simDevice('sim0'), simDevice('sim1')]), env: {} },
    { drift: () => dev => (dev === 'sim0' ? { profile: 'director', drift: 2, ok: 7, skipped: 3 } : null) });
  assert.equal(code, 0);
  const { series } = parseExposition(out.join(''));
  assert.equal(sample(series, 'ethkit_profile_drift', { device: 'sim0', profile: 'director' }), 2);
  assert.equal(sample(series, 'ethkit_profile_settings_ok', { device: 'sim0' }), 7);
  assert.equal(series.filter(s => s.name.startsWith('ethkit_profile') && s.labels.device === 'sim1').length, 0, 'no profile applied: no series');
  assert.equal(sample(series, 'ethkit_scrape_error', { device: 'sim1', source: 'profile' }), 0);
});
