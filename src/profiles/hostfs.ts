/**
 * The small filesystem seam through which profiles read and write sysctls (/proc/sys), sysfs
 * queue files and IRQ affinities (/proc/irq). The planner never touches it; the state reader and
 * the executor do. RealFs is the machine; MemFs is an in-memory fake with write-fault injection
 * for tests and the simulated host (./simhost.ts).
 */
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';

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
  if (typeof n === 'number') {
    const hit = Object.entries(osConstants.errno).find(([, v]) => v === Math.abs(n));
    if (hit) return hit[0];
  }
  return 'EIO';
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

/** Called before each write; return an errno name to make that write fail (nothing written). */
export type FsInjector = (path: string, value: string, seq: number) => string | undefined;

/**
 * An in-memory filesystem: files by absolute path, directories implied by the files under
 * them (plus any declared empty). Writes are logged and can be failed by `injector`.
 * `validate` lets a fake reject values the way the kernel would (return an errno name).
 */
export class MemFs implements HostFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>();
  readonly links = new Map<string, string>();
  readonly writes: { path: string; value: string }[] = [];
  injector: FsInjector | undefined;
  validate: ((path: string, value: string) => string | undefined) | undefined;
  /** Paths that exist but cannot be written (e.g. a read-only sysctl). */
  readonly readOnly = new Set<string>();
  private seq = 0;

  constructor(files: Record<string, string> = {}) {
    for (const [p, v] of Object.entries(files)) this.files.set(p, v);
  }

  read(path: string): string | null {
    return this.files.get(path) ?? null;
  }

  write(path: string, value: string): void {
    const seq = this.seq++;
    this.writes.push({ path, value });
    const injected = this.injector?.(path, value, seq);
    if (injected) throw new FsError('write', path, injected);
    if (!this.files.has(path)) throw new FsError('write', path, 'ENOENT');
    if (this.readOnly.has(path)) throw new FsError('write', path, 'EACCES');
    const bad = this.validate?.(path, value);
    if (bad) throw new FsError('write', path, bad);
    this.files.set(path, value.trim() + '\n');
  }

  list(dir: string): string[] | null {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    const out = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs, ...this.links.keys()]) {
      if (p.startsWith(prefix)) out.add(p.slice(prefix.length).split('/')[0]);
    }
    if (out.size === 0 && !this.dirs.has(dir)) return null;
    return [...out].sort();
  }

  readlink(path: string): string | null {
    return this.links.get(path) ?? null;
  }

  /** Every file's content, for comparing a whole fake host before and after. */
  dump(): Record<string, string> {
    return Object.fromEntries([...this.files.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
