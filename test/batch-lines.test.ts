/**
 * --batch in-process: how its input is read (words, quotes, comments, continued lines, limits)
 * and the batch run on the simulated NIC — each line answered as run() answers it alone, the
 * text and JSON-stream forms, stopping at the first failure or going on with --force, and the
 * batch's own one-line errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitWords, batchCommands, BatchItem, MAX_LINE } from '../src/app/batch-lines';
import { run } from '../src/app/run';
import { ethkit, newSim, BAD_ARGS } from './cli-helpers';

async function items(input: string | string[], max?: number): Promise<BatchItem[]> {
  const chunks = typeof input === 'string' ? [input] : input;
  const out: BatchItem[] = [];
  for await (const it of batchCommands((async function* () { yield* chunks; })(), max)) out.push(it);
  return out;
}

test('words: blanks split, quotes hold blanks and may be empty, # starts a comment at a word', () => {
  assert.deepEqual(splitWords('  -g\tveth0  '), ['-g', 'veth0']);
  assert.deepEqual(splitWords('-d eth0 file "/tmp/a b" raw on'), ['-d', 'eth0', 'file', '/tmp/a b', 'raw', 'on']);
  assert.deepEqual(splitWords("-g ''"), ['-g', '']);
  assert.deepEqual(splitWords(`-g 'a"b'`), ['-g', 'a"b']);
  assert.deepEqual(splitWords('-g eth0 # the ring'), ['-g', 'eth0']);
  assert.deepEqual(splitWords('-g eth#0'), ['-g', 'eth#0']);
  assert.deepEqual(splitWords('# only a comment'), []);
  assert.deepEqual(splitWords('   '), []);
  assert.deepEqual(splitWords('-g "eth0'), { error: 'unterminated quoted string (" at column 4)' });
  assert.deepEqual(splitWords('-g "eth"0'), { error: 'text right after the closing quote at column 8' });
  assert.deepEqual(splitWords('-g "a\0b"'), { error: 'word 2 holds a NUL byte' });
});

test('lines: numbered from 1, blank and comment lines skipped, CRLF, continued lines, no final newline', async () => {
  assert.deepEqual(await items('-g a\n\n# c\n-k b\r\n-i \\\n  c\n-S d'), [
    { line: 1, argv: ['-g', 'a'] }, { line: 4, argv: ['-k', 'b'] }, { line: 5, argv: ['-i', 'c'] }, { line: 7, argv: ['-S', 'd'] },
  ]);
  // Lines split across chunks anywhere, also inside a continuation.
  assert.deepEqual(await items(['-g ', 'a\n-k', ' b \\', '\n c', '\n']), [{ line: 1, argv: ['-g', 'a'] }, { line: 2, argv: ['-k', 'b', 'c'] }]);
  // A doubled backslash: one is eaten by the join, the next (empty) line ends the command.
  assert.deepEqual(await items('-g a\\\\\n\n-k b\n'), [{ line: 1, argv: ['-g', 'a\\'] }, { line: 3, argv: ['-k', 'b'] }]);
  assert.deepEqual(await items(''), []);
});

test('lines: one too long is one error, memory stays bounded, the next line is read', async () => {
  const long = 'x'.repeat(MAX_LINE + 1);
  const r = await items([`-g ${long.slice(0, 40000)}`, long.slice(40000), '\n-k a\n']);
  assert.deepEqual(r, [{ line: 1, error: `line longer than ${MAX_LINE} bytes` }, { line: 2, argv: ['-k', 'a'] }]);
  assert.deepEqual(await items('abcdefgh\nabc\n', 4), [{ line: 1, error: 'line longer than 4 bytes' }, { line: 2, argv: ['abc'] }]);
  assert.deepEqual(await items('-g "x\n-k a'), [{ line: 1, error: 'unterminated quoted string (" at column 4)' }, { line: 2, argv: ['-k', 'a'] }]);
});

interface BatchRun { code: number; out: string; err: string }

async function batch(argv: string[], input: string, t = newSim().t): Promise<BatchRun> {
  const out: Buffer[] = [], err: Buffer[] = [];
  const sink = (into: Buffer[]) => ({ write: (c: string | Uint8Array) => { into.push(Buffer.from(c)); } });
  const code = await run(argv, { transport: t, stdout: sink(out), stderr: sink(err), stdin: [input] });
  return { code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() };
}

const LINES = [
  '-g sim0', '-i sim0', '--json -g sim0', '-G sim0 rx 512', '-g sim0', '-G sim0 rx 512', '-Z', '-g nosuch0',
  '--json -G sim0 rx 99999', '-k sim0', '--version', '-c sim0', '-G sim0 rx 256',
];

test('--json stream: every line answered as run() answers it alone, in order, with its exit status', async () => {
  const alone = newSim().t;
  const expected: Awaited<ReturnType<typeof ethkit>>[] = [];
  for (const l of LINES) expected.push(await ethkit(l.split(' '), alone));
  const r = await batch(['--json', '--batch', '-', '--force'], LINES.join('\n') + '\n');
  const recs = r.out.trimEnd().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
  assert.equal(recs.length, LINES.length);
  recs.forEach((rec, k) => {
    const e = expected[k];
    assert.equal(rec.line, k + 1);
    assert.deepEqual(rec.command, LINES[k].split(' '));
    assert.equal(rec.exit, e.code, LINES[k]);
    assert.equal(rec.stderr, e.err, LINES[k]);
    if (LINES[k].startsWith('--json') && e.out !== '') assert.deepEqual(rec.json, JSON.parse(e.out), LINES[k]);
    else assert.equal(rec.stdout, e.out, LINES[k]);
  });
  // Good and bad lines both: the unchanged -G (80), the bad command line (1), the missing device.
  assert.deepEqual([recs[5].exit, recs[6].exit, recs[0].exit, recs[12].exit], [80, 1, 0, 0]);
  assert.ok((recs[7].exit as number) > 1 && (recs[8].exit as number) > 0);
  assert.equal(r.err, '');
  // The first failure decides the batch's status: the -G that changed nothing.
  assert.equal(r.code, 80);
});

test('text: the lines\' streams in order, a note after each failure; without --force it stops there', async () => {
  const alone = newSim().t;
  let out = '', err = '';
  for (const [k, l] of LINES.entries()) {
    const e = await ethkit(l.split(' '), alone);
    out += e.out;
    err += e.err + (e.code !== 0 ? `ethkit: stdin:${k + 1}: command failed with exit status ${e.code}\n` : '');
  }
  const forced = await batch(['--batch', '-', '--force'], LINES.join('\n'));
  assert.deepEqual(forced, { code: 80, out, err });
  const stopped = await batch(['--batch', '-'], LINES.join('\n'));
  assert.equal(stopped.code, 80);
  assert.equal(stopped.err, 'rx unmodified, ignoring\nno ring parameters changed, aborting\nethkit: stdin:6: command failed with exit status 80\n');
  assert.ok(!stopped.out.includes('driver: simnic\n'.repeat(2)));
  assert.ok(!stopped.out.includes('Features for sim0'), 'a line after the failure ran');
  const clean = await batch(['--batch', '-'], '-i sim0\n# fine\n--version\n');
  assert.deepEqual([clean.code, clean.err], [0, '']);
  assert.ok(clean.out.endsWith('supports-priv-flags: no\nethtool version 6.1\n'));
});

test('lines a batch cannot run: one line each, exit 1, and --force goes on', async () => {
  const text = await batch(['--batch', '-', '--force'], '--monitor\n--top sim0\n--json --batch x\n-g "sim0\n-g sim0 #ok\n');
  assert.equal(text.code, 1);
  assert.equal(text.err, [
    'ethkit: stdin:1: --monitor runs until interrupted: not run in a batch',
    'ethkit: stdin:2: --top runs until quit: not run in a batch',
    'ethkit: stdin:3: a batch cannot hold --batch',
    'ethkit: stdin:4: unterminated quoted string (" at column 4)', '',
  ].join('\n'));
  assert.ok(text.out.startsWith('Ring parameters for sim0:'));
  const json = await batch(['--json', '--batch', '-'], '-g "sim0\n-g sim0\n');
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.out), { line: 1, command: null, exit: 1, error: 'unterminated quoted string (" at column 4)' });
  assert.equal(json.out.trimEnd().split('\n').length, 1);
});

test('the batch\'s own command line: one-line errors, exit 1', async () => {
  const cases: [string[], string][] = [
    [['--batch'], 'ethkit: --batch: no input named (FILE, or - for stdin) (usage: ethkit [--json] --batch FILE|- [--force])\n'],
    [['--batch', 'a', 'b'], 'ethkit: --batch: one input only ("a" and "b" given) (usage: ethkit [--json] --batch FILE|- [--force])\n'],
    [['--batch', '-', '--frce'], 'ethkit: --batch: unknown option --frce (usage: ethkit [--json] --batch FILE|- [--force])\n'],
    [['-I', '--batch', '-'], 'ethkit: --batch: -I before --batch: give it on the lines it is for (usage: ethkit [--json] --batch FILE|- [--force])\n'],
    [['--batch', '/nonexistent/ethkit-batch'], 'ethkit: --batch: cannot open /nonexistent/ethkit-batch: no such file or directory (ENOENT)\n'],
    [['--batch', '/'], 'ethkit: --batch: cannot read /: is a directory (EISDIR)\n'],
    [['--batch', ''], 'ethkit: --batch: empty file name (usage: ethkit [--json] --batch FILE|- [--force])\n'],
  ];
  for (const [argv, err] of cases) assert.deepEqual(await batch(argv, ''), { code: 1, out: '', err }, argv.join(' '));
  const j = await batch(['--json', '--batch'], '');
  assert.equal(j.code, 1);
  assert.deepEqual(JSON.parse(j.err), { error: '--batch: no input named (FILE, or - for stdin) (usage: ethkit [--json] --batch FILE|- [--force])', exit: 1 });
  // A bad command line inside is the line's own answer, not the batch's.
  const bad = await batch(['--batch', '-'], '-Z\n');
  assert.deepEqual(bad, { code: 1, out: '', err: BAD_ARGS + 'ethkit: stdin:1: command failed with exit status 1\n' });
});

test('an unexpected failure inside a line is that line\'s one-line internal error; the batch goes on', async () => {
  const { t } = newSim();
  const real = t.ioctl.bind(t);
  t.ioctl = (ifname: string, buf: Uint8Array): number => {
    if (ifname === 'boom0') throw new RangeError('synthetic failure');
    return real(ifname, buf);
  };
  const r = await batch(['--json', '--batch', '-', '--force'], '-i boom0\n--json -i boom0\n-i sim0\n', t);
  const recs = r.out.trimEnd().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(recs.map(x => [x.exit, x.stderr]), [
    [1, 'ethkit: internal error: synthetic failure\n'],
    [1, '{"error":"internal error: synthetic failure","exit":1}\n'],
    [0, ''],
  ]);
  assert.equal(r.code, 1);
});
