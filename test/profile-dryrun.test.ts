/**
 * `--rollback --dry-run` on a veth in a namespace of this test's own: the plan of the rollback
 * (text and JSON) with nothing changed and the snapshot kept; with no snapshot, exit 1 and
 * "reason": "no-snapshot" in the JSON; --dry-run on other commands is a usage error.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Netns, requireTool } from './helpers/netns';

const BIN = path.resolve(__dirname, '../../bin/ethkit');
let ns: Netns;
let stateDir: string;

before(() => {
  requireTool('ethtool', 'ethtool');
  ns = Netns.create('dr');
  ns.veth('va', 'vb', { queues: 2 });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekdryrun-'));
});
after(() => {
  ns?.destroy();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

function ethkit(...args: string[]): { code: number; out: string; err: string } {
  const r = ns.exec(BIN, [...args, '--state-dir', stateDir], { allowFail: true });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const gro = (): string => /generic-receive-offload: (\w+)/.exec(ns.exec('ethtool', ['-k', 'va']).stdout)![1];

test('--rollback --dry-run: the rollback\'s plan, nothing changed, the snapshot kept', () => {
  const none = ethkit('--rollback', 'va', '--dry-run', '--json');
  assert.equal(none.code, 1);
  const nj = JSON.parse(none.out) as Record<string, unknown>;
  assert.equal(nj.reason, 'no-snapshot');
  assert.match(nj.error as string, /^va: no snapshot to roll back to/);

  assert.equal(gro(), 'off');
  // gro=on: the director's default is off, and veth starts off; so that GRO changes too
  assert.equal(ethkit('--apply', 'director', 'va', '--set', 'gro=on', '--yes').code, 0);
  assert.equal(gro(), 'on');
  const text = ethkit('--rollback', 'va', '--dry-run');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Rollback plan: va \(before director, \d{4}-\d\d-\d\dT[\d:.]+Z\)\nDEVICE +SETTING +CURRENT +TARGET +ACTION\n/);
  assert.match(text.out, /^va +feature generic-receive-offload \(rx-gro\) +on +off +set$/m);
  const j = JSON.parse(ethkit('--rollback', 'va', '--dry-run', '--json').out) as Record<string, unknown>;
  assert.deepEqual([j.command, j.dry_run, j.result, j.changed, j.exit_code], ['rollback', true, 'changes', false, 0]);
  assert.ok((j.rows as { action: string }[]).some(r => r.action === 'set'));
  assert.equal(gro(), 'on', 'the dry run changed something');

  assert.equal(ethkit('--rollback', 'va', '--yes').code, 0);
  assert.equal(gro(), 'off');
  assert.equal(JSON.parse(ethkit('--rollback', 'va', '--dry-run', '--json').out).reason, 'no-snapshot');
});

test('--dry-run belongs to --rollback only', () => {
  const r = ethkit('--apply', 'director', 'va', '--dry-run');
  assert.equal(r.code, 1);
  assert.equal(r.err, 'ethkit: --dry-run is an option of --rollback only (--plan shows what --apply would change) (see ethkit --profile-help)\n');
  assert.equal(gro(), 'off');
});
