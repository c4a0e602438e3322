/**
 * --batch on the real kernel, on both of ethtool's paths (netlink; the ioctl under
 * LD_PRELOAD=nonetlink.so): every line of a batch answered byte for byte as `bin/ethkit` with
 * the same words answers it in a process of its own — stdout, stderr, exit status — for many
 * commands, good and bad, read-only on the host's eth0 and with set and profile commands on a
 * veth pair in a namespace of this test's own; the text form is the lines' streams in order;
 * the lines share one SIOCETHTOOL and one netlink socket (counted with strace); huge input and
 * bad lines get one-line errors.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Netns, requireTool } from './helpers/netns';
import { MAX_LINE } from '../src/app/batch-lines';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/ethkit');
const NONETLINK = path.join(ROOT, 'native/build/nonetlink.so');

let ns: Netns;
let tmp: string;
let stateDir: string;

before(() => {
  requireTool('ip', 'iproute2', ['-V']);
  requireTool('strace', 'strace', ['-V']);
  if (!fs.existsSync(NONETLINK)) throw new Error(`${NONETLINK} is missing: make -C native`);
  ns = Netns.create('bt');
  // No IPv6 in the namespace: no router solicitations, so the veth counters stand still.
  ns.exec('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  ns.veth('va', 'vb', { queues: 4 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ekbatch-'));
  stateDir = path.join(tmp, 'state');
});
after(() => {
  ns?.destroy();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

type PathName = 'netlink' | 'ioctl';
const PATHS: PathName[] = ['netlink', 'ioctl'];

interface Proc { exit: number; stdout: string; stderr: string }

/** `bin/ethkit ARGS` in a process of its own, in the namespace or on the host, on `p`. */
function ethkit(args: readonly string[], where: 'ns' | 'host', p: PathName, input?: string): Proc {
  const pre = p === 'ioctl' ? ['env', `LD_PRELOAD=${NONETLINK}`] : ['env', '-u', 'LD_PRELOAD'];
  const cmd = where === 'ns' ? ['ip', 'netns', 'exec', ns.name, ...pre, BIN, ...args] : [...pre, BIN, ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', input: input ?? '', timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { exit: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The words of a batch line (the lines below use no quotes). */
const words = (line: string): string[] => line.trim().split(/\s+/);

/** Snapshot times ("before director, 2026-…Z") differ from run to run, nothing else may. */
const untimed = (s: string): string => s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>');

interface Rec { line: number; command: string[] | null; exit: number; stdout?: string; json?: unknown; stderr?: string; error?: string }

function records(stdout: string): Rec[] {
  return stdout.trimEnd().split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Rec);
}

/**
 * The batch (JSON stream, --force) against each line in its own process, in the same order, so
 * that the set commands meet the same state. Returns the per-line exit statuses.
 */
function compare(lines: readonly string[], where: 'ns' | 'host', p: PathName, reset: () => void): number[] {
  reset();
  const alone = lines.map(l => ethkit(words(l), where, p));
  reset();
  const file = path.join(tmp, `batch-${where}-${p}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const b = ethkit(['--json', '--batch', file, '--force'], where, p);
  assert.equal(b.stderr, '', `${p}: the batch itself said something on stderr`);
  const recs = records(b.stdout);
  assert.equal(recs.length, lines.length, `${p}: one record per line`);
  recs.forEach((rec, k) => {
    const e = alone[k];
    const what = `${where} ${p} line ${k + 1}: ${lines[k]}`;
    assert.equal(rec.line, k + 1, what);
    assert.deepEqual(rec.command, words(lines[k]), what);
    assert.equal(rec.exit, e.exit, `${what}: exit status (stderr alone: ${e.stderr.trim()})`);
    assert.equal(untimed(rec.stderr ?? ''), untimed(e.stderr), what);
    if (rec.json !== undefined) assert.deepEqual(rec.json, JSON.parse(e.stdout), what);
    else assert.equal(untimed(rec.stdout ?? ''), untimed(e.stdout), what);
  });
  const first = alone.find(a => a.exit !== 0)?.exit ?? 0;
  assert.equal(b.exit, first, `${p}: the batch exits with the first failing line's status`);
  return alone.map(a => a.exit);
}

/** Show commands only: eth0 of the host is never changed. */
const ETH0 = [
  '-i eth0', '-g eth0', '-k eth0', '-c eth0', '-l eth0', '-a eth0', '-T eth0', '-P eth0', '--show-priv-flags eth0',
  '--show-eee eth0', '--show-fec eth0', '-d eth0', '-e eth0', '-m eth0', '--show-tunnels eth0', '--show-module eth0',
  '--json -g eth0', '--json -k eth0', '--json -i eth0', '--json -l eth0', '--json -c eth0', '--json -a eth0',
  '--get-tunable eth0 rx-copybreak', '-g nosuch0', '--json -k nosuch0', '-Z', '-g', '-h', '--version',
  '-g eth0 extra', '--debug 0x2 -g eth0', '--plan director eth0',
];

/** On the namespace's veth: shows, sets each undone by a later line, failures, profile commands. */
function vethLines(): string[] {
  const sd = `--state-dir ${stateDir}`;
  return [
    '-i va', '-g va', '-k va', '-l va', '-c va', '-a va', '-S va', '--json -S va', '-S va --all-groups', '-T va', '-P va',
    '--show-priv-flags va', '--show-eee va', '--show-fec va', '-m va', '-d va', '-e va', '--json -k va', '--json -l va',
    '-K va gro on', '-k va', '-K va gro off', '-K va gro off', '-K va no-such-feature on',
    '-L va rx 2 tx 2', '-l va', '-L va rx 4 tx 4', '-L va rx 99',
    '-G va rx 100', '-C va rx-usecs 5', '-A va rx on', '-s va speed 100 duplex full', '-p va 1', '-r va', '-t va',
    '-g nosuch0', '-i nosuch0', '-K nosuch0 gro on', '-Z', '-G va rx', '-k va extra',
    '--debug 0x2 -k va',
    `--plan director va ${sd}`, `--verify director va ${sd}`, `--json --plan director va ${sd}`,
    `--apply director va --yes ${sd}`, `--verify director va ${sd}`, `--apply director va --yes ${sd}`,
    `--rollback va --yes ${sd}`, `--rollback va --yes ${sd}`, `--plan nosuchprofile va ${sd}`, '--profile-list',
    '-k va', '-l va',
  ];
}

const resetVeth = (): void => {
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir);
};

for (const p of PATHS) {
  test(`${p} path: every batch line on the host's eth0 (read-only) answers as bin/ethkit alone`, () => {
    const codes = compare(ETH0, 'host', p, () => undefined);
    assert.ok(codes.filter(c => c === 0).length >= 10, `${codes}`);
    assert.ok(codes.filter(c => c !== 0).length >= 5, `${codes}`);
  });

  test(`${p} path: every batch line on a veth pair (shows, sets, failures, profiles) answers as bin/ethkit alone`, () => {
    const lines = vethLines();
    const codes = compare(lines, 'ns', p, resetVeth);
    assert.ok(codes.filter(c => c === 0).length >= 20, `${codes}`);
    assert.ok(new Set(codes.filter(c => c !== 0)).size >= 3, `several distinct failure statuses: ${codes}`);
    // The profile lines did what they say: changed, verified, unchanged, rolled back.
    const at = (l: string): number => codes[lines.findIndex(x => x.startsWith(l))];
    assert.equal(at('--apply director'), 0);
    assert.equal(codes[lines.lastIndexOf(lines.find(l => l.startsWith('--apply director'))!)], 2);
  });

  test(`${p} path: the text form is the lines' streams in order with one note per failure; without --force it stops`, () => {
    resetVeth();
    const lines = ['-k va', '-i va', '-K va gro on', '-g va', '-K va gro on', '-G va rx 1', '-l va', '-K va gro off'];
    const alone = lines.map(l => ethkit(words(l), 'ns', p));
    let out = '', err = '';
    alone.forEach((a, k) => {
      out += a.stdout;
      err += a.stderr + (a.exit !== 0 ? `ethkit: stdin:${k + 1}: command failed with exit status ${a.exit}\n` : '');
    });
    const forced = ethkit(['--batch', '-', '--force'], 'ns', p, lines.join('\n'));
    assert.deepEqual(forced, { exit: alone.find(a => a.exit !== 0)?.exit ?? 0, stdout: out, stderr: err });
    // Without --force: up to and including the first failing line.
    const firstBad = alone.findIndex(a => a.exit !== 0);
    assert.ok(firstBad > 0);
    const stopped = ethkit(['--batch', '-'], 'ns', p, lines.join('\n'));
    assert.equal(stopped.exit, alone[firstBad].exit);
    assert.equal(stopped.stdout, alone.slice(0, firstBad + 1).map(a => a.stdout).join(''));
    assert.equal(stopped.stderr, alone.slice(0, firstBad + 1).map(a => a.stderr).join('') + `ethkit: stdin:${firstBad + 1}: command failed with exit status ${alone[firstBad].exit}\n`);
    ethkit(['-K', 'va', 'gro', 'off'], 'ns', p);
  });
}

/** socket(2) calls of a run, by family, counted with strace. */
function sockets(args: string[], p: PathName): { inet: number; netlink: number; exit: number } {
  const log = path.join(tmp, `strace-${p}`);
  const pre = p === 'ioctl' ? ['env', `LD_PRELOAD=${NONETLINK}`] : ['env', '-u', 'LD_PRELOAD'];
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'strace', '-f', '-qq', '-e', 'trace=socket', '-o', log, ...pre, BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  const text = fs.readFileSync(log, 'utf8');
  // strace sees env and the shell too: count only ethkit's node process's calls (all of them here).
  return { inet: (text.match(/socket\(AF_INET,/g) ?? []).length, netlink: (text.match(/socket\(AF_NETLINK, [^)]*NETLINK_GENERIC\)/g) ?? []).length, exit: r.status ?? -1 };
}

test('the lines share one SIOCETHTOOL socket and one ethtool netlink socket', () => {
  const lines: string[] = [];
  for (let k = 0; k < 30; k++) lines.push('-g va', '-k va', '-i va', '-l va', '-S va');
  const file = path.join(tmp, 'shared');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const nl = sockets(['--batch', file, '--force'], 'netlink');
  assert.deepEqual(nl, { inet: 1, netlink: 1, exit: 1 }); // -g on veth: EOPNOTSUPP
  // The ioctl path: netlink refused (no socket made), one control socket for 150 lines.
  const io = sockets(['--batch', file, '--force'], 'ioctl');
  assert.deepEqual([io.inet, io.netlink], [1, 0]);
  // For scale: one line alone costs the same sockets as the whole batch.
  assert.deepEqual(sockets(['-k', 'va'], 'netlink'), { inet: 0, netlink: 1, exit: 0 });
});

test('huge input: 20,000 lines in one stream, a 10 MB line, binary junk — one-line errors, the batch goes on', () => {
  const many = Array.from({ length: 20000 }, (_, k) => (k % 2 ? '--version' : '-i va')).join('\n') + '\n';
  const r = ethkit(['--json', '--batch', '-'], 'ns', 'netlink', many);
  assert.equal(r.exit, 0, r.stderr);
  const recs = records(r.stdout);
  assert.equal(recs.length, 20000);
  assert.deepEqual(recs[19999], { line: 20000, command: ['--version'], exit: 0, stdout: 'ethtool version 6.1\n', stderr: '' });

  const huge = '-g ' + 'x'.repeat(10 << 20) + '\n-i va\n';
  const h = ethkit(['--batch', '-', '--force'], 'ns', 'netlink', huge);
  assert.equal(h.exit, 1);
  assert.equal(h.stderr, `ethkit: stdin:1: line longer than ${MAX_LINE} bytes\n`);
  assert.ok(h.stdout.startsWith('driver: veth\n'));

  const junk = Buffer.from([0x2d, 0x67, 0x20, 0x00, 0xff, 0xfe, 0x0a, 0x27, 0x0a, 0x2d, 0x69, 0x20, 0x76, 0x61, 0x0a]).toString('latin1');
  const jf = path.join(tmp, 'junk');
  fs.writeFileSync(jf, Buffer.from(junk, 'latin1'));
  const j = ethkit(['--batch', jf, '--force'], 'ns', 'netlink');
  assert.equal(j.exit, 1);
  assert.equal(j.stderr, `ethkit: ${jf}:1: word 2 holds a NUL byte\nethkit: ${jf}:2: unterminated quoted string (' at column 1)\n`);
  assert.ok(j.stdout.startsWith('driver: veth\n'));
  for (const line of (h.stderr + j.stderr).trimEnd().split('\n')) assert.ok(line.length < 200 && !/\bat .*\.js:\d+/.test(line), line);
});
