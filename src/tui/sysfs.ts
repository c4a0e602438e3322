/**
 * Cheap per-tick reads of /sys/class/net/<dev>: link state, speed, ifindex and the kernel's
 * netdev counters (statistics/*). Files stay open and are re-read with pread at offset 0 (sysfs
 * regenerates an attribute on every read from the start), so a tick costs one syscall per file.
 * A device that disappears makes its reads fail (or its directory vanish); the reader then closes
 * everything and reopens when the device is back, reporting a new ifindex/inode as re-created.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SYSFS_NET = '/sys/class/net';
const IFF_LOOPBACK = 0x8;

/** Non-loopback devices under `root`, by name. */
export function listNetDevices(root = SYSFS_NET): string[] {
  let names: string[];
  try { names = fs.readdirSync(root); } catch { return []; }
  return names.filter(n => {
    try {
      const flags = parseInt(fs.readFileSync(path.join(root, n, 'flags'), 'latin1'), 16);
      return !(flags & IFF_LOOPBACK);
    } catch { return false; }
  }).sort();
}

export function deviceExists(name: string, root = SYSFS_NET): boolean {
  return fs.existsSync(path.join(root, name));
}

/** Decimal text (as sysfs prints a u64) → bigint, or -1n when it is not a number. */
export function parseU64(buf: Uint8Array, len: number): bigint {
  let n = 0, digits = 0, big: bigint | null = null;
  for (let i = 0; i < len; i++) {
    const c = buf[i];
    if (c === 10 || c === 32 || c === 0) break;
    if (c < 48 || c > 57) return -1n;
    n = n * 10 + (c - 48);
    if (++digits === 15) { big = (big ?? 0n) * 1000000000000000n + BigInt(n); n = 0; digits = 0; }
  }
  if (big === null) return digits === 0 ? -1n : BigInt(n);
  return digits === 0 ? big : big * 10n ** BigInt(digits) + BigInt(n);
}

export type SampleResult = 'ok' | 'gone' | 'recreated';

export class SysfsDevice {
  /** statistics/* file names, sorted (empty when the device has no statistics directory). */
  statNames: string[] = [];
  /** Values of statNames from the last sample (reused buffer). */
  values = new BigUint64Array(0);
  operstate = 'unknown';
  /** Mb/s, or null when the driver does not know (link down, virtual device without speed). */
  speedMbps: number | null = null;
  ifindex = 0;
  present = false;

  private dir: string;
  private ino = -1;
  private fdOper = -1;
  private fdSpeed = -1;
  private fdIndex = -1;
  private fdStats: number[] = [];
  private readonly buf = Buffer.alloc(64);

  constructor(readonly name: string, readonly root = SYSFS_NET) {
    this.dir = path.join(root, name);
  }

  private openFile(rel: string): number {
    try { return fs.openSync(path.join(this.dir, rel), 'r'); } catch { return -1; }
  }

  /** Open the device's files; false when the device does not exist. */
  private open(): boolean {
    this.close();
    const st = fs.statSync(this.dir, { throwIfNoEntry: false });
    if (!st) return false;
    this.fdIndex = this.openFile('ifindex');
    this.fdOper = this.openFile('operstate');
    if (this.fdIndex < 0 || this.fdOper < 0) { this.close(); return false; }
    this.fdSpeed = this.openFile('speed');
    let names: string[] = [];
    try { names = fs.readdirSync(path.join(this.dir, 'statistics')).sort(); } catch { /* no kernel stats */ }
    const fds: number[] = [];
    const kept: string[] = [];
    for (const n of names) {
      const fd = this.openFile(path.join('statistics', n));
      if (fd >= 0) { fds.push(fd); kept.push(n); }
    }
    this.fdStats = fds;
    if (kept.join('\0') !== this.statNames.join('\0')) {
      this.statNames = kept;
      this.values = new BigUint64Array(kept.length);
    }
    this.ino = st.ino;
    this.present = true;
    return true;
  }

  close(): void {
    for (const fd of [this.fdOper, this.fdSpeed, this.fdIndex, ...this.fdStats]) if (fd >= 0) try { fs.closeSync(fd); } catch { /* already gone */ }
    this.fdOper = this.fdSpeed = this.fdIndex = -1;
    this.fdStats = [];
    this.present = false;
  }

  /** pread the whole (short) attribute; -1 on failure. */
  private pread(fd: number): number {
    try { return fs.readSync(fd, this.buf, 0, this.buf.length, 0); } catch { return -1; }
  }

  private readAll(): boolean {
    let n = this.pread(this.fdIndex);
    if (n <= 0) return false;
    const idx = parseU64(this.buf, n);
    n = this.pread(this.fdOper);
    if (n <= 0) return false;
    let end = n;
    while (end > 0 && (this.buf[end - 1] === 10 || this.buf[end - 1] === 0)) end--;
    const oper = this.buf.toString('latin1', 0, end);
    if (oper !== this.operstate) this.operstate = oper;
    this.speedMbps = null;
    if (this.fdSpeed >= 0) {
      n = this.pread(this.fdSpeed); // EINVAL while the link is down: no speed, not gone
      if (n > 0) {
        const s = Number(this.buf.toString('latin1', 0, n).trim());
        if (Number.isFinite(s) && s > 0 && s < 0xffffffff) this.speedMbps = s;
      }
    }
    for (let i = 0; i < this.fdStats.length; i++) {
      n = this.pread(this.fdStats[i]);
      if (n < 0) return false;
      const v = parseU64(this.buf, n);
      this.values[i] = v < 0n ? 0n : v;
    }
    this.ifindex = Number(idx);
    return true;
  }

  /**
   * Read everything once. 'recreated' when the device came back (or was replaced) since the
   * previous sample — its counters start over.
   */
  sample(): SampleResult {
    const wasPresent = this.present;
    const oldIndex = this.ifindex, oldIno = this.ino;
    if (wasPresent) {
      const st = fs.statSync(this.dir, { throwIfNoEntry: false });
      if (st && st.ino === this.ino && this.readAll()) return 'ok';
    }
    if (!this.open() || !this.readAll()) { this.close(); return 'gone'; }
    return wasPresent && this.ino === oldIno && this.ifindex === oldIndex ? 'ok' : 'recreated';
  }
}
