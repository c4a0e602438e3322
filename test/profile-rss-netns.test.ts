/**
 * The rss: section on a real kernel: a veth pair in a network namespace this test creates (and
 * always deletes). veth has no RSS (no get_rxnfc, no get_rxfh: GRXRINGS, GRSSH, GRXFHINDIR and
 * GRXFH answer EOPNOTSUPP), so the director's RSS settings are skipped with that reason and
 * the rest of the profile is applied, verified and rolled back; a required RSS setting fails
 * the plan before any change.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Netns, requireTool } from './helpers/netns';
import { EXIT } from '../src/profiles/cli';

const CLI = path.resolve(__dirname, '../src/profiles/cli.js');
let ns: Netns;
let dir: string;

before(() => {
  requireTool('ethtool', 'ethtool', ['--version']);
  ns = Netns.create('prss');
  ns.veth('va', 'vb', { queues: 4 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekrssns-'));
});
after(() => {
  ns?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run { code: number; out: string; err: string; json: Record<string, unknown> }
type RowJ = { setting: string; action: string; reason?: string };

function ethkit(...args: string[]): Run {
  const r = ns.exec(process.execPath, [CLI, ...args, '--state-dir', path.join(dir, 'state')], { allowFail: true });
  let json: Record<string, unknown> = {};
  if (args.includes('--json')) {
    try { json = JSON.parse(r.stdout) as Record<string, unknown>; } catch { assert.fail(`not JSON: ${r.stdout}\n${r.stderr}`); }
  }
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, json };
}

const RSS_SETTINGS = ['rss indir', 'rss flow-hash.tcp4', 'rss flow-hash.udp4', 'rss flow-hash.tcp6', 'rss flow-hash.udp6'];

test('director on veth: every RSS setting skipped (not supported by driver veth), the rest applied, verified, rolled back', () => {
  const ethtoolK = ns.exec('ethtool', ['-k', 'va']).stdout;
  const plan = ethkit('--plan', 'director', 'va', '--set', 'mode=nat', '--json');
  assert.equal(plan.code, EXIT.OK, plan.err);
  const rss = (plan.json.rows as RowJ[]).filter(r => r.setting.startsWith('rss '));
  assert.deepEqual(rss.map(r => [r.setting, r.action, r.reason]), RSS_SETTINGS.map(s => [s, 'skip', 'not supported by driver veth']));

  const a = ethkit('--apply', 'director', 'va', '--set', 'mode=nat', '--yes', '--json');
  assert.equal(a.code, EXIT.OK, a.out + a.err);
  assert.equal(a.json.result, 'changed');
  assert.ok(!(a.json.steps as { kind: string }[]).some(s => s.kind === 'rss' || s.kind === 'flow-hash'));
  const v = ethkit('--verify', 'director', 'va', '--set', 'mode=nat');
  assert.equal(v.code, EXIT.OK, v.out + v.err);
  const rb = ethkit('--rollback', 'va', '--yes');
  assert.equal(rb.code, EXIT.OK, rb.out + rb.err);
  assert.equal(ns.exec('ethtool', ['-k', 'va']).stdout, ethtoolK);
});

test('a required RSS setting on veth: the plan fails before any change, at its line:col', () => {
  const p = path.join(dir, 'req.yaml');
  fs.writeFileSync(p, 'name: req\nfeatures:\n  gro: off\nrss:\n  flow-hash:\n    udp4: {value: sdfn, required: true}\n');
  const before = ns.exec('ethtool', ['-k', 'va']).stdout;
  const r = ethkit('--apply', p, 'va', '--yes');
  assert.equal(r.code, EXIT.ERROR);
  assert.match(r.err + r.out, /req\.yaml:6:5: rss\.flow-hash\.udp4: required, but va cannot have it: rss flow-hash\.udp4: not supported by driver veth/);
  assert.equal(ns.exec('ethtool', ['-k', 'va']).stdout, before, 'nothing changed');
});
