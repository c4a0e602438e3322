/**
 * apply / verify / rollback on the simulated NIC and host (SimTransport + SimHostFs): the
 * fewest ioctls, idempotence, a fault injected at every step leaving everything exactly as
 * before, undo failures reported as such, settings that do not take, snapshots and rollback,
 * and the default-route confirmation.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { SimTransport, simDevice } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';
import { run, EXIT, Ctx } from '../src/profiles/cli';
import { ETHTOOL } from '../src/ethtool/constants';
import { ERRNO } from '../src/ethtool/errno';
import { decode } from '../src/ethtool/layout';
import * as S from '../src/ethtool/structs';
import type { Transport } from '../src/ffi/transport';

const SET_CMDS = new Set<number>([ETHTOOL.SFEATURES, ETHTOOL.SRINGPARAM, ETHTOOL.SCHANNELS, ETHTOOL.SCOALESCE, ETHTOOL.SPAUSEPARAM]);
const NAT = ['--set', 'mode=nat'];
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ekprof-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let worlds = 0;

interface World { sim: SimTransport; fs: SimHostFs; stateDir: string; transport: Transport }

/**
 * One simulated NIC (4 of 16 queues) on an 8-CPU host with IPVS loaded. With `queues: 12` the
 * director shrinks the channels to 8, and queues 8-11 carry XPS/IRQ settings of their own.
 */
function world(opts: { defaultRoute?: boolean; transport?: (sim: SimTransport) => Transport; queues?: number } = {}): World {
  const sim = new SimTransport([simDevice('ekf0', { queues: opts.queues ?? 4, maxQueues: 16 })]);
  const host = new SimHostFs(sim, { cpus: 8, ipvs: true, defaultRoute: opts.defaultRoute ? ['ekf0'] : [] });
  const stateDir = path.join(tmpRoot, `w${worlds++}`);
  for (let q = 8; q < (opts.queues ?? 0); q++) {
    host.files.set(`/sys/class/net/ekf0/queues/tx-${q}/xps_cpus`, '3\n');
    host.files.set(`/proc/irq/${41 + q}/smp_affinity_list`, '6-7\n');
  }
  return { sim, fs: host, stateDir, transport: opts.transport?.(sim) ?? sim };
}

async function cli(w: World, argv: string[], extra: Partial<Ctx> = {}): Promise<{ code: number; out: string; err: string; json: Record<string, unknown> }> {
  let out = '', err = '';
  const code = await run([...argv, '--state-dir', w.stateDir], {
    env: { transport: w.transport, fs: w.fs }, out: t => { out += t; }, err: t => { err += t; }, isTTY: false, vars: {}, ...extra,
  });
  let json: Record<string, unknown> = {};
  if (argv.includes('--json')) json = JSON.parse(out) as Record<string, unknown>;
  return { code, out, err, json };
}

/** The snapshot entry files of ekf0 (and nothing else: no temporary file, no journal). */
function entryFiles(w: World): string[] {
  const ns = path.join(w.stateDir, 'snapshots', 'net-4026530000');
  if (!fs.existsSync(ns)) return [];
  const other = fs.readdirSync(ns).filter(n => n !== 'ekf0');
  assert.deepEqual(other, [], 'nothing but entry directories');
  return fs.existsSync(path.join(ns, 'ekf0')) ? fs.readdirSync(path.join(ns, 'ekf0')).sort() : [];
}

function sets(w: World): number[] {
  return w.sim.log.filter(l => SET_CMDS.has(l.cmd)).map(l => l.cmd);
}

test('apply sets only what differs, one ioctl per kind; the second apply changes nothing and says so', async () => {
  const w = world();
  let ring: Record<string, number> | undefined;
  const origIoctl = w.sim.ioctl.bind(w.sim);
  w.sim.ioctl = (ifname, buf) => {
    if (new DataView(buf.buffer, buf.byteOffset).getUint32(0, true) === ETHTOOL.SRINGPARAM) ring = decode(S.ethtool_ringparam, buf) as Record<string, number>;
    return origIoctl(ifname, buf);
  };
  const r = await cli(w, ['--apply', 'director', 'ekf0', ...NAT, '--json']);
  assert.equal(r.code, EXIT.OK, r.err);
  assert.equal(r.json.result, 'changed');
  assert.equal(r.json.changed, true);
  assert.deepEqual(sets(w).sort(), [ETHTOOL.SCOALESCE, ETHTOOL.SRINGPARAM, ETHTOOL.SPAUSEPARAM, ETHTOOL.SFEATURES, ETHTOOL.SCHANNELS].sort());
  assert.equal(ring!.rx_pending, 4096, 'one SRINGPARAM carries rx');
  assert.equal(ring!.tx_pending, 4096, '… and tx');
  const d = w.sim.devices.get('ekf0')!;
  assert.equal(d.channels!.combined_count, 8);
  assert.equal(d.features.find(f => f.name === 'rx-lro')!.active, false);
  assert.equal(d.coalesce!.use_adaptive_rx_coalesce, 1);
  assert.equal(d.pause!.rx_pause, 0);
  // queue files were planned after the channel change: 8 queues, one CPU each
  for (let q = 0; q < 8; q++) {
    assert.equal(w.fs.read(`/sys/class/net/ekf0/queues/tx-${q}/xps_cpus`)!.trim(), (1 << q).toString(16));
    assert.equal(w.fs.read(`/proc/irq/${41 + q}/smp_affinity_list`)!.trim(), String(q));
  }
  assert.equal(w.fs.read('/proc/sys/net/ipv4/ip_forward')!.trim(), '1');
  assert.equal(w.fs.read('/proc/sys/net/ipv4/vs/conntrack')!.trim(), '0');
  const steps = r.json.steps as { status: string }[];
  assert.ok(steps.length > 20 && steps.every(s => s.status === 'done'));

  w.sim.log.length = 0;
  const writes = w.fs.writes.length;
  const again = await cli(w, ['--apply', 'director', 'ekf0', ...NAT, '--json']);
  assert.equal(again.code, EXIT.UNCHANGED);
  assert.equal(again.json.result, 'ok');
  assert.equal(again.json.changed, false);
  assert.deepEqual(sets(w), []);
  assert.equal(w.fs.writes.length, writes);
  const text = await cli(w, ['--apply', 'director', 'ekf0', ...NAT]);
  assert.match(text.out, /^ok: ekf0 already matches director \(mode=nat/);
  assert.equal((await cli(w, ['--verify', 'director', 'ekf0', ...NAT])).code, EXIT.OK);
});

/** Fail the k-th change (an S* ioctl or a file write), once. Returns how many changes were tried. */
function injectAt(w: World, k: number, errno = ERRNO.EIO): { count: () => number } {
  let n = 0;
  const hit = () => (n++ === k ? errno : undefined);
  w.sim.injector = (_i, cmd) => (SET_CMDS.has(cmd) ? hit() : undefined);
  w.fs.injector = () => { const e = hit(); return e === undefined ? undefined : 'EIO'; };
  return { count: () => n };
}

for (const queues of [4, 12]) test(`a fault at every step k of an apply leaves NIC and host exactly as before (all k; ${queues} queues -> 8)`, async t => {
  const clean = world({ queues });
  const counter = injectAt(clean, -1);
  assert.equal((await cli(clean, ['--apply', 'director', 'ekf0', ...NAT])).code, EXIT.OK);
  const total = counter.count();
  assert.ok(total >= 25, `a director apply makes ${total} changes`);
  const statuses = new Map<string, number>();
  for (let k = 0; k < total; k++) {
    const w = world({ queues });
    const before = w.fs.everything();
    injectAt(w, k);
    const r = await cli(w, ['--apply', 'director', 'ekf0', ...NAT, '--json']);
    assert.equal(r.code, EXIT.ROLLED_BACK, `k=${k}: ${r.out}`);
    assert.equal(r.json.result, 'failed');
    assert.deepEqual(w.fs.everything(), before, `k=${k}: state differs after rollback`);
    const steps = r.json.steps as { status: string }[];
    assert.equal(steps.filter(s => s.status === 'failed').length, 1, `k=${k}`);
    assert.ok(steps.every(s => s.status === 'failed' || s.status === 'undone'), `k=${k}: ${JSON.stringify(steps)}`);
    assert.deepEqual(entryFiles(w), [], `k=${k}: snapshot of a rolled-back apply is dropped`);
    const failedKind = (r.json.steps as { kind: string; status: string }[]).find(s => s.status === 'failed')!.kind;
    statuses.set(failedKind, (statuses.get(failedKind) ?? 0) + 1);
  }
  // every kind of step was hit
  assert.deepEqual([...statuses.keys()].sort(), ['channels', 'coalesce', 'features', 'file', 'pause', 'ring']);
  t.diagnostic(`fault injection (${queues} queues -> 8): ${total} steps tried, every one restored`);
});

test('text of a failed apply: the failing step, what was undone, exit 4', async () => {
  const w = world();
  injectAt(w, 3);   // features, channels, ring, then the 4th change: SCOALESCE
  const r = await cli(w, ['--apply', 'director', 'ekf0', ...NAT]);
  assert.equal(r.code, EXIT.ROLLED_BACK);
  assert.match(r.out, /failed +ekf0: coalesce use_adaptive_rx_coalesce=1 use_adaptive_tx_coalesce=1 — ekf0: set coalesce settings: Input\/output error \(EIO\)/);
  assert.match(r.out, /rolled back: 3 step\(s\) undone in reverse; the devices are as before/);
});

test('a failure while undoing is reported as such (exit 5) and the snapshot is kept for --rollback', async () => {
  const w = world();
  let n = 0;
  // the 4th change fails, then so does the first undo (the ring restore)
  w.sim.injector = (_i, cmd) => {
    if (!SET_CMDS.has(cmd)) return undefined;
    n++;
    return n === 4 || n === 5 ? ERRNO.EBUSY : undefined;
  };
  const r = await cli(w, ['--apply', 'director', 'ekf0', ...NAT, '--json']);
  assert.equal(r.code, EXIT.ROLLBACK_FAILED);
  assert.equal(r.json.result, 'failed-undo-incomplete');
  const undoErrors = r.json.undo_errors as string[];
  assert.match(undoErrors[0], /ekf0: set ring parameters: device or resource busy/);
  assert.ok(undoErrors.some(e => /ring rx is 4096, was 256 before the apply/.test(e)), undoErrors.join('\n'));
  assert.deepEqual(entryFiles(w), ['000001.json']);
  w.sim.injector = undefined;
  const rb = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
  assert.equal(w.sim.devices.get('ekf0')!.ring!.rx_pending, 256);
});

test('a value the driver does not take as asked fails the apply, which is undone', async () => {
  // a driver whose rx ring takes at most 4000 descriptors, though it reports 4096 as maximum
  const w = world({
    transport: sim => ({
      ioctl: (ifname, buf) => {
        const r = sim.ioctl(ifname, buf);
        if (r >= 0 && new DataView(buf.buffer, buf.byteOffset).getUint32(0, true) === ETHTOOL.SRINGPARAM) {
          const ring = sim.devices.get(ifname)!.ring!;
          ring.rx_pending = Math.min(ring.rx_pending, 4000);
        }
        return r;
      },
      alloc: n => new Uint8Array(n), close: () => undefined,
    }),
  });
  const before = w.fs.everything();
  const r = await cli(w, ['--apply', 'director', 'ekf0', '--json']);
  assert.equal(r.code, EXIT.ROLLED_BACK, r.out);
  assert.match(r.json.error as string, /not as asked after apply: ekf0 ring rx is 4000, wanted 4096/);
  assert.deepEqual(w.fs.everything(), before);
});

test('rollback restores the state before the last apply; snapshots stack; none left is an error', async () => {
  const w = world();
  const pristine = w.fs.everything();
  assert.equal((await cli(w, ['--apply', 'director', 'ekf0', ...NAT])).code, EXIT.OK);
  const tuned = w.fs.everything();
  assert.deepEqual(entryFiles(w), ['000001.json']);
  const snap = JSON.parse(fs.readFileSync(path.join(w.stateDir, 'snapshots/net-4026530000/ekf0/000001.json'), 'utf8')) as { version: number; seq: number; entry: { profile: string; touched: unknown[] } };
  assert.equal(snap.version, 2);
  assert.equal(snap.seq, 1);
  assert.equal(snap.entry.profile, 'director');
  assert.ok(snap.entry.touched.length >= 25);
  // a second profile on top
  assert.equal((await cli(w, ['--apply', 'latency', 'ekf0'])).code, EXIT.OK);
  assert.notDeepEqual(w.fs.everything(), tuned);
  const r1 = await cli(w, ['--rollback', 'ekf0', '--json']);
  assert.equal(r1.code, EXIT.OK, r1.out);
  assert.equal((r1.json.from as { profile: string }[])[0].profile, 'latency');
  assert.deepEqual(w.fs.everything(), tuned);
  const r2 = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(r2.code, EXIT.OK, r2.out);
  assert.match(r2.out, /^Rolled back ekf0 \(before director, /);
  assert.deepEqual(w.fs.everything(), pristine);
  const r3 = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(r3.code, EXIT.ERROR);
  assert.match(r3.err, /^ethkit: ekf0: no snapshot to roll back to \(looked in .*snapshots\/net-4026530000\/ekf0\)\n$/);
});

test('rollback after a channel shrink brings back the queue settings the kernel dropped', async () => {
  const w = world({ queues: 12 });
  const pristine = w.fs.everything();
  assert.equal((await cli(w, ['--apply', 'director', 'ekf0'])).code, EXIT.OK);
  assert.equal(w.sim.devices.get('ekf0')!.channels!.combined_count, 8);
  assert.equal(w.fs.read('/sys/class/net/ekf0/queues/tx-9/xps_cpus'), null);
  const rb = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(rb.code, EXIT.OK, rb.out);
  assert.equal(w.fs.read('/sys/class/net/ekf0/queues/tx-9/xps_cpus'), '3\n');
  assert.deepEqual(w.fs.everything(), pristine);
});

test('rollback is transactional too: a fault at every step leaves the tuned state', async t => {
  const probe = world();
  await cli(probe, ['--apply', 'director', 'ekf0', ...NAT]);
  const counter = injectAt(probe, -1);
  assert.equal((await cli(probe, ['--rollback', 'ekf0'])).code, EXIT.OK);
  const total = counter.count();
  assert.ok(total >= 20);
  for (let k = 0; k < total; k++) {
    const w = world();
    await cli(w, ['--apply', 'director', 'ekf0', ...NAT]);
    const tuned = w.fs.everything();
    injectAt(w, k);
    const r = await cli(w, ['--rollback', 'ekf0']);
    assert.equal(r.code, EXIT.ROLLED_BACK, `k=${k}: ${r.out}`);
    assert.deepEqual(w.fs.everything(), tuned, `k=${k}`);
    assert.deepEqual(entryFiles(w), ['000001.json'], 'snapshot kept');
  }
  t.diagnostic(`fault injection (rollback): ${total} steps tried, every one restored`);
});

test('default route: refused without a terminal unless --yes; asked on a terminal', async () => {
  const w = world({ defaultRoute: true });
  const before = w.fs.everything();
  const r = await cli(w, ['--apply', 'director', 'ekf0']);
  assert.equal(r.code, EXIT.ERROR);
  assert.equal(r.err, 'ethkit: refusing to change ekf0: it carries the default route and there is no terminal to confirm; add --yes to go ahead\n');
  assert.deepEqual(sets(w), []);
  assert.deepEqual(w.fs.everything(), before);
  assert.deepEqual(entryFiles(w), []);
  let asked = '';
  const no = await cli(w, ['--apply', 'director', 'ekf0'], { isTTY: true, ask: async q => { asked = q; return false; } });
  assert.equal(no.code, EXIT.ERROR);
  assert.match(asked, /^ekf0 carries the default route; applying director changes \d+ setting\(s\) \(3 link reset\(s\)\)\. Continue\? \[y\/N\] $/);
  assert.deepEqual(w.fs.everything(), before);
  const yes = await cli(w, ['--apply', 'director', 'ekf0'], { isTTY: true, ask: async () => true });
  assert.equal(yes.code, EXIT.OK);
  const w2 = world({ defaultRoute: true });
  assert.equal((await cli(w2, ['--apply', 'director', 'ekf0', '--yes'])).code, EXIT.OK);
  // nothing to change: no question at all
  assert.equal((await cli(w2, ['--apply', 'director', 'ekf0'])).code, EXIT.UNCHANGED);
});

test('verify reports drift made behind its back, with the diff', async () => {
  const w = world();
  await cli(w, ['--apply', 'director', 'ekf0', ...NAT]);
  Object.assign(w.sim.devices.get('ekf0')!.features.find(f => f.name === 'rx-gro')!, { active: true, requested: true });
  w.fs.files.set('/proc/sys/net/ipv4/conf/all/rp_filter', '1\n');
  const r = await cli(w, ['--verify', 'director', 'ekf0', ...NAT, '--json']);
  assert.equal(r.code, EXIT.DRIFT);
  assert.equal(r.json.result, 'drift');
  assert.deepEqual((r.json.drift as { setting: string; current: string; target: string }[]).map(d => `${d.setting}: ${d.current} -> ${d.target}`), [
    'feature generic-receive-offload (rx-gro): on -> off', 'sysctl net.ipv4.conf.all.rp_filter: 1 -> 2',
  ]);
  const t = await cli(w, ['--verify', 'director', 'ekf0', ...NAT]);
  assert.match(t.out, /^drift: 2 setting\(s\) of ekf0 differ from director/);
});

test('bad input: one line on stderr, exit 1, JSON error object with --json', async () => {
  const w = world();
  const cases: [string[], RegExp][] = [
    [['--apply', 'director', 'nosuch0'], /^ethkit: nosuch0: no such device\n$/],
    [['--plan', 'nope', 'ekf0'], /^ethkit: no profile "nope" \(profiles in .*: director, latency, realserver\)\n$/],
    [['--plan', 'director', 'ekf0', '--set', 'mode=x'], /^ethkit: --set mode=x: bad value "x": mode is one of dr\|nat\|tun\n$/],
    [['--plan', 'director', 'ekf0', '--frobnicate'], /^ethkit: unknown option --frobnicate/],
    [['--plan', 'director'], /^ethkit: --plan: name at least one device \(see ethkit --profile-help\)\n$/],
    [['--plan', 'director', 'ekf0', 'ekf0'], /device ekf0 named twice/],
    [['--rollback', 'ekf0', '--set', 'a=b'], /--rollback takes no --set/],
    // A name that is a property of every object is a name, not a command word.
    [['--plan', 'director', 'toString'], /^ethkit: toString: no such device\n$/],
  ];
  for (const [argv, re] of cases) {
    const r = await cli(w, argv);
    assert.equal(r.code, EXIT.ERROR, argv.join(' '));
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1);
    const j = await cli(w, [...argv, '--json']);
    assert.equal(j.json.result, 'error');
    assert.equal(j.json.exit_code, EXIT.ERROR);
  }
});

test('list and show', async () => {
  const w = world();
  const l = await cli(w, ['--profile-list', '--json']);
  assert.equal(l.code, EXIT.OK);
  assert.deepEqual((l.json.profiles as { name: string }[]).map(p => p.name), ['director', 'latency', 'realserver']);
  const s = await cli(w, ['--profile-show', 'director']);
  assert.match(s.out, /^director: LVS\/IPVS director/);
  assert.match(s.out, /mode +dr\|nat\|tun +dr/);
  assert.match(s.out, /sysctl +net\.ipv4\.ip_forward +1 +mode == nat or forward/);
  // an invalid profile in the directory makes --profile-list fail (a lint for profile dirs)
  const dir = path.join(tmpRoot, 'pdir');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'name: bad\nring:\n  rx: lots\n');
  const bad = await cli(w, ['--profile-list', '--profile-dir', dir]);
  assert.equal(bad.code, EXIT.ERROR);
  assert.match(bad.out, /bad +- +INVALID: .*bad\.yaml:3:7: ring\.rx: bad value "lots"/);
});

/** Link-resetting requests sent (SRINGPARAM, SCHANNELS, SPAUSEPARAM): each takes the link down on a real driver. */
function resetsSent(sim: SimTransport, from = 0): number {
  return sim.log.slice(from).filter(l => l.cmd === ETHTOOL.SRINGPARAM || l.cmd === ETHTOOL.SCHANNELS || l.cmd === ETHTOOL.SPAUSEPARAM).length;
}

test('a driver without adaptive-tx (no netlink list): the refused SCOALESCE is split, adaptive-rx set, adaptive-tx skipped; applied, verified, rolled back; link resets as planned', async () => {
  const w = world();
  const d = w.sim.devices.get('ekf0')!;
  d.coalesceSupported = ['rx_coalesce_usecs', 'use_adaptive_rx_coalesce'];
  const plan = await cli(w, ['--plan', 'director', 'ekf0', ...NAT, '--json']);
  const planned = (plan.json.rows as { action: string; resets_link?: boolean }[]);
  assert.ok(planned.length > 0);
  const start = w.sim.log.length;
  const r = await cli(w, ['--apply', 'director', 'ekf0', ...NAT, '--yes', '--json']);
  assert.equal(r.code, EXIT.OK, r.out + r.err);
  assert.equal(r.json.result, 'changed');
  const co = (r.json.steps as { kind: string; status: string; refused?: string[]; settings: string[] }[]).find(s => s.kind === 'coalesce')!;
  assert.equal(co.status, 'done');
  assert.deepEqual(co.refused, ['coalesce adaptive-tx']);
  assert.deepEqual(co.settings, ['coalesce adaptive-rx']);
  assert.equal(d.coalesce!.use_adaptive_rx_coalesce, 1);
  assert.equal(d.coalesce!.use_adaptive_tx_coalesce, 0);
  assert.equal(resetsSent(w.sim, start), r.json.link_resets, 'no more link resets than the plan says');
  assert.ok((r.json.link_resets as number) >= 1);
  assert.equal(plan.json.link_resets, r.json.link_resets, 'the plan says how many link resets the apply causes');
  // Verify reads again without netlink and sets nothing: the snapshot tells it the driver refused
  // adaptive-tx, so that one is skipped as refused, not drift.
  const v = await cli(w, ['--verify', 'director', 'ekf0', ...NAT, '--json']);
  assert.equal(v.code, EXIT.OK, v.out);
  const tx = (v.json.rows as { setting: string; action: string; reason?: string }[]).find(x => x.setting === 'coalesce adaptive-tx');
  assert.equal(tx?.action, 'skip', JSON.stringify(tx));
  assert.match(tx?.reason ?? '', /^refused by driver /);
  const rb = await cli(w, ['--rollback', 'ekf0', '--yes']);
  assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
  assert.equal(d.coalesce!.use_adaptive_rx_coalesce, 0);
});

test('with the driver\'s coalesce list (netlink): adaptive-tx is skipped in the plan, one SCOALESCE, verify clean', async () => {
  const w = world();
  const d = w.sim.devices.get('ekf0')!;
  d.coalesceSupported = ['rx_coalesce_usecs', 'use_adaptive_rx_coalesce'];
  const probe = () => ({ coalesce: ['adaptive-rx', 'rx-usecs'] });
  const run2 = async (argv: string[]) => {
    let out = '', err = '';
    const code = await run([...argv, '--state-dir', w.stateDir], { env: { transport: w.transport, fs: w.fs, probe }, out: t => { out += t; }, err: t => { err += t; }, isTTY: false, vars: {} });
    return { code, out, err };
  };
  const start = w.sim.log.length;
  const r = await run2(['--apply', 'director', 'ekf0', ...NAT, '--yes', '--json']);
  assert.equal(r.code, EXIT.OK, r.out + r.err);
  const j = JSON.parse(r.out) as { rows: { setting: string; action: string; reason?: string }[]; link_resets: number };
  const tx = j.rows.find(x => x.setting === 'coalesce adaptive-tx')!;
  assert.equal(tx.action, 'skip');
  assert.match(tx.reason!, /^not supported by driver \S+ \(its coalesce parameters: adaptive-rx rx-usecs\)$/);
  assert.equal(w.sim.log.slice(start).filter(l => l.cmd === ETHTOOL.SCOALESCE).length, 1);
  assert.equal(resetsSent(w.sim, start), j.link_resets);
  assert.equal((await run2(['--verify', 'director', 'ekf0', ...NAT])).code, EXIT.OK);
});

test('a driver that reports channels but has no set operation (vmxnet3): --apply finds it with an empty set request, skips the channel change, no SCHANNELS; verify clean from the snapshot; rollback', async () => {
  const w = world();
  const d = w.sim.devices.get('ekf0')!;
  const asked: string[] = [];
  const applyEnv = { transport: w.transport, fs: w.fs, settable: (dev: string) => { asked.push(dev); return { channels: false, ring: true, coalesce: true, pause: true }; } };
  // a plan sends no set request: it cannot know, and shows the change
  const plan = await cli(w, ['--plan', 'director', 'ekf0', ...NAT, '--json']);
  const ch = (rows: unknown) => (rows as { id: string; action: string; reason?: string }[]).find(x => x.id === 'channels:combined_count');
  assert.equal(ch(plan.json.rows)?.action, 'set', JSON.stringify(ch(plan.json.rows)));
  const start = w.sim.log.length;
  const r = await cli(w, ['--apply', 'director', 'ekf0', ...NAT, '--yes', '--json'], { env: applyEnv });
  assert.equal(r.code, EXIT.OK, r.out + r.err);
  assert.ok(asked.includes('ekf0'), 'the apply asked the driver');
  const row = ch(r.json.rows);
  assert.equal(row?.action, 'skip', JSON.stringify(row));
  assert.equal(row?.reason, 'driver simnic reports its channels but cannot change them (no set operation)');
  assert.equal(w.sim.log.slice(start).filter(l => l.cmd === ETHTOOL.SCHANNELS).length, 0, 'no SCHANNELS sent');
  assert.equal(d.channels!.combined_count, 4);
  assert.equal(resetsSent(w.sim, start), r.json.link_resets, 'no more link resets than the plan says');
  // verify and a later plan (no set request) skip it as the apply found it: no drift
  const v = await cli(w, ['--verify', 'director', 'ekf0', ...NAT, '--json']);
  assert.equal(v.code, EXIT.OK, v.out);
  assert.equal(ch(v.json.rows)?.action, 'skip', JSON.stringify(ch(v.json.rows)));
  const rb = await cli(w, ['--rollback', 'ekf0', '--yes']);
  assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
  assert.equal(d.channels!.combined_count, 4);
  assert.deepEqual(entryFiles(w), []);
});
