/**
 * Profile files: the shipped ones load; malformed ones are rejected with file:line:col and the
 * key for each kind of problem (unknown key, wrong type, bad value, bad condition, YAML syntax);
 * parameters from the command line are checked; conditions evaluate as documented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { parseProfile, loadProfileFile, ProfileError } from '../src/profiles/load';
import { resolveParams } from '../src/profiles/cli';
import { parseExpr, evalExpr } from '../src/profiles/expr';
import { UsageError } from '../src/device/errors';

const ROOT = path.resolve(__dirname, '../..');
const PROFILES = path.join(ROOT, 'profiles');

/** The problems of a profile text, as "line:col key: message" strings. */
function problems(text: string): string[] {
  try {
    parseProfile(text, 'bad.yaml');
  } catch (e) {
    assert.ok(e instanceof ProfileError, `expected a ProfileError, got ${String(e)}`);
    for (const line of e.message.split('\n')) assert.match(line, /^bad\.yaml:\d+:\d+: /, 'every line names file:line:col');
    return e.problems.map(p => `${p.pos.line}:${p.pos.col} ${p.key}: ${p.message}`);
  }
  assert.fail('profile was accepted');
}

test('shipped profiles load, and every setting carries a comment saying why', () => {
  const names = fs.readdirSync(PROFILES).filter(f => f.endsWith('.yaml')).map(f => f.replace('.yaml', '')).sort();
  assert.deepEqual(names, ['director', 'latency', 'realserver']);
  for (const n of names) {
    const p = loadProfileFile(path.join(PROFILES, `${n}.yaml`));
    assert.equal(p.name, n);
    assert.ok(p.description.length > 10);
    for (const s of p.settings) assert.ok(s.why && s.why.length > 5, `${n}: ${s.group}.${s.key} (line ${s.pos.line}) has no comment`);
  }
  const d = loadProfileFile(path.join(PROFILES, 'director.yaml'));
  assert.deepEqual(d.params.map(p => `${p.name}:${p.type}:${String(p.default)}`), ['mode:enum:dr', 'gro:bool:false', 'forward:bool:false', 'backlog:int:32768', 'cpus:string:local', 'irqbalance:enum:ban',
    'backup:bool:false', 'policy_routing:bool:false', 'amemthresh:int:1024', 'drop_entry:int:1', 'secure_tcp:int:1']);
  const fwd = d.settings.find(s => s.key === 'net.ipv4.ip_forward')!;
  assert.equal(fwd.whenText, 'mode == nat or forward');
  assert.deepEqual(d.settings.find(s => s.key === 'combined')!.value, { kind: 'cpus' });
  assert.deepEqual(d.settings.find(s => s.group === 'ring' && s.key === 'rx')!.value, { kind: 'max' });
  assert.deepEqual(d.settings.find(s => s.key === 'generic-receive-offload')!.value, { kind: 'param', name: 'gro' });
});

test('unknown keys: at the key, top level, in a section, in a parameter and in a {value, when} entry', () => {
  assert.deepEqual(problems('name: x\nnmae: y\n'), [
    '2:1 nmae: unknown key (expected one of: name, description, params, features, ring, channels, coalesce, pause, fec, queues, sysctl, rss)',
  ]);
  assert.deepEqual(problems('name: x\nring:\n  rx: max\n  rxx: 4\n'), ['4:3 ring.rxx: unknown key (expected one of: rx, rx-mini, rx-jumbo, tx)']);
  assert.deepEqual(problems('name: x\nparams:\n  p: {type: int, default: 1, dflt: 2}\n'), ['3:30 params.p.dflt: unknown key (expected one of: type, values, default, description, min, max)']);
  assert.deepEqual(problems('name: x\nsysctl:\n  net.ipv4.ip_forward:\n    value: 1\n    wehn: x\n'), ['5:5 sysctl.net.ipv4.ip_forward.wehn: unknown key (expected one of: value, when, absent, required)']);
  assert.deepEqual(problems('name: x\nqueues:\n  irq: spread\n'), ['3:3 queues.irq: unknown key (expected one of: irq-affinity, xps, rps, irqbalance, cpus)']);
});

test('wrong types: at the value, with what was expected', () => {
  assert.deepEqual(problems('name: x\ncoalesce:\n  adaptive-rx: 5\nfeatures:\n  gro: [1]\nring:\n  rx: "512"\n'), [
    '3:16 coalesce.adaptive-rx: wrong type: 5 is a number, expected a boolean (on/off, true/false)',
    '5:8 features.gro: wrong type: expected a boolean (on/off, true/false), found a list',
    '7:7 ring.rx: wrong type: "512" is a string; write the number without quotes',
  ]);
  assert.deepEqual(problems('name: x\nring: 4096\n'), ['2:7 ring: must be a mapping of settings (KEY: VALUE)']);
  assert.deepEqual(problems('name: x\nparams:\n  on: {type: bool, default: on}\n  n: {type: int, default: 1}\nfeatures:\n  gro: $n\n'), [
    '6:8 features.gro: wrong type: parameter n is an int, expected a boolean (on/off, true/false)',
  ]);
});

test('bad values: out of range, unknown word, negative, not a value of the enum', () => {
  assert.deepEqual(problems('name: x\nqueues:\n  rps: sometimes\nring:\n  tx: -1\ncoalesce:\n  rx-usecs: max\n'), [
    '3:8 queues.rps: bad value "sometimes" (expected one of: auto, all, off)',
    '5:7 ring.tx: bad value -1: expected a non-negative integer or "max" (at most 4294967295)',
    '7:13 coalesce.rx-usecs: bad value "max": expected a non-negative integer',
  ]);
  assert.deepEqual(problems('name: x\nparams:\n  mode: {type: enum, values: [dr, nat], default: tun}\n  n: {type: int, min: 1, max: 9, default: 10}\n'), [
    '3:50 params.mode.default: bad value "tun": mode is one of dr|nat',
    '4:43 params.n.default: bad value 10: n is at most 9',
  ]);
  assert.deepEqual(problems('name: x\nparams:\n  t: {type: ifname, default: "a b"}\n'), ['3:30 params.t.default: bad value: interface name "a b" contains \'/\', \':\', a NUL or whitespace']);
  assert.deepEqual(problems('name: x\nsysctl:\n  net.ipv4.conf.{tunnel}.rp_filter: 1\n'), ['3:17 sysctl.net.ipv4.conf.{tunnel}.rp_filter: unknown placeholder {tunnel} (use {dev} or a parameter)']);
});

test('conditions: column of the offending word inside the when: text, plain or quoted', () => {
  const head = 'name: x\nparams:\n  mode: {type: enum, values: [dr, nat], default: dr}\nsysctl:\n';
  assert.deepEqual(problems(head + '  a.b:\n    value: 1\n    when: mode == nta\n'), ['7:19 sysctl.a.b.when: "nta" is not a value of mode (dr|nat)']);
  assert.deepEqual(problems(head + '  a.b:\n    value: 1\n    when: "mode == dr and"\n'), ['7:26 sysctl.a.b.when: bad condition: expression ends too early']);
  assert.deepEqual(problems(head + '  a.b:\n    value: 1\n    when: mood == dr\n'), ['7:11 sysctl.a.b.when: unknown parameter "mood" (parameters: mode)']);
  assert.deepEqual(problems(head + '  a.b:\n    value: 1\n    when: mode = dr\n'), ['7:16 sysctl.a.b.when: bad condition: unexpected character "="']);
});

test('YAML syntax errors: line and column from the parser, no partial profile', () => {
  const bracket = problems('name: x\nring: {rx: 1, tx: [2\n');
  assert.ok(bracket.length >= 1);
  assert.match(bracket[0], /^3:1 : YAML syntax error: Flow sequence/);
  assert.deepEqual(problems('name: x\nring:\n  rx: 1\n  rx: 2\n'), ['4:3 : YAML syntax error: Map keys must be unique']);
  const tab = problems('name: x\nring:\n\trx: 1\n');
  assert.match(tab[0], /^3:1 : YAML syntax error: /);
  assert.deepEqual(problems('name: x\nfeatures:\n  gro: on\n    lro: off\n')[0], '3:8 : YAML syntax error: Nested mappings are not allowed in compact mappings');
  assert.deepEqual(problems('name: x\nring: "abc\n'), ['3:1 : YAML syntax error: Missing closing "quote']);
});

test('all problems of a file are reported at once; a file without name is refused', () => {
  const p = problems('description: 5\nring:\n  rxx: 1\nqueues:\n  rps: x\n');
  assert.equal(p.length, 4);
  assert.match(p[0], /^1:14 description: must be a string/);
  assert.match(p[3], /^1:1 name: missing/);
});

test('--set: parameters are typed and checked, unknown ones named', () => {
  const d = loadProfileFile(path.join(PROFILES, 'director.yaml'));
  assert.deepEqual(resolveParams(d, ['mode=nat', 'gro=off', 'backlog=5000']), {
    mode: 'nat', gro: false, forward: false, backlog: 5000, cpus: 'local', irqbalance: 'ban', backup: false, policy_routing: false, amemthresh: 1024, drop_entry: 1, secure_tcp: 1,
  });
  assert.throws(() => resolveParams(d, ['mode=foo']), (e: Error) => e instanceof UsageError && e.message === '--set mode=foo: bad value "foo": mode is one of dr|nat|tun');
  assert.throws(() => resolveParams(d, ['speed=10']), /has no parameter "speed" \(parameters: mode, gro, forward, backlog, cpus, irqbalance, backup, policy_routing, amemthresh, drop_entry, secure_tcp\)/);
  assert.throws(() => resolveParams(d, ['gro=maybe']), /gro is a boolean/);
  assert.throws(() => resolveParams(d, ['backlog=10']), /backlog is at least 1000/);
  assert.throws(() => resolveParams(d, ['mode']), /expected NAME=VALUE/);
});

test('conditions evaluate: ==, !=, in, and/or/not, bare parameters', () => {
  const p = { mode: 'nat', gro: true, forward: false, n: 3 };
  const t = (s: string) => evalExpr(parseExpr(s), p);
  assert.equal(t('mode == nat'), true);
  assert.equal(t('mode != nat'), false);
  assert.equal(t('mode in [dr, tun]'), false);
  assert.equal(t('mode == dr or forward'), false);
  assert.equal(t('mode == nat and gro'), true);
  assert.equal(t('not forward && (gro || forward)'), true);
  assert.equal(t('!gro'), false);
  assert.equal(t('n == 3'), true);
  assert.equal(t('mode == "nat"'), true);
});

test('typos are errors: unknown feature names (with a suggestion), inconsistent parameter bounds', () => {
  assert.deepEqual(problems('name: x\nfeatures:\n  rx-grp: on\n  gro: on\n  rx-udp-gro-forwarding: on\n  frobnicate: off\n'), [
    '3:3 features.rx-grp: unknown feature (not an ethtool name such as gro, tso, lro, nor a kernel feature name of Linux 6.1-6.18 such as rx-gro; did you mean rx-gro?)',
    '6:3 features.frobnicate: unknown feature (not an ethtool name such as gro, tso, lro, nor a kernel feature name of Linux 6.1-6.18 such as rx-gro)',
  ]);
  assert.deepEqual(problems('name: x\nparams:\n  n: {type: int, min: 10, max: 5, default: 7}\n'), ['3:23 params.n.min: min 10 is greater than max 5']);
  assert.deepEqual(problems('name: x\nparams:\n  n: {type: int, min: 1, max: 5, default: 7}\n'), ['3:43 params.n.default: bad value 7: n is at most 5']);
  assert.deepEqual(problems('name: x\nparams:\n  m: {type: enum, values: [a, b], default: c}\n'), ['3:44 params.m.default: bad value "c": m is one of a|b']);
  assert.deepEqual(problems('name: x\nparams:\n  m: {type: enum, values: [a, b, a], default: a}\n'), ['3:27 params.m.values: lists a value twice (a)']);
  assert.deepEqual(problems('name: x\nparams:\n  n: {type: int, default: 18446744073709551616}\n'), ['3:27 params.n.default: bad value 18446744073709551616: n is an integer between -9007199254740991 and 9007199254740991']);
  assert.deepEqual(problems('name: x\nparams:\n  n: {type: int, max: 1e30, default: 1}\n'), ['3:23 params.n.max: must be an integer (at most 9007199254740991 in size), not 1e30']);
});

test('--set integers: C notation (strtoll base 0) checked as a bigint, the value quoted as typed', () => {
  const d = loadProfileFile(path.join(PROFILES, 'director.yaml'));
  assert.equal(resolveParams(d, ['backlog=0x10000']).backlog, 0x10000);
  assert.equal(resolveParams(d, ['backlog=010000']).backlog, 0o10000);
  assert.throws(() => resolveParams(d, ['backlog=18446744073709551616']), (e: Error) => e.message === '--set backlog=18446744073709551616: bad value "18446744073709551616": backlog is at most 16777216');
  assert.throws(() => resolveParams(d, ['backlog=16777217']), (e: Error) => e.message === '--set backlog=16777217: bad value "16777217": backlog is at most 16777216');
  assert.throws(() => resolveParams(d, ['backlog=1e6']), (e: Error) => e.message === '--set backlog=1e6: bad value "1e6": backlog is an integer');
  assert.throws(() => resolveParams(d, ['backlog=']), /backlog is an integer/);
});

test('profile files are read bounded: regular files of at most 1 MiB; FIFOs and devices refused at once', () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ekschema-'));
  try {
    const fifo = path.join(dir, 'p.yaml');
    require('node:child_process').execFileSync('mkfifo', [fifo]);
    const cases: [string, RegExp][] = [
      ['/dev/zero', /^\/dev\/zero:1:1: cannot read the profile: a character device, not a regular file$/],
      [fifo, /p\.yaml:1:1: cannot read the profile: a FIFO, not a regular file$/],
      [dir, /:1:1: cannot read the profile: a directory, not a regular file$/],
      [path.join(dir, 'none.yaml'), /:1:1: cannot read the profile: no such file or directory \(ENOENT\)$/],
    ];
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, 'name: big\n' + '#'.repeat(2 * 1024 * 1024) + '\n');
    cases.push([big, /big\.yaml:1:1: cannot read the profile: 2097163 bytes, larger than the limit of 1 MiB$/]);
    for (const [file, re] of cases) {
      const t = Date.now();
      assert.throws(() => loadProfileFile(file), (e: Error) => e instanceof ProfileError && re.test(e.message), file);
      assert.ok(Date.now() - t < 2000, `${file}: refused at once`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loading is linear in the size of the profile: 1 MB of 32k keys well under the quadratic 35 s', () => {
  const lines = ['name: big', 'description: many keys', 'sysctl:'];
  for (let i = 0; i < 32000; i++) lines.push(`  net.k${i}.rp_filter: {value: 2, absent: x}`);
  const text = lines.join('\n') + '\n';
  assert.ok(text.length > 1_000_000 && text.length <= 1024 * 1024 * 1.4, `${text.length} bytes`);
  const small = lines.slice(0, 3 + 4000).join('\n') + '\n';
  const cpu = (t: string): number => { const c = process.cpuUsage(); parseProfile(t, 'big.yaml'); const u = process.cpuUsage(c); return (u.user + u.system) / 1000; };
  cpu(small); // warm up the parser's code
  const a = cpu(small), b = cpu(text);
  // 8x the keys: about 8x the time when linear, 64x when quadratic.
  assert.ok(b < 20 * a + 200, `4000 keys: ${a.toFixed(0)} ms, 32000 keys: ${b.toFixed(0)} ms of CPU`);
  assert.ok(b < 10_000, `32000 keys: ${b.toFixed(0)} ms of CPU`);
});
