/**
 * The snapshot store and its guards on the simulated NIC and host (in-process): the old
 * single-file format read and moved into entry files, instance identity across a reboot, the
 * CAP_NET_ADMIN preflight, the state-directory lock (--no-wait, --wait), the journal refusal,
 * and exit codes of each path. The same faults for real are in profile-faults/profile-kill.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { SimTransport, simDevice } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';
import { run, EXIT } from '../src/profiles/cli';
import { acquireLock } from '../src/common/lock';
import { SnapshotStore, prepareStateDir, writeDurable } from '../src/profiles/snapshot';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ekstore-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let n = 0;

function world() {
  const sim = new SimTransport([simDevice('ekf0', { queues: 4, maxQueues: 16 })]);
  const host = new SimHostFs(sim, { cpus: 8, ipvs: true });
  return { sim, host, stateDir: path.join(tmpRoot, `w${n++}`) };
}
type W = ReturnType<typeof world>;

async function cli(w: W, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await run([...argv, '--state-dir', w.stateDir], {
    env: { transport: w.sim, fs: w.host }, out: t => { out += t; }, err: t => { err += t; }, isTTY: false, vars: {},
  });
  return { code, out, err };
}

const NS = 'snapshots/net-4026530000';

test('a stack of the old single-file format is rolled back, and moved into entry files on first write', async () => {
  const w = world();
  const pristine = w.host.everything();
  assert.equal((await cli(w, ['--apply', 'director', 'ekf0'])).code, EXIT.OK);
  const tuned = w.host.everything();
  assert.equal((await cli(w, ['--apply', 'latency', 'ekf0'])).code, EXIT.OK);
  // rewrite the two entries in the format of before: one file with a stack, no instance
  const dir = path.join(w.stateDir, NS, 'ekf0');
  const stack = ['000001.json', '000002.json'].map(f => {
    const e = (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { entry: Record<string, unknown> }).entry;
    delete e.instance; delete e.apply;
    return e;
  });
  fs.rmSync(dir, { recursive: true });
  fs.writeFileSync(path.join(w.stateDir, NS, 'ekf0.json'), JSON.stringify({ version: 1, dev: 'ekf0', netns: 'net:[4026530000]', stack }));
  const r1 = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(r1.code, EXIT.OK, r1.err);
  assert.match(r1.out, /^Rolled back ekf0 \(before latency/);
  assert.deepEqual(w.host.everything(), tuned);
  assert.ok(!fs.existsSync(path.join(w.stateDir, NS, 'ekf0.json')), 'the old file is gone');
  assert.deepEqual(fs.readdirSync(dir), ['000001.json']);
  const r2 = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(r2.code, EXIT.OK, r2.err);
  assert.deepEqual(w.host.everything(), pristine);
  // a damaged old file: one line, exit 1
  fs.writeFileSync(path.join(w.stateDir, NS, 'ekf0.json'), '{"version": 1, "dev": "ekf0", "stack": [{"time": 1}]}');
  const bad = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(bad.code, EXIT.ERROR);
  assert.match(bad.err, /^ethkit: snapshot .*ekf0\.json is damaged \(entry 1: no time or profile; remove it to start afresh\)\n$/);
});

test('after a reboot: the initial namespace\'s device is recognised by its permanent address; others are refused', async () => {
  const reboot = (w: W) => w.host.files.set('/proc/sys/kernel/random/boot_id', '6f1c2a8e-0000-4000-8000-00000000beef\n');
  // same permanent address: rolled back
  const a = world();
  const pristine = a.host.everything();
  assert.equal((await cli(a, ['--apply', 'director', 'ekf0'])).code, EXIT.OK);
  reboot(a);
  const ok = await cli(a, ['--rollback', 'ekf0']);
  assert.equal(ok.code, EXIT.OK, ok.err);
  a.host.files.set('/proc/sys/kernel/random/boot_id', '6f1c2a8e-0000-4000-8000-000000000001\n');
  assert.deepEqual(a.host.everything(), pristine);
  // another NIC in the slot (another permanent address): refused, nothing changed
  const b = world();
  assert.equal((await cli(b, ['--apply', 'director', 'ekf0'])).code, EXIT.OK);
  reboot(b);
  b.sim.devices.get('ekf0')!.permaddr = [0x02, 0, 0, 0, 0, 0x99];
  const tuned = b.host.everything();
  const no = await cli(b, ['--rollback', 'ekf0']);
  assert.equal(no.code, EXIT.ERROR);
  assert.equal(no.err, 'ethkit: ekf0: not rolled back: permanent address 02:00:00:00:00:10 then, 02:00:00:00:00:99 now; nothing changed (--force restores the snapshot anyway)\n');
  assert.deepEqual(b.host.everything(), tuned);
  // a namespace other than the initial one does not survive a reboot
  const c = world();
  c.host.links.set('/proc/1/ns/net', 'net:[4026531840]');
  assert.equal((await cli(c, ['--apply', 'director', 'ekf0'])).code, EXIT.OK);
  reboot(c);
  const ns = await cli(c, ['--rollback', 'ekf0']);
  assert.equal(ns.code, EXIT.ERROR);
  assert.match(ns.err, /not rolled back: the snapshot was taken in a network namespace of an earlier boot \(boot 6f1c2a8e-0000-4000-8000-000000000001\); namespaces other than the initial one do not survive a reboot/);
  assert.equal((await cli(c, ['--rollback', 'ekf0', '--force'])).code, EXIT.OK);
  assert.equal((await cli(c, ['--apply', 'director', 'ekf0', '--force'])).code, EXIT.ERROR, '--force is a rollback option');
});

test('without CAP_NET_ADMIN: exit 1 before anything is recorded or changed', async () => {
  const w = world();
  w.host.files.set('/proc/self/status', 'Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t0000000000000000\n');
  const before = w.host.everything();
  for (const argv of [['--apply', 'director', 'ekf0'], ['--apply', 'realserver', 'ekf0'], ['--rollback', 'ekf0']]) {
    const r = await cli(w, argv);
    assert.equal(r.code, EXIT.ERROR);
    assert.equal(r.err, `ethkit: ${argv[0]} needs CAP_NET_ADMIN (run it as root); nothing changed\n`);
  }
  assert.deepEqual(w.host.everything(), before);
  assert.ok(!fs.existsSync(w.stateDir), 'no state directory made');
  w.host.files.set('/proc/self/status', 'CapEff:\t000001ffffffffff\n');
  assert.equal((await cli(w, ['--apply', 'director', 'ekf0'])).code, EXIT.OK);
});

test('the lock: --no-wait fails at once naming the holder, --wait N after N seconds; nothing changed', async () => {
  const w = world();
  fs.mkdirSync(w.stateDir, { recursive: true });
  const held = await acquireLock(path.join(w.stateDir, 'lock'), 0);
  try {
    const before = w.host.everything();
    const t0 = Date.now();
    const a = await cli(w, ['--apply', 'director', 'ekf0', '--no-wait']);
    assert.equal(a.code, EXIT.ERROR);
    assert.equal(a.err, `ethkit: another ethkit (pid ${process.pid}) is changing devices with state in ${w.stateDir}; not waiting (--no-wait); nothing changed\n`);
    const b = await cli(w, ['--rollback', 'ekf0', '--wait', '1']);
    assert.equal(b.code, EXIT.ERROR);
    assert.match(b.err, /gave up after 1 s \(--wait SECONDS waits longer\); nothing changed\n$/);
    assert.ok(Date.now() - t0 >= 1000);
    assert.deepEqual(w.host.everything(), before);
  } finally {
    held.release();
  }
  // released: the next one goes ahead
  assert.equal((await cli(w, ['--apply', 'director', 'ekf0', '--no-wait'])).code, EXIT.OK);
});

test('an interrupted rollback is finished by the same command only; --apply waits for it', async () => {
  const w = world();
  const pristine = w.host.everything();
  assert.equal((await cli(w, ['--apply', 'director', 'ekf0'])).code, EXIT.OK);
  // what a rollback killed after its journal, before its pop, leaves
  const store = new SnapshotStore(w.stateDir, 'net:[4026530000]');
  store.writeJournal({ version: 1, time: 'x', devices: ['ekf0', 'ekf1'], entries: [{ dev: 'ekf0', seq: 1 }] });
  const ap = await cli(w, ['--apply', 'latency', 'ekf0']);
  assert.equal(ap.code, EXIT.ERROR);
  assert.equal(ap.err, 'ethkit: an interrupted --rollback of ekf0 ekf1 is not finished: run ethkit --rollback ekf0 ekf1 first; nothing changed\n');
  const other = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(other.code, EXIT.ERROR);
  store.writeJournal({ version: 1, time: 'x', devices: ['ekf0'], entries: [{ dev: 'ekf0', seq: 1 }] });
  const rb = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(rb.code, EXIT.OK, rb.err);
  assert.deepEqual(w.host.everything(), pristine);
  assert.equal(store.readJournal(), null);
  // journal whose entry is gone already: reported as done, exit 2
  store.writeJournal({ version: 1, time: 'x', devices: ['ekf0'], entries: [{ dev: 'ekf0', seq: 1 }] });
  const done = await cli(w, ['--rollback', 'ekf0']);
  assert.equal(done.code, EXIT.UNCHANGED);
  assert.equal(done.out, 'ok: ekf0 rolled back already by the interrupted run; nothing changed\n');
});

test('writeDurable writes all or nothing; the state directory is made one level at a time and checked', () => {
  const dir = path.join(tmpRoot, 'a', 'b', 'c');
  assert.equal(prepareStateDir(dir, false), false, 'not made without create');
  assert.ok(!fs.existsSync(path.join(tmpRoot, 'a')));
  assert.equal(prepareStateDir(dir, true), true);
  assert.ok(fs.statSync(dir).isDirectory());
  const f = path.join(dir, 'x.json');
  writeDurable(f, 'one\n');
  writeDurable(f, 'two\n');
  assert.equal(fs.readFileSync(f, 'utf8'), 'two\n');
  assert.deepEqual(fs.readdirSync(dir), ['x.json'], 'no temporary file left');
  assert.throws(() => prepareStateDir(path.join(f, 'sub'), true), /x\.json is not a directory/);
  assert.throws(() => prepareStateDir('/proc/self', true), /is on proc, not a file system for files/);
  assert.throws(() => prepareStateDir('/sys/kernel/x', true), /is on sysfs/);
});
