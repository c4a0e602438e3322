/**
 * The differential harness itself: the eth0 guard, the diff description, the live-counter
 * comparison, and the case tables' shape. Runs nothing that touches a device.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Capture, compare, guard, normalizeCounters, registerLabNamespace, unregisterLabNamespace, runTool } from './diff/harness';
import { expand, parseLine, classify, counts } from './diff/runner';
import { SUITES } from './diff/cases';

function cap(stdout: string, stderr = '', status = 0): Capture {
  return { tool: 'ethkit', argv: [], ns: null, stdout: Buffer.from(stdout), stderr: Buffer.from(stderr), status };
}

test('guard: no set-family command on eth0, none outside the suite namespaces', () => {
  registerLabNamespace('ekdhtest');
  try {
    for (const argv of [['-s', 'eth0', 'speed', '10'], ['-K', 'eth0', 'gro', 'off'], ['-r', 'eth0'], ['-p', 'eth0'],
      ['-t', 'eth0'], ['--debug', '1', '-C', 'eth0', 'bogus'], ['-L', 'eth0'], ['--features', 'eth0', 'x', 'on']]) {
      assert.throws(() => guard(argv, 'ekdhtest'), /refused: set-family command on eth0/, argv.join(' '));
      assert.throws(() => guard(argv, null), /refused/, argv.join(' '));
      // runTool refuses before anything is started
      assert.throws(() => runTool('ethtool', argv, 'ekdhtest'), /refused: set-family command on eth0/);
    }
    assert.throws(() => guard(['-s', 'va', 'speed', '10'], null), /outside the suite's own namespaces/);
    assert.throws(() => guard(['-s', 'va', 'speed', '10'], 'someoneelse'), /outside the suite's own namespaces/);
    assert.doesNotThrow(() => guard(['-s', 'va', 'speed', '10'], 'ekdhtest'));
    assert.doesNotThrow(() => guard(['-k', 'eth0'], null));
    assert.doesNotThrow(() => guard(['eth0'], null));
  } finally {
    unregisterLabNamespace('ekdhtest');
  }
});

test('compare: exit status, first differing line of each stream, every character visible', () => {
  assert.equal(compare(cap('a\nb\n'), cap('a\nb\n')).same, true);
  const c = compare(cap('x\n\tSpeed: 10Mb/s\ny\n', '', 0), cap('x\n\tSpeed: 10Mb/s \ny\n', 'oops\n', 1));
  assert.equal(c.same, false);
  assert.match(c.text, /^exit status: ethtool 0, ethkit 1/);
  assert.match(c.text, /stdout differs at line 2/);
  assert.match(c.text, /- ethtool: "\\tSpeed: 10Mb\/s"\n/);
  assert.match(c.text, /\+ ethkit : "\\tSpeed: 10Mb\/s "\n/);
  assert.match(c.text, /stderr differs at line 1 \(ethtool: 0 lines, ethkit: 1 lines\)/);
  assert.match(c.first, /^exit 0 vs 1; stderr line 1: ethtool <end of output> \/ ethkit "oops"/);
  const nl = compare(cap('a\nb'), cap('a\nb\n'));
  assert.match(nl.text, /"b" <no newline>/);
});

test('normalizeCounters: values between the two ethtool runs count as equal, nothing else does', () => {
  const before = cap('NIC statistics:\n     rx_kicks: 10\n     tx: 5\n');
  const after = cap('NIC statistics:\n     rx_kicks: 20\n     tx: 5\n');
  const ok = normalizeCounters(before, cap('NIC statistics:\n     rx_kicks: 15\n     tx: 5\n'), after);
  assert.equal(compare(before, ok).same, true);
  for (const bad of ['     rx_kicks: 21\n     tx: 5\n', '     rx_kicks: 9\n     tx: 5\n', '     tx: 5\n     rx_kicks: 15\n',
    '     rx_kicks: 15\n     tx: 6\n', '    rx_kicks: 15\n     tx: 5\n']) {
    const got = normalizeCounters(before, cap('NIC statistics:\n' + bad), after);
    assert.equal(compare(before, got).same, false, bad);
  }
});

test('case tables: device names found as ethtool finds them; --json rows only on the netlink path; 500+ rows', () => {
  assert.deepEqual(parseLine(['--debug', '1', '-I', '-i', 'va']), { option: '-i', devname: 'va' });
  assert.deepEqual(parseLine(['tp0']), { option: null, devname: 'tp0' });
  assert.deepEqual(parseLine(['-h', 'va']), { option: '-h', devname: null });
  assert.deepEqual(parseLine(['-i', '-k']), { option: '-i', devname: '-k' });
  assert.equal(classify('eth0'), 'eth0');
  assert.equal(classify('vb'), 'veth');
  assert.equal(classify('nosuch0'), 'nonexistent');
  assert.throws(() => expand([{ family: 'x', rows: [['--json -i va', 1]] }]), /a --json row compares ethtool's own JSON, on the netlink path only/);
  assert.equal(expand([{ family: 'x', rows: [['--json -a va', 1, { columns: ['netlink'] }]] }]).length, 1);
  const all = Object.values(SUITES).flatMap(t => expand(t));
  assert.ok(all.length >= 500, `${all.length} rows`);
  const { device } = counts(all);
  for (const d of ['eth0', 'veth', 'tap', 'tun', 'nonexistent', 'none']) assert.ok((device.get(d) ?? 0) > 0, d);
  // eth0 rows never carry a set-family option (the guard would refuse them at run time anyway)
  for (const c of all.filter(x => x.device === 'eth0')) assert.doesNotThrow(() => guard(c.argv, null), c.argv.join(' '));
});
