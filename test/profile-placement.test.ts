/**
 * CPU placement (src/profiles/placement.ts): the CPUs local to the NIC's NUMA node by default,
 * all online CPUs when sysfs names no node (-1, or no file), `cpus: all` or a list; queue IRQs,
 * XPS, RPS, `channels: cpus` and the CPU-set sysctls (flow_limit_cpu_bitmap on the RX CPUs,
 * est_cpulist away from them) follow the set. Pure cases, then the simulated NIC with a fake
 * sysfs (SimHostFs) through the CLI: plan, apply, verify, rollback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfileFile } from '../src/profiles/load';
import { run, EXIT, resolveParams } from '../src/profiles/cli';
import { planProfile, sysctlPaths, Plan } from '../src/profiles/plan';
import { placeDevice, parseCpuChoice, cpusetValue, sysctlCmp } from '../src/profiles/placement';
import { readHost } from '../src/profiles/state';
import { normalize } from '../src/profiles/plan';
import { SimTransport, simDevice } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';

const ROOT = path.resolve(__dirname, '../..');
const director = loadProfileFile(path.join(ROOT, 'profiles/director.yaml'));

test('placeDevice: NUMA-local CPUs, -1 or no file -> all online, all, lists with offline CPUs', () => {
  const online = [0, 1, 2, 3, 4, 5, 6, 7];
  const local = parseCpuChoice('local')!;
  assert.deepEqual(placeDevice({ dev: 'a', numaNode: 1, localCpus: [4, 5, 6, 7] }, online, local), { cpus: [4, 5, 6, 7], how: 'local to NUMA node 1' });
  assert.deepEqual(placeDevice({ dev: 'a', numaNode: -1, localCpus: [0, 1, 2, 3, 4, 5, 6, 7] }, online, local).cpus, online);
  assert.match(placeDevice({ dev: 'a', numaNode: -1, localCpus: null }, online, local).how, /NUMA node is -1/);
  assert.match(placeDevice({ dev: 'veth0', numaNode: null, localCpus: null }, online, local).how, /has no NUMA node in sysfs/);
  // local CPUs that are offline are left out; none online: all online CPUs
  assert.deepEqual(placeDevice({ dev: 'a', numaNode: 1, localCpus: [6, 7, 8, 9] }, online, local).cpus, [6, 7]);
  assert.deepEqual(placeDevice({ dev: 'a', numaNode: 2, localCpus: [12, 13] }, online, local).cpus, online);
  assert.deepEqual(placeDevice({ dev: 'a', numaNode: 1, localCpus: [4, 5] }, online, parseCpuChoice('all')!).cpus, online);
  assert.deepEqual(placeDevice({ dev: 'a', numaNode: 1, localCpus: [4, 5] }, online, parseCpuChoice('0-1,9')!), { cpus: [0, 1], how: 'CPUs 0-1 (9 offline)' });
  assert.match(placeDevice({ dev: 'a', numaNode: 1, localCpus: [4, 5] }, online, parseCpuChoice('12-13')!).problem!, /none of the CPUs 12-13 is online/);
  assert.equal(parseCpuChoice('bogus'), null);
  assert.equal(parseCpuChoice(''), null);
  // the CPU-set values of sysctls
  assert.deepEqual(cpusetValue('@rx-cpus-mask', [4, 5, 6, 7], online), { text: 'f0' });
  assert.deepEqual(cpusetValue('@rx-cpus', [4, 5, 6, 7], online), { text: '4-7' });
  assert.deepEqual(cpusetValue('@other-cpus', [4, 5, 6, 7], online), { text: '0-3' });
  assert.match((cpusetValue('@other-cpus', online, online) as { skip: string }).skip, /every online CPU \(0-7\) serves the NIC queues/);
  // such sysctls compare by meaning; IPVS's automatic defence modes 1 and 2 are the same
  assert.equal(normalize('000000f0', sysctlCmp('net.core.flow_limit_cpu_bitmap')), 'f0');
  assert.equal(normalize('0,1,2,3', sysctlCmp('net.ipv4.vs.est_cpulist')), '0-3');
  assert.equal(normalize('2', sysctlCmp('net.ipv4.vs.drop_entry')), normalize('1', sysctlCmp('net.ipv4.vs.drop_entry')));
  assert.notEqual(normalize('3', sysctlCmp('net.ipv4.vs.secure_tcp')), normalize('1', sysctlCmp('net.ipv4.vs.secure_tcp')));
});

/** A simulated 8-CPU host whose NIC ekf0 (4 queues, up to 16) is on NUMA node 1 (CPUs 4-7). */
function world(opts: { node?: string | null; local?: string | null; estCpulist?: boolean } = {}) {
  const sim = new SimTransport([simDevice('ekf0', { queues: 4, maxQueues: 16 })]);
  const host = new SimHostFs(sim, { cpus: 8, ipvs: true });
  if (opts.node !== null) host.files.set('/sys/class/net/ekf0/device/numa_node', `${opts.node ?? '1'}\n`);
  if (opts.local !== null) host.files.set('/sys/class/net/ekf0/device/local_cpulist', `${opts.local ?? '4-7'}\n`);
  // the host-wide and IPVS CPU-set sysctls, as the kernel prints them
  host.files.set('/proc/sys/net/core/flow_limit_cpu_bitmap', '00\n');
  if (opts.estCpulist) host.files.set('/proc/sys/net/ipv4/vs/est_cpulist', '0-7\n');
  const validate = host.validate;
  host.validate = (p, v) => (p.endsWith('flow_limit_cpu_bitmap') || p.endsWith('est_cpulist')) ? undefined : validate?.(p, v);
  const origWrite = host.write.bind(host);
  // the kernel prints the bitmap zero-padded to the CPU count, the list in ranges
  host.write = (p: string, v: string) => {
    origWrite(p, v);
    if (p.endsWith('flow_limit_cpu_bitmap')) host.files.set(p, v.trim().padStart(2, '0') + '\n');
  };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekplace-'));
  return { sim, host, stateDir };
}

async function cli(w: ReturnType<typeof world>, argv: string[]) {
  let out = '', err = '';
  const code = await run([...argv, '--state-dir', w.stateDir], { env: { transport: w.sim, fs: w.host }, out: t => { out += t; }, err: t => { err += t; }, isTTY: false, vars: {} });
  return { code, out, err, json: argv.includes('--json') ? JSON.parse(out) as Record<string, unknown> : {} };
}

function rows(plan: Plan | { rows: unknown }): Map<string, { current: string | null; target: string | null; action: string; reason?: string }> {
  return new Map((plan.rows as { setting: string; current: string | null; target: string | null; action: string; reason?: string }[]).map(r => [r.setting, r]));
}

test('the planner on a NIC of NUMA node 1: channels, IRQs, XPS, RPS and CPU-set sysctls on CPUs 4-7', () => {
  const w = world({ estCpulist: true });
  try {
    const params = resolveParams(director, ['mode=nat']);
    const st = readHost({ transport: w.sim, fs: w.host }, ['ekf0'], sysctlPaths(director, params, ['ekf0']));
    assert.equal(st.devices[0].numaNode, 1);
    assert.deepEqual(st.devices[0].localCpus, [4, 5, 6, 7]);
    const r = rows(planProfile(director, params, st));
    assert.equal(r.get('channels combined')!.target, '4', 'one queue per CPU of the set (4), not per online CPU (8)');
    assert.equal(r.get('sysctl net.core.flow_limit_cpu_bitmap')!.target, 'f0');
    assert.equal(r.get('sysctl net.ipv4.vs.est_cpulist')!.target, '0-3');
    // the IRQs (41.. of the 4 queues) and XPS masks on CPUs 4..7
    const irqs = [...r.entries()].filter(([k]) => k.startsWith('irq ')).map(([, v]) => v.target);
    assert.deepEqual(irqs, ['4', '5', '6', '7']);
    assert.deepEqual([0, 1, 2, 3].map(q => r.get(`xps tx-${q}`)!.target), ['10', '20', '40', '80']);
    assert.deepEqual([0, 1, 2, 3].map(q => r.get(`rps rx-${q}`)!.target), ['0', '0', '0', '0'], 'as many queues as CPUs of the set: no RPS');

    const all = rows(planProfile(director, resolveParams(director, ['cpus=all']), st));
    assert.equal(all.get('channels combined')!.target, '8');
    assert.equal(all.get('sysctl net.core.flow_limit_cpu_bitmap')!.target, 'ff');
    assert.match(all.get('sysctl net.ipv4.vs.est_cpulist')!.reason!, /every online CPU \(0-7\) serves the NIC queues/);

    const listed = rows(planProfile(director, resolveParams(director, ['cpus=2,3']), st));
    assert.equal(listed.get('channels combined')!.target, '2');
    assert.equal(listed.get('sysctl net.ipv4.vs.est_cpulist')!.target, '0-1,4-7');
    assert.throws(() => planProfile(director, resolveParams(director, ['cpus=lots']), st), /queues\.cpus: bad value "lots" of parameter cpus: expected local, all or a CPU list/);
    const off = rows(planProfile(director, resolveParams(director, ['cpus=12-15']), st));
    assert.match(off.get('irq-affinity')!.reason!, /none of the CPUs 12-15 is online/);
  } finally {
    fs.rmSync(w.stateDir, { recursive: true, force: true });
  }
});

test('no NUMA node (-1, or no numa_node file): every online CPU', () => {
  for (const opts of [{ node: '-1', local: '0-7' }, { node: null, local: null }]) {
    const w = world(opts);
    try {
      const st = readHost({ transport: w.sim, fs: w.host }, ['ekf0'], sysctlPaths(director, resolveParams(director, ['mode=nat']), ['ekf0']));
      const r = rows(planProfile(director, resolveParams(director, []), st));
      assert.equal(r.get('channels combined')!.target, '8', JSON.stringify(opts));
      assert.equal(r.get('sysctl net.core.flow_limit_cpu_bitmap')!.target, 'ff');
    } finally {
      fs.rmSync(w.stateDir, { recursive: true, force: true });
    }
  }
});

test('apply on the NUMA-local set, verify, rollback: every file back as it was', async () => {
  const w = world({ estCpulist: true });
  try {
    const plan = await cli(w, ['--plan', 'director', 'ekf0']);
    assert.match(plan.out, /^CPUs for ekf0: 4-7 \(local to NUMA node 1\)$/m);
    const pj = await cli(w, ['--plan', 'director', 'ekf0', '--set', 'cpus=all', '--json']);
    assert.deepEqual(pj.json.placement, { ekf0: { cpus: '0-7', how: 'all online CPUs' } });
    const before = new Map(w.host.files);
    const a = await cli(w, ['--apply', 'director', 'ekf0', '--set', 'mode=nat', '--json']);
    assert.equal(a.code, EXIT.OK, a.out + a.err);
    assert.equal(w.sim.devices.get('ekf0')!.channels!.combined_count, 4);
    assert.equal(w.host.files.get('/proc/sys/net/core/flow_limit_cpu_bitmap'), 'f0\n');
    assert.equal(w.host.files.get('/proc/sys/net/ipv4/vs/est_cpulist'), '0-3\n');
    const irqFiles = [...w.host.files.entries()].filter(([p]) => /^\/proc\/irq\/4[1-4]\//.test(p)).map(([, v]) => v.trim());
    assert.deepEqual(irqFiles, ['4', '5', '6', '7']);
    const v = await cli(w, ['--verify', 'director', 'ekf0', '--set', 'mode=nat']);
    assert.equal(v.code, EXIT.OK, v.out);
    // the kernel switching an automatic defence to "active" (2) is no drift
    w.host.files.set('/proc/sys/net/ipv4/vs/drop_entry', '2\n');
    assert.equal((await cli(w, ['--verify', 'director', 'ekf0', '--set', 'mode=nat'])).code, EXIT.OK);
    w.host.files.set('/proc/sys/net/ipv4/vs/drop_entry', '1\n');
    const rb = await cli(w, ['--rollback', 'ekf0']);
    assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
    const changed = [...before.entries()].filter(([p, val]) => w.host.files.get(p) !== val).map(([p]) => p);
    assert.deepEqual(changed, []);
  } finally {
    fs.rmSync(w.stateDir, { recursive: true, force: true });
  }
});
