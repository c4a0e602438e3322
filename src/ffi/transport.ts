/**
 * The seam between the typed device API and the kernel. The real implementation issues
 * SIOCETHTOOL through koffi (./koffi.ts); tests plug in scripted fakes and simulated NICs.
 */
export interface Transport {
  /**
   * Issue one SIOCETHTOOL request for `ifname` with `data` as the ethtool command buffer.
   * The kernel reads and writes `data` in place. Returns the ioctl's non-negative result,
   * or the negated errno on failure (read immediately after the failing call).
   */
  ioctl(ifname: string, data: Uint8Array): number;
  /** Same request run off the main thread (for long blocking commands such as PHYS_ID). */
  ioctlAsync?(ifname: string, data: Uint8Array): Promise<number>;
  /** A buffer the transport can pass without copying; reuse it on hot paths. */
  alloc(size: number): Uint8Array;
  close(): void;
}

/** IFNAMSIZ from <linux/if.h>, including the terminating NUL. */
export const IFNAMSIZ = 16;

/** Why `name` cannot be an interface name, or null when it can. */
export function ifnameProblem(name: string): string | null {
  if (name.length === 0) return 'interface name is empty';
  if (Buffer.byteLength(name) >= IFNAMSIZ) return `interface name "${name}" is longer than ${IFNAMSIZ - 1} bytes`;
  if (name === '.' || name === '..') return `interface name "${name}" is not valid`;
  if (/[/\s:\0]/.test(name)) return `interface name "${name}" contains '/', ':', a NUL or whitespace`;
  return null;
}
