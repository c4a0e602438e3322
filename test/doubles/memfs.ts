/**
 * An in-memory host filesystem for tests and benchmarks: files by absolute path, directories
 * implied by the files under them (plus any declared empty). Writes are logged and can be
 * failed by an injector.
 */
import { HostFs, FsError } from '../../src/common/hostfs';

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
