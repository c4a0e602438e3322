/**
 * The CLI on its netlink path over the scripted fake (./nl-scripted.ts): a run of ethkit whose
 * netlink context answers from hand-built kernel replies, and builders for the replies the
 * ethtool family sends (string sets, device headers, bitsets).
 */
import { run } from '../../src/app/run';
import { EthtoolNetlink } from '../../src/ethtool/netlink/client';
import { SimTransport } from '../doubles/sim';
import { ScriptedNetlink, NlStep, ackOf } from './nl-scripted';
import * as B from './nl-bytes';
import * as FX from './nl-fixtures';

export const FAM = 21;
export const MONITOR_GROUP = 6;
export { ackOf };

export interface NlRun {
  code: number;
  out: string;
  err: string;
  t: ScriptedNetlink;
  mon: ScriptedNetlink | null;
}

/**
 * ethkit ARGV with the netlink context scripted by `steps` (the family lookup comes first by
 * itself). `notifications`: datagrams the monitor socket (the "monitor" group) receives.
 */
export async function ethkitNl(argv: string[], steps: NlStep[], notifications?: Uint8Array[]): Promise<NlRun> {
  const t = new ScriptedNetlink([{ note: 'family', replies: [FX.FAMILY_REPLY, ackOf] }, ...steps]);
  let mon: ScriptedNetlink | null = null;
  const monitorTransport = (): ScriptedNetlink => {
    mon = new ScriptedNetlink([], 4343);
    for (const n of notifications ?? []) mon.push(n);
    return mon;
  };
  const out: Buffer[] = [], err: Buffer[] = [];
  const sink = (into: Buffer[]) => ({ write(c: string | Uint8Array): void { into.push(Buffer.from(c)); } });
  const code = await run(argv, {
    transport: new SimTransport(), stdout: sink(out), stderr: sink(err),
    netlink: () => EthtoolNetlink.open({ transport: t, timeoutMs: 200, monitorTransport }),
  });
  return { code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString(), t, mon };
}

/** An ethtool family message (kernel → user) with a header for `dev` (ifindex 7). */
export function msg(cmd: number, dev: string | null, ...attrs: Uint8Array[]): Uint8Array {
  const hdr = dev === null ? [] : [B.nest(1, B.u32(1, 7), B.str(2, dev))];
  return B.nlmsg({ type: FAM }, B.genl(cmd, 1, ...hdr, ...attrs));
}

/** A message whose header nest is attribute `hdrType` (ETHTOOL_A_STATS_HEADER is 2). */
export function msgHdr(cmd: number, hdrType: number, dev: string, ...attrs: Uint8Array[]): Uint8Array {
  return B.nlmsg({ type: FAM }, B.genl(cmd, 1, B.nest(hdrType, B.u32(1, 7), B.str(2, dev)), ...attrs));
}

/** A STRSET_GET_REPLY with string set `id` holding `strings` (index order; '' left out as the kernel does not). */
export function strsetReply(id: number, strings: readonly string[]): Uint8Array {
  const entries = strings.map((s, i) => B.nest(1, B.u32(1, i), B.str(2, s)));
  return B.nlmsg({ type: FAM }, B.genl(1, 1, B.nest(1), B.nest(2, B.nest(1, B.u32(1, id), B.u32(2, strings.length), B.nest(3, ...entries)))));
}

/** The STRSET_GET request ethtool sends for global set `id`. */
export function strsetRequest(id: number): Uint8Array {
  return B.nlmsg({ type: FAM, flags: 5 }, B.genl(1, 1, B.nest(1), B.nest(2, B.nest(1, B.u32(1, id)))));
}

/** A step: the global string set `id` asked for and answered. */
export function strsetStep(id: number, strings: readonly string[]): NlStep {
  return { note: `strset ${id}`, request: strsetRequest(id), replies: [strsetReply(id, strings), ackOf] };
}

/** A compact bitset nest: SIZE, VALUE (and MASK unless null). */
export function compact(type: number, size: number, value: number[], mask: number[] | null): Uint8Array {
  const n = Math.ceil(size / 32);
  const w = (a: number[]): Uint8Array => B.words(...Array.from({ length: n }, (_, i) => a[i] ?? 0));
  return B.nest(type, ...(mask === null ? [B.flag(1)] : []), B.u32(2, size), B.bin(4, w(value)), ...(mask === null ? [] : [B.bin(5, w(mask))]));
}

/** A verbose list bitset nest: NOMASK, SIZE, BITS with index and name of each set bit. */
export function verboseList(type: number, size: number, bits: readonly [number, string][]): Uint8Array {
  return B.nest(type, B.flag(1), B.u32(2, size), B.nest(3, ...bits.map(([i, n]) => B.nest(1, B.u32(1, i), B.str(2, n)))));
}

/** Request bytes: nlmsghdr (type FAM, flags) + genl cmd + attributes. */
export function request(cmd: number, flags: number, ...attrs: Uint8Array[]): Uint8Array {
  return B.nlmsg({ type: FAM, flags }, B.genl(cmd, 1, ...attrs));
}

/** The request header nest for `dev` with optional flags. */
export function header(dev: string | null, flags = 0, type = 1): Uint8Array {
  return B.nest(type, ...(dev === null ? [] : [B.str(2, dev)]), ...(flags ? [B.u32(3, flags)] : []));
}
