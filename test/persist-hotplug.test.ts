/**
 * A persisted profile re-applied each time its device appears again, on a real kernel: a veth
 * in a network namespace this test creates (and always deletes), deleted and made again with
 * the same address, as a hotplug or a driver reload does to a NIC. ethkit runs inside the
 * namespace (test/helpers/persist-child.ts shows the veth as a PCI function, since --persist
 * refuses a virtual device). Each re-apply's snapshot replaces the one of the instance that is
 * gone: after 3 appearances the device's stack holds 1 entry and one --rollback returns it to
 * the driver's defaults. Also: a plain --apply still stacks (and the older entry is refused as
 * another instance), a stop between writing the new entry and removing the old ones loses no
 * undo record, and two runs at once (the state directory's lock) leave one entry.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Netns, requireTool } from './helpers/netns';
import { EXIT } from '../src/profiles/cli';

const CLI = path.resolve(__dirname, '../src/profiles/cli.js');
const CHILD = path.resolve(__dirname, 'helpers/persist-child.js');
const BUS = '0000:00:1f.0';
const ID = 'pci-0000-00-1f.0';
const MAC = '02:00:00:e7:0a:01';
let ns: Netns;
let tmp: string;
let root: string;
let state: string;
let profile: string;

before(() => {
  requireTool('ethtool', 'ethtool', ['--version']);
  ns = Netns.create('ph');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ekhotplug-'));
  root = path.join(tmp, 'root');
  state = path.join(tmp, 'state');
  fs.mkdirSync(root);
  profile = path.join(tmp, 'hotplug.yaml');
  fs.writeFileSync(profile, [
    'name: hotplug',
    'description: GRO on and strict reverse-path filtering (a veth made again has GRO off and rp_filter 0)',
    'features:',
    '  gro: on',
    'sysctl:',
    '  net.ipv4.conf.{dev}.rp_filter: 1',
    '',
  ].join('\n'));
  plug();
});
after(() => {
  ns?.destroy();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The device appears: va (with the same address every time) and its peer, both up. */
function plug(): void {
  ns.ip('link', 'add', 'va', 'address', MAC, 'type', 'veth', 'peer', 'name', 'vb');
  ns.ip('link', 'set', 'va', 'up');
  ns.ip('link', 'set', 'vb', 'up');
}

/** The device goes away and comes back (the peer goes with it). */
function replug(): void {
  ns.ip('link', 'del', 'va');
  plug();
}

interface Run { code: number; out: string; err: string; json: Record<string, any> }

function result(r: { status: number | null; stdout: string; stderr: string }, json: boolean): Run {
  let j: Record<string, any> = {};
  if (json) { try { j = JSON.parse(r.stdout) as Record<string, any>; } catch { assert.fail(`not JSON: ${r.stdout}\n${r.stderr}`); } }
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, json: j };
}

/** A persistence command in the namespace. */
function persist(...args: string[]): Run {
  return result(ns.exec(process.execPath, [CHILD, 'va', BUS, ...args, '--root', root], { allowFail: true }), args.includes('--json'));
}

/** A profile command in the namespace. */
function profiles(...args: string[]): Run {
  return result(ns.exec(process.execPath, [CLI, ...args, '--state-dir', state], { allowFail: true }), args.includes('--json'));
}

function inNs(cmd: string, ...args: string[]): string { return ns.exec(cmd, args).stdout; }
function gro(): string { return /generic-receive-offload: (\w+)/.exec(inNs('ethtool', '-k', 'va'))![1]; }
function rpFilter(): string { return inNs('cat', '/proc/sys/net/ipv4/conf/va/rp_filter').trim(); }
function ifindex(): string { return inNs('cat', '/sys/class/net/va/ifindex').trim(); }
/** What the profile changes, as the device has it now. */
function settings(): { gro: string; rp_filter: string; features: string } {
  return { gro: gro(), rp_filter: rpFilter(), features: inNs('ethtool', '-k', 'va') };
}

/** The entry files of va's stack (every namespace directory of the state directory). */
function stack(): string[] {
  const snaps = path.join(state, 'snapshots');
  if (!fs.existsSync(snaps)) return [];
  return fs.readdirSync(snaps).flatMap(n => {
    const d = path.join(snaps, n, 'va');
    return fs.existsSync(d) ? fs.readdirSync(d).filter(f => f.endsWith('.json')).map(f => path.join(d, f)) : [];
  }).sort();
}

test('each re-appearance replaces the snapshot of the instance that is gone: 3 hotplugs, depth 1, one --rollback to the defaults', () => {
  const defaults = settings();
  assert.equal(defaults.gro, 'off');
  assert.equal(defaults.rp_filter, '0');
  const p = persist('--persist', profile, 'va', '--state-dir', state, '--now', '--json');
  assert.equal(p.code, EXIT.OK, p.out + p.err);
  assert.equal(p.json.specs[0].id, ID);
  assert.equal(p.json.runs[0].result, 'applied');
  assert.equal(gro(), 'on');
  assert.equal(rpFilter(), '1');
  assert.equal(stack().length, 1);
  const seen = new Set([ifindex()]);
  for (let k = 1; k <= 3; k++) {
    replug();
    seen.add(ifindex());
    assert.deepEqual(settings(), defaults, `appearance ${k}: the device is back at its defaults`);
    const r = persist('--persist-run', ID, '--json');
    assert.equal(r.code, EXIT.OK, r.out + r.err);
    assert.equal(r.json.result, 'applied');
    assert.equal(r.json.verify.result, 'ok');
    const replaced = r.json.apply.replaced.va as string[];
    assert.equal(replaced.length, 1, `appearance ${k}: the earlier instance's entry is replaced`);
    assert.equal(gro(), 'on');
    assert.equal(rpFilter(), '1');
    assert.equal(stack().length, 1, `appearance ${k}: stack depth`);
  }
  assert.equal(seen.size, 4, 'each appearance is another instance (another ifindex)');
  // The text of the unit's run says what was replaced.
  replug();
  const t = persist('--persist-run', ID);
  assert.equal(t.code, EXIT.OK, t.out + t.err);
  assert.match(t.out, /^ {2}va: replaces the snapshot of an earlier instance \(ifindex \d+ then, \d+ now: va was deleted and made again since\)$/m);
  assert.equal(stack().length, 1);
  const rb = profiles('--rollback', 'va', '--json');
  assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
  assert.deepEqual(settings(), defaults, 'one rollback: the driver defaults');
  assert.equal(stack().length, 0);
  const none = profiles('--rollback', 'va');
  assert.equal(none.code, EXIT.ERROR);
  assert.match(none.err, /^ethkit: va: no snapshot to roll back to/);
  assert.equal(persist('--unpersist', ID).code, EXIT.OK);
});

test('a plain --apply after the device was made again still stacks; the entry of the gone instance is refused', () => {
  const defaults = settings();
  assert.equal(profiles('--apply', profile, 'va').code, EXIT.OK);
  replug();
  const a = profiles('--apply', profile, 'va', '--json');
  assert.equal(a.code, EXIT.OK, a.out + a.err);
  assert.equal(a.json.replaced, undefined);
  assert.equal(stack().length, 2);
  assert.equal(profiles('--rollback', 'va').code, EXIT.OK);
  assert.deepEqual(settings(), defaults);
  const old = profiles('--rollback', 'va');
  assert.equal(old.code, EXIT.ERROR);
  assert.match(old.err, /^ethkit: va: not rolled back: ifindex \d+ then, \d+ now: va was deleted and made again since; nothing changed \(--force restores the snapshot anyway\)\n$/);
  // --apply --replace-stale on a device at its defaults with a stale entry: the stale one goes.
  const r = profiles('--apply', profile, 'va', '--replace-stale', '--json');
  assert.equal(r.code, EXIT.OK, r.out + r.err);
  assert.equal(r.json.replaced.va.length, 1);
  assert.equal(stack().length, 1);
  assert.equal(profiles('--rollback', 'va').code, EXIT.OK);
  assert.deepEqual(settings(), defaults);
  assert.equal(stack().length, 0);
  const bad = profiles('--rollback', 'va', '--replace-stale');
  assert.equal(bad.code, EXIT.ERROR);
  assert.equal(bad.err, 'ethkit: --replace-stale is an option of --apply only (see ethkit --profile-help)\n');
});

test('a stop between writing the new entry and removing the old one loses no undo record; the next run finishes the job', () => {
  const defaults = settings();
  assert.equal(persist('--persist', profile, 'va', '--state-dir', state, '--now').code, EXIT.OK);
  const [first] = stack();
  const firstText = fs.readFileSync(first, 'utf8');
  replug();
  assert.equal(persist('--persist-run', ID).code, EXIT.OK);
  // As if the run had stopped right after its entry was on disk: the old entry is still there.
  fs.writeFileSync(first, firstText);
  assert.equal(stack().length, 2);
  // The top entry is the current instance's: a rollback now restores the defaults.
  const rb = profiles('--rollback', 'va', '--dry-run', '--json');
  assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
  assert.equal(rb.json.summary.set, 2, 'the rollback plan: GRO and rp_filter back');
  // The next appearance's run replaces both entries of the instances that are gone.
  replug();
  const r = persist('--persist-run', ID, '--json');
  assert.equal(r.code, EXIT.OK, r.out + r.err);
  assert.equal(r.json.apply.replaced.va.length, 2);
  assert.equal(stack().length, 1);
  assert.equal(profiles('--rollback', 'va').code, EXIT.OK);
  assert.deepEqual(settings(), defaults);
  assert.equal(persist('--unpersist', '--all').code, EXIT.OK);
});

/** A persistence command in the namespace, not waited for. */
function persistAsync(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const c = spawn('ip', ['netns', 'exec', ns.name, process.execPath, CHILD, 'va', BUS, ...args, '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    c.stdout.on('data', d => { out += d; });
    c.stderr.on('data', d => { err += d; });
    c.on('error', reject);
    c.on('close', code => resolve(result({ status: code, stdout: out, stderr: err }, args.includes('--json'))));
  });
}

test('two runs at once for a device that appeared again (its udev event and the boot link): one applies, one finds it done; one entry', async () => {
  const defaults = settings();
  assert.equal(persist('--persist', profile, 'va', '--state-dir', state, '--now').code, EXIT.OK);
  replug();
  const runs = await Promise.all([persistAsync('--persist-run', ID, '--json'), persistAsync('--persist-run', ID, '--json')]);
  const codes = runs.map(r => r.code).sort();
  assert.deepEqual(codes, [EXIT.OK, EXIT.UNCHANGED], runs.map(r => r.out + r.err).join('\n'));
  const applied = runs.find(r => r.code === EXIT.OK)!;
  assert.equal(applied.json.apply.replaced.va.length, 1);
  assert.equal(runs.find(r => r.code === EXIT.UNCHANGED)!.json.result, 'unchanged');
  assert.equal(stack().length, 1);
  assert.equal(profiles('--rollback', 'va').code, EXIT.OK);
  assert.deepEqual(settings(), defaults);
  assert.equal(stack().length, 0);
  assert.equal(persist('--unpersist', '--all').code, EXIT.OK);
});
