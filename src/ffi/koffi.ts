/**
 * The only module that touches FFI. One AF_INET datagram socket per transport; the ifreq lives
 * in native memory for the transport's lifetime, so the kernel never sees a moving pointer.
 */
import koffi from 'koffi';
import { Transport, IFNAMSIZ, ifnameProblem } from './transport';

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SIOCETHTOOL = 0x8946;
/** struct ifreq: char ifr_name[16]; union { ...; void *ifr_data; } — 40 bytes on x86_64. */
const IFREQ_SIZE = 40;
const IFR_DATA_OFFSET = 16;

interface Libc {
  socket: koffi.KoffiFunction;
  ioctl: koffi.KoffiFunction;
  close: koffi.KoffiFunction;
}
let libc: Libc | null = null;

function loadLibc(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    ioctl: lib.func('int ioctl(int fd, unsigned long request, void *arg)'),
    close: lib.func('int close(int fd)'),
  };
  return libc;
}

export class FfiError extends Error {
  constructor(message: string, readonly errno: number) {
    super(message);
  }
}

export class KoffiTransport implements Transport {
  private fd: number;
  private readonly c: Libc;
  /** ifreq buffers: one for synchronous calls, fresh ones for each async call. */
  private readonly ifr = Buffer.alloc(IFREQ_SIZE);
  private lastName = '';

  constructor() {
    this.c = loadLibc();
    this.fd = this.c.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) as number;
    if (this.fd < 0) {
      const errno = koffi.errno();
      throw new FfiError(`cannot open control socket: errno ${errno}`, errno);
    }
  }

  private fill(ifr: Buffer, ifname: string, data: Uint8Array): void {
    const problem = ifnameProblem(ifname);
    if (problem) throw new FfiError(problem, 19 /* ENODEV */);
    if (ifr !== this.ifr || ifname !== this.lastName) {
      ifr.fill(0, 0, IFNAMSIZ);
      ifr.write(ifname, 0, IFNAMSIZ - 1, 'utf8');
      if (ifr === this.ifr) this.lastName = ifname;
    }
    ifr.writeBigUInt64LE(koffi.address(data), IFR_DATA_OFFSET);
  }

  ioctl(ifname: string, data: Uint8Array): number {
    if (this.fd < 0) throw new FfiError('transport is closed', 9 /* EBADF */);
    this.fill(this.ifr, ifname, data);
    const r = this.c.ioctl(this.fd, SIOCETHTOOL, this.ifr) as number;
    if (r < 0) return -koffi.errno();
    return r;
  }

  ioctlAsync(ifname: string, data: Uint8Array): Promise<number> {
    if (this.fd < 0) return Promise.reject(new FfiError('transport is closed', 9));
    const ifr = Buffer.alloc(IFREQ_SIZE);
    this.fill(ifr, ifname, data);
    return new Promise((resolve, reject) => {
      // errno is thread-local: koffi reads it on the worker thread right after the call.
      this.c.ioctl.async(this.fd, SIOCETHTOOL, ifr, (err: unknown, r: number) => {
        if (err) reject(err);
        else resolve(r < 0 ? -koffi.errno() : r);
        void data; void ifr; // keep both referenced until the kernel is done with them
      });
    });
  }

  alloc(size: number): Uint8Array {
    return new Uint8Array(size);
  }

  close(): void {
    if (this.fd >= 0) this.c.close(this.fd);
    this.fd = -1;
  }
}
