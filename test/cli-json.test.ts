/** --json on every command: documents parse, numbers are numbers, errors are one JSON line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethkit, newSim, LinkSpec } from './cli-helpers';
import { ETHTOOL } from '../src/ethtool/constants';
import { writeJson } from '../src/cli/json';

type Obj = Record<string, unknown>;

function doc(out: string): Obj {
  const d = JSON.parse(out) as unknown;
  assert.ok(Array.isArray(d) && d.length === 1, 'one object per device in an array');
  return d[0] as Obj;
}

function sim() {
  const s = newSim({ queues: 2 });
  const link: LinkSpec = {
    speed: 10000, duplex: 1, port: 0, phyad: 0, autoneg: 0, mdix: 0, mdixCtrl: 0, transceiver: 0,
    supported: [1 << 12, 0, 0], advertising: [1 << 12, 0, 0], lp: [0, 0, 0],
  };
  s.t.link = link;
  s.dev.tests = [{ name: 'loopback', value: 0n }];
  s.dev.regs = Uint8Array.of(1, 2, 3);
  s.dev.eeprom = Uint8Array.of(9, 8, 7, 6);
  return s;
}

test('every show command: a parseable document, typed values, nothing on stderr', async () => {
  const { t } = sim();
  const cases: [string[], (o: Obj) => void][] = [
    [['sim0'], o => {
      assert.equal(o.speed, 10000);
      assert.deepEqual(o['supported-link-modes'], ['10000baseT/Full']);
      assert.equal(o['auto-negotiation'], false);
      assert.equal(o['link-detected'], true);
      assert.equal(o['current-message-level'], 7);
      assert.equal(o['mdi-x'], 'Unknown');
    }],
    [['-i', 'sim0'], o => { assert.equal(o.driver, 'simnic'); assert.equal(o['supports-statistics'], true); }],
    [['-a', 'sim0'], o => assert.deepEqual(o, { ifname: 'sim0', autonegotiate: false, rx: true, tx: true })],
    [['-c', 'sim0'], o => { assert.equal(o['adaptive-rx'], false); assert.equal(o['rx-usecs'], 0); assert.equal(Object.keys(o).length, 23); }],
    [['-g', 'sim0'], o => assert.deepEqual(o, { ifname: 'sim0', 'rx-max': 4096, 'rx-mini-max': 0, 'rx-jumbo-max': 0, 'tx-max': 4096, rx: 256, 'rx-mini': 0, 'rx-jumbo': 0, tx: 256 })],
    [['-l', 'sim0'], o => { assert.equal(o.combined, 2); assert.equal(o['combined-max'], 8); }],
    [['-k', 'sim0'], o => {
      assert.deepEqual(o['tx-checksumming'], { active: true, fixed: null, requested: null });
      assert.deepEqual(o['generic-receive-offload'], { active: true, fixed: false, requested: true });
      assert.deepEqual(o['tx-lockless'], { active: false, fixed: true, requested: false });
    }],
    [['-S', 'sim0'], o => { const s = o.statistics as Obj; assert.equal(s.rx_queue_1_bytes, 0); assert.equal(Object.keys(s).length, 16); }],
    [['--phy-statistics', 'sim0'], () => assert.fail('sim has no PHY statistics')],
    [['-P', 'sim0'], o => assert.equal(o['permanent-address'], '02:00:00:00:00:10')],
    [['-t', 'sim0'], o => assert.deepEqual(o, { ifname: 'sim0', mode: 'offline', result: 'PASS', tests: [{ name: 'loopback', value: 0 }] })],
    [['-d', 'sim0'], o => assert.deepEqual(o, { ifname: 'sim0', version: 1, length: 3, data: '010203' })],
    [['-e', 'sim0', 'offset', '1'], o => assert.deepEqual(o, { ifname: 'sim0', magic: 0x5a5a, offset: 1, length: 3, data: '080706' })],
    [['-r', 'sim0'], o => assert.deepEqual(o, { ifname: 'sim0' })],
    [['-p', 'sim0', '2'], o => assert.deepEqual(o, { ifname: 'sim0', seconds: 2 })],
    [['--version'], o => assert.equal(o.name, 'ethkit')],
    [['-h'], o => assert.ok(Array.isArray(o.commands) && (o.commands as unknown[]).length > 40)],
  ];
  for (const [argv, check] of cases) {
    const r = await ethkit(['--json', ...argv], t);
    if (argv[0] === '--phy-statistics') {
      assert.equal(r.code, 94);
      assert.equal(r.out, '');
      assert.deepEqual(JSON.parse(r.err), { error: 'no stats available', exit: 94 });
      continue;
    }
    assert.equal(r.code, 0, argv.join(' '));
    assert.equal(r.err, '', argv.join(' '));
    const o = doc(r.out);
    if (argv[0] !== '--version' && argv[0] !== '-h') assert.equal(o.ifname, 'sim0');
    check(o);
  }
});

test('set commands report what changed; warnings are JSON lines', async () => {
  const { t } = sim();
  const g = await ethkit(['--json', '-G', 'sim0', 'rx', '512', 'tx', '256'], t);
  assert.equal(g.code, 0);
  assert.deepEqual(doc(g.out), { ifname: 'sim0', changed: { rx: 512 }, unmodified: ['tx'] });
  assert.deepEqual(g.err.trim().split('\n').map(l => JSON.parse(l)), [{ warning: 'tx unmodified, ignoring' }]);
  const l = await ethkit(['--json', '-L', 'sim0', 'combined', '2'], t);
  assert.equal(l.code, 0);
  assert.equal((doc(l.out).current as Obj).combined, 2);
  const c = await ethkit(['--json', '-C', 'sim0', 'adaptive-rx', 'on'], t);
  assert.deepEqual(doc(c.out).changed, { 'adaptive-rx': true });
  const k = await ethkit(['--json', '-K', 'sim0', 'gro', 'off'], t);
  assert.deepEqual(doc(k.out), { ifname: 'sim0', changes: { 'generic-receive-offload': { active: false, fixed: false, requested: false } }, mismatch: false });
  const s = await ethkit(['--json', '-s', 'sim0', 'msglvl', '3', 'wol', 'p'], t);
  assert.equal(s.code, 0);
  assert.deepEqual(doc(s.out), { ifname: 'sim0', applied: ['msglvl'], failed: ['wol'] });
  assert.deepEqual(s.err.trim().split('\n').map(x => JSON.parse(x)), [
    { warning: 'Cannot set new wake-on-lan settings: Invalid argument' }, { warning: 'not setting wol' },
  ]);
});

test('errors: one JSON line {"error", "exit"} on stderr, same exit code, empty stdout', async () => {
  const { t } = sim();
  t.injector = (_n, cmd) => (cmd === ETHTOOL.GRINGPARAM ? 95 : undefined);
  const cases: [string[], number, string][] = [
    [['-g', 'sim0'], 76, 'Cannot get device ring settings: Operation not supported'],
    [['-G', 'sim0', 'rx', '1'], 76, 'Cannot get device ring settings: Operation not supported'],
    [['-G', 'sim0', 'bogus', '1'], 1, 'bad command line argument(s)'],
    [['-C', 'sim0'], 80, 'no coalesce parameters changed, aborting'],
    [['-i', 'nosuch0'], 71, 'Cannot get driver information: No such device'],
    [['-i', 'abcdefghijklmnop'], 1, 'ethtool netlink support for subcommand missing, device name longer than 15 not supported'],
    [['-E', 'sim0', 'length', '2', 'value', '1'], 1, 'value requires length 1'],
    [[], 1, 'bad command line argument(s)'],
  ];
  for (const [argv, code, msg] of cases) {
    const r = await ethkit(['--json', ...argv], t);
    assert.equal(r.code, code, argv.join(' '));
    assert.equal(r.out, '', argv.join(' '));
    const lines = r.err.trim().split('\n');
    assert.deepEqual(JSON.parse(lines[lines.length - 1]), { error: msg, exit: code }, argv.join(' '));
    for (const l of lines.slice(0, -1)) assert.ok('warning' in JSON.parse(l));
  }
  // A failed self-test still prints its report.
  const { t: t2, dev } = sim();
  dev.tests = [{ name: 'nvram', value: 1n }];
  const f = await ethkit(['--json', '-t', 'sim0'], t2);
  assert.equal(f.code, 2);
  assert.equal(doc(f.out).result, 'FAIL');
  assert.deepEqual(JSON.parse(f.err), { error: 'The test result is FAIL', exit: 2 });
});

test('JSON layout is ethtool\'s: "[ {", 4-space indent, scalar arrays on one line, exact u64', () => {
  assert.equal(writeJson([{ ifname: 'x', a: [1, 2], e: [], o: {}, n: { b: true } }], true),
    '[ {\n        "ifname": "x",\n        "a": [ 1,2 ],\n        "e": [ ],\n        "o": {},\n        "n": {\n            "b": true\n        }\n    } ]');
  assert.equal(writeJson([], true), '[ ]');
  assert.equal(writeJson({ v: 18446744073709551615n, s: 'a"\n' }, false), '{"v":18446744073709551615,"s":"a\\"\\n"}');
});
