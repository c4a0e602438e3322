/**
 * A scripted fake NetlinkTransport for exact-protocol tests, in the spirit of
 * ./scripted.ts for ioctls: the test lists, in order, every message it expects the code
 * under test to send, and what the "kernel" answers to each.
 *
 *   const t = new ScriptedNetlink([
 *     { note: 'family', request: GETFAMILY_ETHTOOL, replies: [FAMILY_REPLY, ackOf] },
 *     { request: '240000001500050002000000...', replies: [RINGS_REPLY, ackOf] },
 *   ]);
 *   const nl = EthtoolNetlink.open({ transport: t });
 *   ...
 *   t.assertDone();
 *
 * A step checks the request: `request` is its exact bytes (nlmsg_seq and nlmsg_pid are not
 * compared unless `exactSeq`), `check` any predicate. Its replies are queued as datagrams:
 * byte arrays, or functions of the request (e.g. ackOf, which acks it), with every message's
 * nlmsg_seq set to the request's and nlmsg_pid to the port id, as the kernel does (`raw`
 * keeps them as given). recv() hands out one queued datagram per call; with none queued it
 * returns -ETIMEDOUT, like a silent kernel. A datagram larger than the caller's buffer is
 * reported by its size and stays queued (the real transport's peek). `{ errno }` entries
 * make recv() fail once. A request that does not match its step, or comes after the last
 * one, is recorded and thrown as an AssertionError; assertDone() also fails on steps never
 * reached and replies never read.
 */
import { AssertionError } from 'node:assert';
import type { NetlinkTransport } from '../../src/ffi/netlink';
import { fromHex, toHex, ack } from './nl-bytes';
import { FAMILY_REPLY } from './nl-fixtures';

const ETIMEDOUT = 110;
const EBADF = 9;

export interface Sent { seq: number; pid: number; type: number; flags: number; bytes: Uint8Array }

export type Reply = Uint8Array | string | ((req: Sent) => Uint8Array) | { errno: number };

export interface NlStep {
  note?: string;
  /** The exact request (bytes or hex); seq/pid fields ignored unless exactSeq. */
  request?: Uint8Array | string;
  exactSeq?: boolean;
  /** Any other check: return false or a reason to reject. */
  check?: (req: Sent) => boolean | string | void;
  /** send() fails with this errno. */
  sendErrno?: number;
  replies?: Reply[];
  /** Leave the replies' seq/pid as built. */
  raw?: boolean;
}

/** A reply function that acks the request (error 0, capped, as the kernel does). */
export const ackOf = (req: Sent): Uint8Array => ack({ seq: req.seq }, 0, req.bytes);
/** A reply function answering the request with -errno, echoing it, with optional TLVs. */
export function errorOf(errno: number, tlvs: Uint8Array[] = []): (req: Sent) => Uint8Array {
  return req => ack({ seq: req.seq }, -errno, req.bytes, { tlvs });
}

export class ScriptedNetlink implements NetlinkTransport {
  readonly sent: Sent[] = [];
  readonly failures: string[] = [];
  readonly memberships: number[] = [];
  private readonly queue: Array<Uint8Array | { errno: number }> = [];
  private next = 0;
  closed = false;

  constructor(private readonly steps: NlStep[] = [], readonly portId = 4242) {}

  expect(...steps: NlStep[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Queue datagrams that arrive unasked (notifications). */
  push(...datagrams: Array<Uint8Array | string | { errno: number }>): void {
    for (const d of datagrams) this.queue.push(typeof d === 'string' ? fromHex(d) : d);
  }

  send(msg: Uint8Array): number {
    if (this.closed) return -EBADF;
    const bytes = msg.slice();
    const dv = new DataView(bytes.buffer);
    const req: Sent = {
      seq: bytes.length >= 16 ? dv.getUint32(8, true) : -1, pid: bytes.length >= 16 ? dv.getUint32(12, true) : -1,
      type: bytes.length >= 6 ? dv.getUint16(4, true) : -1, flags: bytes.length >= 8 ? dv.getUint16(6, true) : -1, bytes,
    };
    const index = this.sent.length;
    this.sent.push(req);
    const step = this.steps[this.next];
    const where = `request #${index} (type ${req.type}, flags 0x${req.flags.toString(16)}, ${bytes.length} bytes)`;
    if (!step) return this.fail(`${where}: unexpected, the script has no more steps\n  got ${toHex(bytes)}`);
    this.next++;
    const label = `${where} vs step #${this.next - 1}${step.note ? ` (${step.note})` : ''}`;
    const problem = this.mismatch(step, req);
    if (problem) return this.fail(`${label}: ${problem}`);
    if (step.sendErrno) return -step.sendErrno;
    for (const r of step.replies ?? []) {
      if (typeof r === 'object' && !(r instanceof Uint8Array)) { this.queue.push(r); continue; }
      const d = typeof r === 'function' ? r(req) : typeof r === 'string' ? fromHex(r) : r.slice();
      if (!step.raw) this.stamp(d, req.seq);
      this.queue.push(d);
    }
    return msg.byteLength;
  }

  /** Set nlmsg_seq and nlmsg_pid of every message in datagram `d`. */
  private stamp(d: Uint8Array, seq: number): void {
    const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
    let off = 0;
    while (off + 16 <= d.byteLength) {
      const len = dv.getUint32(off, true);
      dv.setUint32(off + 8, seq, true);
      dv.setUint32(off + 12, this.portId, true);
      if (len < 16) break;
      off += (len + 3) & ~3;
    }
  }

  recv(buf: Uint8Array): number {
    if (this.closed) return -EBADF;
    const d = this.queue[0];
    if (!d) return -ETIMEDOUT;
    if (!(d instanceof Uint8Array)) {
      this.queue.shift();
      return -d.errno;
    }
    if (d.byteLength > buf.byteLength) return d.byteLength; // stays queued, as after a peek
    this.queue.shift();
    buf.set(d);
    return d.byteLength;
  }

  async recvAsync(buf: Uint8Array): Promise<number> {
    return this.recv(buf);
  }

  addMembership(group: number): number {
    this.memberships.push(group);
    return 0;
  }

  dropMembership(group: number): number {
    const i = this.memberships.indexOf(group);
    if (i >= 0) this.memberships.splice(i, 1);
    return 0;
  }

  close(): void {
    this.closed = true;
  }

  /** Every step requested, in order, every reply read, and nothing else sent. */
  assertDone(): void {
    const msgs = [...this.failures];
    const missing = this.steps.slice(this.next).map((s, i) => `step #${this.next + i}${s.note ? ` (${s.note})` : ''}`);
    if (missing.length) msgs.push(`requests never made: ${missing.join(', ')}`);
    if (this.queue.length) msgs.push(`${this.queue.length} queued datagram(s) never read`);
    if (msgs.length) throw new AssertionError({ message: msgs.join('\n') });
  }

  private fail(msg: string): never {
    this.failures.push(msg);
    throw new AssertionError({ message: msg });
  }

  private mismatch(step: NlStep, req: Sent): string | null {
    if (step.request !== undefined) {
      const want = typeof step.request === 'string' ? fromHex(step.request) : step.request;
      const d = diffRequest(want, req.bytes, step.exactSeq ?? false);
      if (d) return d;
    }
    if (step.check) {
      const r = step.check(req);
      if (r === false) return "the step's check rejected it";
      if (typeof r === 'string') return r;
    }
    return null;
  }
}

/** null when equal (seq at 8..11 and pid at 12..15 ignored unless exactSeq), else the first difference. */
export function diffRequest(want: Uint8Array, got: Uint8Array, exactSeq = false): string | null {
  const skip = (i: number): boolean => !exactSeq && i >= 8 && i < 16;
  const n = Math.min(want.byteLength, got.byteLength);
  for (let i = 0; i < n; i++) {
    if (!skip(i) && want[i] !== got[i]) {
      return `byte ${i} is 0x${got[i].toString(16).padStart(2, '0')}, expected 0x${want[i].toString(16).padStart(2, '0')}` +
        `\n  expected ${toHex(want)}\n  got      ${toHex(got)}`;
    }
  }
  if (want.byteLength !== got.byteLength) {
    return `request is ${got.byteLength} bytes, expected ${want.byteLength}\n  expected ${toHex(want)}\n  got      ${toHex(got)}`;
  }
  return null;
}

/** The kernel's recorded family reply (test/helpers/nl-fixtures.ts) with family id `id`. */
export function familyReply(id = 21): Uint8Array {
  const b = fromHex(FAMILY_REPLY);
  const dv = new DataView(b.buffer);
  // After nlmsghdr (16), genlmsghdr (4) and CTRL_ATTR_FAMILY_NAME "ethtool" (12): CTRL_ATTR_FAMILY_ID.
  if (dv.getUint16(32, true) !== 6 || dv.getUint16(34, true) !== 1) throw new Error('FAMILY_REPLY: no CTRL_ATTR_FAMILY_ID at offset 32');
  dv.setUint16(36, id, true);
  return b;
}
