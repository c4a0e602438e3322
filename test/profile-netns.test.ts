/**
 * The profile commands on a real kernel: a veth pair in a network namespace this test creates
 * (and always deletes), ethkit run inside it with `ip netns exec NS node cli.js …`, so that the
 * director profile's sysctls land in that namespace and never on the host. Covers plan → apply
 * → apply again → verify → drift behind its back (ethtool -K, a sysctl write) → verify →
 * rollback, a mid-apply failure from the kernel undone, and the default-route refusal.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Netns, requireTool, value } from './helpers/netns';
import { isKernelFeature } from '../src/ethtool/catalog/features';
import { EXIT } from '../src/profiles/cli';

const CLI = path.resolve(__dirname, '../src/profiles/cli.js');
const HOST_SYSCTLS = ['net/ipv4/ip_forward', 'net/ipv4/conf/all/send_redirects', 'net/ipv4/conf/all/rp_filter'];
/** NAT, and GRO on (the director's default is off; veth starts off), so that GRO changes too. */
const NAT = ['--set', 'mode=nat', '--set', 'gro=on'];
let ns: Netns;
let stateDir: string;

before(() => {
  requireTool('ethtool', 'ethtool', ['--version']);
  ns = Netns.create('pr');
  ns.veth('va', 'vb', { queues: 4 });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekprofns-'));
});
after(() => {
  ns?.destroy();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

interface Run { code: number; out: string; err: string; json: Record<string, unknown> }

function ethkit(...args: string[]): Run {
  const r = ns.exec(process.execPath, [CLI, ...args, '--state-dir', stateDir], { allowFail: true });
  let json: Record<string, unknown> = {};
  if (args.includes('--json')) {
    try { json = JSON.parse(r.stdout) as Record<string, unknown>; } catch { assert.fail(`not JSON: ${r.stdout}\n${r.stderr}`); }
  }
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, json };
}

function inNs(cmd: string, ...args: string[]): string {
  return ns.exec(cmd, args).stdout;
}

function gro(): string {
  return /generic-receive-offload: (\w+)/.exec(inNs('ethtool', '-k', 'va'))![1];
}

/** Everything the director profile can change on va in the namespace. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = { features: inNs('ethtool', '-k', 'va') };
  for (const f of ['net/ipv4/ip_forward', 'net/ipv4/conf/all/send_redirects', 'net/ipv4/conf/va/send_redirects', 'net/ipv4/conf/all/rp_filter', 'net/ipv4/conf/va/rp_filter']) {
    out[f] = inNs('cat', `/proc/sys/${f}`);
  }
  for (let q = 0; q < 4; q++) {
    out[`xps${q}`] = inNs('cat', `/sys/class/net/va/queues/tx-${q}/xps_cpus`);
    out[`rps${q}`] = inNs('cat', `/sys/class/net/va/queues/rx-${q}/rps_cpus`);
  }
  return out;
}

function hostSysctls(): string[] {
  return HOST_SYSCTLS.map(f => fs.readFileSync(`/proc/sys/${f}`, 'utf8'));
}

function rowsOf(r: Run): { setting: string; action: string; reason?: string; current: string | null; target: string | null }[] {
  return r.json.rows as { setting: string; action: string; reason?: string; current: string | null; target: string | null }[];
}

test('director on a veth in a namespace: plan, apply, apply again, verify, drift, rollback', () => {
  const host = hostSysctls();
  const pristine = snapshot();
  assert.equal(gro(), 'off');

  const plan = ethkit('--plan', 'director', 'va', ...NAT, '--json');
  assert.equal(plan.code, EXIT.OK, plan.err);
  const rows = rowsOf(plan);
  const by = (s: string) => rows.find(r => r.setting === s)!;
  assert.deepEqual([by('feature generic-receive-offload (rx-gro)').action, by('feature generic-receive-offload (rx-gro)').target], ['set', 'on']);
  assert.equal(by('ring rx').reason, 'not supported by driver veth');
  assert.equal(by('coalesce adaptive-rx').reason, 'not supported by driver veth');
  assert.equal(by('channels combined').reason, 'driver veth has no combined channels (maximum 0)');
  assert.match(by('irq-affinity').reason!, /no queue IRQs found for va/);
  assert.match(by('sysctl net.core.netdev_max_backlog').reason!, /not present in this network namespace/);
  assert.equal(by('sysctl net.ipv4.vs.conntrack').reason, 'IPVS is not loaded (/proc/sys/net/ipv4/vs is missing)');
  // net.core.* is host-wide: absent in a namespace; net.ipv4.vs.* absent without ip_vs.
  assert.match(by('sysctl net.core.flow_limit_cpu_bitmap').reason!, /host-wide and not present in this network namespace/);
  assert.equal(by('sysctl net.ipv4.vs.snat_reroute').reason, 'IPVS is not loaded (/proc/sys/net/ipv4/vs is missing)');
  assert.match(by('sysctl net.ipv4.vs.est_cpulist').reason!, /not in this kernel .*or IPVS is not loaded/);
  // veth has no device directory, so no NUMA node: XPS spreads over every online CPU.
  assert.equal(by('xps tx-1').target, os.cpus().length > 1 ? '2' : '1');
  assert.equal(by('sysctl net.ipv4.ip_forward').action, 'set');
  assert.deepEqual(snapshot(), pristine, 'plan changes nothing');

  const apply = ethkit('--apply', 'director', 'va', ...NAT, '--json');
  assert.equal(apply.code, EXIT.OK, apply.out + apply.err);
  assert.equal(apply.json.changed, true);
  assert.equal(gro(), 'on');
  assert.equal(inNs('cat', '/proc/sys/net/ipv4/ip_forward').trim(), '1');
  assert.equal(inNs('cat', '/proc/sys/net/ipv4/conf/va/rp_filter').trim(), '2');
  assert.equal(inNs('cat', '/proc/sys/net/ipv4/conf/all/send_redirects').trim(), '0');
  assert.equal(BigInt('0x' + inNs('cat', '/sys/class/net/va/queues/tx-1/xps_cpus').trim().replace(/,/g, '')), os.cpus().length > 1 ? 2n : 1n);
  assert.deepEqual(hostSysctls(), host, 'the host\'s sysctls are untouched');

  const again = ethkit('--apply', 'director', 'va', ...NAT, '--json');
  assert.equal(again.code, EXIT.UNCHANGED, again.out);
  assert.equal(again.json.changed, false);
  assert.deepEqual(again.json.steps, []);
  assert.equal(ethkit('--verify', 'director', 'va', ...NAT).code, EXIT.OK);

  // drift behind ethkit's back
  inNs('ethtool', '-K', 'va', 'gro', 'off');
  ns.exec('sh', ['-c', 'echo 1 > /proc/sys/net/ipv4/conf/va/rp_filter']);
  const drift = ethkit('--verify', 'director', 'va', ...NAT, '--json');
  assert.equal(drift.code, EXIT.DRIFT);
  assert.deepEqual((drift.json.drift as { setting: string; current: string; target: string }[]).map(d => `${d.setting}: ${d.current} -> ${d.target}`), [
    'feature generic-receive-offload (rx-gro): off -> on', 'sysctl net.ipv4.conf.va.rp_filter: 1 -> 2',
  ]);
  const driftText = ethkit('--verify', 'director', 'va', ...NAT);
  assert.match(driftText.out, /^drift: 2 setting\(s\) of va differ from director/);
  assert.match(driftText.out, /va +feature generic-receive-offload \(rx-gro\) +off +on +set/);

  // rollback restores what the apply changed to the values before it (whatever they are now)
  const rb = ethkit('--rollback', 'va', '--json');
  assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
  assert.deepEqual(snapshot(), pristine);
  assert.equal(ethkit('--rollback', 'va').code, EXIT.ERROR, 'snapshot consumed');
  assert.deepEqual(hostSysctls(), host);
});

test('a failure from the kernel mid-apply is undone: the veth is as before (exit 4)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekprofp-'));
  try {
    fs.writeFileSync(path.join(dir, 'broken.yaml'), [
      'name: broken',
      'description: applies three settings, then one the kernel rejects',
      'features:',
      '  gro: on   # first change',
      'queues:',
      '  xps: spread   # then the queue files',
      'sysctl:',
      '  net.ipv4.conf.{dev}.rp_filter: 2   # accepted',
      '  net.ipv4.conf.{dev}.arp_ignore: lots   # rejected by the kernel (EINVAL)',
      '',
    ].join('\n'));
    const before = snapshot();
    const r = ethkit('--apply', 'broken', 'va', '--profile-dir', dir, '--json');
    assert.equal(r.code, EXIT.ROLLED_BACK, r.out + r.err);
    assert.equal(r.json.result, 'failed');
    assert.match(r.json.error as string, /write \/proc\/sys\/net\/ipv4\/conf\/va\/arp_ignore: invalid argument/);
    const steps = r.json.steps as { status: string; kind: string }[];
    assert.equal(steps[0].kind, 'features');
    assert.equal(steps[0].status, 'undone');
    assert.equal(steps[steps.length - 1].status, 'failed');
    assert.deepEqual(snapshot(), before);
    assert.equal(gro(), 'off');
    assert.equal(ethkit('--rollback', 'va').code, EXIT.ERROR, 'no snapshot kept for an apply that was undone');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the interface of the default route: refused without a terminal, one line; --yes goes ahead', () => {
  ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'va');
  ns.ip('route', 'add', 'default', 'via', '192.0.2.254', 'dev', 'va');
  try {
    const before = snapshot();
    const r = ethkit('--apply', 'director', 'va');
    assert.equal(r.code, EXIT.ERROR);
    assert.equal(r.err, 'ethkit: refusing to change va: it carries the default route and there is no terminal to confirm; add --yes to go ahead\n');
    assert.deepEqual(snapshot(), before);
    const yes = ethkit('--apply', 'director', 'va', '--yes');
    assert.equal(yes.code, EXIT.OK, yes.out + yes.err);
    assert.equal(inNs('cat', '/proc/sys/net/ipv4/conf/va/rp_filter').trim(), '2');
    assert.equal(ethkit('--rollback', 'va', '--yes').code, EXIT.OK);
    assert.deepEqual(snapshot(), before);
  } finally {
    ns.ip('route', 'del', 'default');
  }
});

test('every feature name the host kernel reports (ETH_SS_FEATURES, through the Nic API on the veth) is in the catalog', () => {
  const [r] = ns.runNic('va', [{ call: 'features' }]);
  // Bits the kernel no longer names (a feature turned into a device flag) come as empty strings.
  const names = (value<{ name: string }[]>(r)).map(f => f.name).filter(n => n !== '');
  assert.ok(names.length > 40, `${names.length} features`);
  assert.deepEqual(names.filter(n => !isKernelFeature(n)), [], 'kernel feature names missing from src/ethtool/catalog/features.ts');
});
