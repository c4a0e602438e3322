/**
 * The netlink standard statistics of a device (ETHTOOL_MSG_STATS_GET: eth-mac, eth-phy, eth-ctrl,
 * rmon, by the kernel's IEEE/RFC names) as extra driver-table counters named `std:GROUP:Name`,
 * beside the driver's own names. Asked once per reader; a device that reports none (or a kernel
 * without the request) is not asked again until its driver counters are re-read.
 */
import { NicNetlink, STATS_GROUPS } from '../device/netlink';

export const STD_PREFIX = 'std:';

/** What StdStats needs of a NicNetlink (a test passes its own). */
export type StdSource = Pick<NicNetlink, 'standardStats' | 'close'>;
export type StdOpener = (dev: string) => StdSource | null;

export class StdStats {
  private nl: StdSource | null | undefined;
  private keys: string[] = [];
  private off = false;
  private merged = new BigUint64Array(0);
  /** Bumped when the set of std names changes. */
  generation = 0;

  constructor(private readonly dev: string, private readonly open: StdOpener = d => NicNetlink.open(d)) {}

  reset(): void { this.off = false; }

  private read(): Map<string, bigint> | null {
    if (this.off) return null;
    if (this.nl === undefined) this.nl = this.open(this.dev);
    if (!this.nl) { this.off = true; return null; }
    try {
      const groups = this.nl.standardStats(STATS_GROUPS);
      const out = new Map<string, bigint>();
      for (const g of STATS_GROUPS) for (const [k, v] of Object.entries(groups[g] ?? {})) out.set(`${STD_PREFIX}${g}:${k}`, v);
      if (out.size === 0) this.off = true;
      return out;
    } catch {
      this.off = true;
      return null;
    }
  }

  /** Driver names followed by the std names. */
  names(driver: readonly string[]): string[] { return [...driver, ...this.keys]; }

  /** The driver values followed by the std values (a reused buffer). */
  merge(_reader: { names: readonly string[] }, drv: BigUint64Array): BigUint64Array {
    const m = this.read();
    if (!m || m.size === 0) {
      if (this.keys.length) { this.keys = []; this.generation++; }
      return drv;
    }
    const keys = [...m.keys()];
    if (keys.join('\0') !== this.keys.join('\0')) { this.keys = keys; this.generation++; }
    if (this.merged.length !== drv.length + keys.length) this.merged = new BigUint64Array(drv.length + keys.length);
    this.merged.set(drv);
    keys.forEach((k, i) => { this.merged[drv.length + i] = m.get(k)!; });
    return this.merged;
  }

  close(): void { this.nl?.close(); this.nl = undefined; }
}
