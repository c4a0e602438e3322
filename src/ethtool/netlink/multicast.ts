/**
 * The receive loop of a multicast subscription (the ethtool "monitor" group, RTNLGRP_LINK):
 * datagrams are split into messages and decoded by the subscriber's `decode`; next() waits off
 * the main thread when the transport can (recvAsync); notifications lost to a full socket
 * buffer (ENOBUFS) are counted in `lost` and the stream goes on.
 */
import type { NetlinkTransport } from './transport';
import { NlMessage, parseMessages } from './message';

const EBADF = 9;
const ENOBUFS = 105;
const ETIMEDOUT = 110;

export class MulticastReader<T> {
  private buf = new Uint8Array(65536);
  private readonly queue: T[] = [];
  lost = 0;
  private closed = false;

  /** `decode` returns the items one message gives (null: none); `what` names them in errors. */
  constructor(private readonly transport: NetlinkTransport, private readonly decode: (m: NlMessage, buf: Uint8Array) => T | null, private readonly what: string) {}

  /** The next item, or null when none came within `timeoutMs` or the reader was closed. */
  async next(timeoutMs?: number): Promise<T | null> {
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) return null;
      const left = deadline === Infinity ? undefined : Math.max(0, deadline - Date.now());
      const n = this.transport.recvAsync ? await this.transport.recvAsync(this.buf, left) : this.transport.recv(this.buf, left);
      if (n === -ETIMEDOUT || n === -EBADF) return null;
      if (n === -ENOBUFS) { this.lost++; continue; }
      if (n < 0) throw Object.assign(new Error(`receiving ${this.what} failed: errno ${-n}`), { errno: -n });
      if (n > this.buf.byteLength) { this.buf = new Uint8Array(Math.ceil(n / 4096) * 4096); continue; }
      for (const m of parseMessages(this.buf, n)) {
        const item = this.decode(m, this.buf);
        if (item !== null) this.queue.push(item);
      }
    }
    return this.queue.shift()!;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close();
  }
}
