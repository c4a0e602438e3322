/**
 * The small filesystem seam through which the front ends read and write sysctls (/proc/sys),
 * sysfs queue files and IRQ affinities (/proc/irq). RealFs is the machine; NoHostFs is a host
 * with none of them (for a simulated device, which must never meet the machine's /proc and
 * /sys); tests bring an in-memory one.
 */
import fs from 'node:fs';
import { errnoName } from '../ethtool/errno';

export interface HostFs {
  /** The file's text, or null when it does not exist. Other failures throw FsError. */
  read(path: string): string | null;
  /** Write `value` in one write(2). Throws FsError. */
  write(path: string, value: string): void;
  /** Entry names of a directory, or null when it does not exist. */
  list(dir: string): string[] | null;
  /** Target of a symbolic link (e.g. /proc/self/ns/net), or null. */
  readlink(path: string): string | null;
}

/** A failed read or write; `code` is the errno name (EINVAL …). One-line message. */
export class FsError extends Error {
  constructor(readonly op: 'read' | 'write', readonly path: string, readonly code: string, detail?: string) {
    super(`${op} ${path}: ${detail ?? describeCode(code)}`);
    this.name = 'FsError';
  }
}

const TEXT: Record<string, string> = {
  EINVAL: 'invalid argument (value rejected by the kernel)', EACCES: 'permission denied', EPERM: 'operation not permitted',
  ENOENT: 'no such file', EIO: 'input/output error', EROFS: 'read-only file system', EBUSY: 'device or resource busy',
  EOPNOTSUPP: 'operation not supported', ENODEV: 'no such device', ERANGE: 'value out of range',
};

export function describeCode(code: string): string {
  return `${TEXT[code] ?? 'error'} (${code})`;
}

function codeOf(e: unknown): string {
  const c = (e as NodeJS.ErrnoException).code;
  if (c) return c;
  const n = (e as NodeJS.ErrnoException).errno;
  return typeof n === 'number' && errnoName(Math.abs(n)) !== `E${Math.abs(n)}` ? errnoName(Math.abs(n)) : 'EIO';
}

export class RealFs implements HostFs {
  read(path: string): string | null {
    try {
      return fs.readFileSync(path, 'latin1');
    } catch (e) {
      const code = codeOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new FsError('read', path, code);
    }
  }

  write(path: string, value: string): void {
    let fd: number;
    try {
      fd = fs.openSync(path, 'w');
    } catch (e) {
      throw new FsError('write', path, codeOf(e));
    }
    try {
      const buf = Buffer.from(value.endsWith('\n') ? value : value + '\n', 'latin1');
      fs.writeSync(fd, buf, 0, buf.length);
    } catch (e) {
      throw new FsError('write', path, codeOf(e));
    } finally {
      fs.closeSync(fd);
    }
  }

  list(dir: string): string[] | null {
    try {
      return fs.readdirSync(dir);
    } catch (e) {
      const code = codeOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new FsError('read', dir, code);
    }
  }

  readlink(path: string): string | null {
    try { return fs.readlinkSync(path); } catch { return null; }
  }
}

/** A host without /proc and /sys: nothing to read, nothing to write. */
export class NoHostFs implements HostFs {
  read(): string | null { return null; }
  write(path: string): void { throw new FsError('write', path, 'ENOENT', 'no host filesystem (simulated device)'); }
  list(): string[] | null { return null; }
  readlink(): string | null { return null; }
}
