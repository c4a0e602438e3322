/**
 * The seam between the ops and the kernel, and the one door to the FFI module: every layer
 * above reaches a transport through here (its type, the interface-name rules, and the real
 * SIOCETHTOOL transport, loaded only when first opened).
 */
import type { Transport as FfiTransport } from '../ffi/transport';

export { IFNAMSIZ, ifnameProblem } from '../ffi/transport';

/** The device seam (see ../ffi/transport), plus what a transport can tell about where it runs. */
export interface Transport extends FfiTransport {
  /**
   * The cookie of the network namespace the transport's socket lives in (SO_NETNS_COOKIE):
   * a namespace identity that, unlike its inode number, is never reused during a boot. null
   * or absent when unknown (kernels before 5.14, simulated devices).
   */
  netnsCookie?(): bigint | null;
}

/** The real transport: one AF_INET control socket through koffi. Throws an error with `errno` if it cannot be opened. */
export function openTransport(): Transport {
  const { KoffiTransport } = require('../ffi/koffi') as typeof import('../ffi/koffi');
  return new KoffiTransport();
}

/**
 * One device's side of a transport, as the ops see it: a request buffer in, the kernel's
 * answer (>= 0) or the negated errno out. The CLI's port also remembers the last errno (ethtool
 * prints it where it fails without a syscall); Nic's is a plain binding of transport and name.
 */
export interface Port {
  ioctl(buf: Uint8Array): number;
  /** A buffer the transport passes without copying, ending at a guard page (hot paths, count-sized replies). */
  alloc?(size: number): Uint8Array;
}

/** A Port for `ifname` over `t`. */
export function portOf(t: Transport, ifname: string): Port {
  return { ioctl: buf => t.ioctl(ifname, buf), alloc: n => t.alloc(n) };
}
