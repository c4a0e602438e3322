/**
 * One request, one answer: a netlink connection over a NetlinkTransport that numbers its
 * requests, reads the answer until it ends (the ack, an error, or the NLMSG_DONE of a dump)
 * and hands every other message of that answer to the caller while its bytes are valid.
 *
 * The receive buffer (64 KiB, ethtool's size) and the request writer are reused: a request
 * allocates nothing here unless an answer outgrows the buffer, which then grows to fit (the
 * transport reports a datagram's size before taking it, so nothing is lost).
 *
 * Messages of other requests (a seq of an earlier request that timed out) and notifications
 * (seq 0) are skipped; the answer must come within the timeout, as a whole.
 */
import type { NetlinkTransport } from './transport';
import { Ack, Extack, NlMessage, parseAck, parseDone, parseMessages } from './message';
import { NLM_F, NLMSG, NLMSGHDR } from './constants';
import { Writer } from './tlv';

export const ETIMEDOUT = 110;
export const EPROTO = 71;

export const RECV_BUFFER = 65536;
export const DEFAULT_TIMEOUT_MS = 5000;

export interface Outcome {
  /** 0 when the request succeeded, else the negated errno (the kernel's, or the socket's). */
  error: number;
  /** Who failed: the kernel answered with an error, or sending/receiving failed. */
  source: 'kernel' | 'socket' | null;
  extack: Extack | null;
  /** How the answer ended. */
  end: 'ack' | 'done' | 'error' | 'socket';
  /** NLM_F_DUMP_INTR was seen: the dump may be inconsistent. */
  interrupted: boolean;
  /** The kernel's ack, when there was one. */
  ack: Ack | null;
}

/**
 * Sees every datagram a connection sends and receives, as it happens (ethtool's --debug shows
 * them). `delivered`: how many messages of the current answer were handed on before this one.
 */
export interface NetlinkTracer {
  sent(bytes: Uint8Array): void;
  received(bytes: Uint8Array, n: number, delivered: number): void;
}

export class NetlinkConnection {
  readonly writer = new Writer(4096);
  tracer: NetlinkTracer | null = null;
  private rbuf = new Uint8Array(RECV_BUFFER);
  private seq = 0;

  constructor(readonly transport: NetlinkTransport, readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  /** The sequence number of the next request (1, 2, … as ethtool numbers them). */
  nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0 || 1;
    return this.seq;
  }

  /** The receive buffer's size (it grows when an answer needs it). */
  get bufferSize(): number {
    return this.rbuf.byteLength;
  }

  /**
   * Send `msg` (a request whose nlmsg_seq is set) and read its answer. `onMessage` sees every
   * message of the answer other than the closing ack/error/done.
   */
  transact(msg: Uint8Array, onMessage: (m: NlMessage) => void, timeoutMs = this.timeoutMs): Outcome {
    const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
    const seq = dv.getUint32(NLMSGHDR.nlmsg_seq, true);
    const reqFlags = dv.getUint16(NLMSGHDR.nlmsg_flags, true);
    const dump = (reqFlags & NLM_F.DUMP) === NLM_F.DUMP;
    this.tracer?.sent(msg);
    const sent = this.transport.send(msg);
    if (sent < 0) return socketFailure(sent);
    if (sent !== msg.byteLength) return socketFailure(-EPROTO);
    const deadline = Date.now() + timeoutMs;
    let interrupted = false;
    let delivered = 0;
    for (;;) {
      const left = Math.max(0, deadline - Date.now());
      const n = this.transport.recv(this.rbuf, left);
      if (n < 0) return { ...socketFailure(n), interrupted };
      if (n > this.rbuf.byteLength) {
        this.rbuf = new Uint8Array(Math.ceil(n / 4096) * 4096);
        continue;
      }
      this.tracer?.received(this.rbuf, n, delivered);
      const port = this.transport.portId;
      for (const m of parseMessages(this.rbuf, n)) {
        if (m.seq !== seq || (port !== 0 && m.pid !== port)) continue; // not this request's
        if (m.flags & NLM_F.DUMP_INTR) interrupted = true;
        if (m.type === NLMSG.ERROR) {
          const ack = parseAck(m);
          return { error: ack.error, source: ack.error ? 'kernel' : null, extack: ack.extack, end: ack.error ? 'error' : 'ack', interrupted, ack };
        }
        if (m.type === NLMSG.DONE) {
          const ack = parseDone(m);
          return { error: ack.error, source: ack.error ? 'kernel' : null, extack: ack.extack, end: 'done', interrupted, ack };
        }
        if (m.type === NLMSG.NOOP) continue;
        if (m.type === NLMSG.OVERRUN) return { ...socketFailure(-EPROTO), interrupted };
        onMessage(m);
        delivered++;
        // Without NLM_F_ACK a plain (not multi-part) reply ends a do-request.
        if (!dump && !(m.flags & NLM_F.MULTI) && !(reqFlags & NLM_F.ACK)) {
          return { error: 0, source: null, extack: null, end: 'ack', interrupted, ack: null };
        }
      }
    }
  }

  close(): void {
    this.transport.close();
  }
}

function socketFailure(errno: number): Outcome {
  return { error: errno, source: 'socket', extack: null, end: 'socket', interrupted: false, ack: null };
}
