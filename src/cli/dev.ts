/**
 * The CLI's port to one device: requests go out in exactly the order and shape ethtool's ioctl
 * path issues them (the commands build them through ../ethtool/ops), each answering the negated
 * errno instead of throwing, so every command can reproduce ethtool's own lines and exit codes.
 */
import type { Port, Transport } from '../ethtool/transport';
import { ERRNO } from '../ethtool/errno';

export class Dev implements Port {
  /** What the kernel looks up: it cuts an interface name at the first ':' (alias syntax). */
  private readonly kname: string;
  /**
   * errno of the last failed request. Where ethtool reports a failure without a syscall of
   * its own, it prints whatever errno was left behind: the last failed ioctl's, or — when
   * none failed — the EAFNOSUPPORT of its refused netlink socket (ioctl path).
   */
  lastErrno: number = ERRNO.EAFNOSUPPORT;

  constructor(readonly name: string, private readonly transport: () => Transport) {
    const colon = name.indexOf(':');
    this.kname = colon >= 0 ? name.slice(0, colon) : name;
  }

  /** One request; >= 0 is the kernel's answer, < 0 the negated errno. Never throws for a bad name. */
  ioctl(buf: Uint8Array): number {
    let r: number;
    try {
      r = this.transport().ioctl(this.kname, buf);
    } catch (e) {
      r = -errnoOf(e, this.kname);
    }
    if (r < 0) this.lastErrno = -r;
    return r;
  }

  /** A guarded buffer; a plain one when no transport can be had (the request then fails as any other). */
  alloc(size: number): Uint8Array {
    try {
      return this.transport().alloc(size);
    } catch {
      return new Uint8Array(size);
    }
  }
}

/** The errno a transport's refusal carries (a name it cannot send: ENODEV); rethrows anything else. */
function errnoOf(e: unknown, name: string): number {
  const errno = (e as { errno?: unknown }).errno;
  if (typeof errno === 'number' && errno > 0) return errno;
  if (name.length === 0) return ERRNO.ENODEV;
  throw e;
}
