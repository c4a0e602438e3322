/**
 * --monitor against ethtool 6.1's, on the kernel's real notifications: both run side by side on a
 * terminal (script(1) gives each a pty, so stdout goes out by line, as it does for a user) inside
 * a namespace of the test's own, while the test changes a veth pair there with ethtool; then both
 * are interrupted and what they printed is compared byte for byte. Also: the options and the
 * device filter, and the refusals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireTool, sh, uniqueName } from './helpers/netns';

const ROOT = path.resolve(__dirname, '../..');
const ETHKIT = path.join(ROOT, 'bin/ethkit');

function sleep(ms: number): Promise<void> { return new Promise(r => setTimeout(r, ms)); }

interface Watcher { child: ChildProcess; file: string }

/** `tool --monitor ARGS` in namespace `ns`, on a pty, its output into a file. */
function watch(ns: string, tool: string, args: readonly string[], dir: string, name: string): Watcher {
  const file = path.join(dir, name);
  const cmd = ['ip', 'netns', 'exec', ns, tool, '--monitor', ...args].map(a => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', cmd, file], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, TERM: 'dumb', LANG: 'C' } });
  return { child, file };
}

/** What a watcher printed, line endings as the program wrote them. */
function output(w: Watcher): string {
  let t: string;
  try { t = readFileSync(w.file, 'latin1'); } catch { return ''; }
  // script(1)'s own header and trailer lines are not the program's.
  return t.replace(/\r\n/g, '\n').replace(/^Script (started|done) on .*\n/gm, '');
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function stop(w: Watcher): Promise<void> {
  if (w.child.exitCode !== null) return;
  w.child.stdin?.write('\x03'); // Ctrl-C on the pty
  await Promise.race([new Promise(r => w.child.once('exit', r)), sleep(3000)]);
  if (w.child.exitCode === null) w.child.kill('SIGKILL');
}

function setup(): string {
  requireTool('script', 'bsdutils', ['--version']);
  requireTool('ethtool');
  const ns = uniqueName('mo');
  sh('ip', ['netns', 'add', ns]);
  sh('ip', ['-n', ns, 'link', 'add', 'va', 'numtxqueues', '2', 'numrxqueues', '2', 'type', 'veth', 'peer', 'name', 'vb', 'numtxqueues', '2', 'numrxqueues', '2']);
  sh('ip', ['-n', ns, 'link', 'set', 'va', 'up']);
  sh('ip', ['-n', ns, 'link', 'set', 'vb', 'up']);
  return ns;
}

/** Run both monitors with `args`, make the `changes` (ethtool command lines in the namespace), compare. */
async function both(ns: string, args: readonly string[], changes: readonly string[][]): Promise<{ ethtool: string; ethkit: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ekmon-'));
  const a = watch(ns, 'ethtool', args, dir, 'ethtool');
  const b = watch(ns, ETHKIT, args, dir, 'ethkit');
  try {
    await until('both monitors listening', () => output(a).includes('listening...') && output(b).includes('listening...'), 20_000);
    for (const ch of changes) {
      sh('ip', ['netns', 'exec', ns, 'ethtool', ...ch], { allowFail: true });
      // Each change's events reach both before the next change (a change may make none).
      const before = output(a).length;
      for (const end = Date.now() + 2000; output(a).length === before && Date.now() < end;) await sleep(50);
      await sleep(200);
    }
    await sleep(300);
    return { ethtool: output(a), ethkit: output(b) };
  } finally {
    await stop(a);
    await stop(b);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('--monitor: events of channel, feature, ring and pause changes on a veth, as ethtool prints them', { timeout: 120_000 }, async () => {
  const ns = setup();
  try {
    const r = await both(ns, [], [['-L', 'va', 'rx', '1'], ['-K', 'va', 'gro', 'on'], ['-L', 'va', 'tx', '1', 'rx', '2'], ['-K', 'va', 'tso', 'off']]);
    assert.ok(r.ethtool.includes('Channel parameters for va:'), `ethtool saw the channel change:\n${r.ethtool}`);
    assert.ok(r.ethtool.includes('Features for va:'), 'ethtool saw the feature change');
    assert.equal(r.ethkit, r.ethtool);
  } finally {
    spawnSync('ip', ['netns', 'delete', ns]);
  }
});

test('--monitor OPTION DEV: only the kinds and the device asked for', { timeout: 120_000 }, async () => {
  const ns = setup();
  try {
    const r = await both(ns, ['-l', 'vb'], [['-L', 'va', 'rx', '1'], ['-K', 'vb', 'gro', 'on'], ['-L', 'vb', 'rx', '1']]);
    assert.ok(r.ethtool.includes('Channel parameters for vb:') && !r.ethtool.includes('for va:') && !r.ethtool.includes('Features'), r.ethtool);
    assert.equal(r.ethkit, r.ethtool);
  } finally {
    spawnSync('ip', ['netns', 'delete', ns]);
  }
});

test('--monitor refusals: an option it has no events for, and no netlink', () => {
  for (const args of [['-x'], ['--show-fec'], ['-x', 'va'], ['-i', 'eth0']]) {
    const e = spawnSync('ethtool', ['--monitor', ...args], { encoding: 'latin1' });
    const k = spawnSync(ETHKIT, ['--monitor', ...args], { encoding: 'latin1' });
    assert.deepEqual([k.status, k.stdout, k.stderr], [e.status, e.stdout, e.stderr], args.join(' '));
    assert.equal(e.status, 1);
  }
  const shim = path.join(ROOT, 'native/build/nonetlink.so');
  const e = spawnSync('ethtool', ['--monitor'], { encoding: 'latin1', env: { ...process.env, LD_PRELOAD: shim } });
  const k = spawnSync(ETHKIT, ['--monitor'], { encoding: 'latin1', env: { ...process.env, LD_PRELOAD: shim } });
  assert.deepEqual([k.status, k.stdout, k.stderr], [e.status, e.stdout, e.stderr]);
  assert.match(e.stderr, /option --monitor not supported/);
});
