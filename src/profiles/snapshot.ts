/**
 * Snapshots: the state of a device (and of the sysctls an apply touched) taken before each
 * apply, kept as a stack per device so that --rollback restores the state before the last
 * apply. The store is built so that it never holds a half-written record:
 *
 *   STATE_DIR/lock                                   flock(2) of the one writer (src/common/lock.ts)
 *   STATE_DIR/snapshots/net-INODE/DEV/000001.json    one file per stack entry, the top = highest number
 *   STATE_DIR/snapshots/net-INODE/rollback.json      journal of a --rollback under way (resumable)
 *   STATE_DIR/snapshots/net-INODE/DEV.json           the format before (one file with a stack): read,
 *                                                    and moved into entry files on first write
 *
 * push = write a new file completely (every byte, or an error: ENOSPC is never taken for
 * success), fsync it, rename it into place, fsync the directory, read it back and compare.
 * pop = unlink (needs no space, cannot be half done). Temporary files left by a writer that
 * was killed are removed when the store is opened under the lock.
 *
 * The state directory must be a directory on a real file system; it is created one level at a
 * time (never a recursive mkdir, which spins on procfs and the like).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DeviceState } from './state';
import type { Touched } from './plan';
import type { Scalar } from './model';
import type { IrqbalanceRecord } from './irqbalance';
import { readRegularFile, FileReadError, describeFsError, errnoText, MiB } from '../common/files';

/** What a snapshot belongs to: the network namespace and the device instance. */
export interface InstanceId {
  /** /proc/sys/kernel/random/boot_id when the snapshot was taken. */
  bootId: string | null;
  netns: {
    /** The namespace's inode number (reused by the kernel once the namespace is gone). */
    inode: string | null;
    /** SO_NETNS_COOKIE: unique for the boot (null before Linux 5.14). */
    cookie: string | null;
    /** The initial network namespace (the only one that exists again after a reboot). */
    init: boolean | null;
  };
  device: {
    ifindex: number | null;
    /** ETHTOOL_GPERMADDR, null when the device has none (all zeros). */
    permaddr: string | null;
    /** The current address (sysfs), shown in messages. */
    address: string | null;
    busInfo: string | null;
    driver: string;
  };
}

export interface SnapshotEntry {
  time: string;
  profile: string;
  params: Record<string, Scalar>;
  device: DeviceState;
  /** Sysctls (by /proc/sys path) as they were, for the ones this apply planned. */
  sysctl: Record<string, string | null>;
  /** Settings the apply changes (or changed): what a rollback restores. */
  touched: Touched[];
  /** Absent in entries written by ethkit before instance identities. */
  instance?: InstanceId;
  /** The apply that wrote it: its id and every device it recorded (one entry each, before any change). */
  apply?: { id: string; devices: string[] };
  /**
   * What the apply aims at for the device's queue IRQs: /proc/irq/N/smp_affinity_list → CPU list
   * (set or already so). Read by the live view (src/common/applied.ts); absent in older entries.
   */
  intent?: Record<string, string>;
  /** What the apply did to irqbalance (host-wide: in the entry of one device), undone by a rollback. */
  irqbalance?: IrqbalanceRecord;
  /**
   * What the driver refused during the apply (coalesce keys asked for one by one, flow types whose
   * hash fields SRXFH refused, groups it has no set operation for), with its driver: later plans
   * and verifies skip them as refused.
   */
  refused?: Refusals;
}

/** Settings a driver refused when set, found by an apply. */
export interface Refusals {
  driver: string; coalesce: string[]; flowHash: string[];
  /** Groups (ring, channels, coalesce, pause) the driver reports but cannot change; absent: none. */
  unsettable?: string[];
}

/** Mark on `d` what the apply recorded in `r` as refused (same driver only). */
export function applyRefusals(d: DeviceState, r: Refusals | undefined): void {
  if (!r || r.driver !== d.driver) return;
  if (r.coalesce.length) d.coalesceRefused = [...new Set([...(d.coalesceRefused ?? []), ...r.coalesce])].sort();
  if (r.flowHash.length && d.rss) d.rss.refused = [...new Set([...(d.rss.refused ?? []), ...r.flowHash])].sort();
  if (r.unsettable?.length) d.settable = { ...d.settable, ...Object.fromEntries(r.unsettable.map(g => [g, false])) };
}

/** An entry on a device's stack and the file that holds it. */
export interface StoredEntry { dev: string; seq: number; file: string; entry: SnapshotEntry }

/** The journal of a multi-device rollback, written before the first entry is popped. */
export interface RollbackJournal {
  version: 1;
  time: string;
  devices: string[];
  entries: { dev: string; seq: number }[];
}

interface EntryFile { version: 2; dev: string; seq: number; entry: SnapshotEntry }
interface LegacyFile { version: 1; dev: string; netns: string | null; stack: SnapshotEntry[] }

export const DEFAULT_STATE_DIR = '/var/lib/ethkit';
/** The largest snapshot file read back (a device with thousands of queues stays far below). */
export const MAX_SNAPSHOT_BYTES = 16 * MiB;

/** A snapshot that cannot be read, parsed or written, or a state directory that cannot be used: one line for the user. */
export class SnapshotError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** statfs f_type of file systems that are no place for files (procfs, sysfs, …). */
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2', 0x73636673: 'securityfs', 0x1cd1: 'devpts', 0xcafe4a11: 'bpf', 0x6165676c: 'pstore',
  0x62656570: 'configfs', 0xde5e81e4: 'efivarfs', 0x65735543: 'fusectl', 0x6e736673: 'nsfs',
  0x42494e4d: 'binfmt_misc', 0xf97cff8c: 'selinuxfs', 0x19800202: 'mqueue', 0x958458f6: 'hugetlbfs',
  0x67596969: 'rpc_pipefs', 0x0187: 'autofs', 0x534f434b: 'sockfs', 0x50495045: 'pipefs',
};

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? 'EIO';

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

/** mkdir of one level whose parent exists; an existing directory is fine, anything else is not. */
function mkdirOne(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o755 });
  } catch (e) {
    if (codeOf(e) !== 'EEXIST') throw e;
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
    return;
  }
  try { fsyncDir(path.dirname(dir)); } catch { /* the entry files are fsynced with their directory */ }
}

/**
 * Check (and with `create`, make) a state directory: it, or the deepest part of its path that
 * exists, must be a directory on a file system for files. Returns false when it does not exist
 * and `create` is false.
 */
export function prepareStateDir(root: string, create: boolean): boolean {
  const abs = path.resolve(root);
  const missing: string[] = [];
  let existing = abs;
  let st: fs.Stats;
  for (;;) {
    try { st = fs.statSync(existing); break; } catch (e) {
      const code = codeOf(e);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || existing === path.dirname(existing)) {
        throw new SnapshotError(`state directory ${abs}: ${existing}: ${errnoText(code)} (${code})`, code);
      }
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  if (!st.isDirectory()) throw new SnapshotError(`state directory ${abs}: ${existing} is not a directory`, 'ENOTDIR');
  let type: number;
  try { type = Number(fs.statfsSync(existing).type); } catch (e) {
    throw new SnapshotError(`state directory ${abs}: ${describeFsError(e)}`, codeOf(e));
  }
  const pseudo = PSEUDO_FS[type];
  if (pseudo) throw new SnapshotError(`state directory ${abs} is on ${pseudo}, not a file system for files: use a directory on disk`, 'EFTYPE');
  if (missing.length && !create) return false;
  for (const part of missing) {
    existing = path.join(existing, part);
    try { mkdirOne(existing); } catch (e) {
      throw new SnapshotError(`cannot create the state directory ${existing}: ${describeFsError(e)}`, codeOf(e));
    }
  }
  return true;
}

/**
 * Write `text` to `file` durably and all or nothing: a temporary file written completely (a
 * short write is continued; ENOSPC and the like are errors), fsynced, renamed over `file`, the
 * directory fsynced, and the file read back and compared. Throws the fs error (with its code).
 */
export function writeDurable(file: string, text: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const data = Buffer.from(text, 'utf8');
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o644);
  try {
    for (let off = 0; off < data.length;) {
      const n = fs.writeSync(fd, data, off, data.length - off);
      if (n <= 0) throw Object.assign(new Error(`short write (${off} of ${data.length} bytes)`), { code: 'EIO' });
      off += n;
    }
    fs.fsyncSync(fd);
  } catch (e) {
    try { fs.closeSync(fd); } catch { /* already failing */ }
    try { fs.unlinkSync(tmp); } catch { /* nothing to clean */ }
    throw e;
  }
  try { fs.closeSync(fd); fs.renameSync(tmp, file); } catch (e) {
    try { fs.unlinkSync(tmp); } catch { /* nothing to clean */ }
    throw e;
  }
  fsyncDir(dir);
  let back: Buffer;
  try { back = readRegularFile(file, Math.max(MAX_SNAPSHOT_BYTES, data.length)); } catch (e) {
    throw Object.assign(new Error(`cannot read it back: ${(e as Error).message}`), { code: e instanceof FileReadError ? e.code : 'EIO' });
  }
  if (!back.equals(data)) throw Object.assign(new Error(`read back ${back.length} bytes that differ from the ${data.length} written`), { code: 'EIO' });
}

/** Remove a file and make the removal durable. */
function unlinkDurable(file: string): void {
  fs.unlinkSync(file);
  try { fsyncDir(path.dirname(file)); } catch { /* the unlink itself is done */ }
}

const ENTRY_NAME = /^(\d{6,})\.json$/;
const seqName = (seq: number) => `${String(seq).padStart(6, '0')}.json`;

export class SnapshotStore {
  constructor(readonly dir: string, readonly netns: string | null) {}

  /** netns "net:[4026531840]" → "net-4026531840", so that namespaces never share a directory. */
  nsDir(): string {
    const tag = this.netns ? this.netns.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') : 'net-unknown';
    return path.join(this.dir, 'snapshots', tag);
  }

  devDir(dev: string): string { return path.join(this.nsDir(), dev); }
  legacyFile(dev: string): string { return path.join(this.nsDir(), `${dev}.json`); }
  journalFile(): string { return path.join(this.nsDir(), 'rollback.json'); }
  lockFile(): string { return path.join(this.dir, 'lock'); }

  /** Where the snapshots of `dev` are (for messages). */
  file(dev: string): string { return this.devDir(dev); }

  /** Create the directories an entry of `dev` goes into, one level at a time. */
  private ensureDevDir(dev: string): void {
    for (const d of [path.join(this.dir, 'snapshots'), this.nsDir(), this.devDir(dev)]) mkdirOne(d);
  }

  private readJson(file: string): unknown {
    let text: string;
    try { text = readRegularFile(file, MAX_SNAPSHOT_BYTES).toString('utf8'); } catch (e) {
      if (e instanceof FileReadError && e.code === 'ENOENT') return undefined;
      throw new SnapshotError(`cannot read snapshot ${file}: ${(e as Error).message}`, e instanceof FileReadError ? e.code : undefined);
    }
    try { return JSON.parse(text); } catch {
      throw new SnapshotError(`snapshot ${file} is not valid JSON (remove it to start afresh)`);
    }
  }

  /** The stack of the old single-file format, or null. */
  private readLegacy(dev: string): LegacyFile | null {
    const file = this.legacyFile(dev);
    const data = this.readJson(file) as LegacyFile | undefined;
    if (data === undefined) return null;
    if (data?.version !== 1 || data.dev !== dev || !Array.isArray(data.stack)) throw new SnapshotError(`snapshot ${file} is not an ethkit snapshot of ${dev}`);
    data.stack.forEach((entry, k) => {
      const problem = entryProblem(entry, dev);
      if (problem) throw new SnapshotError(`snapshot ${file} is damaged (entry ${k + 1}: ${problem}; remove it to start afresh)`);
    });
    return data;
  }

  private seqs(dev: string): number[] {
    let names: string[];
    try { names = fs.readdirSync(this.devDir(dev)); } catch (e) {
      if (codeOf(e) === 'ENOENT') return [];
      throw new SnapshotError(`cannot read ${this.devDir(dev)}: ${describeFsError(e)}`, codeOf(e));
    }
    return names.map(n => ENTRY_NAME.exec(n)).filter((m): m is RegExpExecArray => m !== null).map(m => Number(m[1])).sort((a, b) => a - b);
  }

  private readEntry(dev: string, seq: number): StoredEntry | null {
    const file = path.join(this.devDir(dev), seqName(seq));
    const data = this.readJson(file) as EntryFile | undefined;
    if (data === undefined) return null;
    if (data?.version !== 2 || data.dev !== dev || data.seq !== seq) throw new SnapshotError(`snapshot ${file} is not an ethkit snapshot of ${dev} (remove it to start afresh)`);
    const problem = entryProblem(data.entry, dev);
    if (problem) throw new SnapshotError(`snapshot ${file} is damaged (${problem}; remove it to start afresh)`);
    return { dev, seq, file, entry: data.entry };
  }

  /** The stack of `dev`, bottom first (entries of the old format as well). */
  entries(dev: string): StoredEntry[] {
    const out = this.seqs(dev).map(s => this.readEntry(dev, s)).filter((e): e is StoredEntry => e !== null);
    if (out.length === 0) {
      const legacy = this.readLegacy(dev);
      if (legacy) return legacy.stack.map((entry, i) => ({ dev, seq: i + 1, file: this.legacyFile(dev), entry }));
    }
    return out;
  }

  latest(dev: string): StoredEntry | null {
    const seqs = this.seqs(dev);
    if (seqs.length) return this.readEntry(dev, seqs[seqs.length - 1]);
    const legacy = this.readLegacy(dev);
    if (legacy && legacy.stack.length) return { dev, seq: legacy.stack.length, file: this.legacyFile(dev), entry: legacy.stack[legacy.stack.length - 1] };
    return null;
  }

  /** The entry `seq` of `dev`, or null when it is gone. */
  entry(dev: string, seq: number): StoredEntry | null {
    return this.seqs(dev).includes(seq) ? this.readEntry(dev, seq) : null;
  }

  /**
   * Move a stack of the old single-file format into entry files (same order, seq 1…n), then
   * remove the old file. Idempotent: an interrupted migration is finished by the next one.
   */
  migrate(dev: string): void {
    const legacy = this.readLegacy(dev);
    if (!legacy) return;
    try {
      this.ensureDevDir(dev);
      legacy.stack.forEach((entry, i) => {
        const file = path.join(this.devDir(dev), seqName(i + 1));
        const text = entryText(dev, i + 1, entry);
        let same = false;
        try { same = fs.readFileSync(file, 'utf8') === text; } catch { same = false; }
        if (!same) writeDurable(file, text);
      });
      unlinkDurable(this.legacyFile(dev));
    } catch (e) {
      throw new SnapshotError(`cannot move ${this.legacyFile(dev)} to the entry files of ${this.devDir(dev)}: ${describeFsError(e)}`, codeOf(e));
    }
  }

  /** Push a new entry on top of the stack of `dev`, durably. Returns where it is. */
  push(dev: string, entry: SnapshotEntry): StoredEntry {
    this.migrate(dev);
    try {
      this.ensureDevDir(dev);
      const seqs = this.seqs(dev);
      const seq = (seqs.length ? seqs[seqs.length - 1] : 0) + 1;
      const file = path.join(this.devDir(dev), seqName(seq));
      writeDurable(file, entryText(dev, seq, entry));
      return { dev, seq, file, entry };
    } catch (e) {
      if (e instanceof SnapshotError) throw e;
      throw new SnapshotError(describeFsError(e), codeOf(e));
    }
  }

  /** Replace an entry (all or nothing: the old one stays if the new cannot be written). */
  replace(dev: string, seq: number, entry: SnapshotEntry): void {
    try {
      writeDurable(path.join(this.devDir(dev), seqName(seq)), entryText(dev, seq, entry));
    } catch (e) {
      throw new SnapshotError(describeFsError(e), codeOf(e));
    }
  }

  /** Drop an entry (an unlink: needs no space). */
  pop(dev: string, seq: number): void {
    this.migrate(dev);
    const file = path.join(this.devDir(dev), seqName(seq));
    try { unlinkDurable(file); } catch (e) {
      if (codeOf(e) === 'ENOENT') return;
      throw new SnapshotError(`cannot remove snapshot ${file}: ${describeFsError(e)}`, codeOf(e));
    }
    try { fs.rmdirSync(this.devDir(dev)); } catch { /* other entries left, or already gone */ }
  }

  readJournal(): RollbackJournal | null {
    const data = this.readJson(this.journalFile()) as RollbackJournal | undefined;
    if (data === undefined) return null;
    if (data?.version !== 1 || !Array.isArray(data.devices) || !Array.isArray(data.entries) ||
      !data.entries.every(e => typeof e?.dev === 'string' && Number.isInteger(e.seq))) {
      throw new SnapshotError(`rollback journal ${this.journalFile()} is damaged (remove it to start afresh)`);
    }
    return data;
  }

  writeJournal(j: RollbackJournal): void {
    try {
      for (const d of [path.join(this.dir, 'snapshots'), this.nsDir()]) mkdirOne(d);
      writeDurable(this.journalFile(), JSON.stringify(j, null, 1) + '\n');
    } catch (e) {
      throw new SnapshotError(describeFsError(e), codeOf(e));
    }
  }

  removeJournal(): void {
    try { unlinkDurable(this.journalFile()); } catch (e) {
      if (codeOf(e) !== 'ENOENT') throw new SnapshotError(`cannot remove the rollback journal ${this.journalFile()}: ${describeFsError(e)}`, codeOf(e));
    }
  }

  /**
   * Remove the temporary files of writers that died before renaming them. Call with the lock
   * held: then no other writer is at work in this state directory. Returns what was removed.
   */
  cleanStale(): string[] {
    const removed: string[] = [];
    const clean = (dir: string, depth: number): void => {
      let names: fs.Dirent[];
      try { names = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
      for (const d of names) {
        const p = path.join(dir, d.name);
        if (d.isFile() && d.name.endsWith('.tmp')) {
          try { fs.unlinkSync(p); removed.push(p); } catch { /* read-only: leave it */ }
        } else if (d.isDirectory() && depth > 0) clean(p, depth - 1);
      }
    };
    clean(path.join(this.dir, 'snapshots'), 2);
    return removed;
  }
}

function entryText(dev: string, seq: number, entry: SnapshotEntry): string {
  const data: EntryFile = { version: 2, dev, seq, entry };
  return JSON.stringify(data, null, 1) + '\n';
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
  if (d.fec !== undefined) {
    const g = d.fec as Record<string, unknown>;
    if (!isObj(g) || !('ok' in g ? isObj(g.ok) && typeof g.ok.fec === 'number' : typeof g.err === 'string')) return 'bad fec';
  }
  const f = d.features as { ok?: Record<string, unknown> };
  if (f.ok && (!isObj(f.ok.active) || !Object.values(f.ok.active).every(x => typeof x === 'boolean'))) return 'bad features';
  if (e.instance !== undefined) {
    const i = e.instance;
    if (!isObj(i) || !isObj(i.netns) || !isObj(i.device)) return 'bad instance';
  }
  return null;
}
