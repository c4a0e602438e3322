/**
 * Inside the rig VM (started by test/rig.test.ts through guest-main.ts): RSS and flow
 * classification, ethkit against ethtool 6.1's ioctl path (which is the only one ethtool has
 * for these), byte for byte, and the typed API against what ethtool shows.
 *
 * Every driver: -x, -n and -n rx-flow-hash tcp4 (most answer EOPNOTSUPP, and ethkit must say so
 * exactly as ethtool). Drivers whose -x works (vmxnet3; virtio_net with the device's RSS, see
 * rig/run --virtio-rss): -X (equal, weight, default, start, hkey right and wrong, hfunc, a
 * queue beyond the rings, context new), -N rx-flow-hash (sdfn, sd, refused fields), -N
 * flow-type and delete, each run by ethtool then by ethkit with the device state (-x or
 * -n rx-flow-hash) compared after each and restored after each; then Nic.rss(),
 * setRssEqual(), rxFlowHash() and setRxFlowHash() against ethtool's reading.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Capture } from '../diff/harness';
import { KoffiTransport } from '../../src/ffi/koffi';
import { Nic } from '../../src/device/nic';
import { keyText } from '../../src/cli/cmd/rxfh';
import {
  RigNic, Recorder, rigNics, requireEthtool, ethtool, ethkit, diffRead, converge, compareStates, sameCapture,
  ethtoolStatus, show, Status, CLI_SOURCE,
} from './common';

const nics = rigNics('guest-rss');
if (nics.length) requireEthtool();
const rec = new Recorder(`rss-${CLI_SOURCE}`);
let transport: KoffiTransport | null = null;
const koffi = (): KoffiTransport => (transport ??= new KoffiTransport());

function record(nic: RigNic, op: string, what: string, status: Status, extra: { note?: string; first?: string; detail?: string; source?: 'api' | 'cli' } = {}): void {
  const { source, ...rest } = extra;
  rec.add({ driver: nic.driver, ifname: nic.ifname, op, source: source ?? CLI_SOURCE, status, what, ...rest });
}

function read(nic: RigNic, op: string, argv: readonly string[]): Capture {
  const o = diffRead(argv);
  const st = ethtoolStatus(o.ref);
  record(nic, op, show(argv), o.same ? st.status : 'mismatch', { note: st.note, first: o.same ? undefined : o.first, detail: o.same ? undefined : o.text });
  assert.ok(o.same, `${nic.driver}: ${show(argv)}\n${o.text}`);
  return o.ref;
}

interface SetCase { op: string; argv: readonly string[]; show: readonly string[]; restore: () => void }

/** ethtool runs the set, the state is read, restored; ethkit runs it, the state must be the same; restored. */
function set(nic: RigNic, c: SetCase): void {
  const s0 = ethtool(c.show);
  const E = ethtool(c.argv);
  const Es = ethtool(c.show);
  c.restore();
  const back1 = converge(c.show, s0, 3000);
  const K = ethkit(c.argv);
  const Ks = converge(c.show, Es, 3000);
  // ethkit's own reading of the new state, before it is put back.
  const Kk = sameCapture(Es, s0) ? null : ethkit(c.show);
  c.restore();
  const back2 = converge(c.show, s0, 3000);
  const problems: string[] = [], details: string[] = [];
  const o1 = compareStates(E, K, 'ethtool', 'ethkit');
  if (!o1.same) { problems.push(`output: ${o1.first}`); details.push(o1.text); }
  const o2 = compareStates(Es, Ks, 'after ethtool', 'after ethkit');
  if (!o2.same) { problems.push(`device state (${show(c.show)}): ${o2.first}`); details.push(o2.text); }
  if (!sameCapture(Es, s0) && Kk) {
    const o3 = compareStates(Ks, Kk, 'ethtool', 'ethkit');
    if (!o3.same) { problems.push(`ethkit ${show(c.show)} of the new state: ${o3.first}`); details.push(o3.text); }
  }
  for (const b of [back1, back2]) if (!sameCapture(b, s0)) problems.push(`not restored: ${compareStates(s0, b, 'before', 'after restore').first}`);
  const st = ethtoolStatus(E);
  const changed = !sameCapture(Es, s0);
  const note = [st.note, E.status === 0 && !changed ? 'accepted, no change' : ''].filter(Boolean).join('; ') || undefined;
  record(nic, c.op, show(c.argv), problems.length ? 'mismatch' : st.status, { note, first: problems[0], detail: details.join('\n') || undefined });
  assert.ok(problems.length === 0, `${nic.driver}: ${show(c.argv)}\n${problems.join('\n')}\n${details.join('\n')}`);
}

function letters(text: string): string {
  const map: [string, string][] = [['L2DA', 'm'], ['VLAN tag', 'v'], ['L3 proto', 't'], ['IP SA', 's'], ['IP DA', 'd'], ['L4 bytes 0 & 1', 'f'], ['L4 bytes 2 & 3', 'n']];
  return map.filter(([l]) => text.includes(l)).map(([, c]) => c).join('');
}

for (const nic of nics) {
  test(`${nic.driver} (${nic.ifname}): -x/-X/-n/-N, ethkit vs ethtool -- ioctl path`, async t => {
    const I = nic.ifname;
    const sub = (name: string, fn: () => void): Promise<void> => t.test(name, fn);
    let x0: Capture | null = null;
    await sub(`-x ${I}`, () => { x0 = read(nic, 'rxfh-get', ['-x', I]); });
    await sub(`-n ${I} rx-flow-hash tcp4`, () => { read(nic, 'nfc-get', ['-n', I, 'rx-flow-hash', 'tcp4']); });
    await sub(`-n ${I}`, () => { read(nic, 'nfc-get', ['-n', I]); });
    if (!x0 || (x0 as Capture).status !== 0) return;

    // A device with RSS: spread over several rings first (virtio_net starts with one).
    const nicApi = new Nic(I, koffi());
    const ch0 = nicApi.channels();
    const many = Math.min(ch0.max_combined, 4);
    if (many > ch0.combined_count) nicApi.setChannels({ combined_count: many });
    try {
      const cfg = nicApi.rss();
      const rings = nicApi.rxRings();
      const X = ['-x', I];
      // The table first (every RSS driver takes it), the key only when it moved.
      const restoreRss = (): void => {
        nicApi.setRss({ indir: cfg.indir });
        if (cfg.key && keyText(nicApi.rss().key ?? new Uint8Array(0)) !== keyText(cfg.key)) nicApi.setRss({ key: cfg.key });
      };
      await sub('api: rss() and rxRings() as -x shows them', () => {
        const text = ethtool(X).stdout.toString('latin1');
        const ok = text.includes(`with ${rings} RX ring(s)`) && (cfg.key === null || text.includes(keyText(cfg.key))) &&
          (cfg.hfunc === null || text.includes(`    ${cfg.hfunc}: on`));
        record(nic, 'rxfh-get', 'Nic.rss(), Nic.rxRings()', ok ? 'ok' : 'mismatch', { source: 'api', first: ok ? undefined : `rings ${rings}, key ${cfg.key && keyText(cfg.key)}, hfunc ${cfg.hfunc}` });
        assert.ok(ok, text);
      });
      const cases: SetCase[] = [
        { op: 'rxfh-set', argv: ['-X', I, 'equal', '2'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'equal', '2', 'start', '1'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'weight', '1', '3'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'default'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'equal', String(rings + 1)], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'weight', '0', '0'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'hfunc', 'toeplitz'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'hfunc', 'nosuch'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'context', 'new', 'equal', '2'], show: X, restore: restoreRss },
        { op: 'rxfh-set', argv: ['-X', I, 'hkey', '00:11:22'], show: X, restore: restoreRss },
      ];
      if (cfg.key) {
        const k = keyText(cfg.key.map((b, i) => (b + i + 1) & 0xff));
        cases.push({ op: 'rxfh-set', argv: ['-X', I, 'hkey', k], show: X, restore: restoreRss });
        cases.push({ op: 'rxfh-set', argv: ['-X', I, 'hkey', `${k}:00`], show: X, restore: restoreRss });
      }
      for (const c of cases) await sub(show(c.argv), () => { set(nic, c); });

      await sub('api: setRssEqual(2) as -X equal 2 leaves it', () => {
        if (cfg.indirSize === 0) {
          // No table (vmxnet3 on one queue): ethtool sends an empty one, which the API refuses.
          assert.throws(() => nicApi.setRssEqual(2), /has no RSS indirection table/);
          record(nic, 'rxfh-set', 'Nic.setRssEqual(2)', 'unsupported', { source: 'api', note: 'no indirection table' });
          return;
        }
        ethtool(['-X', I, 'equal', '2']);
        const ref = ethtool(X);
        restoreRss();
        let status: Status = 'ok', first: string | undefined;
        try {
          nicApi.setRssEqual(2);
          const got = ethtool(X);
          if (!sameCapture(got, ref)) { status = 'mismatch'; first = compareStates(ref, got, 'ethtool -X', 'Nic.setRssEqual').first; }
        } catch (e) {
          // The driver refused -X equal 2 too: the API must have failed the same way.
          if (ethtool(['-X', I, 'equal', '2']).status === 0) { status = 'mismatch'; first = (e as Error).message; } else status = 'unsupported';
        } finally { restoreRss(); }
        record(nic, 'rxfh-set', 'Nic.setRssEqual(2)', status, { source: 'api', first });
        assert.notEqual(status, 'mismatch', first);
      });

      const origHash = new Map<string, string | null>();
      const restoreHash = (flow: string) => (): void => {
        const orig = origHash.get(flow);
        if (orig !== null && orig !== undefined) ethtool(['-N', I, 'rx-flow-hash', flow, orig]);
      };
      for (const flow of ['tcp4', 'udp4', 'tcp6', 'udp6']) {
        const H = ['-n', I, 'rx-flow-hash', flow];
        const h0 = ethtool(H);
        await sub(show(H), () => { read(nic, 'nfc-get', H); });
        const orig = h0.status === 0 ? letters(h0.stdout.toString('latin1')) : null;
        origHash.set(flow, orig);
        const restore = restoreHash(flow);
        for (const f of ['sdfn', 'sd']) {
          await sub(`-N ${I} rx-flow-hash ${flow} ${f}`, () => { set(nic, { op: 'nfc-set', argv: ['-N', I, 'rx-flow-hash', flow, f], show: H, restore }); });
        }
        if (orig !== null) {
          await sub(`api: rxFlowHash('${flow}')`, () => {
            let fields = '';
            try { fields = nicApi.rxFlowHash(flow).fields; } catch (e) { fields = `error: ${(e as Error).message}`; }
            const ok = fields === orig;
            record(nic, 'nfc-get', `Nic.rxFlowHash('${flow}')`, ok ? 'ok' : 'mismatch', { source: 'api', first: ok ? undefined : `${fields} vs ethtool ${orig}` });
            assert.ok(ok, `${fields} vs ${orig}`);
          });
        }
      }
      const H4 = ['-n', I, 'rx-flow-hash', 'udp4'];
      for (const argv of [['-N', I, 'rx-flow-hash', 'udp4', 'mvt'], ['-N', I, 'rx-flow-hash', 'udp4', 'r']]) {
        await sub(show(argv), () => { set(nic, { op: 'nfc-set', argv, show: H4, restore: restoreHash('udp4') }); });
      }
      for (const argv of [['-N', I, 'flow-type', 'tcp4', 'dst-port', '80', 'action', '1', 'loc', '0'], ['-N', I, 'flow-type', 'udp4', 'dst-port', '53', 'queue', '1'], ['-N', I, 'delete', '0']]) {
        await sub(show(argv), () => { set(nic, { op: 'nfc-set', argv, show: ['-n', I], restore: () => { ethtool(['-N', I, 'delete', '0']); } }); });
      }
    } finally {
      if (nicApi.channels().combined_count !== ch0.combined_count) nicApi.setChannels({ combined_count: ch0.combined_count });
    }
  });
}
