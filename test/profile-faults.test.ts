/**
 * The promise of --apply under faults, tried for real on veths in a network namespace this test
 * makes: either the devices are tuned and the undo record is safe, or nothing changed — with the
 * exit code saying which. Faults: a tiny tmpfs state directory (ENOSPC at several sizes, in a
 * private mount namespace), a read-only one (EROFS), state directories that are no directories,
 * two writers at once (one slowed by strace), a namespace deleted and made again (its inode
 * reused) and a device deleted and made again, runs without CAP_NET_ADMIN, /dev/zero, a FIFO and
 * huge profiles, Ctrl-C and Ctrl-D at the confirmation (on a tmux terminal). Every test checks
 * the devices' state and the exit code. (kill -9 at random points: profile-kill.test.ts.)
 */
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { World } from './profile-world';
import { Netns, requireTool } from './helpers/netns';
import { EXIT } from '../src/profiles/cli';

let w: World;
/** Exit code of each fault injected, for the summary at the end. */
const figures: string[] = [];
const note = (what: string, code: number | null) => figures.push(`${what}: exit ${code}`);

before(() => {
  for (const [tool, pkg, args] of [['ethtool', 'ethtool', ['--version']], ['strace', 'strace', ['-V']], ['tmux', 'tmux', ['-V']], ['setpriv', 'util-linux', ['--version']], ['unshare', 'util-linux', ['--version']]] as const) requireTool(tool, pkg, [...args]);
});
/** Each test in a world of its own: a failure in one never leaves another a tuned device. */
beforeEach(() => { w = new World('fa'); });
afterEach(() => { w?.destroy(); });
after(() => {
  if (figures.length) console.log(`# faults injected and their exit codes:\n${figures.map(f => `#   ${f}`).join('\n')}`);
});

/** Roll back whatever is left (ignoring "no snapshot"), and check the devices are as at first. */
function backTo(pristine: string, devs = 'va vb'): void {
  for (let i = 0; i < 4 && w.files().some(f => f.endsWith('.json')); i++) w.ethkit(['--rollback', ...devs.split(' '), '--yes']);
  assert.deepEqual(w.files(), []);
  assert.equal(w.state(), pristine);
}

/** A shell script run in a private mount namespace inside the test's network namespace. */
function privateMount(script: string): { out: string; code: number | null } {
  const r = spawnSync('ip', ['netns', 'exec', w.ns.name, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', `exec 2>&1\n${script}`], { encoding: 'utf8', timeout: 120_000 });
  return { out: r.stdout + r.stderr, code: r.status };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('a full state directory: the undo record is complete, or nothing is changed and the error says ENOSPC', () => {
  const pristine = w.state();
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'ekfa-tmpfs-'));
  const outcomes = new Map<string, number>();
  try {
    // tmpfs sizes and fillers: from no room for the first record to room for all but the rewrite.
    for (const [size, fill, devs] of [['16k', 0, 'va'], ['16k', 0, 'va vb'], ['16k', 8192, 'va'], ['16k', 12288, 'va'], ['32k', 0, 'va vb'], ['64k', 0, 'va vb'], ['200k', 0, 'va vb']] as const) {
      const ek = (args: string) => w.argv(args.split(' ')).map(q).join(' ').replace(q(w.stateDir), q(mnt));
      const script = [
        `mount -t tmpfs -o size=${size} ekfa ${q(mnt)}`,
        fill ? `head -c ${fill} /dev/zero > ${q(mnt)}/filler` : 'true',
        `${ek(`--apply faults ${devs} --yes`)} >/tmp/ekfa-out.$$ 2>&1; rc=$?`,
        `echo "@@rc=$rc"; cat /tmp/ekfa-out.$$; rm -f /tmp/ekfa-out.$$`,
        `echo "@@state"; ${w.stateScript().replace(/\n/g, '; ')}`,
        `echo "@@files"; find ${q(mnt)}/snapshots -type f 2>/dev/null | sort`,
        `echo "@@rollback"; ${ek(`--rollback ${devs} --yes`)}; echo "@@rc2=$?"`,
        `echo "@@left"; find ${q(mnt)}/snapshots -type f 2>/dev/null | sort`,
      ].join('\n');
      const r = privateMount(script);
      const rc = Number(/@@rc=(\d+)/.exec(r.out)?.[1]);
      const rc2 = Number(/@@rc2=(\d+)/.exec(r.out)?.[1]);
      const afterApply = r.out.split('@@state\n')[1].split('@@files')[0];
      const entries = r.out.split('@@files\n')[1].split('@@rollback')[0].trim().split('\n').filter(Boolean);
      const what = `tmpfs ${size}${fill ? ` with ${fill} bytes taken` : ''}, --apply faults ${devs}`;
      note(what, rc);
      if (rc === EXIT.ERROR) {
        assert.match(r.out, /ethkit: cannot save the snapshot of v[ab] in .* \(nothing changed\): no space left on device \(ENOSPC\)/, what);
        assert.equal(afterApply, pristine, `${what}: exit 1 but the devices changed`);
        assert.deepEqual(entries, [], `${what}: exit 1 leaves no entry`);
        assert.equal(rc2, EXIT.ERROR, `${what}: nothing to roll back`);
      } else {
        assert.equal(rc, EXIT.OK, `${what}: ${r.out}`);
        assert.notEqual(afterApply, pristine);
        assert.equal(entries.length, devs.split(' ').length, `${what}: one entry per device`);
        assert.equal(rc2, EXIT.OK, `${what}: the record restores: ${r.out}`);
        if (r.out.includes('warning')) assert.match(r.out, /ethkit: warning: the snapshot .* keeps what was written before the apply \(it restores the same\): no space left on device \(ENOSPC\)/);
      }
      assert.match(r.out, /@@left\n$/, `${what}: no file left after the rollback`);
      assert.equal(w.state(), pristine, `${what}: the devices are as before`);
      const key = rc === EXIT.ERROR ? 'refused' : r.out.includes('warning') ? 'applied, first record kept' : 'applied';
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    // every outcome happened at least once
    assert.deepEqual([...outcomes.keys()].sort(), ['applied', 'applied, first record kept', 'refused'], JSON.stringify([...outcomes]));

    // The disk fills after the apply: a multi-device rollback cannot write its journal (exit 1,
    // nothing changed); one device at a time needs no space.
    const ek = (args: string) => w.argv(args.split(' ')).map(q).join(' ').replace(q(w.stateDir), q(mnt));
    const r = privateMount([
      `mount -t tmpfs -o size=64k ekfa ${q(mnt)}`,
      `${ek('--apply faults va vb')} >/dev/null; echo "@@apply=$?"`,
      `head -c 1000000 /dev/zero > ${q(mnt)}/filler 2>/dev/null`,
      `${ek('--rollback va vb')}; echo "@@both=$?"`,
      `echo "@@state"; ${w.stateScript().replace(/\n/g, '; ')}`,
      `echo "@@one"; ${ek('--rollback va')}; echo "@@va=$?"; ${ek('--rollback vb')}; echo "@@vb=$?"`,
    ].join('\n'));
    assert.match(r.out, /@@apply=0/);
    assert.match(r.out, /ethkit: cannot write the rollback journal .* \(nothing changed\): no space left on device \(ENOSPC\)\n@@both=1/);
    assert.notEqual(r.out.split('@@state\n')[1].split('@@one')[0], pristine, 'still tuned');
    assert.match(r.out, /@@va=0/);
    assert.match(r.out, /@@vb=0/);
    note('tmpfs full after the apply, --rollback va vb (journal)', 1);
    note('tmpfs full after the apply, --rollback va, then vb', 0);
    assert.equal(w.state(), pristine);
  } finally {
    fs.rmSync(mnt, { recursive: true, force: true });
  }
});

test('a read-only state directory: EROFS in one line, nothing changed; the rollback too', () => {
  const pristine = w.state();
  const ro = (args: string) => privateMount(`mount --bind ${q(w.stateDir)} ${q(w.stateDir)} && mount -o remount,bind,ro ${q(w.stateDir)} && ${w.argv(args.split(' ')).map(q).join(' ')}; echo "@@rc=$?"`);
  const a = ro('--apply faults va vb');
  assert.match(a.out, /^ethkit: cannot lock the state directory .*: read-only file system \(EROFS\); nothing changed\n@@rc=1\n$/);
  assert.equal(w.state(), pristine);
  note('read-only state directory, --apply', 1);
  // an existing record on a file system that became read-only: the rollback refuses before any change
  assert.equal(w.ethkit(['--apply', 'faults', 'va', 'vb']).code, EXIT.OK);
  const tuned = w.state();
  const b = ro('--rollback va vb');
  assert.match(b.out, /^ethkit: cannot lock the state directory .*: read-only file system \(EROFS\); nothing changed\n@@rc=1\n$/);
  assert.equal(w.state(), tuned);
  note('read-only state directory, --rollback', 1);
  backTo(pristine);
});

test('state directories that are not real directories are refused before any mkdir', () => {
  const pristine = w.state();
  const fifo = path.join(w.profileDir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const cases: [string, RegExp][] = [
    ['/proc/sys/net', /^ethkit: state directory \/proc\/sys\/net is on proc, not a file system for files: use a directory on disk\n$/],
    ['/proc/sys/net/nonexistent/deeper', /^ethkit: state directory \/proc\/sys\/net\/nonexistent\/deeper is on proc, not a file system for files/],
    ['/sys/class/net/va/x', /is on sysfs, not a file system for files/],
    ['/etc/hostname/x', /^ethkit: state directory \/etc\/hostname\/x: \/etc\/hostname is not a directory\n$/],
    [fifo, /fifo is not a directory\n$/],
  ];
  for (const [dir, re] of cases) {
    const r = w.ethkit(['--apply', 'faults', 'va', '--state-dir', dir], { state: false, timeoutMs: 30_000 });
    assert.equal(r.code, EXIT.ERROR, `${dir}: ${r.err}`);
    assert.match(r.err, re);
    assert.ok(r.ms < 20_000, `${dir}: ${r.ms} ms`);
    note(`--state-dir ${dir.startsWith(w.profileDir) ? 'FIFO' : dir}`, r.code);
  }
  assert.equal(w.state(), pristine);
});

/** Wait until `cond` holds (polling), at most `ms`. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/** The entry files of a device in the state directory. */
function entriesOf(dev: string): string[] {
  return w.files().filter(f => f.split('/')[2] === dev);
}

test('two writers at once: the second waits (or fails at once, or after --wait), the stack stays consistent', async t => {
  const pristine = w.state();
  // A: writes slowed down by 400 ms each (sysfs, /proc/sys, the record, stdout), so it holds the lock for seconds.
  const slow = ['strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=write', '-e', 'inject=write:delay_enter=400000'];
  let tried = 0;
  for (let round = 0; round < 2; round++) {
    const a = w.start(['--apply', 'faults', 'va', 'vb'], slow);
    await until(() => w.files().length > 0, 60_000, 'the slowed apply to take the lock and record');
    if (round === 0) {
      const noWait = w.ethkit(['--apply', 'faults', 'va', 'vb', '--no-wait']);
      assert.equal(noWait.code, EXIT.ERROR);
      assert.match(noWait.err, /^ethkit: another ethkit \(pid \d+\) is changing devices with state in .*; not waiting \(--no-wait\); nothing changed\n$/);
      note('second --apply during an apply, --no-wait', noWait.code);
      const short = w.ethkit(['--apply', 'faults', 'va', 'vb', '--wait', '1']);
      assert.equal(short.code, EXIT.ERROR);
      assert.match(short.err, /^ethkit: another ethkit \(pid \d+\) is changing devices with state in .*; gave up after 1 s \(--wait SECONDS waits longer\); nothing changed\n$/);
      assert.ok(short.ms >= 1000, `${short.ms} ms`);
      note('second --apply during an apply, --wait 1', short.code);
      // Three more wait their turn: the same apply (nothing left to do), another profile, and a
      // second identical one; none of them may undo another's changes or duplicate an entry.
      const same = w.start(['--apply', 'faults', 'va', 'vb', '--wait', '120']);
      const other = w.start(['--apply', 'realserver', 'va', '--wait', '120']);
      const same2 = w.start(['--apply', 'faults', 'va', 'vb', '--wait', '120']);
      const [ra, rs, ro, rs2] = await Promise.all([a.done, same.done, other.done, same2.done]);
      tried += 6;
      assert.equal(ra.code, EXIT.OK, ra.out + ra.err);
      assert.equal(rs.code, EXIT.UNCHANGED, rs.out + rs.err);
      assert.equal(rs2.code, EXIT.UNCHANGED, rs2.out + rs2.err);
      assert.equal(ro.code, EXIT.OK, ro.out + ro.err);
      note('--apply waiting for an identical apply', rs.code);
      note('--apply of another profile waiting for an apply', ro.code);
      // one entry of faults on each device, one of realserver on top on va
      assert.deepEqual(entriesOf('va').length, 2, w.files().join(' '));
      assert.deepEqual(entriesOf('vb').length, 1, w.files().join(' '));
      assert.match(w.ethkit(['--verify', 'faults', 'va', 'vb']).out, /^ok: /);
      assert.match(w.ethkit(['--verify', 'realserver', 'va']).out, /^ok: /);
      const rb1 = w.ethkit(['--rollback', 'va']);
      assert.match(rb1.out, /^Rolled back va \(before realserver/);
      assert.equal(w.ethkit(['--rollback', 'va', 'vb']).code, EXIT.OK);
      assert.equal(w.state(), pristine);
      assert.deepEqual(w.files(), []);
    } else {
      // A rollback that waits for the apply it undoes.
      const rb = w.start(['--rollback', 'va', 'vb', '--wait', '120']);
      const [ra, rr] = await Promise.all([a.done, rb.done]);
      tried += 2;
      assert.equal(ra.code, EXIT.OK, ra.out + ra.err);
      assert.equal(rr.code, EXIT.OK, rr.out + rr.err);
      note('--rollback waiting for the apply it undoes', rr.code);
      assert.equal(w.state(), pristine);
      assert.deepEqual(w.files(), []);
    }
  }
  t.diagnostic(`concurrent runs: ${tried} tried, every one consistent (device state and stack checked after each round)`);
  console.log(`# concurrent runs: ${tried} tried, ${tried} consistent`);
});

test('a device deleted and made again: --rollback refuses it in one line; --force restores anyway', () => {
  const pristine = w.state();
  assert.equal(w.ethkit(['--apply', 'faults', 'va', 'vb']).code, EXIT.OK);
  w.ns.ip('link', 'del', 'va');
  w.makeVeth();
  const fresh = w.state();
  const r = w.ethkit(['--rollback', 'va', 'vb']);
  assert.equal(r.code, EXIT.ERROR);
  assert.match(r.err, /^ethkit: va: not rolled back: ifindex \d+ then, \d+ now: va was deleted and made again since; nothing changed \(--force restores the snapshot anyway\)\n$/);
  assert.equal(w.state(), fresh, 'nothing changed');
  note('device re-created, --rollback', r.code);
  // the namespace-wide sysctls the apply changed are still changed: --force puts them back
  const f = w.ethkit(['--rollback', 'va', 'vb', '--force']);
  assert.equal(f.code, EXIT.OK, f.out + f.err);
  note('device re-created, --rollback --force', f.code);
  assert.equal(w.state(), pristine);
  assert.deepEqual(w.files(), []);
});

test('a namespace deleted and made again with the same inode: --rollback refuses the dead one\'s snapshot', () => {
  const other = new World('fb');
  try {
    const link = other.netnsLink();
    assert.equal(other.ethkit(['--apply', 'faults', 'va', 'vb']).code, EXIT.OK);
    const snapDir = fs.readdirSync(path.join(other.stateDir, 'snapshots'))[0];
    assert.equal(snapDir, link.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, ''));
    // Delete the namespace; make new ones until the kernel hands out the same inode again.
    let reused = false;
    let ns: Netns | undefined;
    for (let i = 0; i < 30 && !reused; i++) {
      if (i === 0) other.ns.destroy(); else ns!.destroy();
      ns = Netns.create('fb');
      reused = ns.exec('readlink', ['/proc/self/ns/net']).stdout.trim() === link;
    }
    (other as { ns: Netns }).ns = ns!;
    const now = other.netnsLink();
    if (!reused) {
      // Not handed out again (other namespaces were made meanwhile): move the snapshot to the
      // new inode's name, which is what a reuse amounts to.
      fs.renameSync(path.join(other.stateDir, 'snapshots', snapDir), path.join(other.stateDir, 'snapshots', now.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')));
    }
    other.makeVeth();
    const fresh = other.state();
    const r = other.ethkit(['--rollback', 'va', 'vb']);
    assert.equal(r.code, EXIT.ERROR);
    assert.match(r.err, reused
      ? /^ethkit: va: not rolled back: the snapshot was taken in another network namespace \(cookie \d+ then, \d+ now, the same inode \d+ reused\): that namespace is gone; nothing changed \(--force restores the snapshot anyway\)\n$/
      : /^ethkit: va: not rolled back: the snapshot was taken in another network namespace \(cookie \d+ then, \d+ now\): that namespace is gone; nothing changed/);
    assert.equal(other.state(), fresh, 'nothing changed');
    note(`namespace re-created (inode ${reused ? 'reused by the kernel' : 'reuse simulated'}), --rollback`, r.code);
    console.log(`# namespace inode reuse: ${reused ? 'the kernel handed out the same inode' : 'simulated (the kernel gave another inode)'}`);
  } finally {
    other.destroy();
  }
});

test('without CAP_NET_ADMIN: exit 1, one line, no snapshot entry, nothing changed (director and realserver alike)', () => {
  const pristine = w.state();
  // uid 0 with an empty bounding set: no capability at all after exec (the same as an ordinary
  // user for the check), and still able to read a checkout in a directory only root may enter.
  const nobody = ['setpriv', '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all'];
  const noAdmin = ['capsh', '--drop=cap_net_admin', '--'];
  const runs: [string, string[], readonly string[]][] = [
    ['nobody --apply director', ['--apply', 'director', 'va', '--set', 'mode=nat'], nobody],
    ['nobody --apply realserver', ['--apply', 'realserver', 'va'], nobody],
    ['nobody --rollback', ['--rollback', 'va'], nobody],
  ];
  for (const [what, args, wrap] of runs) {
    for (let i = 0; i < 2; i++) {
      const r = w.ethkit(args, { wrap });
      assert.equal(r.code, EXIT.ERROR, `${what}: ${r.err}`);
      assert.equal(r.err, `ethkit: ${args[0]} needs CAP_NET_ADMIN (run it as root); nothing changed\n`);
      assert.equal(w.files().length, 0);
    }
    note(what, EXIT.ERROR);
  }
  // root without CAP_NET_ADMIN (capsh -- -c "cmd")
  const [cmd, ...rest] = w.argv(['--apply', 'director', 'va']);
  const r = spawnSync(cmd, [...rest.slice(0, 3), ...noAdmin, '-c', rest.slice(3).map(q).join(' ')], { encoding: 'utf8' });
  assert.equal(r.status, EXIT.ERROR, r.stderr);
  assert.equal(r.stderr, 'ethkit: --apply needs CAP_NET_ADMIN (run it as root); nothing changed\n');
  note('root without CAP_NET_ADMIN --apply director', r.status);
  assert.equal(w.state(), pristine);
  assert.deepEqual(w.files(), []);
});

test('bounded input: /dev/zero, a FIFO and a 2 MiB profile refused at once; a 1 MB profile of 32k keys loads in seconds', () => {
  const pristine = w.state();
  const fifo = path.join(w.profileDir, 'pipe.yaml');
  spawnSync('mkfifo', [fifo]);
  const big = path.join(w.profileDir, 'big.yaml');
  fs.writeFileSync(big, 'name: big\n' + '# padding\n'.repeat(210_000));
  const cases: [string, string[], RegExp][] = [
    ['--plan /dev/zero', ['--plan', '/dev/zero', 'va'], /^ethkit: \/dev\/zero:1:1: cannot read the profile: a character device, not a regular file\n$/],
    ['--profile-show /dev/zero', ['--profile-show', '/dev/zero'], /^ethkit: \/dev\/zero:1:1: cannot read the profile: a character device, not a regular file\n$/],
    ['--apply FIFO', ['--apply', fifo, 'va'], /pipe\.yaml:1:1: cannot read the profile: a FIFO, not a regular file\n$/],
    ['--plan 2 MiB profile', ['--plan', big, 'va'], /big\.yaml:1:1: cannot read the profile: 2100010 bytes, larger than the limit of 1 MiB\n$/],
  ];
  for (const [what, args, re] of cases) {
    const r = w.ethkit(args, { timeoutMs: 30_000 });
    assert.equal(r.signal, null, `${what}: killed (blocked?)`);
    assert.equal(r.code, EXIT.ERROR, what);
    assert.match(r.err, re, what);
    assert.ok(r.ms < 20_000, `${what}: ${r.ms} ms`);
    note(what, r.code);
  }
  // 32,000 keys in about 1 MB: loaded in seconds (it was 35 s and more), every key checked.
  const lines = ['name: many', 'description: 32k sysctl keys', 'sysctl:'];
  for (let i = 0; i < 32000; i++) lines.push(`  net.ipv4.k${i}.x: 1   # why.`);
  const many = path.join(w.profileDir, 'many.yaml');
  fs.writeFileSync(many, lines.join('\n') + '\n');
  assert.ok(fs.statSync(many).size > 1_000_000 && fs.statSync(many).size <= 1024 * 1024, `${fs.statSync(many).size}`);
  const show = w.ethkit(['--profile-show', many, '--json']);
  assert.equal(show.code, EXIT.OK, show.err);
  assert.equal((JSON.parse(show.out) as { settings: unknown[] }).settings.length, 32000);
  // none of the keys exists: one line each, with its place
  const plan = w.ethkit(['--plan', many, 'va']);
  assert.equal(plan.code, EXIT.ERROR);
  const errs = plan.err.trim().split('\n');
  assert.equal(errs.length, 32000);
  assert.match(errs[31999], /many\.yaml:32003:3: sysctl\.net\.ipv4\.k31999\.x: net\.ipv4\.k31999\.x does not exist here/);
  console.log(`# 1 MB profile of 32k keys: --profile-show ${show.ms} ms, --plan ${plan.ms} ms (whole processes, loaded machine)`);
  assert.ok(show.ms < 30_000 && plan.ms < 30_000, `${show.ms} / ${plan.ms} ms`);
  note('--plan of a 1 MB profile whose 32k sysctls do not exist', plan.code);
  assert.equal(w.state(), pristine);
});

test('typos fail --plan and --verify with file:line:col: an unknown feature, a sysctl that does not exist', () => {
  fs.writeFileSync(path.join(w.profileDir, 'typo.yaml'), 'name: typo\nfeatures:\n  generic-recieve-offload: on\n');
  fs.writeFileSync(path.join(w.profileDir, 'nokey.yaml'), 'name: nokey\nsysctl:\n  net.ipv4.conf.{dev}.rp_filtre: 2\n');
  for (const cmd of ['--plan', '--verify']) {
    const a = w.ethkit([cmd, 'typo', 'va']);
    assert.equal(a.code, EXIT.ERROR);
    assert.match(a.err, /typo\.yaml:3:3: features\.generic-recieve-offload: unknown feature .*did you mean generic-receive-offload\?\)\n$/);
    const b = w.ethkit([cmd, 'nokey', 'va']);
    assert.equal(b.code, EXIT.ERROR);
    assert.match(b.err, /nokey\.yaml:3:3: sysctl\.net\.ipv4\.conf\.\{dev\}\.rp_filtre: net\.ipv4\.conf\.va\.rp_filtre does not exist here/);
  }
});

/** Run `args` on a tmux terminal; `keys` are sent once the confirmation is shown. */
async function onTerminal(args: string[], keys: string[]): Promise<{ code: number; screen: string }> {
  const session = `ekfa${process.pid}`;
  const rc = path.join(w.profileDir, `rc-${keys.join('-')}`);
  fs.rmSync(rc, { force: true });
  const cmd = `${w.argv(args).map(q).join(' ')}; echo $? > ${q(rc)}; sleep 60`;
  spawnSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
  const r = spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '20', cmd], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const screen = () => spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout ?? '';
  try {
    await until(() => /Continue\? \[y\/N\]/.test(screen()), 60_000, 'the confirmation');
    spawnSync('tmux', ['send-keys', '-t', session, ...keys]);
    await until(() => fs.existsSync(rc) && fs.readFileSync(rc, 'utf8').trim() !== '', 60_000, 'ethkit to end');
    // the pane stays until its command ends; read it right away
    return { code: Number(fs.readFileSync(rc, 'utf8').trim()), screen: screen() };
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
  }
}

test('Ctrl-C and Ctrl-D at the default-route confirmation: not confirmed, exit 1, one line, nothing changed', async () => {
  w.ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'va');
  w.ns.ip('route', 'add', 'default', 'via', '192.0.2.254', 'dev', 'va');
  try {
    const pristine = w.state();
    for (const [keys, what] of [[['C-c'], 'Ctrl-C'], [['C-d'], 'Ctrl-D'], [['n', 'Enter'], '"n"']] as const) {
      const r = await onTerminal(['--apply', 'director', 'va', '--set', 'mode=nat'], [...keys]);
      assert.equal(r.code, EXIT.ERROR, `${what}: ${r.screen}`);
      assert.match(r.screen, /Continue\? \[y\/N\][^\n]*\n(.*\n)?ethkit: not confirmed: nothing changed on va/, what);
      assert.equal(w.state(), pristine, `${what}: nothing changed`);
      assert.deepEqual(w.files(), [], `${what}: no snapshot`);
      note(`${what} at the default-route confirmation`, r.code);
    }
  } finally {
    w.ns.ip('route', 'del', 'default');
    w.ns.ip('addr', 'del', '192.0.2.1/24', 'dev', 'va');
  }
});

test('small things: -h after a command is help; --set quotes the value as typed; stale temporaries are removed', () => {
  for (const args of [['--plan', '-h'], ['--apply', 'director', 'va', '-h']]) {
    const r = w.ethkit(args);
    assert.equal(r.code, EXIT.OK);
    assert.match(r.out, /^Tuning profiles:\n/);
  }
  const big = w.ethkit(['--plan', 'director', 'va', '--set', 'backlog=18446744073709551616']);
  assert.equal(big.err, 'ethkit: --set backlog=18446744073709551616: bad value "18446744073709551616": backlog is at most 16777216\n');
  assert.equal(w.ethkit(['--plan', 'director', 'va', '--set', 'backlog=0x10000']).code, EXIT.OK);
  const bad = w.ethkit(['--apply', 'director', 'va', '--wait', 'soon']);
  assert.equal(bad.err, 'ethkit: --wait soon: expected a number of seconds from 0 to 86400 (see ethkit --profile-help)\n');
  // a temporary file of a writer killed before its rename
  const pristine = w.state();
  const dir = path.join(w.stateDir, 'snapshots', w.netnsLink().replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, ''), 'va');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.000001.json.99999.tmp'), '{"version": 2, "dev": "va", "seq": 1, "ent');
  const r = w.ethkit(['--apply', 'faults', 'va']);
  assert.equal(r.code, EXIT.OK, r.err);
  assert.ok(!w.files().some(f => f.endsWith('.tmp')), w.files().join(' '));
  backTo(pristine, 'va');
});
