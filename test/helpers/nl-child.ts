/**
 * Child-process runner for netlink tests inside a network namespace:
 *
 *   ip netns exec NS node nl-child.js '<json ops>'
 *
 * runs the ops in order with one EthtoolNetlink client and prints a JSON array with one
 * { ok: value } or { error: {...} } per op. Ops:
 *   { get: 'RINGS_GET', dev: 'va', attrs?, hdr? }      a GET for one device
 *   { set: 'CHANNELS_SET', dev: 'va', attrs, hdr? }     a SET (its Result)
 *   { dump: 'FEATURES_GET', hdr? }                      a dump
 *   { strings: [4], dev? }                              string sets
 *   { exec: ['ethtool', '-K', 'va', 'rx-gro', 'off'] }  a command, run synchronously
 *   { monitor: 'open', dev? }                           subscribe (one monitor per child)
 *   { monitor: 'next', timeoutMs }                      the next notification, or null
 *   { monitor: 'nextWhile', timeoutMs, exec, delayMs }  wait for a notification while the
 *                                                       command runs asynchronously after
 *                                                       delayMs (the wait must not block the
 *                                                       event loop); reports whether a timer
 *                                                       fired during the wait
 *   { monitor: 'closeWhileWaiting' }                    close during a pending next(): how
 *                                                       long it took to resolve, and to what
 *   { open: true }                                      just open (for the nonetlink shim)
 * Bitsets to send are given as { $bitset: 'list' | 'change', size, bits: [[index, value]] };
 * { verbose: [...] } passes through. Decoded values print as JSON: bigints as "123n",
 * bitsets as { size, list, set, mask, named }, byte arrays as number arrays.
 * Without arguments (picked up by a test runner scanning the directory) it does nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Attrs, Bitset, EthtoolNetlink, Monitor, UserMessage } from '../../src/ethtool/netlink';
import { FfiError } from '../../src/ffi/koffi';

type AnyOp = {
  get?: string; set?: string; dump?: string; dev?: string; attrs?: Attrs; hdr?: Record<string, unknown>;
  strings?: number[]; exec?: string[]; monitor?: string; timeoutMs?: number; delayMs?: number; open?: boolean;
};

export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Bitset) return { size: v.size, list: v.isList, set: v.indices(), mask: v.maskIndices(), named: v.named() };
  if (v instanceof Uint8Array) return Array.from(v);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** JSON attributes → attributes to encode ($bitset objects become Bitsets). */
function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.$bitset === 'list') return Bitset.list(o.size as number, (o.bits as Array<[number, boolean]>).filter(b => b[1]).map(b => b[0]));
    if (o.$bitset === 'change') return Bitset.change(o.size as number, o.bits as Array<[number, boolean]>);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

function runAsync(cmd: string[]): Promise<number | null> {
  return new Promise(resolve => {
    const c = spawn(cmd[0], cmd.slice(1), { stdio: 'ignore' });
    c.on('close', code => resolve(code));
    c.on('error', () => resolve(-1));
  });
}

async function main(ops: AnyOp[]): Promise<unknown[]> {
  const out: unknown[] = [];
  let nl: EthtoolNetlink | null = null;
  let mon: Monitor | null = null;
  const client = (): EthtoolNetlink => (nl ??= EthtoolNetlink.open());
  try {
    for (const op of ops) {
      try {
        if (op.open) {
          client();
          out.push({ ok: { family: nl!.family.id } });
        } else if (op.get) {
          out.push({ ok: plain(client().get(op.get as UserMessage, op.dev!, revive(op.attrs ?? {}) as Attrs, op.hdr ?? {})) });
        } else if (op.set) {
          out.push({ ok: plain(client().set(op.set as UserMessage, op.dev!, revive(op.attrs ?? {}) as Attrs, op.hdr ?? {})) });
        } else if (op.dump) {
          out.push({ ok: plain(client().dump(op.dump as UserMessage, {}, op.hdr ?? {})) });
        } else if (op.strings) {
          out.push({ ok: plain(client().stringSets(op.dev, op.strings)) });
        } else if (op.exec && !op.monitor) {
          const r = spawnSync(op.exec[0], op.exec.slice(1), { encoding: 'utf8' });
          out.push({ ok: { status: r.status, stdout: r.stdout, stderr: r.stderr } });
        } else if (op.monitor === 'open') {
          mon = client().monitor({ dev: op.dev });
          out.push({ ok: true });
        } else if (op.monitor === 'next') {
          if (!mon) throw new Error('no monitor: use { monitor: "open" } first');
          out.push({ ok: plain(await mon.next(op.timeoutMs ?? 2000)) });
        } else if (op.monitor === 'nextWhile') {
          if (!mon) throw new Error('no monitor: use { monitor: "open" } first');
          let timerFired = false;
          let status: number | null = null;
          const t = setTimeout(() => {
            timerFired = true;
            void runAsync(op.exec!).then(s => { status = s; });
          }, op.delayMs ?? 100);
          const n = await mon.next(op.timeoutMs ?? 3000);
          clearTimeout(t);
          await new Promise(r => setTimeout(r, 50));
          out.push({ ok: { timerFired, status, notification: plain(n) } });
        } else if (op.monitor === 'closeWhileWaiting') {
          if (!mon) throw new Error('no monitor: use { monitor: "open" } first');
          const start = Date.now();
          const p = mon.next(10_000);
          setTimeout(() => mon!.close(), 100);
          const n = await p;
          out.push({ ok: { ms: Date.now() - start, result: plain(n) } });
        } else throw new Error(`unknown op ${JSON.stringify(op)}`);
      } catch (e) {
        const err = e as Error & { errno?: number; op?: string };
        out.push({ error: { name: err.name, message: err.message, errno: err.errno, op: err.op, ffiError: e instanceof FfiError } });
      }
    }
  } finally {
    mon?.close();
    (nl as EthtoolNetlink | null)?.close();
  }
  return out;
}

if (require.main === module && process.argv.length > 2) {
  main(JSON.parse(process.argv[2]) as AnyOp[]).then(
    out => { process.stdout.write(JSON.stringify(out)); },
    e => { process.stderr.write(String((e as Error).stack ?? e)); process.exitCode = 2; },
  );
}
