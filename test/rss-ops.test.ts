/**
 * The RSS and flow classification request builders and decoders (src/ethtool/rss.ts): exact
 * bytes of each request, the table fill rules of -X, rule encoding and decoding, the key and
 * address parsers, and the u64 constants against the header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as rss from '../src/ethtool/rss';
import * as S from '../src/ethtool/structs';
import { ETHTOOL, FLOW, FLOW_FLAG, RX_CLS_LOC, RX_CLS_FLOW_DISC, RX_CLS_FLOW_WAKE, RX_FLOW_SPEC, ETH_RXFH_INDIR_NO_CHANGE } from '../src/ethtool/constants';
import { ipv4Parse, ipv6Parse, ipv6Text, ipv4Text } from '../src/ethtool/inet';
import { parseHkey } from '../src/cli/cmd/rxfh';
import { ScriptedTransport } from './helpers/scripted';
import { probeConstants } from './helpers/cprobe';

const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

test('sizes: ethtool_rxnfc 192, ethtool_rx_flow_spec 168, ethtool_rxfh 24 (+ table and key)', () => {
  assert.equal(S.ethtool_rxnfc.size, 192);
  assert.equal(S.ethtool_rx_flow_spec.size, 168);
  assert.equal(S.ethtool_rxfh.size, 24);
  assert.equal(S.ethtool_rxnfc.byName.fs.offset, 16);
  assert.equal(S.ethtool_rxnfc.byName.rss_context.offset, 184);
});

test('the u64 ring_cookie constants are the header\'s', () => {
  const got = probeConstants(['linux/ethtool.h'], ['RX_CLS_FLOW_DISC', 'RX_CLS_FLOW_WAKE', 'ETHTOOL_RX_FLOW_SPEC_RING', 'ETHTOOL_RX_FLOW_SPEC_RING_VF', 'ETHTOOL_RX_FLOW_SPEC_RING_VF_OFF']);
  const u = (n: string): bigint => BigInt.asUintN(64, got.get(n)!);
  assert.equal(u('RX_CLS_FLOW_DISC'), RX_CLS_FLOW_DISC);
  assert.equal(u('RX_CLS_FLOW_WAKE'), RX_CLS_FLOW_WAKE);
  assert.equal(u('ETHTOOL_RX_FLOW_SPEC_RING'), RX_FLOW_SPEC.RING);
  assert.equal(u('ETHTOOL_RX_FLOW_SPEC_RING_VF'), RX_FLOW_SPEC.RING_VF);
  assert.equal(u('ETHTOOL_RX_FLOW_SPEC_RING_VF_OFF'), RX_FLOW_SPEC.RING_VF_OFF);
});

test('GRXRINGS: a zeroed 192-byte rxnfc with its command; the ring count from data (u64)', () => {
  const expect = new Uint8Array(192);
  dv(expect).setUint32(0, ETHTOOL.GRXRINGS, true);
  const t = new ScriptedTransport('ekr0', [{ cmd: 'GRXRINGS', bytes: expect, data: [6, 0, 0, 0, 0, 0, 0, 0], dataAt: 8 }]);
  const r = rss.getRxRings({ ioctl: b => t.ioctl('ekr0', b) });
  t.assertDone();
  assert.deepEqual(r, { ok: true, v: 6n });
});

test('GRXFH with a context: flow type | FLOW_RSS, rss_context at 184', () => {
  const buf = rss.rxnfcRequest(ETHTOOL.GRXFH, { flow_type: (FLOW.UDP_V4 | FLOW_FLAG.RSS) >>> 0, rss_context: 3 });
  assert.equal(buf.length, 192);
  assert.equal(dv(buf).getUint32(4, true), 0x20000002);
  assert.equal(dv(buf).getUint32(184, true), 3);
});

test('GRSSH head, then the table and key; SRSSH with table then key', () => {
  const head = rss.rxfhRequest(ETHTOOL.GRSSH, { rss_context: 2, indir_size: 0, key_size: 0, hfunc: 0 });
  assert.deepEqual([...head], [0x46, 0, 0, 0, 2, 0, 0, 0, ...new Array(16).fill(0)]);
  const set = rss.rxfhRequest(ETHTOOL.SRSSH, { rss_context: 0, indir_size: 4, key_size: 2, hfunc: 2 }, [0, 1, 0, 1], Uint8Array.of(0xaa, 0xbb));
  assert.equal(set.length, 24 + 16 + 2);
  assert.equal(set[16], 2);
  assert.deepEqual([...set.subarray(24, 40)], [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  assert.deepEqual([...set.subarray(40)], [0xaa, 0xbb]);
  // A key with the table unchanged goes right after the header, as ethtool places it.
  const keyOnly = rss.rxfhRequest(ETHTOOL.SRSSH, { rss_context: 0, indir_size: ETH_RXFH_INDIR_NO_CHANGE, key_size: 1, hfunc: 0 }, [], Uint8Array.of(7));
  assert.equal(dv(keyOnly).getUint32(8, true), 0xffffffff);
  assert.equal(keyOnly[24], 7);
});

test('-X equal and weight fill the table as ethtool does', () => {
  assert.deepEqual(rss.indirEqual(8, 3, 1), [1, 2, 3, 1, 2, 3, 1, 2]);
  assert.deepEqual(rss.indirWeights(8, [1, 2]), [0, 0, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(rss.indirWeights(8, [1, 0, 1], 2), [2, 2, 2, 2, 4, 4, 4, 4]);
  assert.equal((rss.indirWeights(128, [3, 1]) as number[]).filter(q => q === 0).length, 96);
  assert.equal(rss.indirWeights(8, [0, 0]), 'zero');
  assert.equal(rss.indirWeights(8, [5, 4]), 'too-big');
});

test('hash field letters: sdfn and back; an unknown letter is refused', () => {
  assert.equal(rss.rxhFromLetters('sdfn'), 0xf0);
  assert.equal(rss.rxhFromLetters('r'), 0x80000000);
  assert.equal(rss.rxhFromLetters(''), 0);
  assert.equal(rss.rxhFromLetters('sdx'), null);
  assert.equal(rss.rxhLetters(0xfe), 'mvtsdfn');
});

test('a tcp4 rule: values in network order, masks inverted, FLOW_EXT from vlan, decoded back', () => {
  const fs = rss.newFlowSpec(FLOW.TCP_V4);
  const o = (n: string) => rss.ruleOptions('tcp4').find(x => x.name === n)!;
  rss.setRuleValue(fs, o('src-ip'), ipv4Parse('10.1.2.3')!);
  rss.setRuleMask(fs, o('src-ip'), ipv4Parse('0.0.0.255')!);
  rss.setRuleValue(fs, o('dst-port'), 80n);
  rss.setRuleValue(fs, o('vlan'), 0x123n);
  rss.setRuleValue(fs, o('queue'), 3n);
  rss.setRuleValue(fs, o('vf'), 1n);
  rss.finishFlowSpec(fs, rss.RULE_FLAG.SADDR | rss.RULE_FLAG.DPORT | rss.RULE_FLAG.VLAN, false);
  assert.equal(dv(fs).getUint32(0, true), (FLOW.TCP_V4 | FLOW_FLAG.EXT) >>> 0);
  assert.deepEqual([...fs.subarray(4, 8)], [10, 1, 2, 3]);
  assert.deepEqual([...fs.subarray(76, 80)], [255, 255, 255, 0]);
  assert.deepEqual([...fs.subarray(4 + 10, 4 + 12)], [0, 80]);
  assert.equal(dv(fs).getBigUint64(152, true), (2n << 32n) | 3n);
  assert.equal(rss.flowSpecLocation(fs), RX_CLS_LOC.ANY);
  const d = rss.decodeRule(fs, 0);
  assert.equal(d.flowName, 'tcp4');
  assert.equal(ipv4Text(d.fields['src-ip'].mask as Uint8Array), '0.0.0.255');
  assert.equal(d.fields['dst-port'].value, 80n);
  assert.equal(d.fields['dst-port'].mask, 0n);
  assert.equal(d.fields['src-port'].mask, 0xffffn);
  assert.equal(d.ext_fields.vlan.value, 0x123n);
  assert.deepEqual(d.action, { kind: 'queue', queue: 3n, vf: 1n });
  // A VF's ring cookie does not fit an n-tuple action; a plain queue does, without a location.
  assert.equal(rss.ntupleConvertible(fs), false);
  dv(fs).setBigUint64(152, 3n, true);
  assert.equal(rss.ntupleConvertible(fs), true);
  rss.setFlowSpecLocation(fs, 5);
  assert.equal(rss.ntupleConvertible(fs), false);
});

test('ip4 rules: ip_ver set; dst-port is the second half of l4_4_bytes', () => {
  const fs = rss.newFlowSpec(FLOW.IPV4_USER);
  const o = rss.ruleOptions('ip4').find(x => x.name === 'dst-port')!;
  rss.setRuleValue(fs, o, 0x1234n);
  rss.finishFlowSpec(fs, rss.RULE_FLAG.DPORT, true);
  const d = rss.decodeRule(fs, 7);
  assert.equal(d.ipVer, 1);
  assert.equal(d.rss, true);
  assert.equal(d.fields.l4data.value, 0x1234n);
  assert.equal(d.fields.l4data.mask, 0xffff0000n);
});

test('actions: drop and wake decode as such', () => {
  const fs = rss.newFlowSpec(FLOW.ETHER);
  rss.setRuleValue(fs, rss.ruleOptions('ether').find(x => x.name === 'action')!, RX_CLS_FLOW_DISC);
  assert.deepEqual(rss.decodeRule(fs, 0).action, { kind: 'drop' });
  rss.setRuleValue(fs, rss.ruleOptions('ether').find(x => x.name === 'action')!, RX_CLS_FLOW_WAKE);
  assert.deepEqual(rss.decodeRule(fs, 0).action, { kind: 'wake' });
});

test('hkey: length and format checks in ethtool\'s words', () => {
  assert.deepEqual([...(parseHkey('01:ab:FF', 3) as Uint8Array)], [1, 0xab, 0xff]);
  assert.equal(parseHkey('01:02:03:04', 3), 'Key is too long for device (4 > 3)');
  assert.equal(parseHkey('01:02', 3), 'Key is too short for device (2 < 3)');
  assert.equal(parseHkey('0102:03', 3), 'Invalid RSS hash key format');
  assert.equal(parseHkey('1:02:03', 3), 'Invalid RSS hash key format');
  assert.equal(parseHkey('', 3), 'Invalid RSS hash key format');
  assert.equal(parseHkey('zz:01:02', 3), 'Invalid RSS hash key format');
});

test('addresses: inet_pton rules and glibc\'s inet_ntop spelling', () => {
  assert.deepEqual([...ipv4Parse('192.168.0.1')!], [192, 168, 0, 1]);
  for (const bad of ['1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1.2.3.4 ', '']) assert.equal(ipv4Parse(bad), null, bad);
  for (const bad of ['1::2::3', ':1', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', '1:']) assert.equal(ipv6Parse(bad), null, bad);
  const cases: [string, string][] = [
    ['::', '::'], ['::1', '::1'], ['2001:db8::1', '2001:db8::1'], ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::1.2.3.4'], ['1:0:0:1:0:0:0:1', '1:0:0:1::1'], ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['FE80:0:0:0:0:0:0:1', 'fe80::1'], ['1::', '1::'], ['0:0:1::', '0:0:1::'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ];
  for (const [i, o] of cases) assert.equal(ipv6Text(ipv6Parse(i)!), o, i);
});
