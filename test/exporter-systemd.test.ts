/**
 * The systemd units of the exporter (contrib/systemd/) pass `systemd-analyze verify` without a
 * word (an unknown key, a bad value or a missing program is reported there), and their ExecStart
 * command lines are ones ethkit --exporter accepts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { requireTool } from './helpers/netns';
import { parseArgs } from '../src/export/args';

const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, 'contrib/systemd');
const UNITS = ['ethkit-exporter.service', 'ethkit-exporter-textfile.service'];
const BIN = path.join(ROOT, 'bin/ethkit');

function verify(dir: string, unit: string): { status: number | null; out: string } {
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', path.join(dir, unit)], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, out: (r.stdout + r.stderr).trim() };
}

/** The unit as installed, with the repository's bin/ethkit where it expects /usr/local/bin/ethkit. */
function staged(unit: string, edit: (t: string) => string = t => t): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ekunit-'));
  fs.writeFileSync(path.join(dir, unit), edit(fs.readFileSync(path.join(DIR, unit), 'utf8').replaceAll('/usr/local/bin/ethkit', BIN)));
  return dir;
}

test('systemd-analyze is there (apt-get install systemd)', () => {
  requireTool('systemd-analyze', 'systemd', ['--version']);
});

for (const unit of UNITS) {
  test(`${unit}: systemd-analyze verify has nothing to say`, () => {
    const dir = staged(unit);
    try {
      const r = verify(dir, unit);
      assert.equal(r.out, '');
      assert.equal(r.status, 0);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  test(`${unit}: its ExecStart is a command line the exporter accepts`, () => {
    const text = fs.readFileSync(path.join(DIR, unit), 'utf8');
    const exec = /^ExecStart=(\S+) (.*)$/m.exec(text);
    assert.ok(exec, 'an ExecStart line');
    assert.equal(exec[1], '/usr/local/bin/ethkit');
    const args = exec[2].split(/\s+/).filter(a => !a.startsWith('$'));
    assert.equal(args[0], '--exporter');
    const a = parseArgs(args);
    if (unit.includes('textfile')) {
      assert.equal(a.textfile, '/var/lib/prometheus/node-exporter/ethkit.prom');
      assert.equal(a.intervalMs, 15000);
    } else {
      assert.equal(a.listen.port, 9417);
      assert.equal(a.textfile, null);
    }
  });
}

test('the check can fail: a mistyped key and a missing program are both reported', () => {
  const unit = UNITS[0];
  const dir = staged(unit, t => t.replace('DynamicUser=yes', 'DynamicUsr=yes').replaceAll(BIN, '/nonexistent/ethkit'));
  try {
    const r = verify(dir, unit);
    assert.match(r.out, /Unknown key '?DynamicUsr'?/);
    assert.match(r.out, /\/nonexistent\/ethkit/);
    assert.notEqual(r.status, 0);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
