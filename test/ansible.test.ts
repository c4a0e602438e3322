/**
 * The Ansible module (contrib/ansible/library/ethkit_profile.py) run by Debian's real
 * `ansible-playbook` against localhost (connection local), on a veth pair in a namespace of this
 * test's own (the module's `netns` option runs ethkit there): check mode first (would change,
 * changes nothing), the --diff text, apply twice (changed, then ok), verified and drift, a
 * parameter out of range and a kernel failure mid-apply (failed with the one-line reason, rolled
 * back, the veth as before), rolled_back in check mode and for real, then ok.
 *
 * Results are read from the `oneline` stdout callback: one `localhost | STATUS => {json}` line
 * per task.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Netns, requireTool } from './helpers/netns';

const ROOT = path.resolve(__dirname, '../..');
const LIBRARY = path.join(ROOT, 'contrib/ansible/library');
const BIN = path.join(ROOT, 'bin/ethkit');

let ns: Netns;
let tmp: string;
let stateDir: string;
let profileDir: string;

before(() => {
  requireTool('ansible-playbook', 'ansible-core');
  requireTool('ethtool', 'ethtool');
  ns = Netns.create('an');
  ns.veth('va', 'vb', { queues: 4 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ekansible-'));
  stateDir = path.join(tmp, 'state');
  profileDir = path.join(tmp, 'profiles');
  fs.mkdirSync(profileDir);
  fs.copyFileSync(path.join(ROOT, 'profiles/director.yaml'), path.join(profileDir, 'director.yaml'));
  fs.writeFileSync(path.join(profileDir, 'broken.yaml'), [
    'name: broken',
    'description: three settings the kernel takes, then one it rejects',
    'features:',
    '  tso: off',
    'sysctl:',
    '  net.ipv4.conf.{dev}.accept_redirects: 0',
    '  net.ipv4.conf.{dev}.arp_ignore: lots',
    '',
  ].join('\n'));
});
after(() => {
  ns?.destroy();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface TaskResult { status: string; result: Record<string, unknown> }
interface Play { code: number; stdout: string; stderr: string; tasks: TaskResult[] }

/** One play of `tasks` (module options as JSON objects) run by ansible-playbook. */
function play(tasks: Record<string, unknown>[], flags: string[] = [], callback = 'oneline'): Play {
  const file = path.join(tmp, 'play.yml');
  const doc = [{
    hosts: 'localhost', connection: 'local', gather_facts: false,
    tasks: tasks.map((t, k) => ({
      name: `task ${k + 1}`,
      ethkit_profile: { devices: ['va'], ethkit: BIN, netns: ns.name, state_dir: stateDir, profile_dir: profileDir, ...t },
    })),
  }];
  // JSON is YAML.
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env, ANSIBLE_LIBRARY: LIBRARY, ANSIBLE_HOME: path.join(tmp, 'home'), ANSIBLE_LOCAL_TEMP: path.join(tmp, 'ansible-tmp'),
    ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_STDOUT_CALLBACK: callback,
    ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_DEPRECATION_WARNINGS: '0', ANSIBLE_LOCALHOST_WARNING: '0',
  };
  delete env.LD_PRELOAD;
  const r = spawnSync('ansible-playbook', ['-i', 'localhost,', ...flags, file], { encoding: 'utf8', env, timeout: 300_000 });
  if (r.error) throw r.error;
  const results: TaskResult[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^localhost \| (CHANGED|SUCCESS|FAILED!) => (\{.*\})$/.exec(line);
    if (m) results.push({ status: m[1], result: JSON.parse(m[2]) as Record<string, unknown> });
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, tasks: results };
}

function inNs(cmd: string, ...args: string[]): string {
  return ns.exec(cmd, args).stdout;
}

/** Everything the profiles here change on va. */
function state(): Record<string, string> {
  const s: Record<string, string> = { features: inNs('ethtool', '-k', 'va') };
  for (const f of ['net/ipv4/ip_forward', 'net/ipv4/conf/all/send_redirects', 'net/ipv4/conf/va/send_redirects',
    'net/ipv4/conf/all/rp_filter', 'net/ipv4/conf/va/rp_filter', 'net/ipv4/conf/va/arp_ignore', 'net/ipv4/conf/va/accept_redirects']) s[f] = inNs('cat', `/proc/sys/${f}`);
  for (let q = 0; q < 4; q++) s[`xps${q}`] = inNs('cat', `/sys/class/net/va/queues/tx-${q}/xps_cpus`);
  return s;
}

const gro = (): string => /generic-receive-offload: (\w+)/.exec(inNs('ethtool', '-k', 'va'))![1];

interface Change { device: string | null; setting: string; before: string | null; after: string | null }

const DIRECTOR = { profile: 'director', params: { mode: 'nat', gro: true } };
let initial: Record<string, string>;

test('check mode: would change, changes nothing; --diff shows each setting before and after', () => {
  initial = state();
  assert.equal(gro(), 'off');
  const p = play([DIRECTOR], ['--check']);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  assert.equal(p.tasks.length, 1, p.stdout);
  assert.equal(p.tasks[0].status, 'CHANGED');
  const changes = p.tasks[0].result.changes as Change[];
  assert.ok(changes.some(c => c.setting === 'feature generic-receive-offload (rx-gro)' && c.before === 'off' && c.after === 'on'), JSON.stringify(changes));
  assert.ok(changes.some(c => c.device === null && c.setting === 'sysctl net.ipv4.ip_forward' && c.after === '1'));
  assert.deepEqual(state(), initial, 'check mode changed something');

  const d = play([DIRECTOR], ['--check', '--diff'], 'default');
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.match(d.stdout, /^--- before: va \(before\)$/m);
  assert.match(d.stdout, /^\+\+\+ after: va \(after\)$/m);
  assert.match(d.stdout, /^-va: feature generic-receive-offload \(rx-gro\): off$/m);
  assert.match(d.stdout, /^\+va: feature generic-receive-offload \(rx-gro\): on$/m);
  assert.match(d.stdout, /^\+\(host\): sysctl net\.ipv4\.ip_forward: 1$/m);
  assert.match(d.stdout, /changed: \[localhost\]/);
  assert.deepEqual(state(), initial);
});

test('applied: changed the first time, ok the second; --diff of what was set', () => {
  const first = play([DIRECTOR], ['--diff'], 'default');
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /changed: \[localhost\]/);
  assert.match(first.stdout, /^\+va: xps tx-0: 1$/m);
  assert.equal(gro(), 'on');
  const applied = state();
  assert.notDeepEqual(applied, initial);

  const again = play([DIRECTOR]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.equal(again.tasks[0].status, 'SUCCESS');
  assert.equal(again.tasks[0].result.changed, false);
  assert.equal(again.tasks[0].result.exit_code, 2);
  assert.match(again.tasks[0].result.msg as string, /^va already matches director$/);
  // Check mode on a device that matches: nothing would change.
  const check = play([DIRECTOR], ['--check']);
  assert.equal(check.tasks[0].status, 'SUCCESS');
  assert.deepEqual(check.tasks[0].result.changes, []);
  assert.deepEqual(state(), applied);
});

test('verified: ok while the device matches; drift behind its back fails the task with the diff', () => {
  const ok = play([{ ...DIRECTOR, state: 'verified' }]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(ok.tasks[0].status, 'SUCCESS');
  assert.equal(ok.tasks[0].result.changed, false);
  ns.exec('ethtool', ['-K', 'va', 'gro', 'off']);
  const drift = play([{ ...DIRECTOR, state: 'verified' }]);
  assert.equal(drift.code, 2, drift.stdout);
  assert.equal(drift.tasks[0].status, 'FAILED!');
  assert.equal(drift.tasks[0].result.msg, 'drift: 1 setting(s) of va differ from director');
  assert.deepEqual(drift.tasks[0].result.changes, [{ device: 'va', setting: 'feature generic-receive-offload (rx-gro)', before: 'off', after: 'on' }]);
  assert.equal(gro(), 'off', 'verified changed something');
  // Applied again: only the drifted setting is set.
  const fix = play([DIRECTOR]);
  assert.equal(fix.tasks[0].status, 'CHANGED');
  assert.deepEqual((fix.tasks[0].result.changes as Change[]).map(c => c.setting), ['feature generic-receive-offload (rx-gro)']);
});

test('a failing apply: failed with the one-line reason, rolled back by the transaction, the veth as before', () => {
  const before = state();
  const bad = play([{ profile: 'broken' }]);
  assert.equal(bad.code, 2, bad.stdout);
  assert.equal(bad.tasks[0].status, 'FAILED!');
  const r = bad.tasks[0].result;
  assert.match(r.msg as string, /^write \/proc\/sys\/net\/ipv4\/conf\/va\/arp_ignore: invalid argument.*; every change was rolled back, the devices are as before$/);
  assert.ok(!(r.msg as string).includes('\n'));
  assert.equal(r.rolled_back, true);
  assert.equal(r.exit_code, 4);
  assert.equal(r.changed, false);
  assert.ok((r.steps as { status: string }[]).some(s => s.status === 'undone'));
  assert.deepEqual(state(), before);
  // Its text as the operator sees it.
  const text = play([{ profile: 'broken' }], [], 'default');
  assert.match(text.stdout, /^fatal: \[localhost\]: FAILED! => .*"msg": "write \/proc\/sys\/net\/ipv4\/conf\/va\/arp_ignore: invalid argument/m);
  assert.deepEqual(state(), before);

  const range = play([{ profile: 'director', params: { backlog: 5 } }]);
  assert.equal(range.code, 2);
  assert.equal(range.tasks[0].status, 'FAILED!');
  assert.match(range.tasks[0].result.msg as string, /^--set backlog=5: .*1000/);
  assert.ok(!(range.tasks[0].result.msg as string).includes('\n'));
  assert.deepEqual(state(), before);

  const noProfile = play([{ profile: 'no-such-profile' }]);
  assert.equal(noProfile.tasks[0].status, 'FAILED!');
  assert.match(noProfile.tasks[0].result.msg as string, /^no profile "no-such-profile"/);
});

test('rolled_back: check mode changes nothing, then every snapshot undone, then ok', () => {
  const applied = state();
  const check = play([{ state: 'rolled_back' }], ['--check', '--diff'], 'default');
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /changed: \[localhost\]/);
  assert.match(check.stdout, /^-va: feature generic-receive-offload \(rx-gro\): on$/m);
  assert.deepEqual(state(), applied);

  const rb = play([{ state: 'rolled_back' }]);
  assert.equal(rb.code, 0, rb.stdout + rb.stderr);
  assert.equal(rb.tasks[0].status, 'CHANGED');
  assert.ok((rb.tasks[0].result.changes as Change[]).length >= 5);
  assert.deepEqual(state(), initial, 'not back at the state before the first apply');

  const again = play([{ state: 'rolled_back' }]);
  assert.equal(again.tasks[0].status, 'SUCCESS');
  assert.equal(again.tasks[0].result.msg, 'nothing to roll back');
  const checkAgain = play([{ state: 'rolled_back' }], ['--check']);
  assert.equal(checkAgain.tasks[0].status, 'SUCCESS');
  assert.deepEqual(state(), initial);
});

test('bad module options: one-line failures', () => {
  const noEthkit = play([{ profile: 'director', ethkit: '/nonexistent/ethkit' }]);
  assert.equal(noEthkit.tasks[0].status, 'FAILED!');
  assert.equal(noEthkit.tasks[0].result.msg, 'ethkit option: /nonexistent/ethkit is not an executable file');
  const noProfile = play([{ state: 'applied', profile: null }]);
  assert.equal(noProfile.tasks[0].status, 'FAILED!');
  assert.match(noProfile.tasks[0].result.msg as string, /profile/);
});
