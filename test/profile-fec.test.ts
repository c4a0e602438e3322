/**
 * The fec: section of profiles on the simulated NIC (SimTransport + SimHostFs): the schema and
 * its one-line errors, plan rows (a FEC change resets the link and is counted so), skips (driver
 * without FEC ops, FEC reported as None, a get that fails), required, apply order (SFECPARAM
 * after SPAUSEPARAM), rollback to the exact configured bits, a refused SFECPARAM undoing
 * everything set before it, and --verify's drift on FEC.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { SimTransport, simDevice, SimDevice } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';
import { run, EXIT } from '../src/profiles/cli';
import { parseProfile, ProfileError } from '../src/profiles/load';
import { ETHTOOL, FEC } from '../src/ethtool/constants';
import { ERRNO } from '../src/ethtool/errno';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ekfec-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let n = 0;

interface W { sim: SimTransport; fs: SimHostFs; dir: string; d: SimDevice }

/** One simulated NIC whose FEC is configured `auto` (active off), unless `edit` says otherwise. */
function world(edit?: (d: SimDevice) => void): W {
  const d = simDevice('ekc0', { queues: 4, maxQueues: 16 });
  d.fec = { fec: FEC.AUTO, active_fec: FEC.OFF };
  edit?.(d);
  const sim = new SimTransport([d]);
  const host = new SimHostFs(sim, { cpus: 4 });
  return { sim, fs: host, dir: path.join(tmpRoot, `w${n++}`), d };
}

function profileFile(text: string): string {
  const p = path.join(tmpRoot, `p${n++}.yaml`);
  fs.writeFileSync(p, text);
  return p;
}

/** Ring, coalesce and pause changes before the FEC change (as the rig's faults.yaml). */
const FECP = `name: fecp
params:
  fec: {type: enum, values: [rs, "rs baser", auto, "off"], default: rs}
ring:
  rx: 512
  tx: 512
coalesce:
  rx-usecs: 50
pause:
  rx: off
fec:
  encoding: $fec   # the encoding the link partner expects
`;

async function cli(w: W, argv: string[]): Promise<{ code: number; out: string; err: string; json: Record<string, unknown> }> {
  let out = '', err = '';
  const code = await run([...argv, '--state-dir', w.dir], { env: { transport: w.sim, fs: w.fs }, out: t => { out += t; }, err: t => { err += t; }, isTTY: false, vars: {} });
  let json: Record<string, unknown> = {};
  if (argv.includes('--json')) json = JSON.parse(out) as Record<string, unknown>;
  return { code, out, err, json };
}

type RowJ = { setting: string; action: string; reason?: string; current: string | null; target: string | null; resets_link?: boolean };
const row = (r: { json: Record<string, unknown> }, s: string) => (r.json.rows as RowJ[]).find(x => x.setting === s)!;

function entries(w: W): string[] {
  const d = path.join(w.dir, 'snapshots', 'net-4026530000', 'ekc0');
  return fs.existsSync(d) ? fs.readdirSync(d) : [];
}

const SETS: number[] = [ETHTOOL.SRINGPARAM, ETHTOOL.SCOALESCE, ETHTOOL.SPAUSEPARAM, ETHTOOL.SFECPARAM];
const sets = (w: W) => w.sim.log.map(l => l.cmd).filter(c => SETS.includes(c));

test('schema: encoding words as a string or a list, in ethtool\'s order; bad words, keys and parameters are one line each at line:col', () => {
  const p = parseProfile(FECP, 'ok.yaml');
  const f = p.settings.find(s => s.group === 'fec')!;
  assert.deepEqual([f.key, f.value, f.why], ['encoding', { kind: 'param', name: 'fec' }, 'the encoding the link partner expects']);
  assert.deepEqual(parseProfile('name: a\nfec:\n  encoding: RS BaseR\n', 'a.yaml').settings[0].value, { kind: 'lit', v: 'baser rs' });
  assert.deepEqual(parseProfile('name: a\nfec:\n  encoding: [rs, llrs]\n', 'a.yaml').settings[0].value, { kind: 'lit', v: 'rs llrs' });
  assert.deepEqual(parseProfile('name: a\nfec:\n  encoding: {value: "off", required: true}\n', 'a.yaml').settings[0], {
    ...parseProfile('name: a\nfec:\n  encoding: {value: "off", required: true}\n', 'a.yaml').settings[0], value: { kind: 'lit', v: 'off' }, required: true,
  });
  const cases: [string, string][] = [
    ['name: bad\nfec:\n  encoding: rs rsx\n', 'bad.yaml:3:13: fec.encoding: bad value "rsx": not a FEC encoding (expected one or more of: auto, off, baser, rs, llrs)'],
    ['name: bad\nfec:\n  encoding: [rs, none]\n', 'bad.yaml:3:13: fec.encoding: bad value "none": not a FEC encoding (expected one or more of: auto, off, baser, rs, llrs)'],
    ['name: bad\nfec:\n  encoding: 5\n', 'bad.yaml:3:13: fec.encoding: bad value 5: expected one or more of: auto, off, baser, rs, llrs'],
    ['name: bad\nfec:\n  mode: rs\n', 'bad.yaml:3:3: fec.mode: unknown key (expected one of: encoding)'],
    ['name: bad\nfec: rs\n', 'bad.yaml:2:6: fec: must be a mapping of settings (KEY: VALUE)'],
    ['name: bad\nparams:\n  s: {type: string, default: rs}\nfec:\n  encoding: $s\n', 'bad.yaml:5:13: fec.encoding: wrong type: parameter s is a string, expected FEC encoding words (auto, off, rs, baser, llrs)'],
    ['name: bad\nparams:\n  e: {type: enum, values: [rs, fast], default: rs}\nfec:\n  encoding: $e\n', 'bad.yaml:5:13: fec.encoding: wrong type: parameter e is an enum, expected FEC encoding words (auto, off, rs, baser, llrs)'],
  ];
  for (const [text, want] of cases) {
    let err: ProfileError | undefined;
    try { parseProfile(text, 'bad.yaml'); } catch (e) { err = e as ProfileError; }
    assert.ok(err instanceof ProfileError, text);
    assert.equal(err.message, want);
  }
});

test('bad YAML through the CLI: --plan and --apply fail with one line file:line:col, exit 1, nothing asked of the NIC', async () => {
  const w = world();
  const prof = profileFile('name: bad\nring:\n  rx: 512\nfec:\n  encoding: rs fast\n');
  for (const cmd of ['--plan', '--apply']) {
    const r = await cli(w, [cmd, prof, 'ekc0']);
    assert.equal(r.code, EXIT.ERROR);
    assert.equal(r.out, '');
    assert.match(r.err, /^ethkit: .*p\d+\.yaml:5:13: fec\.encoding: bad value "fast": not a FEC encoding \(expected one or more of: auto, off, baser, rs, llrs\)\n$/);
  }
  assert.deepEqual(sets(w), []);
});

test('plan: current and target in --set-fec words, a FEC change resets the link and counts as one link reset', async () => {
  const w = world();
  const r = await cli(w, ['--plan', profileFile(FECP), 'ekc0', '--json']);
  assert.equal(r.code, EXIT.OK, r.err);
  assert.deepEqual(row(r, 'fec encoding'), { ...row(r, 'fec encoding'), current: 'auto', target: 'rs', action: 'set', resets_link: true });
  const text = await cli(w, ['--plan', profileFile(FECP), 'ekc0', '--set', 'fec=rs baser']);
  assert.match(text.out, /ekc0 +fec encoding +auto +baser rs +set \(resets link\)/);
  // ring (one SRINGPARAM for rx and tx), pause, FEC: three link resets; coalesce none
  assert.match(text.out, /5 to set, 0 ok, 0 skipped; 3 link resets$/m);
  // already so: ok, no reset
  const w2 = world(d => { d.fec = { fec: FEC.RS, active_fec: FEC.RS }; });
  const ok = await cli(w2, ['--plan', profileFile('name: r\nfec:\n  encoding: rs\n'), 'ekc0', '--json']);
  assert.deepEqual([row(ok, 'fec encoding').current, row(ok, 'fec encoding').action], ['rs', 'ok']);
  assert.equal(ok.json.result, 'ok');
});

test('skips: a driver without FEC ops, FEC reported as None (it could not be set back), a get that fails; the rest is applied', async () => {
  const prof = profileFile(FECP);
  const cases: [string, (w: W) => void, RegExp][] = [
    ['no FEC ops', w => { delete w.d.fec; }, /^not supported by driver simnic$/],
    ['None', w => { w.d.fec = { fec: FEC.NONE, active_fec: FEC.NONE }; }, /^driver simnic reports no FEC configuration \(none\): it could not be set back on rollback$/],
    ['get EIO', w => { w.sim.injector = (_i, cmd) => (cmd === ETHTOOL.GFECPARAM ? ERRNO.EIO : undefined); }, /^ekc0: get FEC settings: Input\/output error \(EIO\)$/],
  ];
  for (const [what, edit, reason] of cases) {
    const w = world();
    edit(w);
    const fecBefore = JSON.stringify(w.d.fec);
    const p = await cli(w, ['--plan', prof, 'ekc0', '--json']);
    assert.equal(p.code, EXIT.OK, what);
    const r = row(p, 'fec encoding');
    assert.equal(r.action, 'skip', what);
    assert.match(r.reason!, reason, what);
    const a = await cli(w, ['--apply', prof, 'ekc0', '--json']);
    assert.equal(a.code, EXIT.OK, `${what}: ${a.out}${a.err}`);
    assert.equal(a.json.link_resets, 2, `${what}: ring and pause only`);
    assert.ok(!w.sim.log.some(l => l.cmd === ETHTOOL.SFECPARAM), `${what}: no SFECPARAM`);
    assert.equal(JSON.stringify(w.d.fec), fecBefore, what);
    assert.equal(w.d.ring!.rx_pending, 512, what);
    assert.equal((await cli(w, ['--verify', prof, 'ekc0'])).code, EXIT.OK, what);
    assert.equal((await cli(w, ['--rollback', 'ekc0'])).code, EXIT.OK, what);
  }
});

test('required: FEC the plan would skip fails --plan and --apply at its line:col before any change', async () => {
  const prof = profileFile('name: req\nring:\n  rx: 512\nfec:\n  encoding: {value: rs, required: true}\n');
  for (const [what, edit, reason] of [
    ['no FEC ops', (d: SimDevice) => { delete d.fec; }, 'not supported by driver simnic'],
    ['None', (d: SimDevice) => { d.fec = { fec: FEC.NONE, active_fec: FEC.NONE }; }, 'driver simnic reports no FEC configuration (none): it could not be set back on rollback'],
  ] as const) {
    const w = world(edit);
    for (const cmd of ['--plan', '--apply']) {
      const r = await cli(w, [cmd, prof, 'ekc0']);
      assert.equal(r.code, EXIT.ERROR, what);
      assert.equal(r.err, `ethkit: ${path.relative(process.cwd(), prof).startsWith('..') ? prof : path.relative(process.cwd(), prof)}:5:3: fec.encoding: required, but ekc0 cannot have it: fec encoding: ${reason}\n`, what);
    }
    assert.deepEqual(sets(w), [], what);
    assert.deepEqual(entries(w), []);
  }
  // met: applied as usual
  const w = world();
  assert.equal((await cli(w, ['--apply', prof, 'ekc0'])).code, EXIT.OK);
  assert.equal(w.d.fec!.fec, FEC.RS);
});

test('apply: SFECPARAM after SPAUSEPARAM, read back as set; verify ok; rollback restores the configured bits (and everything else) exactly', async () => {
  const w = world(d => { d.fec = { fec: FEC.AUTO | FEC.BASER, active_fec: FEC.BASER }; });
  const before = w.fs.everything();
  const a = await cli(w, ['--apply', profileFile(FECP), 'ekc0', '--set', 'fec=rs baser', '--json']);
  assert.equal(a.code, EXIT.OK, a.out + a.err);
  assert.deepEqual(sets(w), [ETHTOOL.SRINGPARAM, ETHTOOL.SCOALESCE, ETHTOOL.SPAUSEPARAM, ETHTOOL.SFECPARAM]);
  assert.deepEqual(w.d.fec, { fec: FEC.RS | FEC.BASER, active_fec: FEC.BASER });
  assert.equal(a.json.link_resets, 3);
  const steps = a.json.steps as { step: string; kind: string; resets_link: boolean; status: string }[];
  assert.deepEqual(steps.at(-1), { ...steps.at(-1)!, step: 'ekc0: fec encoding baser rs', kind: 'fec', resets_link: true, status: 'done' });
  // the snapshot keeps the configured bits read before
  const snap = JSON.parse(fs.readFileSync(path.join(w.dir, 'snapshots', 'net-4026530000', 'ekc0', entries(w)[0]), 'utf8'));
  assert.deepEqual(snap.entry.device.fec, { ok: { active_fec: FEC.BASER, fec: FEC.AUTO | FEC.BASER } });
  assert.ok(snap.entry.touched.some((t: { id: string }) => t.id === 'fec:encoding'));
  assert.equal((await cli(w, ['--verify', profileFile(FECP), 'ekc0', '--set', 'fec=rs baser'])).code, EXIT.OK);
  const dry = await cli(w, ['--rollback', 'ekc0', '--dry-run']);
  assert.match(dry.out, /ekc0 +fec encoding +baser rs +auto baser +set \(resets link\)/);
  const rb = await cli(w, ['--rollback', 'ekc0', '--json']);
  assert.equal(rb.code, EXIT.OK, rb.out);
  assert.equal(rb.json.link_resets, 3);
  assert.deepEqual(w.d.fec, { fec: FEC.AUTO | FEC.BASER, active_fec: FEC.BASER });
  assert.deepEqual(w.fs.everything(), before);
  assert.deepEqual(entries(w), []);
});

test('a refused SFECPARAM (EIO) undoes ring, coalesce and pause exactly: exit 4, one failed step naming FEC and the errno, no snapshot left', async () => {
  for (const errno of [ERRNO.EIO, ERRNO.EINVAL, ERRNO.EOPNOTSUPP]) {
    const w = world();
    const before = w.fs.everything();
    w.sim.injector = (_i, cmd) => (cmd === ETHTOOL.SFECPARAM ? errno : undefined);
    const r = await cli(w, ['--apply', profileFile(FECP), 'ekc0', '--json']);
    assert.equal(r.code, EXIT.ROLLED_BACK, r.out);
    assert.equal(r.json.result, 'failed');
    const steps = r.json.steps as { kind: string; status: string; error?: string }[];
    assert.deepEqual(steps.map(s => [s.kind, s.status]), [['ring', 'undone'], ['coalesce', 'undone'], ['pause', 'undone'], ['fec', 'failed']]);
    assert.match(String(r.json.error), /^ekc0: set FEC settings: /);
    w.sim.injector = undefined;
    assert.deepEqual(w.fs.everything(), before, `errno ${errno}`);
    assert.deepEqual(entries(w), [], 'the undo record of a rolled-back apply is dropped');
    // the undo put ring, coalesce and pause back, each once, after the failed SFECPARAM
    assert.deepEqual(sets(w), [ETHTOOL.SRINGPARAM, ETHTOOL.SCOALESCE, ETHTOOL.SPAUSEPARAM, ETHTOOL.SFECPARAM, ETHTOOL.SPAUSEPARAM, ETHTOOL.SCOALESCE, ETHTOOL.SRINGPARAM]);
    assert.equal((await cli(w, ['--rollback', 'ekc0'])).code, EXIT.ERROR, 'nothing to roll back');
  }
  // the text: one line names the step and the errno
  const w = world();
  w.sim.injector = (_i, cmd) => (cmd === ETHTOOL.SFECPARAM ? ERRNO.EIO : undefined);
  const t = await cli(w, ['--apply', profileFile(FECP), 'ekc0']);
  assert.equal(t.code, EXIT.ROLLED_BACK);
  assert.match(t.out, /^ {2}failed {6}ekc0: fec encoding rs — ekc0: set FEC settings: Input\/output error \(EIO\)$/m);
  assert.match(t.out, /^failed: ekc0: set FEC settings: Input\/output error \(EIO\)$/m);
  assert.match(t.out, /^rolled back: 3 step\(s\) undone in reverse; the devices are as before$/m);
});

test('a fault in the undo of FEC (a rollback whose SFECPARAM fails) keeps the snapshot; the next rollback restores exactly', async () => {
  const w = world();
  const before = w.fs.everything();
  assert.equal((await cli(w, ['--apply', profileFile(FECP), 'ekc0'])).code, EXIT.OK);
  w.sim.injector = (_i, cmd) => (cmd === ETHTOOL.SFECPARAM ? ERRNO.EIO : undefined);
  const rb = await cli(w, ['--rollback', 'ekc0']);
  assert.equal(rb.code, EXIT.ROLLED_BACK, rb.out);
  assert.match(rb.out, /the snapshot is kept/);
  assert.equal(entries(w).length, 1);
  assert.equal(w.d.fec!.fec, FEC.RS, 'still as applied');
  assert.equal(w.d.ring!.rx_pending, 512, 'the rollback was undone: all as applied');
  w.sim.injector = undefined;
  assert.equal((await cli(w, ['--rollback', 'ekc0'])).code, EXIT.OK);
  assert.deepEqual(w.fs.everything(), before);
});

test('verify: FEC changed behind the profile\'s back is drift (exit 3); apply sets it again', async () => {
  const w = world();
  const prof = profileFile(FECP);
  assert.equal((await cli(w, ['--apply', prof, 'ekc0'])).code, EXIT.OK);
  assert.equal((await cli(w, ['--verify', prof, 'ekc0'])).code, EXIT.OK);
  w.d.fec = { fec: FEC.OFF, active_fec: FEC.OFF };
  const v = await cli(w, ['--verify', prof, 'ekc0', '--json']);
  assert.equal(v.code, EXIT.DRIFT);
  assert.deepEqual((v.json.drift as RowJ[]).map(r => [r.setting, r.current, r.target]), [['fec encoding', 'off', 'rs']]);
  const text = await cli(w, ['--verify', prof, 'ekc0']);
  assert.match(text.out, /^drift: 1 setting\(s\) of ekc0 differ from fecp/);
  const again = await cli(w, ['--apply', prof, 'ekc0']);
  assert.equal(again.code, EXIT.OK, again.out);
  assert.equal(w.d.fec.fec, FEC.RS);
  assert.equal((await cli(w, ['--verify', prof, 'ekc0'])).code, EXIT.OK);
});
