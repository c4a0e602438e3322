/**
 * The rss: section of profiles on the simulated NIC (SimTransport + SimHostFs): the schema and
 * its errors, plan rows (later after a channel change, skip reasons), apply order (the table
 * after SCHANNELS; before it when the channels shrink under a set table), verify, rollback to
 * the exact table/key/hfunc/flow hashes, required settings, hash fields the driver refuses, and
 * a fault in the middle undoing the table.
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
import { ETHTOOL, FLOW, RXH } from '../src/ethtool/constants';
import { ERRNO } from '../src/ethtool/errno';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ekrss-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let n = 0;

const SD = RXH.IP_SRC | RXH.IP_DST;
const SDFN = SD | RXH.L4_B_0_1 | RXH.L4_B_2_3;

interface W { sim: SimTransport; fs: SimHostFs; dir: string; d: SimDevice }

function world(o: { queues?: number; edit?: (d: SimDevice) => void } = {}): W {
  const d = simDevice('ekr0', { queues: o.queues ?? 4, maxQueues: 16 });
  o.edit?.(d);
  const sim = new SimTransport([d]);
  const host = new SimHostFs(sim, { cpus: 8, ipvs: true });
  return { sim, fs: host, dir: path.join(tmpRoot, `w${n++}`), d };
}

function profileFile(text: string): string {
  const p = path.join(tmpRoot, `p${n++}.yaml`);
  fs.writeFileSync(p, text);
  return p;
}

const RSS8 = `name: rss8
channels:
  combined: 8
rss:
  indir: equal          # over the channels
  queues: channels
  flow-hash:
    tcp4: sdfn
    udp4: sdfn   # 4-tuple for UDP too
    tcp6: sdfn
    udp6: sdfn
`;

async function cli(w: W, argv: string[]): Promise<{ code: number; out: string; json: Record<string, unknown> }> {
  let out = '', err = '';
  const code = await run([...argv, '--state-dir', w.dir], { env: { transport: w.sim, fs: w.fs }, out: t => { out += t; }, err: t => { err += t; }, isTTY: false, vars: {} });
  let json: Record<string, unknown> = {};
  if (argv.includes('--json')) json = JSON.parse(out) as Record<string, unknown>;
  return { code, out: out + err, json };
}

type RowJ = { setting: string; action: string; reason?: string; current: string | null; target: string | null };
const rows = (r: { json: Record<string, unknown> }) => r.json.rows as RowJ[];
const row = (r: { json: Record<string, unknown> }, s: string) => rows(r).find(x => x.setting === s)!;

function rssOf(d: SimDevice): unknown {
  return JSON.parse(JSON.stringify({ rings: d.rss?.rings, indir: d.rss?.indir, key: [...(d.rss?.key ?? [])], hfunc: d.rss?.hfunc, flow: d.flowHash, ch: d.channels }));
}

test('schema: the rss section loads, queues folded into indir; bad entries are one line each at line:col', () => {
  const p = parseProfile(RSS8, 'ok.yaml');
  const rss = p.settings.filter(s => s.group === 'rss');
  assert.deepEqual(rss.map(s => s.key), ['indir', 'flow-hash.tcp4', 'flow-hash.udp4', 'flow-hash.tcp6', 'flow-hash.udp6']);
  assert.deepEqual(rss[0].rssQueues, { kind: 'lit', v: 'channels' });
  assert.equal(rss[0].why, 'over the channels');
  assert.equal(rss[2].why, '4-tuple for UDP too');
  const bad = `name: bad
rss:
  indir: even
  queues: 0
  hkey: 6d5a
  hfunc: "x y"
  flow-hash:
    tcp4: sdq
    icmp4: sd
  spread: yes
`;
  let err: ProfileError | undefined;
  try { parseProfile(bad, 'bad.yaml'); } catch (e) { err = e as ProfileError; }
  assert.ok(err instanceof ProfileError);
  assert.deepEqual(err.message.split('\n'), [
    'bad.yaml:3:10: rss.indir: bad value "even" (expected one of: equal, default, keep)',
    'bad.yaml:4:11: rss.queues: bad value 0: expected a number of queues (1-65535) or "channels"',
    'bad.yaml:5:9: rss.hkey: bad value "6d5a": expected "keep" or the key as hex bytes joined by colons (6d:5a:56:…)',
    'bad.yaml:6:10: rss.hfunc: bad value "x y": expected "keep" or a hash function name (toeplitz, xor, crc32 …)',
    'bad.yaml:8:11: rss.flow-hash.tcp4: bad value "sdq": expected "keep" or hash fields, each one of m v t s d f n r (sdfn: addresses and ports)',
    'bad.yaml:9:5: rss.flow-hash.icmp4: unknown flow type (expected one of: tcp4, udp4, tcp6, udp6)',
    'bad.yaml:10:3: rss.spread: unknown key (expected one of: indir, queues, hkey, hfunc, flow-hash)',
  ]);
  assert.throws(() => parseProfile('name: q\nrss:\n  indir: default\n  queues: 4\n', 'q.yaml'),
    (e: Error) => e.message === 'q.yaml:4:3: rss.queues: only with indir: equal (it says over how many queues the table is spread)');
});

test('plan: the table later (after the channel change), UDP flow hashing set, TCP already 4-tuple', async () => {
  const w = world();
  const r = await cli(w, ['--plan', profileFile(RSS8), 'ekr0', '--json']);
  assert.equal(r.code, EXIT.OK);
  assert.deepEqual(row(r, 'rss indir'), { ...row(r, 'rss indir'), action: 'later', current: 'equal over 4 (128 entries)', target: 'equal over 8 (128 entries)', reason: 'set after the channel change' });
  assert.equal(row(r, 'rss flow-hash.tcp4').action, 'ok');
  assert.deepEqual(['udp4', 'udp6'].map(f => [row(r, `rss flow-hash.${f}`).current, row(r, `rss flow-hash.${f}`).action]), [['sd', 'set'], ['sd', 'set']]);
});

test('apply: SCHANNELS, then the table over the 8 queues (and SRXFH for what differs); verify; rollback restores everything exactly', async () => {
  const w = world();
  // an explicit table that is not an even spread, and a key of our own: both must come back
  w.d.rss!.indir = w.d.rss!.indir.map((_, i) => (i < 100 ? 0 : i % 4));
  w.d.rss!.configured = true;
  const before = rssOf(w.d);
  const prof = profileFile(RSS8);
  const a = await cli(w, ['--apply', prof, 'ekr0', '--json']);
  assert.equal(a.code, EXIT.OK, a.out);
  assert.deepEqual(w.d.rss!.indir, Array.from({ length: 128 }, (_, i) => i % 8));
  assert.equal(w.d.flowHash![FLOW.UDP_V4].data, SDFN);
  assert.equal(w.d.flowHash![FLOW.UDP_V6].data, SDFN);
  const cmds = w.sim.log.map(l => l.cmd);
  const at = (c: number) => cmds.indexOf(c);
  assert.ok(at(ETHTOOL.SCHANNELS) >= 0 && at(ETHTOOL.SCHANNELS) < at(ETHTOOL.SRSSH), 'the table after the channel change');
  assert.equal(cmds.filter(c => c === ETHTOOL.SRSSH).length, 1);
  assert.equal(cmds.filter(c => c === ETHTOOL.SRXFH).length, 2, 'only udp4 and udp6 differ');
  assert.equal((await cli(w, ['--verify', prof, 'ekr0'])).code, EXIT.OK);
  // drift behind its back: the table
  w.d.rss!.indir[5] = 0;
  const v = await cli(w, ['--verify', prof, 'ekr0', '--json']);
  assert.equal(v.code, EXIT.DRIFT);
  assert.equal(row(v, 'rss indir').action, 'set');
  w.d.rss!.indir[5] = 5;
  const rb = await cli(w, ['--rollback', 'ekr0']);
  assert.equal(rb.code, EXIT.OK, rb.out);
  assert.deepEqual(rssOf(w.d), before, 'table, key, hfunc, flow hashes and channels as before');
});

test('channels shrinking under a set table: the new table first (the kernel refuses the shrink otherwise), rollback likewise', async () => {
  const w = world({ queues: 12 });
  w.d.rss!.indir = w.d.rss!.indir.map((_, i) => 11 - (i % 12));
  w.d.rss!.configured = true;
  const before = rssOf(w.d);
  const a = await cli(w, ['--apply', profileFile(RSS8), 'ekr0']);
  assert.equal(a.code, EXIT.OK, a.out);
  const cmds = w.sim.log.map(l => l.cmd);
  assert.ok(cmds.indexOf(ETHTOOL.SRSSH) < cmds.indexOf(ETHTOOL.SCHANNELS));
  assert.deepEqual(w.d.rss!.indir, Array.from({ length: 128 }, (_, i) => i % 8));
  assert.equal(w.d.channels!.combined_count, 8);
  // rollback: 8 → 12 channels, then the old table over 12
  const rb = await cli(w, ['--rollback', 'ekr0']);
  assert.equal(rb.code, EXIT.OK, rb.out);
  assert.deepEqual(rssOf(w.d), before);
});

test('hkey and hfunc: set in one SRSSH with the table, restored on rollback', async () => {
  const w = world();
  const before = rssOf(w.d);
  const key = Array.from({ length: 40 }, (_, i) => ((i * 7) & 0xff).toString(16).padStart(2, '0')).join(':');
  const prof = profileFile(`name: k\nrss:\n  indir: equal\n  queues: 2\n  hkey: "${key}"\n  hfunc: xor\n`);
  const a = await cli(w, ['--apply', prof, 'ekr0', '--json']);
  assert.equal(a.code, EXIT.OK, a.out);
  assert.equal(w.sim.log.filter(l => l.cmd === ETHTOOL.SRSSH).length, 1);
  assert.equal(w.d.rss!.hfunc, 2);
  assert.equal([...w.d.rss!.key].map(x => x.toString(16).padStart(2, '0')).join(':'), key);
  assert.deepEqual(new Set(w.d.rss!.indir), new Set([0, 1]));
  assert.equal((await cli(w, ['--verify', prof, 'ekr0'])).code, EXIT.OK);
  assert.equal((await cli(w, ['--rollback', 'ekr0'])).code, EXIT.OK);
  assert.deepEqual(rssOf(w.d), before);
});

test('skip reasons: no RSS at all, only the table (no key/hfunc), unknown hash function, too many queues; the rest is applied', async () => {
  const none = world({ edit: d => { delete d.rss; delete d.flowHash; delete d.rules; } });
  const r = await cli(none, ['--apply', profileFile(RSS8), 'ekr0', '--json']);
  assert.equal(r.code, EXIT.OK, r.out);
  assert.equal(row(r, 'rss indir').reason, 'not supported by driver simnic');
  assert.equal(row(r, 'rss flow-hash.udp4').reason, 'not supported by driver simnic');
  assert.equal(none.d.channels!.combined_count, 8, 'the channels are set all the same');

  const old = world({ edit: d => { d.rss!.indirOnly = true; } });
  const p = await cli(old, ['--plan', profileFile('name: o\nrss:\n  indir: equal\n  queues: 2\n  hkey: "00:01"\n  hfunc: toeplitz\n'), 'ekr0', '--json']);
  assert.equal(row(p, 'rss hkey').reason, 'driver simnic has no RSS hash key to set');
  assert.equal(row(p, 'rss hfunc').reason, 'driver simnic names no RSS hash functions');
  assert.equal(row(p, 'rss indir').action, 'set');
  const ap = await cli(old, ['--apply', profileFile('name: o\nrss:\n  indir: equal\n  queues: 2\n'), 'ekr0']);
  assert.equal(ap.code, EXIT.OK, ap.out);
  assert.ok(old.sim.log.some(l => l.cmd === ETHTOOL.SRXFHINDIR), 'the old table call');
  assert.deepEqual(new Set(old.d.rss!.indir), new Set([0, 1]));

  const w = world();
  const q = await cli(w, ['--plan', profileFile('name: q\nrss:\n  indir: equal\n  queues: 6\n  hfunc: crc64\n'), 'ekr0', '--json']);
  assert.equal(row(q, 'rss indir').reason, 'equal over 6 queues: ekr0 has 4 rx queues');
  assert.equal(row(q, 'rss hfunc').reason, 'driver simnic has no hash function crc64 (its functions: toeplitz xor crc32)');
});

test('required: a setting the driver lacks fails the plan before any change, at its line:col', async () => {
  const w = world();
  const prof = profileFile('name: req\nchannels:\n  combined: 8\nrss:\n  indir: equal\n  hfunc: {value: crc64, required: true}\n');
  const before = rssOf(w.d);
  const r = await cli(w, ['--apply', prof, 'ekr0']);
  assert.equal(r.code, EXIT.ERROR);
  assert.match(r.out, /p\d+\.yaml:6:3: rss\.hfunc: required, but ekr0 cannot have it: rss hfunc: driver simnic has no hash function crc64/);
  assert.deepEqual(rssOf(w.d), before);
  assert.ok(!w.sim.log.some(l => l.cmd === ETHTOOL.SCHANNELS), 'nothing changed');
});

test('hash fields the driver refuses: skipped with the reason (the rest applied); required: the apply is undone', async () => {
  const edit = (d: SimDevice) => { d.flowHash![FLOW.UDP_V4].allowed = SD; };
  const w = world({ edit });
  const a = await cli(w, ['--apply', profileFile(RSS8), 'ekr0', '--json']);
  assert.equal(a.code, EXIT.OK, a.out);
  const steps = a.json.steps as { step: string; refused?: string[] }[];
  assert.deepEqual(steps.find(s => s.refused)?.refused, ['rss flow-hash.udp4']);
  assert.equal(w.d.flowHash![FLOW.UDP_V4].data, SD);
  assert.equal(w.d.flowHash![FLOW.UDP_V6].data, SDFN);
  assert.deepEqual(w.d.rss!.indir, Array.from({ length: 128 }, (_, i) => i % 8));
  // The refusal is kept with the snapshot: a later --verify and --apply skip it, not drift.
  const v = await cli(w, ['--verify', profileFile(RSS8), 'ekr0', '--json']);
  assert.equal(v.code, EXIT.OK, v.out);
  const row = (v.json.rows as { setting: string; action: string; reason?: string }[]).find(x => x.setting === 'rss flow-hash.udp4');
  assert.equal(row?.action, 'skip', JSON.stringify(row));
  assert.match(row?.reason ?? '', /refused by driver simnic/);
  const again = await cli(w, ['--apply', profileFile(RSS8), 'ekr0', '--json']);
  assert.equal(again.code, EXIT.UNCHANGED, again.out);

  const w2 = world({ edit });
  const before = rssOf(w2.d);
  const prof = profileFile(RSS8.replace('udp4: sdfn   # 4-tuple for UDP too', 'udp4: {value: sdfn, required: true}'));
  const r = await cli(w2, ['--apply', prof, 'ekr0']);
  assert.equal(r.code, EXIT.ROLLED_BACK, r.out);
  assert.match(r.out, /rss\.flow-hash\.udp4: required, but ekr0 cannot have it: rss flow-hash\.udp4: hash fields sdfn for udp4 refused by driver simnic/);
  assert.deepEqual(rssOf(w2.d), before, 'table and channels undone');
});

test('a fault in the middle (SRXFH fails with EIO) rolls back the table and the channels exactly', async () => {
  for (const failOn of [ETHTOOL.SRXFH, ETHTOOL.SRSSH]) {
    const w = world();
    w.d.rss!.indir = w.d.rss!.indir.map((_, i) => (i * 3) % 4);
    w.d.rss!.configured = true;
    const before = rssOf(w.d);
    let hits = 0;
    w.sim.injector = (_i, cmd) => (cmd === failOn && hits++ === 0 ? ERRNO.EIO : undefined);
    const r = await cli(w, ['--apply', profileFile(RSS8), 'ekr0', '--json']);
    assert.equal(r.code, EXIT.ROLLED_BACK, r.out);
    assert.deepEqual(rssOf(w.d), before, `fault on ${failOn}: all as before`);
    const st = r.json.steps as { kind: string; status: string }[];
    assert.ok(st.every(s => s.status === 'undone' || s.status === 'failed'), JSON.stringify(st));
  }
});

test('director: a fault after the table (an XPS write, planned after the channel change like the table) undoes the table, the flow hashing and the channels exactly', async () => {
  const w = world();
  w.d.rss!.indir = w.d.rss!.indir.map((_, i) => (i % 2) * 3);
  w.d.rss!.configured = true;
  const before = rssOf(w.d);
  const files = w.fs.everything();
  w.fs.injector = (p: string) => (p.endsWith('xps_cpus') ? 'EIO' : undefined);
  const r = await cli(w, ['--apply', 'director', 'ekr0', '--json']);
  assert.equal(r.code, EXIT.ROLLED_BACK, r.out);
  const st = r.json.steps as { kind: string; status: string }[];
  assert.deepEqual(st.filter(s => s.kind === 'rss' || s.kind === 'flow-hash').map(s => s.status), ['undone', 'undone', 'undone']);
  assert.deepEqual(rssOf(w.d), before);
  w.fs.injector = undefined;
  assert.deepEqual(w.fs.everything(), files);
  // without the fault: applied, and the table (set by the user before) is equal over the 8 channels
  const ok = await cli(w, ['--apply', 'director', 'ekr0']);
  assert.equal(ok.code, EXIT.OK, ok.out);
  assert.match(ok.out, /ekr0: rss indir: queues 0,3 \(128 entries, 0 3 0 3 0 3 0 3 …\) -> equal over 8 \(128 entries\)/);
  assert.equal((await cli(w, ['--verify', 'director', 'ekr0'])).code, EXIT.OK);
  assert.equal((await cli(w, ['--rollback', 'ekr0'])).code, EXIT.OK);
  assert.deepEqual(rssOf(w.d), before);
});
