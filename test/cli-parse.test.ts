/** Parse tables and C-library number semantics of the ethkit command line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKeyValues, parseFlags } from '../src/cli/parse';
import { strtoint, parseInt32, parseUnsigned } from '../src/common/numbers';
import { OPTIONS, findOption } from '../src/cli/options';
import { RING, CHANNELS, COALESCE, PAUSE, keyRows } from '../src/cli/cmd/params';
import * as S from '../src/ethtool/structs';
import { parseAdvertise, parseWol, parseSopass } from '../src/cli/cmd/settings';
import { featureDefs } from '../src/cli/cmd/features';
import { LEGACY_OFFLOADS as LEGACY, featureMatches as matches } from '../src/ethtool/catalog/offloads';
import { LINK_MODES } from '../src/ethtool/linkmodes';

test('strtoll base 0: hex, octal, signs, whitespace, empty string', () => {
  const cases: [string, bigint | null][] = [
    ['0x10', 16n], ['0X10', 16n], ['010', 8n], ['08', null], ['0x', null], [' 7', 7n], ['\t7', 7n], ['+7', 7n],
    ['7 ', null], ['', 0n], ['   ', null], ['-', null], ['10x', null], ['-12', -12n], ['9223372036854775807', 9223372036854775807n],
    ['9223372036854775808', null], ['-9223372036854775808', -9223372036854775808n], ['0', 0n], ['00', 0n],
  ];
  for (const [s, want] of cases) assert.equal(strtoint(s, 0, false), want, JSON.stringify(s));
});

test('strtoll base 10 (speed) is decimal only', () => {
  assert.equal(parseInt32('0x10', 10), null);
  assert.equal(parseInt32('010', 10), 10);
  assert.equal(parseInt32('2147483647', 10), 2147483647);
  assert.equal(parseInt32('2147483648', 10), null);
  assert.equal(parseInt32('-2147483648', 10), -2147483648);
  assert.equal(parseInt32('-2147483649', 10), null);
});

test('strtoull: a leading minus wraps; u32 range check', () => {
  assert.equal(parseUnsigned('-0', 0xffffffff), 0);
  assert.equal(parseUnsigned('-1', 0xffffffff), null);
  assert.equal(parseUnsigned('4294967295', 0xffffffff), 4294967295);
  assert.equal(parseUnsigned('4294967296', 0xffffffff), null);
  assert.equal(parseUnsigned('0xff', 0xff), 255);
  assert.equal(parseUnsigned('256', 0xff), null);
  assert.equal(strtoint('18446744073709551616', 0, true), null);
  // --debug checks only the end pointer: an overflow passes, junk does not.
  assert.equal(strtoint('18446744073709551616', 0, true, true), 18446744073709551615n);
  assert.equal(strtoint('1x', 0, true, true), null);
});

test('generic KEY VALUE parser: last value wins, unknown key / missing value / bad value refused', () => {
  const rows = keyRows(RING);
  assert.deepEqual([...parseKeyValues(['rx', '5', 'rx', '7'], rows)!], [['rx', 7]]);
  assert.deepEqual([...parseKeyValues(['tx', '-1'], rows)!], [['tx', -1]]);
  assert.equal(parseKeyValues(['rx'], rows), null);
  assert.equal(parseKeyValues(['rx-buf-len', '100'], rows), null);
  assert.equal(parseKeyValues(['RX', '1'], rows), null);
  assert.equal(parseKeyValues(['rx', '2147483648'], rows), null);
  assert.deepEqual([...parseKeyValues([], rows)!], []);
  const pause = keyRows(PAUSE);
  assert.deepEqual([...parseKeyValues(['rx', 'on', 'rx', 'off'], pause)!], [['rx', false]]);
  assert.equal(parseKeyValues(['rx', '1'], pause), null);
  assert.equal(parseKeyValues(['rx', 'ON'], pause), null);
});

test('on/off flags: "on" is sticky', () => {
  const known = (n: string) => n === 'gro' || n === 'tso';
  assert.deepEqual([...parseFlags(['gro', 'on', 'gro', 'off'], known)!.on], ['gro']);
  assert.deepEqual([...parseFlags(['gro', 'off', 'gro', 'on'], known)!.on], ['gro']);
  assert.deepEqual([...parseFlags(['gro', 'off'], known)!.seen], ['gro']);
  assert.equal(parseFlags(['gro'], known), null);
  assert.equal(parseFlags(['lro', 'on'], known), null);
});

test('parameter tables: one row per key, every field a member of the kernel struct', () => {
  for (const spec of [RING, CHANNELS, COALESCE, PAUSE]) {
    const { layout, rows } = spec.group;
    const names = new Set(layout.fields.map(f => f.name));
    for (const r of rows) {
      if (r.field) assert.ok(names.has(r.field), `${layout.cname} has no ${r.field}`);
      if (r.max) assert.ok(names.has(r.max), `${layout.cname} has no ${r.max}`);
    }
    const keys = keyRows(spec).map(r => r.key);
    assert.equal(new Set(keys).size, keys.length, 'duplicate key');
    assert.equal(keys.length, rows.filter(r => r.field).length, 'every ioctl row has a key');
    assert.equal(keyRows(spec, 'netlink').length, rows.length, 'every row has a netlink key');
    // Every placeholder of the messages names a key.
    for (const m of spec.unchanged[0].matchAll(/\{([a-z-]+)\}/g)) assert.ok(rows.some(r => r.key === m[1]), m[1]);
  }
  // Set-table orders as in ethtool (the order of its "unmodified" messages).
  assert.deepEqual(keyRows(RING).map(r => r.key), ['rx', 'rx-mini', 'rx-jumbo', 'tx']);
  assert.deepEqual(keyRows(CHANNELS).map(r => r.key), ['rx', 'tx', 'other', 'combined']);
  assert.deepEqual(keyRows(PAUSE).map(r => [r.key, r.kind]), [['autoneg', 'bool'], ['rx', 'bool'], ['tx', 'bool']]);
  const co = keyRows(COALESCE);
  assert.equal(co.length, 22);
  assert.deepEqual(co.slice(0, 7).map(r => r.key), ['adaptive-rx', 'adaptive-tx', 'sample-interval', 'stats-block-usecs', 'pkt-rate-low', 'pkt-rate-high', 'rx-usecs']);
  assert.ok(!co.some(r => r.key.startsWith('cqe-')));
  // Every settable coalesce member of the kernel struct has a key.
  const covered = new Set(COALESCE.group.rows.map(r => r.field));
  for (const f of S.ethtool_coalesce.fields) if (f.name !== 'cmd') assert.ok(covered.has(f.name), f.name);
});

test('option table: aliases unique, exact match, -h order starts with the settings page', () => {
  const all = OPTIONS.flatMap(o => o.names);
  assert.equal(new Set(all).size, all.length);
  assert.equal(OPTIONS[0].names.length, 0);
  assert.equal(findOption('--show-offload'), findOption('-k'));
  assert.equal(findOption('--SHOW-OFFLOAD'), undefined);
  assert.equal(findOption('-s')!.implemented, true);
  assert.equal(findOption('-E')!.implemented, true);
  // Implemented: an ioctl handler, or (netlink-only commands) a netlink one.
  const netlinkOnly = new Set(['--cable-test', '--cable-test-tdr', '--show-tunnels', '--show-module', '--set-module']);
  for (const o of OPTIONS) assert.equal(o.implemented, typeof o.run === 'function' || netlinkOnly.has(o.names[0]), o.names.join('|'));
});

test('-s values: advertise mask, wol letters, sopass', () => {
  assert.deepEqual(parseAdvertise('0x2f'), [0x2f]);
  assert.deepEqual(parseAdvertise(''), []);
  assert.deepEqual(parseAdvertise('0x100000000'), [0, 1]);
  assert.deepEqual(parseAdvertise('ff'), [0xff]);
  assert.equal(parseAdvertise('0x'), null);
  assert.equal(parseAdvertise('0x1/0xf'), null);
  assert.equal(parseAdvertise('1000baseT/Full'), null);
  assert.equal(parseWol('g'), 0x20);
  assert.equal(parseWol('pumbagsfd'), 0);
  assert.equal(parseWol('dg'), 0x20);
  assert.equal(parseWol(''), 0);
  assert.equal(parseWol('x'), null);
  assert.equal(parseWol('1'), null);
  assert.deepEqual(parseSopass('01:02:03:04:05:06'), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(parseSopass('1:2:3:4:5:6:7'), [1, 2, 3, 4, 5, 6]);
  assert.equal(parseSopass('123:4:5:6:7:8'), null);
  assert.equal(parseSopass('1:2:3:4:5'), null);
});

test('legacy offload groups: wildcard patterns, first match wins', () => {
  assert.ok(matches('tx-tcp*-segmentation', 'tx-tcp6-segmentation'));
  assert.ok(matches('tx-tcp*-segmentation', 'tx-tcp-segmentation'));
  assert.ok(!matches('tx-tcp*-segmentation', 'tx-tcp-segmentatio'));
  assert.ok(matches('tx-checksum-*', 'tx-checksum-sctp'));
  assert.ok(!matches('rx-gro', 'rx-gro-hw'));
  const defs = featureDefs(['rx-gro', 'rx-gro-hw', 'tx-checksum-ipv4', 'tx-scatter-gather-fraglist', 'highdma']);
  assert.deepEqual(defs.group, [6, -1, 1, 2, -1]);
  assert.equal(defs.matched[LEGACY.findIndex(l => l.short === 'gro')], 1);
  assert.equal(LEGACY.length, 12);
});

test('link mode table: 80 modes, each bit once, 79 printed before 78', () => {
  const bits = LINK_MODES.map(m => m.bit);
  assert.equal(new Set(bits).size, bits.length);
  assert.equal(bits.length, 80);
  assert.ok(bits.indexOf(79) < bits.indexOf(78));
  assert.deepEqual(LINK_MODES.filter(m => m.sameLine).map(m => m.bit), [1, 3, 5, 91]);
});
