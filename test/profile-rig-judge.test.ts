/**
 * The judge of test/rig/profiles.sh's runs (test/rig/profile-result.ts), on run directories made
 * here: a clean run passes; each kind of failure the rig check must catch fails it with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { judge } from './rig/profile-result';

const UDP4 = (fields: string[]): string => `UDP over IPV4 flows use these fields for computing Hash flow key:\n${fields.join('\n')}\n`;
const SD = ['IP SA', 'IP DA'];
const SDFN = [...SD, 'L4 bytes 0 & 1 [TCP/UDP src port]', 'L4 bytes 2 & 3 [TCP/UDP dst port]'];
function table(entries: number[]): string {
  const rows: string[] = [];
  for (let i = 0; i < entries.length; i += 8) rows.push(`${String(i).padStart(5)}: ${entries.slice(i, i + 8).map(e => String(e).padStart(5)).join(' ')}`);
  return `RX flow hash indirection table for eth0 with 2 RX ring(s):\n${rows.join('\n')}\nRSS hash key:\n22:4f:e0:7f\n`;
}
const CHANNELS = 'Channel parameters for eth0:\nPre-set maximums:\nCombined:\t2\nCurrent hardware settings:\nRX:\t\tn/a\nCombined:\t2\n';

interface Run { meta?: Record<string, string>; plan?: object; apply?: object; verify?: object; rollback?: object; exits?: [number, number, number, number]; files?: Record<string, string> }
function runDir(r: Run): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'ek-judge-'));
  const meta = { iface: 'eth0', driver: 'virtio_net', label: 'director', via: 'batch', changes0: '2', changes1: '2', downs0: '1', downs1: '1', downs2: '1', state: 'same', carrier: 'ok', secs: '9', ...r.meta };
  writeFileSync(path.join(d, 'meta'), Object.entries(meta).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const exits = r.exits ?? [0, 0, 0, 0];
  const rows = [
    { id: 'rss:indir', group: 'rss', setting: 'rss indir', current: 'equal over 1', target: 'equal over 2', action: 'set' },
    { id: 'rss:flow-hash.udp4', group: 'rss', setting: 'rss flow-hash.udp4', current: 'sd', target: 'sdfn', action: 'set' },
  ];
  const docs: Record<string, object> = {
    plan: r.plan ?? { link_resets: 1, summary: { set: 2, ok: 0, skip: 0, later: 0 }, rows },
    apply: r.apply ?? { link_resets: 1, steps: [] },
    verify: r.verify ?? { drift: [] },
    rollback: r.rollback ?? { link_resets: 1 },
  };
  ['plan', 'apply', 'verify', 'rollback'].forEach((n, i) => writeFileSync(path.join(d, `${n}.rec`), JSON.stringify({ exit: exits[i], json: docs[n] })));
  const files = { 'x-after': table(Array.from({ length: 128 }, (_, i) => i % 2)), 'l-after': CHANNELS, 'fh-before': UDP4(SD), 'fh-after': UDP4(SDFN), ...r.files };
  for (const [n, t] of Object.entries(files)) writeFileSync(path.join(d, n), t);
  return d;
}
function verdict(r: Run): { ok: boolean; line: string; text: string } {
  const d = runDir(r);
  try {
    const j = judge(d);
    return { ok: j.ok, line: j.lines[0], text: j.lines.join('\n') };
  } finally { rmSync(d, { recursive: true, force: true }); }
}

test('a clean run passes, with the RSS and flow-hash fields', () => {
  const v = verdict({});
  assert.ok(v.ok, v.text);
  assert.match(v.line, / rss=equal\/2:64\+64 flow_udp4=set:sd->sdfn /);
  assert.match(v.line, / result=ok$/);
});

test('each failure the rig must catch fails the run with its reason', () => {
  const cases: [string, Run, RegExp][] = [
    ['state differs', { meta: { state: 'DIFFERENT' } }, /state after the rollback differs/],
    ['more link drops than planned', { meta: { downs1: '3', downs2: '3' } }, /took the link down 2 time\(s\), the plan said 1/],
    ['drops in the whole cycle beyond apply + rollback', { meta: { downs2: '4' } }, /the link went down 3 time\(s\), apply and rollback planned 2/],
    ['apply ran other resets than planned', { apply: { link_resets: 2, steps: [] } }, /the plan said 1 link reset\(s\), the apply ran 2/],
    ['apply failed', { exits: [0, 4, 0, 0] }, /apply exit 4/],
    ['verify drift', { exits: [0, 0, 3, 0], verify: { drift: [{ setting: 'ring rx', current: '256', target: '4096' }] } }, /verify exit 3/],
    ['rollback failed', { exits: [0, 0, 0, 1] }, /rollback exit 1/],
    ['table not spread', { files: { 'x-after': table(new Array(128).fill(0)) } }, /not spread equally over 2 queue\(s\): 128\+0/],
    ['flow hash not as planned', { files: { 'fh-after': UDP4(SD) } }, /the plan said set \(sdfn\), ethtool -n reads sd/],
    ['carrier lost', { meta: { carrier: 'lost-after-apply' } }, /carrier: lost-after-apply/],
    ['table not back', { meta: { rss_back: 'NO' } }, /table after the rollback is not the one before/],
  ];
  for (const [what, run, why] of cases) {
    const v = verdict(run);
    assert.equal(v.ok, false, `${what}: passed:\n${v.text}`);
    assert.match(v.text, why, what);
    assert.match(v.line, / result=FAIL$/, what);
  }
});

test('the e1000e pause quirk: only pause rx, only on e1000e', () => {
  const drift = { drift: [{ setting: 'pause rx', current: 'on', target: 'off' }] };
  assert.match(verdict({ meta: { driver: 'e1000e' }, exits: [0, 0, 3, 0], verify: drift }).line, / result=ok-quirk$/);
  assert.equal(verdict({ meta: { driver: 'e1000' }, exits: [0, 0, 3, 0], verify: drift }).ok, false);
  assert.equal(verdict({ meta: { driver: 'e1000e' }, exits: [0, 0, 3, 0], verify: { drift: [...drift.drift, { setting: 'pause tx', current: 'on', target: 'off' }] } }).ok, false);
});

test('a flow hash the driver refused during the apply is expected as before', () => {
  const apply = { link_resets: 1, steps: [{ step: 'eth0: rx-flow-hash udp4 sdfn', kind: 'flow-hash', status: 'done', refused: ['rss flow-hash.udp4'] }] };
  const v = verdict({ apply, files: { 'fh-after': UDP4(SD) } });
  assert.ok(v.ok, v.text);
  assert.match(v.line, / flow_udp4=refused:sd->sd /);
  assert.equal(verdict({ apply, files: { 'fh-after': UDP4(SDFN) } }).ok, false, 'refused, yet changed');
});

test('sysctls: the kernel must hold the plan\'s targets after the apply; the director\'s IPVS keys must not be skipped where ip_vs is loaded', () => {
  const rowsWith = (extra: object[]) => ({ link_resets: 1, summary: { set: 2, ok: 0, skip: 0, later: 0 }, rows: [
    { id: 'rss:indir', group: 'rss', setting: 'rss indir', current: 'equal over 1', target: 'equal over 2', action: 'set' },
    { id: 'rss:flow-hash.udp4', group: 'rss', setting: 'rss flow-hash.udp4', current: 'sd', target: 'sdfn', action: 'set' },
    ...extra,
  ] });
  const vs = { id: 'file:/proc/sys/net/ipv4/vs/conntrack', group: 'sysctl', setting: 'net.ipv4.vs.conntrack', current: '1', target: '0', action: 'set' };
  const bitmap = { id: 'file:/proc/sys/net/core/flow_limit_cpu_bitmap', group: 'sysctl', setting: 'net.core.flow_limit_cpu_bitmap', current: '0', target: '3', action: 'set' };
  const good = verdict({ meta: { ipvs: 'loaded' }, plan: rowsWith([vs, bitmap]), files: { 'sysctl-applied': '/proc/sys/net/ipv4/vs/conntrack 0\n/proc/sys/net/core/flow_limit_cpu_bitmap 00000003\n' } });
  assert.ok(good.ok, good.text);
  assert.match(good.line, / sysctls=2 ipvs_keys=1 /);
  const wrong = verdict({ meta: { ipvs: 'loaded' }, plan: rowsWith([vs]), files: { 'sysctl-applied': '/proc/sys/net/ipv4/vs/conntrack 1\n' } });
  assert.ok(!wrong.ok);
  assert.match(wrong.text, /vs\/conntrack: the kernel holds 1 after the apply, the plan's target is 0/);
  const skipped = verdict({ meta: { ipvs: 'loaded' }, plan: rowsWith([{ ...vs, action: 'skip', reason: 'absent' }]), files: { 'sysctl-applied': '' } });
  assert.ok(!skipped.ok);
  assert.match(skipped.text, /net\.ipv4\.vs\.conntrack skipped although ip_vs is loaded/);
  const unwanted = verdict({ meta: { ipvs: 'loaded' }, plan: rowsWith([vs, { ...vs, id: 'file:/proc/sys/net/ipv4/vs/snat_reroute', setting: 'net.ipv4.vs.snat_reroute', action: 'skip', reason: 'only when mode == nat' }]), files: { 'sysctl-applied': '/proc/sys/net/ipv4/vs/conntrack 0\n' } });
  assert.ok(unwanted.ok, unwanted.text);
  const none = verdict({ meta: { ipvs: 'loaded' }, plan: rowsWith([]), files: { 'sysctl-applied': '' } });
  assert.match(none.text, /planned no net\.ipv4\.vs key/);
});
