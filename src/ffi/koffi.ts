/**
 * The only module that touches FFI. One AF_INET datagram socket per transport; the ifreq lives
 * in native memory for the transport's lifetime, so the kernel never sees a moving pointer.
 *
 * Hot path: the ifreq keeps the last interface name and the last data pointer, so a caller
 * that reuses one buffer (StatsReader) costs one native call per ioctl and nothing else.
 *
 * Memory safety: for ETHTOOL_GSTRINGS, GSTATS, GPHYSTATS and TEST the kernel sizes its reply from the
 * driver's count at the time of the call, not from the request (kernels before the Dec 2025
 * fix always; all kernels for TEST, and for a request that says 0). A driver whose count grew
 * since we sized the buffer would have the kernel write past its end. So those requests are
 * made from memory that ends at an inaccessible guard page: the kernel stops there and the
 * ioctl fails with EFAULT (the reply header, with the driver's new count, is written first),
 * which the device layer treats as "count changed, re-read". Buffers from alloc() are guarded
 * already; any other buffer is copied through a guarded scratch area for those commands.
 */
import './preload'; // must precede koffi: registers its native module as the package entry
import koffi from 'koffi';
import { Transport, IFNAMSIZ, ifnameProblem } from './transport';

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SIOCETHTOOL = 0x8946;
/** struct ifreq: char ifr_name[16]; union { ...; void *ifr_data; } — 40 bytes on x86_64. */
const IFREQ_SIZE = 40;
const IFR_DATA_OFFSET = 16;

const PROT_NONE = 0;
const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_PRIVATE = 0x02;
const MAP_ANONYMOUS = 0x20;
const SC_PAGESIZE = 30;
const MAP_FAILED = 0xffffffffffffffffn;
const SOL_SOCKET = 1;
/** getsockopt: the 64-bit cookie of the socket's network namespace (Linux 5.14+). */
const SO_NETNS_COOKIE = 71;

/** Commands whose reply length the kernel takes from the driver, not from the request. */
const ETHTOOL_TEST = 0x1a;
const ETHTOOL_GSTRINGS = 0x1b;
const ETHTOOL_GSTATS = 0x1d;
const ETHTOOL_GPHYSTATS = 0x4a;

export interface Libc {
  socket: koffi.KoffiFunction;
  ioctl: koffi.KoffiFunction;
  close: koffi.KoffiFunction;
  mmap: koffi.KoffiFunction;
  mprotect: koffi.KoffiFunction;
  munmap: koffi.KoffiFunction;
  getsockopt: koffi.KoffiFunction;
  page: number;
}
let libc: Libc | null = null;
let libcLib: koffi.IKoffiLib | null = null;

/** The library handle libc's functions are declared from (shared with ./netlink.ts). */
export function loadLibcLibrary(): koffi.IKoffiLib {
  if (libcLib) return libcLib;
  // dlopen(NULL): libc's symbols as the process sees them, so an LD_PRELOAD'ed ioctl (test
  // fixtures such as an emulated device) is honoured as it is for ethtool; libc.so.6 else.
  try {
    libcLib = koffi.load(null);
  } catch {
    libcLib = koffi.load('libc.so.6');
  }
  return libcLib;
}

export function loadLibc(): Libc {
  if (libc) return libc;
  const lib = loadLibcLibrary();
  const sysconf = lib.func('long sysconf(int name)');
  libc = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    // The ifreq is passed by address (a plain number): cheaper per call than a buffer argument.
    ioctl: lib.func('int ioctl(int fd, unsigned long request, uintptr_t arg)'),
    close: lib.func('int close(int fd)'),
    mmap: lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, intptr_t offset)'),
    mprotect: lib.func('int mprotect(uintptr_t addr, size_t len, int prot)'),
    munmap: lib.func('int munmap(uintptr_t addr, size_t length)'),
    getsockopt: lib.func('int getsockopt(int fd, int level, int name, _Out_ uint8_t *value, _Inout_ uint32_t *len)'),
    page: Number(sysconf(SC_PAGESIZE)) || 4096,
  };
  return libc;
}

export class FfiError extends Error {
  constructor(message: string, readonly errno: number) {
    super(message);
  }
}

/**
 * Guarded regions alive. Each is a mapping that V8 does not count as memory, unmapped only
 * once its view is collected and the finalizer has run (never inside a synchronous loop), so
 * alloc() stops handing them out past a bound: plain buffers are just as safe (their
 * count-sized requests go through the scratch area), only a copy slower.
 */
let liveRegions = 0;
const MAX_GUARDED_ALLOCS = 256;

/** Unmaps a guarded region once no JS view of it is left. */
const unmapper = new FinalizationRegistry<{ addr: number; len: number }>(({ addr, len }) => {
  liveRegions--;
  libc?.munmap(addr, len);
});

/** `size` bytes of native memory whose last byte is followed by a PROT_NONE page. */
function guardedAlloc(c: Libc, size: number): Uint8Array {
  const body = Math.max(c.page, Math.ceil(size / c.page) * c.page);
  const ptr = c.mmap(null, body + c.page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const base = ptr === null ? MAP_FAILED : koffi.address(ptr);
  if (base === MAP_FAILED) {
    const errno = koffi.errno();
    throw new FfiError(`cannot map ${size} bytes for an ioctl buffer: errno ${errno}`, errno);
  }
  const addr = Number(base);
  if ((c.mprotect(addr + body, c.page, PROT_NONE) as number) < 0) {
    const errno = koffi.errno();
    c.munmap(addr, body + c.page);
    throw new FfiError(`cannot protect the guard page of an ioctl buffer: errno ${errno}`, errno);
  }
  const ab = koffi.view(ptr, body);
  unmapper.register(ab, { addr, len: body + c.page });
  liveRegions++;
  return new Uint8Array(ab, body - size, size);
}

/** Is `data` an ETHTOOL_GSTRINGS/GSTATS/GPHYSTATS/TEST request (cmd is the first u32, little-endian)? */
function countSized(data: Uint8Array): boolean {
  const b0 = data[0];
  return (b0 === ETHTOOL_GSTATS || b0 === ETHTOOL_GSTRINGS || b0 === ETHTOOL_TEST || b0 === ETHTOOL_GPHYSTATS) &&
    data[1] === 0 && data[2] === 0 && data[3] === 0;
}

export class KoffiTransport implements Transport {
  private fd: number;
  private readonly c: Libc;
  /** The ifreq for synchronous calls (an ArrayBuffer's memory never moves), and its address. */
  private readonly ifr = new Uint8Array(new ArrayBuffer(IFREQ_SIZE));
  private readonly ifrView = new DataView(this.ifr.buffer);
  private readonly ifrAddr: number;
  private lastName = '';
  /** The buffer whose address the ifreq holds (kept alive so that the address stays valid). */
  private lastData: Uint8Array | null = null;
  private lastGuarded = false;
  /** Buffers handed out by alloc(): they end at a guard page. */
  private readonly guarded = new WeakSet<Uint8Array>();
  /** Guarded bounce area for count-sized requests in ordinary buffers. */
  private scratch: Uint8Array | null = null;

  constructor() {
    this.c = loadLibc();
    this.ifrAddr = Number(koffi.address(this.ifr));
    this.fd = this.c.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) as number;
    if (this.fd < 0) {
      const errno = koffi.errno();
      throw new FfiError(`cannot open control socket: errno ${errno}`, errno);
    }
  }

  /** Validate and write `ifname` into `ifr`. */
  private static writeName(ifr: Uint8Array, ifname: string): void {
    const problem = ifnameProblem(ifname);
    if (problem) throw new FfiError(problem, 19 /* ENODEV */);
    const b = Buffer.from(ifr.buffer, ifr.byteOffset, IFNAMSIZ);
    b.fill(0);
    b.write(ifname, 0, IFNAMSIZ - 1, 'utf8');
  }

  ioctl(ifname: string, data: Uint8Array): number {
    if (this.fd < 0) throw new FfiError('transport is closed', 9 /* EBADF */);
    if (ifname !== this.lastName) {
      KoffiTransport.writeName(this.ifr, ifname);
      this.lastName = ifname;
    }
    if (data !== this.lastData) {
      this.ifrView.setBigUint64(IFR_DATA_OFFSET, koffi.address(data), true);
      this.lastData = data;
      this.lastGuarded = this.guarded.has(data);
    }
    if (!this.lastGuarded && countSized(data)) return this.bounced(data);
    const r = this.c.ioctl(this.fd, SIOCETHTOOL, this.ifrAddr) as number;
    return r < 0 ? -koffi.errno() : r;
  }

  /** Run a count-sized request from the guarded scratch area and copy the reply back. */
  private bounced(data: Uint8Array): number {
    if (!this.scratch || this.scratch.byteLength < data.byteLength) {
      this.scratch = guardedAlloc(this.c, Math.max(data.byteLength, this.c.page));
    }
    const s = this.scratch.subarray(this.scratch.byteLength - data.byteLength);
    s.set(data);
    this.ifrView.setBigUint64(IFR_DATA_OFFSET, koffi.address(s), true);
    this.lastData = null; // the ifreq no longer points at a caller's buffer
    const r = this.c.ioctl(this.fd, SIOCETHTOOL, this.ifrAddr) as number;
    const result = r < 0 ? -koffi.errno() : r;
    data.set(s);
    return result;
  }

  ioctlAsync(ifname: string, data: Uint8Array): Promise<number> {
    if (this.fd < 0) return Promise.reject(new FfiError('transport is closed', 9));
    const ifr = new Uint8Array(new ArrayBuffer(IFREQ_SIZE));
    try {
      KoffiTransport.writeName(ifr, ifname);
    } catch (e) {
      return Promise.reject(e);
    }
    const target = countSized(data) && !this.guarded.has(data) ? guardedAlloc(this.c, data.byteLength) : data;
    if (target !== data) target.set(data);
    new DataView(ifr.buffer).setBigUint64(IFR_DATA_OFFSET, koffi.address(target), true);
    return new Promise((resolve, reject) => {
      // errno is thread-local: koffi reads it on the worker thread right after the call.
      this.c.ioctl.async(this.fd, SIOCETHTOOL, Number(koffi.address(ifr)), (err: unknown, r: number) => {
        if (target !== data) data.set(target);
        void ifr; // keep the ifreq (and, through the closure, the data) alive until the kernel is done
        if (err) reject(err);
        else resolve(r < 0 ? -koffi.errno() : r);
      });
    });
  }

  /**
   * The cookie of the network namespace the control socket lives in: unlike the namespace's
   * inode number, never reused while the system runs. null where the kernel has none (< 5.14).
   */
  netnsCookie(): bigint | null {
    if (this.fd < 0) return null;
    const value = new Uint8Array(8);
    const len = [8];
    const r = this.c.getsockopt(this.fd, SOL_SOCKET, SO_NETNS_COOKIE, value, len) as number;
    if (r < 0 || len[0] !== 8) return null;
    return new DataView(value.buffer).getBigUint64(0, true);
  }

  /** A reusable request buffer that ends at a guard page (see the module comment). */
  alloc(size: number): Uint8Array {
    if (liveRegions >= MAX_GUARDED_ALLOCS) return new Uint8Array(new ArrayBuffer(size));
    const buf = guardedAlloc(this.c, size);
    this.guarded.add(buf);
    return buf;
  }

  close(): void {
    if (this.fd >= 0) this.c.close(this.fd);
    this.fd = -1;
    this.lastData = null;
    this.scratch = null;
  }
}
