/**
 * ethkit --persist / --unpersist / --persist-status / --persist-run on the simulated NIC and host,
 * installing into a temporary root: the match (permanent address, else the PCI function even
 * behind a virtio device, never the name), the exact rule and unit, `systemd-analyze verify` of
 * the unit, idempotence, removal restoring the root exactly, a failure injected at every file
 * step leaving the root as before, the run finding a renamed device, the status, and one-line
 * errors. The hotplug path itself (udevd, real drivers) is test/rig-persist.test.ts.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { SimTransport, simDevice } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';
import { run, PersistCtx } from '../src/profiles/persist-cli';
import { EXIT } from '../src/profiles/cli';

const REPO = path.resolve(__dirname, '../..');
const PROFILE = path.join(REPO, 'test/fixtures/profiles/persist-check.yaml');
const BIN = path.join(REPO, 'bin/ethkit');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ekpersist-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let roots = 0;

const MAC = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

interface World { sim: SimTransport; fs: SimHostFs; root: string; state: string }

/**
 * ekp0: a PCI NIC with a permanent address (0000:00:03.0); ekp1: virtio_net behind PCI
 * 0000:00:04.0 with no permanent address; ekv0: a virtual device (no device link).
 * `names` renames them (the same hardware under other names, as after udev's renaming).
 */
function world(root?: string, names: { p0?: string; p1?: string } = {}): World {
  const p0 = names.p0 ?? 'ekp0', p1 = names.p1 ?? 'ekp1';
  const d0 = simDevice(p0, { driver: 'e1000' });
  d0.permaddr = MAC;
  const d1 = simDevice(p1, { driver: 'virtio_net' });
  d1.permaddr = [0, 0, 0, 0, 0, 0];
  const dv = simDevice('ekv0', { driver: 'veth' });
  dv.permaddr = [0, 0, 0, 0, 0, 0];
  const sim = new SimTransport([d0, d1, dv]);
  const host = new SimHostFs(sim, { cpus: 2, noIrqs: ['ekv0'] });
  const net = (dev: string, devpath: string) => {
    host.links.set(`/sys/class/net/${dev}`, `../../devices/${devpath}/net/${dev}`);
    host.files.set(`/sys/class/net/${dev}/addr_assign_type`, '0\n');
    host.files.set(`/sys/class/net/${dev}/dev_port`, '0\n');
  };
  net(p0, 'pci0000:00/0000:00:03.0');
  host.links.set(`/sys/class/net/${p0}/device`, '../../../0000:00:03.0');
  host.links.set(`/sys/class/net/${p0}/device/driver`, '../../../bus/pci/drivers/e1000');
  host.links.set('/sys/devices/pci0000:00/0000:00:03.0/subsystem', '../../../bus/pci');
  net(p1, 'pci0000:00/0000:00:04.0/virtio1');
  host.files.set(`/sys/class/net/${p1}/addr_assign_type`, '1\n');
  host.links.set(`/sys/class/net/${p1}/device`, '../../../virtio1');
  host.links.set(`/sys/class/net/${p1}/device/driver`, '../../../../../bus/virtio/drivers/virtio_net');
  host.links.set('/sys/devices/pci0000:00/0000:00:04.0/virtio1/subsystem', '../../../../bus/virtio');
  host.links.set('/sys/devices/pci0000:00/0000:00:04.0/subsystem', '../../../bus/pci');
  host.links.set('/sys/class/net/ekv0', '../../devices/virtual/net/ekv0');
  host.files.set('/sys/class/net/ekv0/addr_assign_type', '3\n');
  const r = root ?? path.join(tmp, `root${roots++}`);
  fs.mkdirSync(r, { recursive: true });
  return { sim, fs: host, root: r, state: path.join(r, 'var/lib/ethkit') };
}

async function persist(w: World, argv: string[], extra: Partial<PersistCtx> = {}): Promise<{ code: number; out: string; err: string; json: Record<string, any> }> {
  let out = '', err = '';
  const code = await run([...argv, '--root', w.root], {
    env: { transport: w.sim, fs: w.fs }, out: t => { out += t; }, err: t => { err += t; }, vars: {}, ...extra,
  });
  let json: Record<string, any> = {};
  if (argv.includes('--json')) json = JSON.parse(out) as Record<string, any>;
  return { code, out, err, json };
}

/** Every path under a root with its content (files), target (links) or "dir"; not run/ (tmpfs: the lock, run records). */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = path.join(d, n);
      const st = fs.lstatSync(p);
      const rel = path.relative(root, p);
      if (rel === 'run') continue;
      if (st.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
      else if (st.isDirectory()) { out[rel] = 'dir'; walk(p); }
      else out[rel] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

const RULE_DIR = 'etc/udev/rules.d';
const UNIT = 'etc/systemd/system/ethkit-apply@.service';

test('--persist by permanent address: the exact rule, unit, boot link, spec and profile copy; twice changes nothing', async () => {
  const w = world();
  const r = await persist(w, ['--persist', PROFILE, 'ekp0', '--state-dir', w.state, '--json']);
  assert.equal(r.code, EXIT.OK, r.err + r.out);
  assert.equal(r.json.specs[0].id, 'mac-525400123456');
  const t = tree(w.root);
  assert.equal(t[`${RULE_DIR}/90-ethkit-mac-525400123456.rules`].split('\n')[3],
    'ACTION=="add", SUBSYSTEM=="net", ATTR{addr_assign_type}=="0", ATTR{address}=="52:54:00:12:34:56", TAG+="systemd", ENV{SYSTEMD_WANTS}+="ethkit-apply@mac-525400123456.service"');
  assert.match(t[UNIT], /^# Installed by ethkit --persist/);
  assert.match(t[UNIT], new RegExp(`^ExecStart=${fs.realpathSync(BIN).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --persist-run %i --root ${w.root}$`, 'm'));
  assert.match(t[UNIT], /^Type=oneshot$/m);
  assert.match(t[UNIT], /^SuccessExitStatus=2$/m);
  assert.match(t[UNIT], /^WantedBy=multi-user.target$/m);
  assert.equal(t['etc/systemd/system/multi-user.target.wants/ethkit-apply@mac-525400123456.service'], '-> ../ethkit-apply@.service');
  const spec = JSON.parse(t['etc/ethkit/persist/mac-525400123456.json']);
  assert.deepEqual(spec.match, { kind: 'mac', mac: '52:54:00:12:34:56' });
  assert.equal(spec.stateDir, w.state);
  assert.equal(spec.device.name, 'ekp0');
  assert.equal(t['etc/ethkit/persist/mac-525400123456.yaml'], fs.readFileSync(PROFILE, 'utf8'));
  assert.deepEqual(w.sim.log.filter(l => l.cmd !== 0x20 /* GPERMADDR */ && l.cmd !== 0x03 /* GDRVINFO */).length, 0, 'installing sets nothing on the device');
  const again = await persist(w, ['--persist', PROFILE, 'ekp0', '--state-dir', w.state]);
  assert.equal(again.code, EXIT.UNCHANGED, again.err);
  assert.match(again.out, /^ok: persist-check is persisted already for ekp0; nothing changed$/m);
  assert.deepEqual(tree(w.root), t, 'the second install leaves every file as it was');
  // Other parameters for the same device replace its spec (exit 0), not a second one.
  const other = await persist(w, ['--persist', PROFILE, 'ekp0']);
  assert.equal(other.code, EXIT.OK, other.err);
  assert.equal(fs.readdirSync(path.join(w.root, RULE_DIR)).length, 1);
});

test('--persist without a permanent address matches the PCI function behind virtio, with its port; --match mac is refused', async () => {
  const w = world();
  const r = await persist(w, ['--persist', PROFILE, 'ekp1', '--json']);
  assert.equal(r.code, EXIT.OK, r.err);
  assert.equal(r.json.specs[0].id, 'pci-0000-00-04.0');
  const rule = fs.readFileSync(path.join(w.root, RULE_DIR, '90-ethkit-pci-0000-00-04.0.rules'), 'utf8').split('\n')[3];
  assert.equal(rule, 'ACTION=="add", SUBSYSTEM=="net", ATTR{dev_port}=="0", SUBSYSTEMS=="pci", KERNELS=="0000:00:04.0", TAG+="systemd", ENV{SYSTEMD_WANTS}+="ethkit-apply@pci-0000-00-04.0.service"');
  const w2 = world();
  const m = await persist(w2, ['--persist', PROFILE, 'ekp1', '--match', 'mac']);
  assert.equal(m.code, EXIT.ERROR);
  assert.equal(m.err, 'ethkit: ekp1 has no permanent address (ETHTOOL_GPERMADDR is zero: its address is random); use --match bus\n');
  const b = await persist(w2, ['--persist', PROFILE, 'ekp0', '--match', 'bus', '--json']);
  assert.equal(b.json.specs[0].id, 'pci-0000-00-03.0');
});

test('the unit passes systemd-analyze verify (and a broken one does not)', async () => {
  const w = world();
  assert.equal((await persist(w, ['--persist', PROFILE, 'ekp0'])).code, EXIT.OK);
  const which = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (which.error) throw new Error('systemd-analyze is missing (Debian package systemd): this test needs it');
  const unitDir = path.join(w.root, 'etc/systemd/system');
  for (const unit of ['ethkit-apply@mac-525400123456.service', 'ethkit-apply@.service']) {
    const r = spawnSync('systemd-analyze', ['verify', path.join(unitDir, unit)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', `systemd-analyze verify ${unit} says nothing`);
  }
  // The same check finds a unit's faults: an unknown key, a program that does not exist.
  const bad = path.join(tmp, `bad${roots++}`);
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'ethkit-apply@.service'), fs.readFileSync(path.join(unitDir, 'ethkit-apply@.service'), 'utf8')
    .replace('Type=oneshot', 'Type=oneshot\nRestartz=no').replace(/^ExecStart=\S+/m, 'ExecStart=/nonexistent/ethkit'));
  const r = spawnSync('systemd-analyze', ['verify', path.join(bad, 'ethkit-apply@x.service')], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Unknown key 'Restartz'/);
  assert.match(r.stderr, /\/nonexistent\/ethkit is not executable/);
});

test('--unpersist restores the root exactly: foreign rules and directories that were there stay', async () => {
  const w = world();
  fs.mkdirSync(path.join(w.root, RULE_DIR), { recursive: true });
  fs.writeFileSync(path.join(w.root, RULE_DIR, '70-local.rules'), 'SUBSYSTEM=="net", ACTION=="add", RUN+="/bin/true"\n');
  fs.mkdirSync(path.join(w.root, 'etc/systemd/system'), { recursive: true });
  const before = tree(w.root);
  assert.equal((await persist(w, ['--persist', PROFILE, 'ekp0', 'ekp1'])).code, EXIT.OK);
  assert.equal(fs.readdirSync(path.join(w.root, RULE_DIR)).length, 3);
  // One removed by device name, the other by spec id: the shared unit goes with the last.
  const one = await persist(w, ['--unpersist', 'ekp0']);
  assert.equal(one.code, EXIT.OK, one.err);
  assert.ok(fs.existsSync(path.join(w.root, UNIT)), 'the unit stays while a spec uses it');
  const two = await persist(w, ['--unpersist', 'pci-0000-00-04.0', '--json']);
  assert.equal(two.code, EXIT.OK, two.err);
  assert.deepEqual(tree(w.root), before);
  const none = await persist(w, ['--unpersist', '--all']);
  assert.equal(none.code, EXIT.UNCHANGED);
  assert.equal(none.out, 'ok: nothing persisted for any device; nothing changed\n');
  const dev = await persist(w, ['--unpersist', 'ekp0']);
  assert.equal(dev.code, EXIT.UNCHANGED);
});

test('a failure at every step of --persist and --unpersist leaves the root as it was', async () => {
  let steps = 0;
  {
    const w = world();
    await persist(w, ['--persist', PROFILE, 'ekp0'], { failFileStep: k => { steps = Math.max(steps, k + 1); } });
  }
  assert.ok(steps >= 6, `${steps} file steps`);
  for (let k = 0; k < steps; k++) {
    const w = world();
    const before = tree(w.root);
    const r = await persist(w, ['--persist', PROFILE, 'ekp0'], {
      failFileStep: step => { if (step === k) throw Object.assign(new Error('injected'), { code: 'ENOSPC' }); },
    });
    assert.equal(r.code, EXIT.ERROR, `step ${k}`);
    assert.equal(r.err, `ethkit: cannot install under ${w.root}: no space left on device (ENOSPC); nothing changed\n`);
    assert.deepEqual(tree(w.root), before, `install step ${k}`);
  }
  const w = world();
  assert.equal((await persist(w, ['--persist', PROFILE, 'ekp0'])).code, EXIT.OK);
  const installedTree = tree(w.root);
  for (let k = 0; k < 7; k++) {
    const r = await persist(w, ['--unpersist', 'ekp0'], {
      failFileStep: step => { if (step === k) throw Object.assign(new Error('injected'), { code: 'EIO' }); },
    });
    assert.equal(r.code, EXIT.ERROR, `unpersist step ${k}`);
    assert.deepEqual(tree(w.root), installedTree, `unpersist step ${k}`);
  }
});

test('a file ethkit did not write is never overwritten or removed', async () => {
  const w = world();
  fs.mkdirSync(path.join(w.root, 'etc/systemd/system'), { recursive: true });
  fs.writeFileSync(path.join(w.root, UNIT), '[Service]\nExecStart=/bin/true\n');
  const before = tree(w.root);
  const r = await persist(w, ['--persist', PROFILE, 'ekp0']);
  assert.equal(r.code, EXIT.ERROR);
  assert.equal(r.err, `ethkit: ${path.join(w.root, UNIT)} exists and was not installed by ethkit; not overwritten (nothing changed)\n`);
  assert.deepEqual(tree(w.root), before);
});

test('--persist-run applies to the device that has the address now, whatever its name; absent is nothing to do', async () => {
  const w = world();
  assert.equal((await persist(w, ['--persist', PROFILE, 'ekp0', '--state-dir', w.state])).code, EXIT.OK);
  // The same hardware, renamed (as udev does when it appears again).
  const w2 = world(w.root, { p0: 'enp0s3' });
  const r = await persist(w2, ['--persist-run', 'mac-525400123456']);
  assert.equal(r.code, EXIT.OK, r.err + r.out);
  assert.match(r.out, /^mac-525400123456: permanent address 52:54:00:12:34:56 is enp0s3 \(was ekp0\): applying persist-check$/m);
  const d = w2.sim.devices.get('enp0s3')!;
  assert.equal(d.ring!.rx_pending, 4096);
  assert.equal(d.features.find(f => f.name === 'rx-gro')!.active, false);
  assert.equal(w2.sim.devices.get('ekp1')!.ring!.rx_pending, 256, 'the other device untouched');
  const rec = JSON.parse(fs.readFileSync(path.join(w.root, 'run/ethkit/persist/mac-525400123456.json'), 'utf8'));
  assert.equal(rec.result, 'applied');
  assert.equal(rec.device, 'enp0s3');
  assert.equal(rec.verify, 'ok');
  const again = await persist(w2, ['--persist-run', 'mac-525400123456', '--json']);
  assert.equal(again.code, EXIT.UNCHANGED);
  assert.equal(again.json.result, 'unchanged');
  // A world without that address: nothing to do, exit 0 (the unit does not fail at boot).
  const w3 = world(w.root);
  w3.sim.devices.get('ekp0')!.permaddr = [2, 0, 0, 0, 0, 9];
  const gone = await persist(w3, ['--persist-run', 'mac-525400123456']);
  assert.equal(gone.code, EXIT.OK);
  assert.equal(gone.out, 'mac-525400123456: no interface with permanent address 52:54:00:12:34:56 now; nothing to do\n');
});

test('--persist-status: verified, drifted, absent and damaged files', async () => {
  const w = world();
  assert.equal((await persist(w, ['--persist', PROFILE, 'ekp0', 'ekp1', '--state-dir', w.state, '--now'])).code, EXIT.OK);
  let s = await persist(w, ['--persist-status', '--json']);
  assert.equal(s.code, EXIT.OK, s.out);
  assert.deepEqual(s.json.specs.map((x: any) => [x.id, x.devices, x.verify.result]), [['mac-525400123456', ['ekp0'], 'ok'], ['pci-0000-00-04.0', ['ekp1'], 'ok']]);
  w.sim.devices.get('ekp1')!.ring!.rx_pending = 512;
  s = await persist(w, ['--persist-status']);
  assert.equal(s.code, EXIT.DRIFT);
  assert.match(s.out, /^pci-0000-00-04\.0 +persist-check +pci device 0000:00:04\.0 port 0 +ekp1 +drift \(1 setting\(s\)\) +applied ekp1 /m);
  assert.match(s.out, /^mac-525400123456 +persist-check +permanent address 52:54:00:12:34:56 +ekp0 +verified +applied ekp0 /m);
  fs.unlinkSync(path.join(w.root, RULE_DIR, '90-ethkit-mac-525400123456.rules'));
  const w2 = world(w.root, { p0: 'other0' });
  w2.sim.devices.get('other0')!.permaddr = [2, 0, 0, 0, 0, 7];
  s = await persist(w2, ['--persist-status', 'mac-525400123456', '--json']);
  assert.equal(s.code, EXIT.DRIFT);
  assert.deepEqual([s.json.specs[0].present, s.json.specs[0].problems], [false, ['rule missing']]);
});

test('bad input: one line, exit 1, nothing installed', async () => {
  const cases: [string[], string][] = [
    [['--persist', PROFILE, 'ekv0'], 'ekv0 is a virtual device (no /sys/class/net/ekv0/device): nothing makes it appear again, so it cannot be persisted'],
    [['--persist', PROFILE, 'nosuch0'], 'nosuch0: no such device'],
    [['--persist', PROFILE], '--persist: name at least one device (see ethkit --persist-help)'],
    [['--persist', 'nosuchprofile', 'ekp0'], 'no profile "nosuchprofile"'],
    [['--persist', PROFILE, 'ekp0', '--set', 'x=1'], '--set x=1: profile persist-check has no parameter "x" (parameters: none)'],
    [['--persist', PROFILE, 'ekp0', '--match', 'name'], '--match name: expected auto, mac or bus (see ethkit --persist-help)'],
    [['--persist', PROFILE, 'ekp0', 'ekp0'], '--persist: device ekp0 named twice (see ethkit --persist-help)'],
    [['--persist', PROFILE, 'ekp0', '--state-dir', 'rel/dir'], '--state-dir rel/dir: must be an absolute path for the unit'],
    [['--unpersist'], '--unpersist: name at least one device or spec id, or give --all (see ethkit --persist-help)'],
    [['--unpersist', 'ekp0', '--all'], '--unpersist: name devices or give --all, not both (see ethkit --persist-help)'],
    [['--unpersist', 'no/such'], '--unpersist: no/such is neither a device nor a persisted spec (installed: none)'],
    [['--persist-run', 'mac-0011'], 'mac-0011: not persisted (no ROOT/etc/ethkit/persist/mac-0011.json)'],
    [['--persist-run', '../x'], '--persist-run ../x: not a spec id (as mac-525400123456 or pci-0000-00-03.0)'],
    [['--persist-status', '--now'], '--now is an option of --persist only (see ethkit --persist-help)'],
    [['--persist', PROFILE, 'ekp0', '--frob'], 'unknown option --frob (see ethkit --persist-help)'],
    [['--persist', PROFILE, 'constructor'], 'constructor: no such device'],
  ];
  for (const [argv, msg] of cases) {
    const w = world();
    const r = await persist(w, argv);
    assert.equal(r.code, EXIT.ERROR, argv.join(' '));
    assert.equal(r.out, '', argv.join(' '));
    const want = msg.startsWith('no profile') ? new RegExp(`^ethkit: ${msg}.*\\n$`) : null;
    if (want) assert.match(r.err, want); else assert.equal(r.err, `ethkit: ${msg.replace('ROOT', w.root)}\n`, argv.join(' '));
    assert.deepEqual(tree(w.root), {}, argv.join(' '));
  }
  const w = world();
  const rel = await run(['--persist-status', '--root', 'relative'], { env: { transport: w.sim, fs: w.fs }, out: () => {}, err: () => {}, vars: {} });
  assert.equal(rel, EXIT.ERROR);
});

test('the program: --persist-help, and an error through bin/ethkit is one line', () => {
  const h = spawnSync(process.execPath, [BIN, '--persist-help'], { encoding: 'utf8' });
  assert.equal(h.status, 0);
  assert.match(h.stdout, /^ {2}ethkit --persist PROFILE DEV\.\.\. /m);
  const root = fs.mkdtempSync(path.join(tmp, 'cli-'));
  const e = spawnSync(process.execPath, [BIN, '--unpersist', 'nosuch-dev0', '--root', root], { encoding: 'utf8' });
  assert.equal(e.status, 1);
  assert.equal(e.stderr, 'ethkit: --unpersist: nosuch-dev0 is neither a device nor a persisted spec (installed: none)\n');
  const j = spawnSync(process.execPath, [BIN, '--persist-status', '--root', root, '--json'], { encoding: 'utf8' });
  assert.equal(j.status, 0, j.stderr);
  assert.deepEqual(JSON.parse(j.stdout).specs, []);
});

test('--persist of the interface of the default route needs --yes; another --match replaces the spec of that device', async () => {
  const w = world();
  w.fs.files.set('/proc/net/route', 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\nekp0\t00000000\t0102000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n');
  const r = await persist(w, ['--persist', PROFILE, 'ekp0']);
  assert.equal(r.code, EXIT.ERROR);
  assert.equal(r.err, 'ethkit: refusing to persist ekp0: it carries the default route, and the unit changes it without asking whenever it appears; add --yes to go ahead\n');
  assert.deepEqual(tree(w.root), {});
  assert.equal((await persist(w, ['--persist', PROFILE, 'ekp0', '--yes'])).code, EXIT.OK);
  const b = await persist(w, ['--persist', PROFILE, 'ekp0', '--yes', '--match', 'bus', '--json']);
  assert.equal(b.code, EXIT.OK, b.err);
  assert.deepEqual(b.json.replaced, ['mac-525400123456']);
  assert.deepEqual(fs.readdirSync(path.join(w.root, RULE_DIR)), ['90-ethkit-pci-0000-00-03.0.rules'], 'one rule per device');
  assert.deepEqual(fs.readdirSync(path.join(w.root, 'etc/ethkit/persist')).sort(), ['.created-dirs', 'pci-0000-00-03.0.json', 'pci-0000-00-03.0.yaml']);
});

test('a second installer waits for the first, then stops in one line having changed nothing', async () => {
  const w = world();
  const lockDir = path.join(w.root, 'run/ethkit/persist');
  fs.mkdirSync(lockDir, { recursive: true });
  const holder = spawn('flock', ['-o', path.join(lockDir, 'persist.lock'), 'sleep', '30'], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !fs.existsSync(path.join(lockDir, 'persist.lock')); i++) await new Promise(r => setTimeout(r, 20));
    await new Promise(r => setTimeout(r, 200));
    const before = tree(w.root);
    const t0 = Date.now();
    const r = await persist(w, ['--persist', PROFILE, 'ekp0', '--state-dir', w.state]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, new RegExp(`^ethkit: another --persist/--unpersist \\(pid ${holder.pid}\\) holds .*persist\\.lock; nothing changed$`, 'm'));
    assert.ok(Date.now() - t0 >= 4500, 'it waited for the holder');
    assert.deepEqual(tree(w.root), before);
  } finally {
    holder.kill('SIGKILL');
  }
  // Once the holder is gone, the same command goes through.
  await new Promise(r => setTimeout(r, 100));
  const ok = await persist(w, ['--persist', PROFILE, 'ekp0', '--state-dir', w.state]);
  assert.equal(ok.code, 0, ok.out + ok.err);
});
