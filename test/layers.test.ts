/**
 * The layering of src/, read from the imports themselves (import/export … from, require(),
 * import(), typeof import()): every arrow points down a floor, front ends never import each
 * other, only the ethtool layer's transport seams and the state-directory lock reach into the FFI module, only the FFI module
 * loads koffi, nothing in src/ imports test code, and no file is part of an import circle.
 *
 *   app                      the program: entry, global flags, front-end dispatch
 *   cli tui profiles …       front ends (siblings)
 *   common                   what every front end shares: IO sinks, C-style numbers, host filesystem
 *   device                   typed policy over the ops
 *   ethtool                  ops, catalogs, layouts
 *   ffi                      koffi
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');

const FLOORS: Record<string, number> = { ffi: 0, ethtool: 1, device: 2, common: 3, app: 5 };
/** Folders of src/ not named above are front ends, on floor 4. */
const FRONT_END_FLOOR = 4;
/**
 * The files that may import the FFI module: the ethtool layer's transport seam, and the state
 * directory's lock (src/common/lock.ts), which needs flock(2) — Node has none, and the lock
 * must be the kernel's so that a writer killed with -9 releases it — and has nothing to do
 * with SIOCETHTOOL, so it does not belong behind the transport.
 */
const FFI_DOORS = /^src\/(ethtool\/(.*\/)?transport|common\/lock)\.ts$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap(n => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

export interface Edge { from: string; to: string; spec: string; line: number }

/** Every module a file names, with the line it is named on. */
export function importsOf(text: string): { spec: string; line: number }[] {
  const out: { spec: string; line: number }[] = [];
  // Comments name modules too ("see ../ffi/koffi"): strip them, keeping line numbers.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, c => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
  const re = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  for (const m of code.matchAll(re)) out.push({ spec: m[2], line: code.slice(0, m.index).split('\n').length });
  return out;
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const cand of [base + '.ts', path.join(base, 'index.ts'), base]) if (existsSync(cand) && statSync(cand).isFile()) return cand;
  return base; // unresolved relative import: reported by the caller
}

function rel(p: string): string { return path.relative(ROOT, p).split(path.sep).join('/'); }

function floorOf(file: string): { floor: number; folder: string } | null {
  const r = rel(file);
  if (!r.startsWith('src/')) return null;
  const folder = r.split('/')[1].replace(/\.ts$/, '');
  return { floor: FLOORS[folder] ?? FRONT_END_FLOOR, folder };
}

const files = walk(SRC);
const edges: Edge[] = [];
const external: { from: string; spec: string; line: number }[] = [];
for (const f of files) {
  for (const { spec, line } of importsOf(readFileSync(f, 'utf8'))) {
    const to = resolve(f, spec);
    if (to === null) external.push({ from: f, spec, line });
    else edges.push({ from: f, to, spec, line });
  }
}
const where = (e: { from: string; line: number; spec: string }): string => `${rel(e.from)}:${e.line} imports '${e.spec}'`;

test('the import reader sees every form of import (and none in comments)', () => {
  const found = importsOf([
    "import a from './a';", "import type { B } from '../b';", "export { c } from './c';", "import './side';",
    "const d = require('./d') as typeof import('./d');", "await import('./e');", '// see ./f', '/* require("./g") */',
    "const s = 'http://x'; import { h } from './h';",
  ].join('\n')).map(x => x.spec);
  assert.deepEqual(found, ['./a', '../b', './c', './side', './d', './d', './e', './h']);
});

test('src/ has the floors the layering names, and the files to check', () => {
  const folders = new Set(files.map(f => floorOf(f)!.folder));
  for (const f of Object.keys(FLOORS)) assert.ok(folders.has(f), `no src/${f}/`);
  assert.ok(files.length > 40, `${files.length} files`);
  assert.ok(edges.length > 100, `${edges.length} imports`);
});

test('every relative import resolves to a file', () => {
  const bad = edges.filter(e => !existsSync(e.to) || !statSync(e.to).isFile());
  assert.deepEqual(bad.map(where), []);
});

test('no import up a floor, none sideways between front ends, nothing from test/ or bench/', () => {
  const bad: string[] = [];
  for (const e of edges) {
    const a = floorOf(e.from)!, b = floorOf(e.to);
    if (!b) { bad.push(`${where(e)}: outside src/`); continue; }
    if (b.floor > a.floor) bad.push(`${where(e)}: up from ${a.folder} (floor ${a.floor}) to ${b.folder} (floor ${b.floor})`);
    else if (a.floor === FRONT_END_FLOOR && b.floor === FRONT_END_FLOOR && a.folder !== b.folder) bad.push(`${where(e)}: sideways from front end ${a.folder} to ${b.folder}`);
  }
  assert.deepEqual(bad, []);
});

test('only the ethtool layer\'s transport seams and src/common/lock.ts import the FFI module; only the FFI module loads koffi', () => {
  const bad: string[] = [];
  for (const e of edges) {
    const a = floorOf(e.from)!, b = floorOf(e.to);
    if (b?.folder === 'ffi' && a.folder !== 'ffi' && !FFI_DOORS.test(rel(e.from))) bad.push(`${where(e)}: into the FFI module`);
  }
  for (const x of external) if (/^koffi(\/|$)/.test(x.spec) && floorOf(x.from)!.folder !== 'ffi') bad.push(`${where(x)}: koffi outside src/ffi`);
  assert.deepEqual(bad, []);
});

test('no import circle between files of src/', () => {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's strongly connected components: any component of two or more files is a circle.
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(rel(w)); } while (w !== v);
      if (comp.length > 1) circles.push(comp.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  assert.deepEqual(circles, []);
});
