/**
 * The exporter under Debian's real Prometheus server and beside its real node_exporter, on a veth
 * pair between two network namespaces with ping traffic. Everything runs inside namespace A (the
 * exporter, prometheus, node_exporter, on A's own loopback); the PromQL queries go through
 * Prometheus' HTTP API (/api/v1/query). The veth ends have GRO on and TSO/GSO off, so veth's own
 * per-queue counters (rx_queue_0_xdp_packets …) count the traffic.
 *
 * Also: a profile applied to the device is reported in sync (ethkit_profile_drift 0) until a
 * setting of it is changed behind its back; and every name node_exporter's ethtool collector
 * serves for the device is served by ethkit --no-fold-queues too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { Netns, requireTool, sh } from './helpers/netns';
import { parseExposition } from './helpers/exposition';

const ROOT = path.resolve(__dirname, '../..');
const ETHKIT = path.join(ROOT, 'bin/ethkit');
const EXPORTER_PORT = 9417, PROM_PORT = 9090, NODE_PORT = 9100;

interface World { a: Netns; b: Netns; tmp: string; procs: ChildProcess[] }

function setUp(): World {
  for (const [tool, pkg, args] of [['prometheus', 'prometheus', ['--version']], ['prometheus-node-exporter', 'prometheus-node-exporter', ['--version']],
    ['ping', 'iputils-ping', ['-V']], ['ethtool', 'ethtool', ['--version']]] as const) requireTool(tool, pkg, [...args]);
  const a = Netns.create('xa'), b = Netns.create('xb');
  const w: World = { a, b, tmp: fs.mkdtempSync(path.join(os.tmpdir(), 'ekexp-')), procs: [] };
  a.ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b.name);
  a.ip('addr', 'add', '10.231.7.1/24', 'dev', 'va');
  b.ip('addr', 'add', '10.231.7.2/24', 'dev', 'vb');
  a.ip('link', 'set', 'va', 'up');
  b.ip('link', 'set', 'vb', 'up');
  a.exec('ethtool', ['-K', 'va', 'gro', 'on', 'tso', 'off', 'gso', 'off']);
  b.exec('ethtool', ['-K', 'vb', 'gro', 'on', 'tso', 'off', 'gso', 'off']);
  return w;
}

function tearDown(w: World): void {
  for (const p of w.procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
  w.a.destroy();
  w.b.destroy();
  fs.rmSync(w.tmp, { recursive: true, force: true });
}

/** Start `cmd` inside `ns`; resolves once `ready` matches its output (stderr or stdout). */
function start(w: World, ns: Netns, name: string, cmd: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const p = spawn('ip', ['netns', 'exec', ns.name, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  w.procs.push(p);
  let seen = '';
  return new Promise((resolve, reject) => {
    const look = (d: Buffer): void => {
      seen += d.toString();
      if (seen.length > 200_000) seen = seen.slice(-100_000);
      if (ready.test(seen)) resolve(p);
    };
    p.stdout!.on('data', look);
    p.stderr!.on('data', look);
    p.on('exit', code => reject(new Error(`${name} exited ${code} before it was ready: ${seen.trim().split('\n').slice(-5).join(' | ')}`)));
  });
}

/** GET a URL from inside `ns` (its loopback is not the test's). */
function fetchIn(ns: Netns, url: string): string {
  const code = `fetch(${JSON.stringify(url)}).then(r => r.text()).then(t => process.stdout.write(t), e => { console.error(e.message); process.exit(1); })`;
  const r = spawnSync('ip', ['netns', 'exec', ns.name, process.execPath, '-e', code], { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`GET ${url} in ${ns.name}: ${r.stderr.trim()}`);
  return r.stdout;
}

interface PromResult { metric: Record<string, string>; value: [number, string] }

function promql(ns: Netns, query: string): PromResult[] {
  const body = JSON.parse(fetchIn(ns, `http://127.0.0.1:${PROM_PORT}/api/v1/query?query=${encodeURIComponent(query)}`)) as { status: string; data: { resultType: string; result: PromResult[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

/** Query until `ok` holds for the result (Prometheus scrapes every second); the last result when it never does. */
async function until(ns: Netns, query: string, ok: (r: PromResult[]) => boolean, tries = 90): Promise<PromResult[]> {
  let r: PromResult[] = [];
  for (let i = 0; i < tries; i++) {
    r = promql(ns, query);
    if (ok(r)) return r;
    await new Promise(res => setTimeout(res, 1000));
  }
  return r;
}

function ping(w: World): void {
  // 100 packets a second each way: enough for a rate, gentle on a shared machine.
  const p = spawn('ip', ['netns', 'exec', w.a.name, 'ping', '-q', '-i', '0.01', '10.231.7.2'], { stdio: 'ignore' });
  w.procs.push(p);
}

test('Prometheus scrapes the exporter in a namespace: series with the device label, non-zero rates, drift', async () => {
  const w = setUp();
  try {
    const state = path.join(w.tmp, 'state');
    // A profile applied to va: the exporter reports whether va still matches it.
    // gro=on (the director's default is off): veth counts per-queue packets on its NAPI path, which GRO turns on
    const apply = sh('ip', ['netns', 'exec', w.a.name, process.execPath, ETHKIT, '--apply', 'director', 'va', '--set', 'gro=on', '--yes', '--state-dir', state], { allowFail: true });
    assert.ok(apply.status === 0, `apply: ${apply.status} ${apply.stderr}`);
    await start(w, w.a, 'ethkit --exporter', process.execPath, [ETHKIT, '--exporter', '--listen', `127.0.0.1:${EXPORTER_PORT}`, '--state-dir', state], /serving \/metrics/);
    fs.writeFileSync(path.join(w.tmp, 'prometheus.yml'), [
      'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
      'scrape_configs:', '  - job_name: ethkit', '    static_configs:', `      - targets: ['127.0.0.1:${EXPORTER_PORT}']`, '',
    ].join('\n'));
    await start(w, w.a, 'prometheus', 'prometheus', [
      `--config.file=${path.join(w.tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(w.tmp, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${PROM_PORT}`, '--log.level=info',
    ], /Server is ready to receive web requests/);
    ping(w);

    const up = await until(w.a, 'up{job="ethkit"}', r => r.length === 1 && r[0].value[1] === '1');
    assert.equal(up[0]?.value[1], '1', `target up: ${JSON.stringify(up)}`);

    const info = await until(w.a, 'node_ethtool_info{device="va"}', r => r.length === 1);
    assert.equal(info.length, 1);
    assert.equal(info[0].metric.driver, 'veth');

    // veth's per-queue counter, one metric with a queue label, moving
    const rate = await until(w.a, 'rate(ethkit_queue_received_xdp_packets{device="va"}[5s]) > 0', r => r.length > 0);
    assert.equal(rate.length, 1, `rate: ${JSON.stringify(rate)}`);
    assert.equal(rate[0].metric.queue, '0');
    assert.ok(Number(rate[0].value[1]) > 0);
    const bytes = await until(w.a, 'sum by (device) (rate(ethkit_queue_received_xdp_bytes[5s])) > 0', r => r.length > 0);
    assert.deepEqual(bytes.map(r => r.metric.device), ['va']);

    assert.equal((await until(w.a, 'ethkit_link_up{device="va"}', r => r.length === 1))[0].value[1], '1');
    const errs = promql(w.a, 'sum(ethkit_scrape_error{device="va"})');
    assert.equal(errs[0]?.value[1], '0', 'no source of va failed');
    // no per-queue names anywhere
    const names = promql(w.a, 'count by (__name__) ({job="ethkit"})').map(r => r.metric.__name__);
    assert.ok(names.length > 10, names.join(' '));
    assert.deepEqual(names.filter(n => /_\d+_/.test(n) || /queue_\d/.test(n)), []);

    // the applied profile: in sync, then drift once rp_filter of va is changed behind its back
    const inSync = await until(w.a, 'ethkit_profile_drift{device="va"}', r => r.length === 1);
    assert.equal(inSync[0]?.metric.profile, 'director');
    assert.equal(inSync[0]?.value[1], '0', 'va matches the profile just applied');
    w.a.exec('sysctl', ['-q', '-w', 'net.ipv4.conf.va.rp_filter=0']);
    const drift = await until(w.a, 'ethkit_profile_drift{device="va"} > 0', r => r.length === 1);
    assert.equal(drift[0]?.value[1], '1', `drift: ${JSON.stringify(drift)}`);
  } finally {
    tearDown(w);
  }
});

test("every name node_exporter's ethtool collector serves for a veth, ethkit serves too (--no-fold-queues)", async () => {
  const w = setUp();
  try {
    ping(w);
    await start(w, w.a, 'prometheus-node-exporter', 'prometheus-node-exporter', [
      '--collector.disable-defaults', '--collector.ethtool', '--collector.ethtool.device-include=^va$', `--web.listen-address=127.0.0.1:${NODE_PORT}`,
    ], /Listening on/);
    const ne = parseExposition(fetchIn(w.a, `http://127.0.0.1:${NODE_PORT}/metrics`)).series.filter(s => /^node_(ethtool|network)_/.test(s.name));
    const r = sh('ip', ['netns', 'exec', w.a.name, process.execPath, ETHKIT, '--exporter', '--textfile', '-', '--no-fold-queues', '--no-profile-drift', 'va']);
    const ek = parseExposition(r.stdout).series;
    const key = (s: { name: string; labels: Record<string, string> }): string => `${s.name}${JSON.stringify(Object.fromEntries(Object.entries(s.labels).sort()))}`;
    const ours = new Set(ek.map(key));
    assert.ok(ne.length >= 8, `node_exporter served ${ne.length} series for va`);
    assert.deepEqual(ne.map(key).filter(k => !ours.has(k)), []);
    // a value that does not move under traffic is the same in both
    const peer = (xs: typeof ek) => xs.find(s => s.name === 'node_ethtool_peer_ifindex')?.value;
    assert.equal(peer(ek), peer(ne));
    assert.ok(peer(ek)! > 0);
  } finally {
    tearDown(w);
  }
});
