/**
 * RSS and flow classification on the simulated NIC: the typed device API (Nic.rss … insertRule)
 * and the CLI's -x/-X/-n/-N text and JSON over the same simulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nic } from '../src/device/nic';
import { EthtoolError, UsageError } from '../src/device/errors';
import { SimTransport, simDevice } from './doubles/sim';
import { ethkit } from './cli-helpers';

function sim(opts: { indirOnly?: boolean } = {}): { t: SimTransport; nic: Nic } {
  const d = simDevice('sim0', { queues: 4 });
  if (opts.indirOnly) d.rss!.indirOnly = true;
  const t = new SimTransport([d]);
  return { t, nic: new Nic('sim0', t) };
}

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message);
const errno = (n: number) => (e: unknown) => e instanceof EthtoolError && e.errno === n;

test('rxRings and rss(): ring count, table, key and hash function by name', () => {
  const { nic } = sim();
  assert.equal(nic.rxRings(), 4);
  const r = nic.rss();
  assert.equal(r.indirSize, 128);
  assert.deepEqual(r.indir.slice(0, 6), [0, 1, 2, 3, 0, 1]);
  assert.equal(r.key!.length, 40);
  assert.equal(r.hfunc, 'toeplitz');
  assert.deepEqual(r.hfuncs, { toeplitz: true, xor: false, crc32: false });
  assert.equal(r.indirOnly, false);
});

test('setRssEqual / setRssWeights / setRssDefault change the table as -X does', () => {
  const { nic } = sim();
  nic.setRssEqual(2);
  assert.deepEqual(new Set(nic.rss().indir), new Set([0, 1]));
  nic.setRssEqual(2, { start: 2 });
  assert.deepEqual(nic.rss().indir.slice(0, 4), [2, 3, 2, 3]);
  nic.setRssWeights([1, 3]);
  assert.equal(nic.rss().indir.filter(q => q === 1).length, 96);
  nic.setRssDefault();
  assert.deepEqual(nic.rss().indir.slice(0, 5), [0, 1, 2, 3, 0]);
  assert.throws(() => nic.setRssEqual(0), usage(/at least 1/));
  assert.throws(() => nic.setRssWeights([0, 0]), usage(/non-zero/));
  assert.throws(() => nic.setRssWeights([100, 100]), usage(/more than the 128/));
  // A queue beyond the rings: the driver refuses it.
  assert.throws(() => nic.setRssEqual(5), errno(22));
});

test('setRss: key of the device\'s length and a named hash function; the rest unchanged', () => {
  const { nic } = sim();
  const before = nic.rss();
  const key = new Uint8Array(40).fill(0x5a);
  nic.setRss({ key, hfunc: 'xor' });
  const after = nic.rss();
  assert.deepEqual([...after.key!], [...key]);
  assert.equal(after.hfunc, 'xor');
  assert.deepEqual(after.indir, before.indir);
  assert.throws(() => nic.setRss({ key: new Uint8Array(39) }), usage(/40 bytes, not 39/));
  assert.throws(() => nic.setRss({ hfunc: 'sha1' }), usage(/unknown hash function 'sha1'/));
  assert.throws(() => nic.setRss({ indir: [0, 1] }), usage(/128 entries, not 2/));
});

test('RSS contexts: create, read, delete', () => {
  const { nic } = sim();
  const c = nic.createRssContext();
  assert.equal(c, 1);
  nic.setRssEqual(2, { start: 2, context: c });
  assert.deepEqual(nic.rss(c).indir.slice(0, 3), [2, 3, 2]);
  assert.deepEqual(nic.rss(0).indir.slice(0, 3), [0, 1, 2]);
  nic.deleteRssContext(c);
  assert.throws(() => nic.rss(c), errno(2));
  assert.throws(() => nic.deleteRssContext(0), usage(/1 or more/));
});

test('a driver with only GRXFHINDIR/SRXFHINDIR: table read and set through them; a key is refused', () => {
  const { t, nic } = sim({ indirOnly: true });
  const r = nic.rss();
  assert.equal(r.indirOnly, true);
  assert.equal(r.key, null);
  nic.setRssEqual(3);
  assert.deepEqual(nic.rss().indir.slice(0, 4), [0, 1, 2, 0]);
  assert.ok(t.log.some(l => l.cmd === 0x39), 'SRXFHINDIR was used');
  assert.throws(() => nic.setRss({ key: new Uint8Array(40) }), errno(95));
});

test('flow hashing: read, set to sdfn, refused where the driver does not allow it', () => {
  const { nic } = sim();
  assert.deepEqual(nic.rxFlowHash('udp4'), { flowType: 'udp4', fields: 'sd', discard: false, data: 0x30 });
  nic.setRxFlowHash('udp4', 'sdfn');
  assert.equal(nic.rxFlowHash('udp4').fields, 'sdfn');
  assert.throws(() => nic.setRxFlowHash('sctp4', 'sdfn'), errno(22));
  assert.throws(() => nic.setRxFlowHash('udp4', 'sdq'), usage(/each one of m v t s d f n r/));
  assert.throws(() => nic.rxFlowHash('ip4'), usage(/unknown flow type 'ip4'/));
});

test('rules: insert at the last free slot, list, decode, delete', () => {
  const { nic } = sim();
  const loc = nic.insertRule({ flowType: 'tcp4', match: { 'dst-ip': '10.0.0.1', 'dst-port': 80 }, masks: { 'dst-ip': '0.0.0.255' }, queue: 2 });
  assert.equal(loc, 63);
  const loc2 = nic.insertRule({ flowType: 'udp6', match: { 'src-ip': '2001:db8::1' }, action: 'drop', location: 5 });
  assert.equal(loc2, 5);
  const all = nic.rules();
  assert.deepEqual(all.map(r => r.location), [5, 63]);
  assert.equal(all[1].flowName, 'tcp4');
  assert.deepEqual(all[1].action, { kind: 'queue', queue: 2n, vf: null });
  assert.equal(all[1].fields['dst-port'].value, 80n);
  assert.deepEqual(all[0].action, { kind: 'drop' });
  assert.throws(() => nic.insertRule({ flowType: 'tcp4', queue: 9 }), errno(22));
  assert.throws(() => nic.insertRule({ flowType: 'tcp4', match: { spi: 1 } }), usage(/no field 'spi'/));
  assert.throws(() => nic.insertRule({ flowType: 'tcp4', match: { 'dst-port': 70000 } }), usage(/16 bits/));
  assert.throws(() => nic.insertRule({ flowType: 'bogus' }), usage(/unknown rule flow type/));
  nic.deleteRule(63);
  assert.deepEqual(nic.rules().map(r => r.location), [5]);
  assert.throws(() => nic.deleteRule(63), errno(2));
});

// ---- the CLI over the same simulator ----------------------------------------------------------------

test('-x: table, key and functions as ethtool prints them', async () => {
  const { t } = sim();
  const r = await ethkit(['-x', 'sim0'], t);
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'RX flow hash indirection table for sim0 with 4 RX ring(s):');
  assert.equal(lines[1], '    0:      0     1     2     3     0     1     2     3');
  assert.equal(lines[16], '  120:      0     1     2     3     0     1     2     3');
  assert.equal(lines[17], 'RSS hash key:');
  assert.match(lines[18], /^0b:30:55:(?:[0-9a-f]{2}:){36}[0-9a-f]{2}$/);
  assert.deepEqual(lines.slice(19), ['RSS hash function:', '    toeplitz: on', '    xor: off', '    crc32: off', '']);
});

test('-X equal, weight, hkey, hfunc, context new/delete; errors in ethtool\'s words and statuses', async () => {
  const { t } = sim();
  assert.equal((await ethkit(['-X', 'sim0', 'equal', '2'], t)).code, 0);
  assert.match((await ethkit(['-x', 'sim0'], t)).out, /\n {4}0: {6}0 {5}1 {5}0 {5}1 /);
  const bad = await ethkit(['-X', 'sim0', 'hkey', '00:11'], t);
  assert.deepEqual([bad.code, bad.err], [2, 'Key is too short for device (2 < 40)\n']);
  const zero = await ethkit(['-X', 'sim0', 'weight', '0', '0'], t);
  assert.deepEqual([zero.code, zero.err], [1, 'At least one weight must be non-zero\n']);
  const hf = await ethkit(['-X', 'sim0', 'hfunc', 'md5'], t);
  assert.deepEqual([hf.code, hf.err], [1, 'Unknown hash function: md5\n']);
  assert.equal((await ethkit(['-X', 'sim0', 'hfunc', 'crc32'], t)).code, 0);
  assert.match((await ethkit(['-x', 'sim0'], t)).out, /toeplitz: off\n {4}xor: off\n {4}crc32: on\n$/);
  const nw = await ethkit(['-X', 'sim0', 'context', 'new', 'equal', '2'], t);
  assert.deepEqual([nw.code, nw.out], [0, 'New RSS context is 1\n']);
  assert.equal((await ethkit(['-x', 'sim0', 'context', '1'], t)).code, 0);
  assert.equal((await ethkit(['-X', 'sim0', 'context', '1', 'delete'], t)).code, 0);
  const gone = await ethkit(['-x', 'sim0', 'context', '1'], t);
  assert.deepEqual([gone.code, gone.err], [1, 'Cannot get RX flow hash indir size and/or key size: No such file or directory\n']);
  const q = await ethkit(['-X', 'sim0', 'equal', '9'], t);
  assert.deepEqual([q.code, q.err], [1, 'Cannot set RX flow hash configuration: Invalid argument\n']);
});

test('-N flow-type and -n: the rule manager\'s slot, the rule as ethtool prints it, delete', async () => {
  const { t } = sim();
  const add = await ethkit(['-N', 'sim0', 'flow-type', 'tcp4', 'src-ip', '192.168.1.0', 'm', '0.0.0.255', 'dst-port', '443', 'vlan', '0x10', 'action', '1'], t);
  assert.deepEqual([add.code, add.out, add.err], [0, 'Added rule with ID 63\n', '']);
  const add6 = await ethkit(['-N', 'sim0', 'flow-type', 'ether', 'dst', '00:11:22:33:44:55', 'proto', '0x88f7', 'action', '-1', 'loc', '3'], t);
  assert.deepEqual([add6.code, add6.out], [0, '']);
  const r = await ethkit(['-n', 'sim0', 'rule', '63'], t);
  assert.equal(r.out,
    'Filter: 63\n\tRule Type: TCP over IPv4\n\tSrc IP addr: 192.168.1.0 mask: 0.0.0.255\n' +
    '\tDest IP addr: 0.0.0.0 mask: 255.255.255.255\n\tTOS: 0x0 mask: 0xff\n\tSrc port: 0 mask: 0xffff\n' +
    '\tDest port: 443 mask: 0x0\n\tVLAN EtherType: 0x0 mask: 0xffff\n\tVLAN: 0x10 mask: 0x0\n' +
    '\tUser-defined: 0x0 mask: 0xffffffffffffffff\n\tAction: Direct to queue 1\n\n');
  const all = await ethkit(['-n', 'sim0'], t);
  assert.match(all.out, /^4 RX rings available\nTotal 2 rules\n\nFilter: 3\n\tFlow Type: Raw Ethernet\n\tSrc MAC addr: 00:00:00:00:00:00 mask: FF:FF:FF:FF:FF:FF\n\tDest MAC addr: 00:11:22:33:44:55 mask: 00:00:00:00:00:00\n\tEthertype: 0x88F7 mask: 0x0\n\tAction: Drop\n\nFilter: 63\n/);
  const js = JSON.parse((await ethkit(['--json', '-n', 'sim0'], t)).out);
  assert.equal(js[0].rules[1].fields['src-ip'].mask, '0.0.0.255');
  assert.equal(js[0].rules[1].action.queue, 1);
  const full = await ethkit(['-N', 'sim0', 'flow-type', 'udp4', 'queue', '7', 'loc', '1'], t);
  assert.deepEqual([full.code, full.err], [0, 'rmgr: Cannot insert RX class rule: Invalid argument\n']);
  assert.equal((await ethkit(['-N', 'sim0', 'delete', '63'], t)).code, 0);
  const del = await ethkit(['-N', 'sim0', 'delete', '63'], t);
  assert.deepEqual([del.code, del.err], [1, 'rmgr: Cannot delete RX class rule: No such file or directory\nCannot delete classification rule\n']);
});

test('-n/-N rx-flow-hash: fields as ethtool lists them; a refused set exits 0 with the message', async () => {
  const { t } = sim();
  const r = await ethkit(['-n', 'sim0', 'rx-flow-hash', 'tcp4'], t);
  assert.equal(r.out, 'TCP over IPV4 flows use these fields for computing Hash flow key:\nIP SA\nIP DA\nL4 bytes 0 & 1 [TCP/UDP src port]\nL4 bytes 2 & 3 [TCP/UDP dst port]\n\n');
  assert.equal((await ethkit(['-N', 'sim0', 'rx-flow-hash', 'udp4', 'sdfn'], t)).code, 0);
  assert.match((await ethkit(['-n', 'sim0', 'rx-flow-hash', 'udp4'], t)).out, /L4 bytes 2 & 3/);
  const no = await ethkit(['-N', 'sim0', 'rx-flow-hash', 'sctp4', 'sdfn'], t);
  assert.deepEqual([no.code, no.err], [0, 'Cannot change RX network flow hashing options: Invalid argument\n']);
  const js = JSON.parse((await ethkit(['--json', '-n', 'sim0', 'rx-flow-hash', 'udp4'], t)).out);
  assert.deepEqual(js[0].fields, ['ip-src', 'ip-dst', 'l4-src', 'l4-dst']);
});
