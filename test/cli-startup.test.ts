/**
 * The binary as a process: what `ethkit -i DEV` loads (no TUI, profile, YAML code, nor
 * koffi's installer-laden package entry), routing of --top / --profile*, and the top-level
 * handler that turns any unexpected error into one line and an exit status.
 * (Timing is measured by bench/startup.ts, not here.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** main.js of the build these tests were compiled into (dist/ or dist-NAME/). */
const MAIN = path.resolve(__dirname, '../src/app/main.js');

interface Run { status: number | null; stdout: string; stderr: string; modules: string[]; builtins: string[] }

function withPreload(code: string, argv: string[]): Run {
  const dir = mkdtempSync(path.join(tmpdir(), 'ekcli-'));
  try {
    const dump = path.join(dir, 'modules.json');
    const pre = path.join(dir, 'pre.js');
    writeFileSync(pre, `${code}\nprocess.on('exit', () => require('fs').writeFileSync(${JSON.stringify(dump)}, JSON.stringify({ modules: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`);
    const r = spawnSync(process.execPath, ['-r', pre, MAIN, ...argv], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    let loaded = { modules: [] as string[], builtins: [] as string[] };
    try { loaded = JSON.parse(readFileSync(dump, 'utf8')); } catch { /* process died before exit */ }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ...loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('ethkit -i loads only the CLI core, the -i handler and the transport', () => {
  // "lo" exists in every namespace; its answer (EOPNOTSUPP, exit 71) does not matter here.
  const r = withPreload('', ['-i', 'lo']);
  assert.ok(r.status === 0 || r.status === 71, r.stderr);
  const ours = r.modules.map(m => m.replace(/\\/g, '/'));
  for (const bad of [/\/src\/tui\//, /\/src\/profiles\//, /node_modules\/yaml\//, /node_modules\/blessed/,
    /\/src\/cli\/cmd\/(settings|params|features|stats|test|dump|help)\.js$/, /\/src\/device\//]) {
    assert.ok(!ours.some(m => bad.test(m)), `loaded ${ours.find(m => bad.test(m))}`);
  }
  assert.ok(ours.some(m => m.endsWith('/src/cli/cmd/misc.js')));
  assert.ok(ours.some(m => m.endsWith('/src/ffi/koffi.js')));
  assert.ok(ours.length <= 24, `${ours.length} modules: ${ours.join(' ')}`);
  // koffi's package entry would pull in https, zlib and crypto: the native module is used as is.
  assert.ok(ours.some(m => m.endsWith('/koffi.node')));
  for (const heavy of ['https', 'zlib', 'crypto', 'tls']) assert.ok(!r.builtins.includes(`NativeModule ${heavy}`), `loaded ${heavy}`);
});

test('--top and --profile* are handed to their own entry points with the whole command line', () => {
  const top = withPreload('', ['--top', '--help']);
  assert.equal(top.status, 0, top.stderr);
  assert.ok(top.modules.some(m => m.endsWith('/src/tui/index.js')));
  assert.ok(!top.modules.some(m => m.includes('/src/profiles/')));
  const prof = withPreload('', ['--json', '--profile-no-such-command']);
  assert.notEqual(prof.status, 0);
  assert.ok(prof.modules.some(m => m.endsWith('/src/profiles/cli.js')));
  assert.ok(!prof.modules.some(m => m.includes('/src/tui/')));
});

test('an unexpected internal error: one line on stderr, exit 1, no stack trace', () => {
  // Break a builtin the CLI uses while dispatching, after start-up.
  const boom = "const B = Buffer.byteLength; Buffer.byteLength = function (s) { if (s === 'boom0') throw new RangeError('synthetic failure'); return B.apply(this, arguments); };";
  const r = withPreload(boom, ['-i', 'boom0']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'ethkit: internal error: synthetic failure\n');
  const j = withPreload(boom, ['--json', '-i', 'boom0']);
  assert.equal(j.status, 1);
  assert.deepEqual(JSON.parse(j.stderr), { error: 'internal error: synthetic failure', exit: 1 });
});

test('exit status and streams of the real process match the in-process run', () => {
  const r = spawnSync(process.execPath, [MAIN, '-Z'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n');
  const v = spawnSync(process.execPath, [MAIN, '--version', 'ignored'], { encoding: 'utf8' });
  assert.deepEqual([v.status, v.stdout], [0, 'ethtool version 6.1\n']);
});
