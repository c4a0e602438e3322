/**
 * Child-process runner for tests that call ethkit's in-process API inside a network namespace
 * (see Netns.runNic in ./netns.ts):
 *
 *   ip netns exec NS node nic-child.js IFNAME '<json ops>'
 *
 * prints a JSON array with one { ok: value } or { error: {...} } per op. bigints print as
 * decimal strings, byte arrays as number arrays. Ops:
 *   { call: 'ring', args: [] }           any Nic method
 *   { reader: 'new' } / { reader: 'read' }  a StatsReader kept across ops: names, generation, values
 *   { exec: ['ethtool', '-L', 'va', 'rx', '2'] }  a command, run between API calls
 *   { raw: 'gstatsOverflow', nStats }   GSTATS into a buffer with room for nStats counters, followed
 *                                       by a canary: returns the ioctl result, the kernel's count
 *                                       and whether the canary survived
 * Without arguments (e.g. picked up by a test runner scanning the directory) it does nothing.
 */
import { spawnSync } from 'node:child_process';
import { KoffiTransport } from '../../src/ffi/koffi';
import { Nic, StatsReader } from '../../src/device/nic';
import { ETHTOOL } from '../../src/ethtool/constants';

type AnyOp = { call?: string; args?: unknown[]; reader?: 'new' | 'read'; exec?: string[]; raw?: string; nStats?: number };

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof BigUint64Array) return Array.from(v, x => x.toString());
  if (v instanceof Uint8Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function main(ifname: string, ops: AnyOp[]): unknown[] {
  const t = new KoffiTransport();
  const out: unknown[] = [];
  try {
    const nic = new Nic(ifname, t);
    let reader: StatsReader | undefined;
    for (const op of ops) {
      try {
        if (op.call) {
          const fn = (nic as unknown as Record<string, (...a: unknown[]) => unknown>)[op.call];
          if (typeof fn !== 'function') throw new Error(`Nic has no method ${op.call}`);
          out.push({ ok: plain(fn.apply(nic, op.args ?? [])) });
        } else if (op.reader === 'new') {
          reader = nic.statsReader();
          out.push({ ok: { names: reader.names, generation: reader.generation } });
        } else if (op.reader === 'read') {
          if (!reader) throw new Error('no reader: use { reader: "new" } first');
          const values = plain(reader.read());
          out.push({ ok: { names: reader.names, generation: reader.generation, values } });
        } else if (op.exec) {
          const r = spawnSync(op.exec[0], op.exec.slice(1), { encoding: 'utf8' });
          out.push({ ok: { status: r.status, stdout: r.stdout, stderr: r.stderr } });
        } else if (op.raw === 'gstatsOverflow') {
          const n = op.nStats ?? 0;
          const CANARY = 64;
          const whole = new Uint8Array(8 + 8 * n + CANARY).fill(0xa5);
          const buf = whole.subarray(0, 8 + 8 * n);
          buf.fill(0);
          const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
          dv.setUint32(0, ETHTOOL.GSTATS, true);
          dv.setUint32(4, n, true);
          const r = t.ioctl(ifname, buf);
          const canaryIntact = whole.subarray(buf.byteLength).every(b => b === 0xa5);
          out.push({ ok: { r, nStats: dv.getUint32(4, true), canaryIntact } });
        } else throw new Error(`unknown op ${JSON.stringify(op)}`);
      } catch (e) {
        const err = e as Error & { kind?: string; errno?: number; op?: string };
        out.push({ error: { name: err.name, message: err.message, kind: err.kind, errno: err.errno, op: err.op } });
      }
    }
  } finally {
    t.close();
  }
  return out;
}

if (require.main === module && process.argv.length >= 4) {
  process.stdout.write(JSON.stringify(main(process.argv[2], JSON.parse(process.argv[3]) as AnyOp[])) + '\n');
}
