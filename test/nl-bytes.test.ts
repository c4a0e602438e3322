/**
 * Exact request bytes: what the client sends must be what Debian's ethtool 6.1 sends for the
 * same request, nlmsg_seq and nlmsg_pid aside.
 *
 * Two oracles. First, bytes captured once on this project's machine with
 *   strace -f -X raw -e trace=sendto -x -s 4096 ethtool <args> eth0
 * (family id 21 there), kept below. Second, the same capture made live by the test from the
 * ethtool installed now, so a different ethtool or kernel shows up as a failure here; it needs
 * strace and ethtool and fails loudly without them. Only read-only requests on eth0.
 *
 * ethtool 6.1 never sends a STRSET_GET dump (its per-device preload is only used with a device
 * name); the dump expected here is its global-strings preload (from `ethtool --monitor`) with
 * the NLM_F_DUMP bits it sets on every wildcard ("*") dump, as `ethtool -g '*'` shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EthtoolNetlink, ETH_SS } from '../src/ethtool/netlink';
import { ScriptedNetlink, ackOf, diffRequest } from './helpers/nl-scripted';
import { fromHex, toHex } from './helpers/nl-bytes';
import { FAMILY_REPLY } from './helpers/nl-fixtures';

/** Captured from ethtool 6.1 (Debian) on Linux 6.18, family id 21; seq/pid as captured. */
const ETHTOOL = {
  getfamily: '20000000100005000100000000000000' + '03010000' + '0c000200657468746f6f6c00',
  rings: '24000000150005000200000000000000' + '0f010000' + '10000180090002006574683000000000', // -g
  channels: '24000000150005000200000000000000' + '11010000' + '10000180090002006574683000000000', // -l
  coalesce: '24000000150005000200000000000000' + '13010000' + '10000180090002006574683000000000', // -c
  pause: '24000000150005000200000000000000' + '15010000' + '10000180090002006574683000000000', // -a
  privflags: '24000000150005000200000000000000' + '0d010000' + '10000180090002006574683000000000', // --show-priv-flags
  tsinfo: '24000000150005000200000000000000' + '19010000' + '10000180090002006574683000000000', // -T
  linkmodes: '24000000150005000200000000000000' + '04010000' + '10000180090002006574683000000000', // (no option), 1st
  linkinfo: '24000000150005000300000000000000' + '02010000' + '10000180090002006574683000000000', // 2nd
  wol: '24000000150005000400000000000000' + '09010000' + '10000180090002006574683000000000', // 3rd
  debug: '24000000150005000500000000000000' + '07010000' + '10000180090002006574683000000000', // 4th
  linkstate: '24000000150005000600000000000000' + '06010000' + '10000180090002006574683000000000', // 5th
  // -k: FEATURES_GET with ETHTOOL_FLAG_COMPACT_BITSETS, then the global FEATURES string set.
  features: '2c000000150005000200000000000000' + '0b010000' + '180001800900020065746830000000000800030001000000',
  strsetFeatures: '28000000150005000100000000000000' + '01010000' + '04000180' + '100002800c0001800800010004000000',
  // --monitor: all global string sets; -g '*': a dump (NLM_F_DUMP = 0x300) with an empty header.
  strsetGlobal: '18000000150005000200000000000000' + '01010000' + '04000180',
  ringsDump: '18000000150005030200000000000000' + '0f010000' + '04000180',
  strsetDump: '18000000150005030200000000000000' + '01010000' + '04000180',
};

/** A fake kernel (family 21) that checks the family lookup, then acks and records every request. */
class Recorder extends ScriptedNetlink {
  private readonly log: Uint8Array[] = [];
  constructor() {
    super([{ note: 'family', request: ETHTOOL.getfamily, replies: [FAMILY_REPLY, ackOf] }]);
  }
  override send(m: Uint8Array): number {
    if (this.sent.length > 0) {
      this.expect({ replies: [ackOf] });
      this.log.push(m.slice());
    }
    return super.send(m);
  }
  /** The requests since the last call. */
  take(): Uint8Array[] {
    return this.log.splice(0);
  }
}

function recorder(): { nl: EthtoolNetlink; sent: () => Uint8Array[] } {
  const t = new Recorder();
  return { nl: EthtoolNetlink.open({ transport: t }), sent: () => t.take() };
}

/** Each ethtool invocation and the client calls that must send the same requests. */
type Call = (nl: EthtoolNetlink, dev: string) => void;
const CASES: ReadonlyArray<{ args: string[]; expect: Array<keyof typeof ETHTOOL>; calls: Call[] }> = [
  { args: ['-g'], expect: ['rings'], calls: [(nl, d) => nl.get('RINGS_GET', d)] },
  { args: ['-l'], expect: ['channels'], calls: [(nl, d) => nl.get('CHANNELS_GET', d)] },
  { args: ['-c'], expect: ['coalesce'], calls: [(nl, d) => nl.get('COALESCE_GET', d)] },
  { args: ['-a'], expect: ['pause'], calls: [(nl, d) => nl.get('PAUSE_GET', d)] },
  { args: ['--show-priv-flags'], expect: ['privflags'], calls: [(nl, d) => nl.get('PRIVFLAGS_GET', d)] },
  { args: ['-T'], expect: ['tsinfo'], calls: [(nl, d) => nl.get('TSINFO_GET', d)] },
  {
    args: [], expect: ['linkmodes', 'linkinfo', 'wol', 'debug', 'linkstate'],
    calls: [
      (nl, d) => nl.get('LINKMODES_GET', d), (nl, d) => nl.get('LINKINFO_GET', d), (nl, d) => nl.get('WOL_GET', d),
      (nl, d) => nl.get('DEBUG_GET', d), (nl, d) => nl.get('LINKSTATE_GET', d),
    ],
  },
  {
    args: ['-k'], expect: ['features', 'strsetFeatures'],
    calls: [
      (nl, d) => nl.get('FEATURES_GET', d, {}, { compact: true }),
      nl => nl.request('STRSET_GET', { header: {}, stringsets: { stringset: [{ id: ETH_SS.FEATURES }] } }),
    ],
  },
];

test('GETFAMILY "ethtool" is byte for byte what ethtool sends', () => {
  // recorder() checks it: its first step is ethtool's captured request.
  const r = recorder();
  assert.equal(r.nl.family.id, 21);
  r.nl.close();
});

for (const c of CASES) {
  test(`ethtool ${c.args.join(' ') || '(no option)'} eth0: the same requests`, () => {
    const r = recorder();
    for (const call of c.calls) call(r.nl, 'eth0');
    const got = r.sent();
    assert.equal(got.length, c.expect.length);
    c.expect.forEach((k, i) => assert.equal(diffRequest(fromHex(ETHTOOL[k]), got[i]), null, `${k}`));
  });
}

test('dumps: RINGS_GET as ethtool -g "*" sends it, and STRSET_GET (all global sets, and as a dump)', () => {
  const r = recorder();
  r.nl.dump('RINGS_GET');
  r.nl.request('STRSET_GET', { header: {} });
  r.nl.dump('STRSET_GET');
  const [dump, global, strsetDump] = r.sent();
  assert.equal(diffRequest(fromHex(ETHTOOL.ringsDump), dump), null);
  assert.equal(diffRequest(fromHex(ETHTOOL.strsetGlobal), global), null);
  assert.equal(diffRequest(fromHex(ETHTOOL.strsetDump), strsetDump), null);
});

test('the comparison can fail: a different device name, flag or command differs', () => {
  const r = recorder();
  r.nl.get('RINGS_GET', 'eth1');
  r.nl.get('RINGS_GET', 'eth0', {}, { compact: true });
  r.nl.get('RINGS_SET', 'eth0');
  const [name, flags, cmd] = r.sent();
  assert.match(diffRequest(fromHex(ETHTOOL.rings), name) ?? '', /^byte 31 /);
  assert.match(diffRequest(fromHex(ETHTOOL.rings), flags) ?? '', /^byte 0 /);
  assert.match(diffRequest(fromHex(ETHTOOL.rings), cmd) ?? '', /^byte 16 /);
});

// ---- live: the ethtool installed now ---------------------------------------------------------

interface Captured { type: number; flags: number; bytes: Uint8Array }

/** Run ethtool under strace and return the netlink messages it sent. */
function straceEthtool(args: string[]): Captured[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'ethkit-strace-'));
  try {
    const out = path.join(dir, 'trace');
    const r = spawnSync('strace', ['-f', '-X', 'raw', '-e', 'trace=sendto', '-x', '-s', '4096', '-o', out, 'ethtool', ...args], { encoding: 'utf8', timeout: 30_000 });
    if (r.error) throw new Error(`strace is not available (apt-get install strace): ${r.error.message}`);
    const text = readFileSync(out, 'utf8');
    const msgs: Captured[] = [];
    for (const line of text.split('\n')) {
      if (!line.includes('sendto(')) continue;
      const m = /\[\{nlmsg_len=(\d+), nlmsg_type=(0x[0-9a-f]+|\d+), nlmsg_flags=(0x[0-9a-f]+|\d+), nlmsg_seq=(\d+), nlmsg_pid=(\d+)\}, "((?:\\x[0-9a-f]{2})*)"\]/.exec(line);
      if (!m) throw new Error(`cannot read strace's sendto line: ${line}`);
      const payload = fromHex(m[6].replace(/\\x/g, ''));
      const bytes = new Uint8Array(16 + payload.length);
      const dv = new DataView(bytes.buffer);
      dv.setUint32(0, Number(m[1]), true);
      dv.setUint16(4, Number(m[2]), true);
      dv.setUint16(6, Number(m[3]), true);
      dv.setUint32(8, Number(m[4]), true);
      dv.setUint32(12, Number(m[5]), true);
      bytes.set(payload, 16);
      msgs.push({ type: Number(m[2]), flags: Number(m[3]), bytes });
    }
    return msgs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The family id in a captured request → the same bytes with family 21 (the fixtures' id). */
function asFamily21(c: Captured): Uint8Array {
  const b = c.bytes.slice();
  if (c.type !== 0x10) new DataView(b.buffer).setUint16(4, 21, true);
  return b;
}

test('live: ethtool 6.1 on this machine sends exactly these requests', () => {
  const v = spawnSync('ethtool', ['--version'], { encoding: 'utf8' });
  if (v.error) throw new Error(`ethtool is not installed (apt-get install ethtool): ${v.error.message}`);
  assert.match(v.stdout, /^ethtool version 6\.1\b/, 'the reference is ethtool 6.1');
  for (const c of [...CASES, { args: ['-g', '*'], expect: ['ringsDump'] as Array<keyof typeof ETHTOOL>, calls: [] }]) {
    const dev = c.args.includes('*') ? [] : ['eth0'];
    const got = straceEthtool([...c.args, ...dev]);
    const want = ['getfamily', ...c.expect] as Array<keyof typeof ETHTOOL>;
    assert.equal(got.length, want.length, `ethtool ${c.args.join(' ')}: ${got.length} requests: ${got.map(g => toHex(g.bytes)).join(' ')}`);
    want.forEach((k, i) => assert.equal(diffRequest(fromHex(ETHTOOL[k]), asFamily21(got[i])), null, `ethtool ${c.args.join(' ')}: ${k}`));
  }
});
