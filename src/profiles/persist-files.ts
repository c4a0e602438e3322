/**
 * All-or-nothing changes to a few files (the spec, the profile copy, the udev rule, the unit and
 * its boot link): each file is written to a temporary name and renamed over (writeDurable), and
 * when any step fails the steps before it are undone in reverse — the previous content put back,
 * new files and the directories made for them removed — so that a half-written install never
 * remains. `fail` injects a failure before step k (tests).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeDurable } from './snapshot';

export type FileOp =
  | { kind: 'file'; path: string; text: string }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'remove'; path: string };

type Before = { kind: 'absent' } | { kind: 'file'; text: string } | { kind: 'symlink'; target: string };

function before(p: string): Before {
  let st: fs.Stats;
  try { st = fs.lstatSync(p); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw e;
  }
  if (st.isSymbolicLink()) return { kind: 'symlink', target: fs.readlinkSync(p) };
  if (st.isFile()) return { kind: 'file', text: fs.readFileSync(p, 'utf8') };
  throw Object.assign(new Error(`${p} is not a regular file`), { code: 'EEXIST' });
}

/** Whether op would change nothing. */
export function sameAsNow(op: FileOp): boolean {
  const b = before(op.path);
  if (op.kind === 'remove') return b.kind === 'absent';
  if (op.kind === 'file') return b.kind === 'file' && b.text === op.text;
  return b.kind === 'symlink' && b.target === op.target;
}

function symlinkAtomic(target: string, p: string): void {
  const tmp = path.join(path.dirname(p), `.${path.basename(p)}.${process.pid}.tmp`);
  try { fs.unlinkSync(tmp); } catch { /* none left over */ }
  fs.symlinkSync(target, tmp);
  try { fs.renameSync(tmp, p); } catch (e) { try { fs.unlinkSync(tmp); } catch { /* nothing to clean */ } throw e; }
}

function put(p: string, b: Before): void {
  if (b.kind === 'absent') { try { fs.unlinkSync(p); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; } }
  else if (b.kind === 'file') writeDurable(p, b.text);
  else symlinkAtomic(b.target, p);
}

/** Make `dir` and its missing parents, one level at a time; returns those made, outermost first. */
export function makeDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) fs.mkdirSync(d, { mode: 0o755 });
  return missing;
}

/** The directories that writing `paths` would make (outermost first, no duplicates). */
export function dirsToMake(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const missing: string[] = [];
    for (let d = path.dirname(path.resolve(p)); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) out.add(d);
  }
  return [...out].sort((a, b) => a.length - b.length);
}

export interface TxnResult { changed: string[] }

/**
 * Run `ops` in order, all or nothing. Returns the paths changed. On a failure, everything done
 * is undone and the first error is thrown (with `undoError` set if undoing failed too).
 */
export function applyFiles(ops: readonly FileOp[], fail?: (step: number, op: FileOp) => void): TxnResult {
  const done: { op: FileOp; before: Before; made: string[] }[] = [];
  const changed: string[] = [];
  try {
    ops.forEach((op, k) => {
      fail?.(k, op);
      if (sameAsNow(op)) return;
      const b = before(op.path);
      const entry = { op, before: b, made: [] as string[] };
      done.push(entry);
      if (op.kind === 'remove') { fs.unlinkSync(op.path); }
      else {
        entry.made = makeDirs(path.dirname(op.path));
        if (op.kind === 'file') writeDurable(op.path, op.text);
        else symlinkAtomic(op.target, op.path);
      }
      changed.push(op.path);
    });
  } catch (e) {
    const undoErrors: string[] = [];
    for (const d of done.reverse()) {
      try { put(d.op.path, d.before); } catch (u) { undoErrors.push(`${d.op.path}: ${(u as Error).message}`); }
      for (const dir of [...d.made].reverse()) { try { fs.rmdirSync(dir); } catch (u) { undoErrors.push(`${dir}: ${(u as Error).message}`); } }
    }
    if (undoErrors.length) Object.assign(e as object, { undoError: undoErrors.join('; ') });
    throw e;
  }
  return { changed };
}

/** Remove the directories in `dirs` (deepest first) that are empty; returns those removed. */
export function removeEmptyDirs(dirs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try { fs.rmdirSync(d); removed.push(d); } catch { /* not empty, or gone already */ }
  }
  return removed;
}
