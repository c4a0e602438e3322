/**
 * Snapshots: the state of a device (and of the sysctls an apply touched) taken before each
 * apply, kept as a stack per device so that --rollback restores the state before the last
 * apply. One JSON file per device and network namespace, written atomically (temporary file,
 * fsync, rename, fsync of the directory), so a crash leaves the old file or the new one.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DeviceState } from './state';
import type { Touched } from './plan';
import type { Scalar } from './model';

export interface SnapshotEntry {
  time: string;
  profile: string;
  params: Record<string, Scalar>;
  device: DeviceState;
  /** Sysctls (by /proc/sys path) as they were, for the ones this apply planned. */
  sysctl: Record<string, string | null>;
  /** Settings the apply changed: what a rollback restores. */
  touched: Touched[];
}

export interface SnapshotFile {
  version: 1;
  dev: string;
  netns: string | null;
  stack: SnapshotEntry[];
}

export const DEFAULT_STATE_DIR = '/var/lib/ethkit';

/** A snapshot file that cannot be read, parsed or written: one line for the user. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export class SnapshotStore {
  constructor(readonly dir: string, readonly netns: string | null) {}

  /** netns "net:[4026531840]" → "net-4026531840", so that namespaces never share a file. */
  private nsDir(): string {
    const tag = this.netns ? this.netns.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') : 'net-unknown';
    return path.join(this.dir, 'snapshots', tag);
  }

  file(dev: string): string {
    return path.join(this.nsDir(), `${dev}.json`);
  }

  read(dev: string): SnapshotFile | null {
    let text: string;
    try { text = fs.readFileSync(this.file(dev), 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new SnapshotError(`cannot read snapshot ${this.file(dev)}: ${(e as Error).message}`);
    }
    let data: SnapshotFile;
    try { data = JSON.parse(text) as SnapshotFile; } catch {
      throw new SnapshotError(`snapshot ${this.file(dev)} is not valid JSON (remove it to start afresh)`);
    }
    if (data?.version !== 1 || data.dev !== dev || !Array.isArray(data.stack)) throw new SnapshotError(`snapshot ${this.file(dev)} is not an ethkit snapshot of ${dev}`);
    data.stack.forEach((entry, k) => {
      const problem = entryProblem(entry, dev);
      if (problem) throw new SnapshotError(`snapshot ${this.file(dev)} is damaged (entry ${k + 1}: ${problem}; remove it to start afresh)`);
    });
    return data;
  }

  latest(dev: string): SnapshotEntry | null {
    const f = this.read(dev);
    return f && f.stack.length ? f.stack[f.stack.length - 1] : null;
  }

  push(dev: string, entry: SnapshotEntry): void {
    const f = this.read(dev) ?? { version: 1 as const, dev, netns: this.netns, stack: [] };
    f.stack.push(entry);
    this.write(dev, f);
  }

  /** Replace the top entry (e.g. to record what an apply finally touched). */
  replaceTop(dev: string, entry: SnapshotEntry): void {
    const f = this.read(dev);
    if (!f || f.stack.length === 0) { this.push(dev, entry); return; }
    f.stack[f.stack.length - 1] = entry;
    this.write(dev, f);
  }

  pop(dev: string): void {
    const f = this.read(dev);
    if (!f) return;
    f.stack.pop();
    if (f.stack.length === 0) {
      try { fs.unlinkSync(this.file(dev)); } catch { /* already gone */ }
      return;
    }
    this.write(dev, f);
  }

  private write(dev: string, data: SnapshotFile): void {
    const dir = this.nsDir();
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      writeAtomic(this.file(dev), JSON.stringify(data, null, 1) + '\n');
    } catch (e) {
      throw new SnapshotError(`cannot write snapshot ${this.file(dev)}: ${(e as Error).message}`);
    }
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTextMap = (v: unknown): boolean => isObj(v) && Object.values(v).every(x => x === null || typeof x === 'string');

/**
 * What a rollback relies on in a stack entry (a hand-edited or foreign file must not crash it):
 * null when usable, else what is wrong.
 */
function entryProblem(e: unknown, dev: string): string | null {
  if (!isObj(e)) return 'not an object';
  if (typeof e.time !== 'string' || typeof e.profile !== 'string') return 'no time or profile';
  if (!isTextMap(e.sysctl)) return 'bad sysctl';
  if (!Array.isArray(e.touched) || !e.touched.every(t => isObj(t) && typeof t.id === 'string' && typeof t.setting === 'string' &&
    (t.dev === null || typeof t.dev === 'string'))) return 'bad touched';
  const d = e.device;
  if (!isObj(d) || d.dev !== dev || !isTextMap(d.files)) return 'bad device';
  for (const g of ['features', 'ring', 'channels', 'coalesce', 'pause']) {
    const got = d[g];
    if (!isObj(got) || !('ok' in got ? isObj(got.ok) : typeof got.err === 'string')) return `bad ${g}`;
  }
  const f = d.features as { ok?: Record<string, unknown> };
  if (f.ok && (!isObj(f.ok.active) || !Object.values(f.ok.active).every(x => typeof x === 'boolean'))) return 'bad features';
  return null;
}

/** Write a file so that readers see the old content or the new, never a part. */
export function writeAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    try { fs.unlinkSync(tmp); } catch { /* nothing to clean */ }
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  const dfd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
}
