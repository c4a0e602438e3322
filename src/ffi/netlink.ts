/**
 * The netlink socket: the only netlink code that touches FFI. One AF_NETLINK datagram socket
 * per transport, bound to a kernel-assigned port, talking to the kernel (port 0) only.
 *
 *   const t = openNetlink();                  // NETLINK_GENERIC, NETLINK_EXT_ACK on
 *   t.send(request);                          // bytes sent, or -errno
 *   const n = t.recv(buf, 1000);              // one datagram, or -errno (-ETIMEDOUT)
 *   t.close();
 *
 * Every call returns the negated errno on failure, read with koffi.errno() right after the
 * failing call, as the ioctl transport does. Opening fails with a NetlinkSocketError (an
 * FfiError carrying the errno): EAFNOSUPPORT on a kernel without netlink or under
 * native/build/nonetlink.so, which is the caller's cue to fall back to ioctls.
 *
 * Receive buffer sizing: recv() first asks the kernel the size of the datagram at the head of
 * the queue (MSG_PEEK|MSG_TRUNC with a zero-length buffer, no copy). When it does not fit in
 * the caller's buffer, recv() returns that size, larger than the buffer, and leaves the
 * datagram queued: the caller grows its buffer and calls again. Nothing is ever truncated.
 *
 * Live notifications: recvAsync() waits in a worker thread (koffi's .async) in poll(2) on the
 * socket and on an eventfd, then receives on the main thread. close() writes the eventfd, so
 * a pending wait ends at once (resolving -EBADF) and the descriptors are closed only after the
 * worker has left poll(2). The worker's own errno is never consulted: a failed poll is retried.
 */
import './preload'; // must precede koffi: registers its native module as the package entry
import koffi from 'koffi';
import { FfiError, loadLibcLibrary } from './koffi';

/** Socket-level constants (<sys/socket.h>, <linux/netlink.h>, <poll.h>, <sys/eventfd.h>). */
export const NL_SOCKET = {
  AF_NETLINK: 16,
  SOCK_RAW: 3,
  SOCK_CLOEXEC: 0o2000000,
  NETLINK_ROUTE: 0,
  NETLINK_GENERIC: 16,
  SOL_NETLINK: 270,
  NETLINK_ADD_MEMBERSHIP: 1,
  NETLINK_DROP_MEMBERSHIP: 2,
  NETLINK_NO_ENOBUFS: 5,
  NETLINK_CAP_ACK: 10,
  NETLINK_EXT_ACK: 11,
  MSG_PEEK: 0x02,
  MSG_TRUNC: 0x20,
  MSG_DONTWAIT: 0x40,
  POLLIN: 0x001,
  EFD_NONBLOCK: 0o4000,
  EFD_CLOEXEC: 0o2000000,
} as const;

/** struct sockaddr_nl and struct pollfd: size and field offsets. */
export const SOCKADDR_NL = { size: 12, nl_family: 0, nl_pid: 4, nl_groups: 8 } as const;
export const POLLFD = { size: 8, fd: 0, events: 4, revents: 6 } as const;

const EINTR = 4;
const EBADF = 9;
const EAGAIN = 11;
const EBUSY = 16;
const ETIMEDOUT = 110;

/**
 * The seam between the netlink codec and the kernel. The real one is KoffiNetlink below;
 * tests plug in a scripted fake (test/helpers/nl-scripted.ts).
 */
export interface NetlinkTransport {
  /** The socket's port id (nl_pid) as the kernel assigned it at bind time. */
  readonly portId: number;
  /** Send one message (or several, concatenated) to the kernel. Bytes sent, or -errno. */
  send(msg: Uint8Array): number;
  /**
   * Receive one datagram into `buf`. Returns its length; a length larger than `buf` means it
   * did not fit and is still queued (grow the buffer and call again). -ETIMEDOUT when nothing
   * arrived within `timeoutMs` (default: wait as long as it takes); otherwise -errno.
   */
  recv(buf: Uint8Array, timeoutMs?: number): number;
  /** recv() that waits off the main thread: for live notifications. */
  recvAsync?(buf: Uint8Array, timeoutMs?: number): Promise<number>;
  /** Join a multicast group (NETLINK_ADD_MEMBERSHIP). 0, or -errno. */
  addMembership(group: number): number;
  /** Leave a multicast group. 0, or -errno. */
  dropMembership?(group: number): number;
  close(): void;
}

export class NetlinkSocketError extends FfiError {
  constructor(message: string, errno: number, readonly op: string) {
    super(message, errno);
    this.name = 'NetlinkSocketError';
  }
}

interface NlLibc {
  socket: koffi.KoffiFunction;
  setsockopt: koffi.KoffiFunction;
  bind: koffi.KoffiFunction;
  getsockname: koffi.KoffiFunction;
  sendto: koffi.KoffiFunction;
  recvfrom: koffi.KoffiFunction;
  poll: koffi.KoffiFunction;
  pollAddr: koffi.KoffiFunction;
  eventfd: koffi.KoffiFunction;
  write: koffi.KoffiFunction;
  close: koffi.KoffiFunction;
}
let nlLibc: NlLibc | null = null;

function loadNlLibc(): NlLibc {
  if (nlLibc) return nlLibc;
  const lib = loadLibcLibrary();
  nlLibc = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)'),
    bind: lib.func('int bind(int fd, const void *addr, uint32_t len)'),
    getsockname: lib.func('int getsockname(int fd, void *addr, void *lenp)'),
    sendto: lib.func('long sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)'),
    recvfrom: lib.func('long recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *alenp)'),
    poll: lib.func('int poll(void *fds, unsigned long nfds, int timeout)'),
    // The async wait passes its pollfd array by address: it lives in an ArrayBuffer kept alive
    // by the pending call's closure, so the worker thread never sees a moving pointer.
    pollAddr: lib.func('int poll(uintptr_t fds, unsigned long nfds, int timeout)'),
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
    write: lib.func('long write(int fd, const void *buf, size_t n)'),
    close: lib.func('int close(int fd)'),
  };
  return nlLibc;
}

export interface OpenOptions {
  /** NETLINK_GENERIC (default) or another netlink protocol. */
  protocol?: number;
  /** NETLINK_EXT_ACK: extended ack TLVs (error message, offset). Default on, as ethtool. */
  extAck?: boolean;
  /** NETLINK_CAP_ACK: error acks without a copy of the request. Default off, as ethtool. */
  capAck?: boolean;
}

/** Open, configure and bind a netlink socket. Throws NetlinkSocketError (with errno). */
export function openNetlink(opts: OpenOptions = {}): KoffiNetlink {
  return new KoffiNetlink(opts);
}

function now(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

export class KoffiNetlink implements NetlinkTransport {
  private fd: number;
  private efd = -1;
  private readonly c: NlLibc;
  portId = 0;
  /** sockaddr_nl of the kernel (port 0, no groups): the destination of every send. */
  private readonly kernelAddr = new Uint8Array(SOCKADDR_NL.size);
  /** The source address of the last datagram, and its length (reused by every recv). */
  private readonly fromAddr = new Uint8Array(SOCKADDR_NL.size);
  private readonly fromLen = new Uint32Array(1);
  private readonly fromView = new DataView(this.fromAddr.buffer);
  private readonly pollfd = new Uint8Array(POLLFD.size);
  private readonly pollView = new DataView(this.pollfd.buffer);
  private readonly intOpt = new Int32Array(1);
  private pending: Promise<number> | null = null;
  private closing = false;

  constructor(opts: OpenOptions = {}) {
    this.c = loadNlLibc();
    const S = NL_SOCKET;
    const proto = opts.protocol ?? S.NETLINK_GENERIC;
    this.fd = this.c.socket(S.AF_NETLINK, S.SOCK_RAW | S.SOCK_CLOEXEC, proto) as number;
    if (this.fd < 0) {
      const errno = koffi.errno();
      throw new NetlinkSocketError(`cannot open netlink socket: errno ${errno}`, errno, 'socket');
    }
    try {
      if (opts.extAck ?? true) this.setInt(S.NETLINK_EXT_ACK, 1, 'setsockopt(NETLINK_EXT_ACK)');
      if (opts.capAck) this.setInt(S.NETLINK_CAP_ACK, 1, 'setsockopt(NETLINK_CAP_ACK)');
      new DataView(this.kernelAddr.buffer).setUint16(SOCKADDR_NL.nl_family, S.AF_NETLINK, true);
      const local = new Uint8Array(SOCKADDR_NL.size);
      new DataView(local.buffer).setUint16(SOCKADDR_NL.nl_family, S.AF_NETLINK, true); // nl_pid 0: the kernel picks
      if ((this.c.bind(this.fd, local, local.byteLength) as number) < 0) this.fail('bind');
      const len = new Uint32Array([SOCKADDR_NL.size]);
      if ((this.c.getsockname(this.fd, local, len) as number) < 0) this.fail('getsockname');
      this.portId = new DataView(local.buffer).getUint32(SOCKADDR_NL.nl_pid, true);
    } catch (e) {
      this.c.close(this.fd);
      this.fd = -1;
      throw e;
    }
  }

  private fail(op: string): never {
    const errno = koffi.errno();
    throw new NetlinkSocketError(`netlink ${op} failed: errno ${errno}`, errno, op);
  }

  private setInt(name: number, value: number, what: string): void {
    this.intOpt[0] = value;
    if ((this.c.setsockopt(this.fd, NL_SOCKET.SOL_NETLINK, name, this.intOpt, 4) as number) < 0) this.fail(what);
  }

  private sockopt(name: number, value: number): number {
    if (this.fd < 0 || this.closing) return -EBADF;
    this.intOpt[0] = value;
    const r = this.c.setsockopt(this.fd, NL_SOCKET.SOL_NETLINK, name, this.intOpt, 4) as number;
    return r < 0 ? -koffi.errno() : 0;
  }

  send(msg: Uint8Array): number {
    if (this.fd < 0 || this.closing) return -EBADF;
    for (;;) {
      const r = Number(this.c.sendto(this.fd, msg, msg.byteLength, 0, this.kernelAddr, this.kernelAddr.byteLength));
      if (r >= 0) return r;
      const errno = koffi.errno();
      if (errno !== EINTR) return -errno;
    }
  }

  recv(buf: Uint8Array, timeoutMs?: number): number {
    if (this.fd < 0 || this.closing) return -EBADF;
    if (timeoutMs !== undefined) {
      const w = this.waitReadable(timeoutMs);
      if (w < 0) return w;
    }
    return this.take(buf, 0);
  }

  /** Wait until the socket is readable, at most `timeoutMs`. 0, -ETIMEDOUT or -errno. */
  private waitReadable(timeoutMs: number): number {
    const deadline = now() + Math.max(0, timeoutMs);
    this.pollView.setInt32(POLLFD.fd, this.fd, true);
    this.pollView.setInt16(POLLFD.events, NL_SOCKET.POLLIN, true);
    for (;;) {
      this.pollView.setInt16(POLLFD.revents, 0, true);
      const left = Math.max(0, deadline - now());
      const r = this.c.poll(this.pollfd, 1, Math.min(left, 0x7fffffff)) as number;
      if (r > 0) return 0;
      if (r === 0) return -ETIMEDOUT;
      const errno = koffi.errno();
      if (errno !== EINTR) return -errno;
    }
  }

  /**
   * Peek at the size of the head datagram, then receive it if it fits. `flags` may add
   * MSG_DONTWAIT. Datagrams not from the kernel (port 0) are dropped.
   */
  private take(buf: Uint8Array, flags: number): number {
    const S = NL_SOCKET;
    for (;;) {
      const size = Number(this.c.recvfrom(this.fd, buf, 0, flags | S.MSG_PEEK | S.MSG_TRUNC, null, null));
      if (size < 0) {
        const errno = koffi.errno();
        if (errno === EINTR) continue;
        return -errno;
      }
      if (size > buf.byteLength) return size; // still queued: the caller grows its buffer
      this.fromLen[0] = SOCKADDR_NL.size;
      const n = Number(this.c.recvfrom(this.fd, buf, buf.byteLength, flags, this.fromAddr, this.fromLen));
      if (n < 0) {
        const errno = koffi.errno();
        if (errno === EINTR) continue;
        return -errno;
      }
      if (this.fromView.getUint32(SOCKADDR_NL.nl_pid, true) !== 0) continue; // not from the kernel: drop it
      return n;
    }
  }

  recvAsync(buf: Uint8Array, timeoutMs?: number): Promise<number> {
    if (this.fd < 0 || this.closing) return Promise.resolve(-EBADF);
    if (this.pending) return Promise.resolve(-EBUSY);
    if (this.efd < 0) {
      this.efd = this.c.eventfd(0, NL_SOCKET.EFD_CLOEXEC | NL_SOCKET.EFD_NONBLOCK) as number;
      if (this.efd < 0) return Promise.resolve(-koffi.errno());
    }
    const deadline = timeoutMs === undefined ? Infinity : now() + Math.max(0, timeoutMs);
    const fds = new Uint8Array(new ArrayBuffer(2 * POLLFD.size));
    const v = new DataView(fds.buffer);
    const P = POLLFD;
    v.setInt32(P.fd, this.fd, true);
    v.setInt16(P.events, NL_SOCKET.POLLIN, true);
    v.setInt32(P.size + P.fd, this.efd, true);
    v.setInt16(P.size + P.events, NL_SOCKET.POLLIN, true);
    const addr = Number(koffi.address(fds));
    const p = new Promise<number>((resolve, reject) => {
      const round = (): void => {
        v.setInt16(P.revents, 0, true);
        v.setInt16(P.size + P.revents, 0, true);
        const left = deadline === Infinity ? -1 : Math.min(Math.max(0, deadline - now()), 0x7fffffff);
        this.c.pollAddr.async(addr, 2, left, (err: unknown, r: number) => {
          void fds; // keep the pollfd array alive while the worker uses it
          if (err) return this.settle(() => reject(err));
          if (this.closing || this.fd < 0) return this.settle(() => resolve(-EBADF));
          if (r === 0) return this.settle(() => resolve(-ETIMEDOUT));
          if (r < 0 || (v.getInt16(P.revents, true) & NL_SOCKET.POLLIN) === 0) return round(); // interrupted
          const n = this.take(buf, NL_SOCKET.MSG_DONTWAIT);
          if (n === -EAGAIN) return round();
          this.settle(() => resolve(n));
        });
      };
      round();
    });
    this.pending = p;
    return p;
  }

  /** End the pending async wait; close the descriptors if close() was asked meanwhile. */
  private settle(done: () => void): void {
    this.pending = null;
    if (this.closing) this.release();
    done();
  }

  addMembership(group: number): number {
    return this.sockopt(NL_SOCKET.NETLINK_ADD_MEMBERSHIP, group);
  }

  dropMembership(group: number): number {
    return this.sockopt(NL_SOCKET.NETLINK_DROP_MEMBERSHIP, group);
  }

  close(): void {
    if (this.fd < 0 || this.closing) return;
    this.closing = true;
    if (this.pending) {
      // Wake the worker; the descriptors are closed once it has left poll(2).
      const one = new Uint8Array(8);
      one[0] = 1;
      this.c.write(this.efd, one, 8);
      return;
    }
    this.release();
  }

  private release(): void {
    if (this.fd >= 0) this.c.close(this.fd);
    if (this.efd >= 0) this.c.close(this.efd);
    this.fd = -1;
    this.efd = -1;
  }
}
