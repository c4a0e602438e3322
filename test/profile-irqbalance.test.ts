/**
 * irqbalance and the director profile (src/profiles/irqbalance.ts): on the simulated NIC with an
 * in-memory irqbalance, `ban` adds the tuned queue IRQs to its banned list before any affinity is
 * written and a rollback puts the list back; `stop` stops it and a rollback starts it again; a
 * failed apply undoes both; a ban irqbalance does not take changes nothing. The machine's control
 * (RealIrqbalance) is checked against a socket server speaking irqbalance's protocol (one
 * message, one answer) on the abstract socket name irqbalance uses. The real daemon is tested in
 * the rig (test/rig-irqbalance.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run, EXIT } from '../src/profiles/cli';
import { IrqbalanceControl, IrqbalanceProc, RealIrqbalance, parseSetup, banMessage } from '../src/profiles/irqbalance';
import { SimTransport, simDevice } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';
import { MemFs } from './doubles/memfs';

class FakeIrqbalance implements IrqbalanceControl {
  proc: IrqbalanceProc | null = { pid: 777, argv: ['/usr/sbin/irqbalance', '--foreground'], env: {}, unit: null };
  list: number[] = [7];
  calls: string[] = [];
  refuseBan = false;
  find() { return this.proc; }
  async banned() { this.calls.push('setup'); return [...this.list]; }
  async ban(_p: IrqbalanceProc, irqs: readonly number[]) {
    this.calls.push(banMessage(irqs));
    if (!this.refuseBan) this.list = [...irqs];
  }
  async stop() { this.calls.push('stop'); this.proc = null; }
  async start(p: IrqbalanceProc) { this.calls.push('start'); this.proc = { ...p, pid: 778 }; return this.proc; }
}

function world() {
  const sim = new SimTransport([simDevice('ekf0', { queues: 4, maxQueues: 16 })]);
  const host = new SimHostFs(sim, { cpus: 4, ipvs: true });
  const ib = new FakeIrqbalance();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekirqb-'));
  return { sim, host, ib, stateDir };
}

async function cli(w: ReturnType<typeof world>, argv: string[]) {
  let out = '', err = '';
  const code = await run([...argv, '--state-dir', w.stateDir], {
    env: { transport: w.sim, fs: w.host }, irqbalance: w.ib, out: t => { out += t; }, err: t => { err += t; }, isTTY: false, vars: {},
  });
  return { code, out, err, json: argv.includes('--json') ? JSON.parse(out) as Record<string, unknown> : {} };
}

type JRow = { setting: string; current: string; target: string; action: string; reason?: string };
const ibRow = (j: Record<string, unknown>) => (j.rows as JRow[]).find(r => r.setting === 'irqbalance')!;

test('ban: the tuned IRQs join the banned list before the affinities are written; verify; rollback restores the list', async () => {
  const w = world();
  try {
    const plan = await cli(w, ['--plan', 'director', 'ekf0', '--json']);
    assert.equal(plan.code, EXIT.OK, plan.err);
    assert.deepEqual(ibRow(plan.json), { ...ibRow(plan.json), current: 'running (pid 777), banned: 7', target: 'ban 41-44', action: 'set' });
    // the ban comes before the first affinity write
    let bannedAtFirstIrqWrite: number[] | null = null;
    w.host.injector = p => { if (bannedAtFirstIrqWrite === null && p.startsWith('/proc/irq/')) bannedAtFirstIrqWrite = [...w.ib.list]; return undefined; };
    const a = await cli(w, ['--apply', 'director', 'ekf0', '--json']);
    assert.equal(a.code, EXIT.OK, a.out + a.err);
    assert.deepEqual(w.ib.list, [7, 41, 42, 43, 44]);
    assert.deepEqual(bannedAtFirstIrqWrite, [7, 41, 42, 43, 44]);
    assert.ok((a.json.changes as JRow[]).some(r => r.setting === 'irqbalance'));
    const v = await cli(w, ['--verify', 'director', 'ekf0']);
    assert.equal(v.code, EXIT.OK, v.out);
    // irqbalance restarted behind our back forgets the ban: verify says so
    w.ib.list = [];
    const d = await cli(w, ['--verify', 'director', 'ekf0']);
    assert.equal(d.code, EXIT.DRIFT);
    assert.match(d.out, /\(host\) +irqbalance +running \(pid 777\), banned: none +ban 41-44 +set/);
    w.ib.list = [7, 41, 42, 43, 44];
    const rb = await cli(w, ['--rollback', 'ekf0']);
    assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
    assert.match(rb.out, /irqbalance: banned IRQs back to 7/);
    assert.deepEqual(w.ib.list, [7]);
  } finally {
    fs.rmSync(w.stateDir, { recursive: true, force: true });
  }
});

test('stop: stopped before the first change, started again by the rollback', async () => {
  const w = world();
  try {
    const a = await cli(w, ['--apply', 'director', 'ekf0', '--set', 'irqbalance=stop']);
    assert.equal(a.code, EXIT.OK, a.out + a.err);
    assert.match(a.out, /\(host\): irqbalance: running \(pid 777\) -> stopped/);
    assert.equal(w.ib.proc, null);
    assert.equal((await cli(w, ['--verify', 'director', 'ekf0', '--set', 'irqbalance=stop'])).code, EXIT.OK);
    const rb = await cli(w, ['--rollback', 'ekf0']);
    assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
    assert.match(rb.out, /irqbalance: started again \(pid 778\)/);
    assert.deepEqual(w.ib.calls.filter(c => c === 'stop' || c === 'start'), ['stop', 'start']);
  } finally {
    fs.rmSync(w.stateDir, { recursive: true, force: true });
  }
});

test('a failed apply is undone, irqbalance too; a ban it does not take changes nothing; not running or ignore: a skip', async () => {
  const w = world();
  try {
    // the last sysctl write fails: everything undone, the ban list as before
    w.host.injector = p => p.endsWith('ip_forward') ? 'EIO' : undefined;
    const f = await cli(w, ['--apply', 'director', 'ekf0', '--set', 'mode=nat']);
    assert.equal(f.code, EXIT.ROLLED_BACK, f.out + f.err);
    assert.match(f.out, /irqbalance: banned IRQs back to 7/);
    assert.deepEqual(w.ib.list, [7]);
    w.host.injector = undefined;
    // a ban irqbalance ignores: refused before any change, no snapshot
    w.ib.refuseBan = true;
    const before = new Map(w.host.files);
    const r = await cli(w, ['--apply', 'director', 'ekf0']);
    assert.equal(r.code, EXIT.ERROR);
    assert.match(r.err, /^ethkit: irqbalance \(pid 777\) did not take the ban of IRQ\(s\) 41-44; nothing changed\n$/);
    assert.deepEqual([...w.host.files.entries()].filter(([p, v]) => before.get(p) !== v), []);
    assert.equal(fs.existsSync(path.join(w.stateDir, 'snapshots', 'net-4026530000', 'ekf0')) ? fs.readdirSync(path.join(w.stateDir, 'snapshots', 'net-4026530000', 'ekf0')).length : 0, 0);
    w.ib.refuseBan = false;
    w.ib.proc = null;
    const p = await cli(w, ['--plan', 'director', 'ekf0', '--json']);
    assert.deepEqual([ibRow(p.json).action, ibRow(p.json).reason], ['skip', 'irqbalance is not running']);
    w.ib.proc = { pid: 9, argv: ['irqbalance'], env: {}, unit: 'irqbalance.service' };
    const i = await cli(w, ['--plan', 'director', 'ekf0', '--set', 'irqbalance=ignore', '--json']);
    assert.deepEqual([ibRow(i.json).current, ibRow(i.json).action], ['running (pid 9, irqbalance.service)', 'skip']);
  } finally {
    fs.rmSync(w.stateDir, { recursive: true, force: true });
  }
});

test('RealIrqbalance: finds the process in /proc, talks its socket protocol, runs systemctl for a unit', async () => {
  const pid = 40000 + (process.pid % 20000);
  const fsys = new MemFs();
  fsys.files.set(`/proc/${pid}/comm`, 'irqbalance\n');
  fsys.files.set(`/proc/${pid}/cmdline`, '/usr/sbin/irqbalance\0--foreground\0--interval\x001\0');
  fsys.files.set(`/proc/${pid}/environ`, 'PATH=/bin\0IRQBALANCE_BANNED_CPULIST=3\0');
  fsys.files.set(`/proc/${pid}/cgroup`, '0::/system.slice/irqbalance.service\n');
  fsys.files.set('/proc/1/comm', 'init\n');
  const cmds: string[] = [];
  const ctl = new RealIrqbalance(fsys, (cmd, args) => { cmds.push([cmd, ...args].join(' ')); if (args[0] === 'stop') fsys.files.delete(`/proc/${pid}/comm`); return { status: 0, stderr: '' }; }, 2000);
  const p = ctl.find()!;
  assert.deepEqual(p, { pid, argv: ['/usr/sbin/irqbalance', '--foreground', '--interval', '1'], env: { IRQBALANCE_BANNED_CPULIST: '3' }, unit: 'irqbalance.service' });
  // a server on the abstract socket irqbalance falls back to: one message in, one answer, close
  let list: number[] = [12];
  const got: string[] = [];
  const server = net.createServer(s => {
    s.once('data', d => {
      const m = d.toString('latin1');
      got.push(m);
      if (m === 'setup') s.end(`SLEEP 1 ${list.map(i => `IRQ ${i} LOAD 0 DIFF 0 CLASS 2 `).join('')}BANNED 00000000`);
      else { const rest = m.replace('settings ban irqs ', ''); list = rest === 'NONE' ? [] : rest.split(' ').map(Number); s.end(); }
    });
  });
  await new Promise<void>(r => server.listen(`\0irqbalance${pid}.sock`, r));
  try {
    assert.equal(ctl.socketPath(p), `\0irqbalance${pid}.sock`);
    assert.deepEqual(await ctl.banned(p), [12]);
    await ctl.ban(p, [12, 41, 42]);
    assert.deepEqual(await ctl.banned(p), [12, 41, 42]);
    await ctl.ban(p, []);
    assert.deepEqual(list, []);
    assert.deepEqual(got, ['setup', 'settings ban irqs 12 41 42', 'setup', 'settings ban irqs NONE']);
  } finally {
    server.close();
  }
  await ctl.stop(p);
  assert.deepEqual(cmds, ['systemctl stop irqbalance.service']);
  await assert.rejects(ctl.banned({ ...p, pid: pid + 1 }), /irqbalance socket @irqbalance\d+\.sock: connect ECONNREFUSED|ENOENT/);
  assert.deepEqual(parseSetup('SLEEP 10 IRQ 5 LOAD 1 DIFF 2 CLASS 0 IRQ 3 LOAD 0 DIFF 0 CLASS 0 BANNED 0'), [3, 5]);
});

test('ban with a channel change: the IRQs the new queues bring are banned before their affinities are written', async () => {
  const sim = new SimTransport([simDevice('ekf0', { queues: 2, maxQueues: 16 })]);
  const host = new SimHostFs(sim, { cpus: 4, ipvs: true });
  const w = { sim, host, ib: new FakeIrqbalance(), stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ekirqb-')) };
  try {
    const writes: { irq: number; banned: boolean }[] = [];
    w.host.injector = p => {
      const m = /^\/proc\/irq\/(\d+)\//.exec(p);
      if (m) writes.push({ irq: Number(m[1]), banned: w.ib.list.includes(Number(m[1])) });
      return undefined;
    };
    const a = await cli(w, ['--apply', 'director', 'ekf0', '--json']);
    assert.equal(a.code, EXIT.OK, a.out + a.err);
    assert.equal(w.sim.devices.get('ekf0')!.channels!.combined_count, 4, 'the channels grew');
    const irqs = [...new Set(writes.map(x => x.irq))].sort((x, y) => x - y);
    assert.ok(irqs.length >= 4, `IRQs written: ${irqs.join(',')}`);
    assert.deepEqual(writes.filter(x => !x.banned), [], 'every IRQ banned before its affinity write');
    assert.deepEqual(w.ib.list, [7, ...irqs]);
  } finally {
    fs.rmSync(w.stateDir, { recursive: true, force: true });
  }
});
