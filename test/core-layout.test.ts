/**
 * Every kernel struct layout declared in src/ethtool/structs.ts must match what the C compiler
 * says about <linux/ethtool.h>: the size of each struct, the offset of each field, and the same
 * set of fields on both sides. The truth comes from native/layout.c (built by `make -C native`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_LAYOUTS } from '../src/ethtool/structs';

const ROOT = path.resolve(__dirname, '../..');
const NATIVE = path.join(ROOT, 'native');
const HEADER = '/usr/include/linux/ethtool.h';

interface Probe { sizes: Map<string, number>; fields: Map<string, Map<string, number>> }

/** Build (or compile directly) and run the layout probe; throws with a clear reason if it cannot. */
function runProbe(): string {
  if (!existsSync(HEADER)) throw new Error(`${HEADER} is missing: install linux-libc-dev to check struct layouts`);
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) throw new Error('gcc is missing: install gcc to check struct layouts');
  const make = spawnSync('make', ['-s', '-C', NATIVE], { encoding: 'utf8' });
  const built = path.join(NATIVE, 'build', 'layout');
  if (make.status === 0 && existsSync(built)) return execFileSync(built, { encoding: 'utf8' });
  // make is absent or failed (e.g. another build racing in native/build): compile the probe alone.
  const dir = mkdtempSync(path.join(tmpdir(), 'ethkit-layout-'));
  try {
    const exe = path.join(dir, 'layout');
    const cc = spawnSync('gcc', ['-O0', '-Wall', '-o', exe, path.join(NATIVE, 'layout.c')], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cannot compile native/layout.c:\n${cc.stderr}`);
    return execFileSync(exe, { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parse(out: string): Probe {
  const p: Probe = { sizes: new Map(), fields: new Map() };
  for (const line of out.split('\n')) {
    if (!line) continue;
    const w = line.split(' ');
    if (w[0] === 'S' && w.length === 3) p.sizes.set(w[1], Number(w[2]));
    else if (w[0] === 'F' && w.length === 4) {
      if (!p.fields.has(w[1])) p.fields.set(w[1], new Map());
      p.fields.get(w[1])!.set(w[2], Number(w[3]));
    } else throw new Error(`layout probe printed an unexpected line: ${JSON.stringify(line)}`);
  }
  return p;
}

const probe = parse(runProbe());

test('the probe describes every struct and nothing else', () => {
  const ts = ALL_LAYOUTS.map(l => l.cname).sort();
  assert.deepEqual([...probe.sizes.keys()].sort(), ts);
  assert.deepEqual([...probe.fields.keys()].sort(), ts);
});

for (const L of ALL_LAYOUTS) {
  test(`layout of struct ${L.cname}`, () => {
    const c = probe.fields.get(L.cname) ?? new Map<string, number>();
    const missingInC = L.fields.map(f => f.name).filter(n => !c.has(n));
    const missingInTs = [...c.keys()].filter(n => !(n in L.byName));
    assert.deepEqual(missingInC, [], `${L.cname}: fields declared in TypeScript but not probed in C`);
    assert.deepEqual(missingInTs, [], `${L.cname}: fields probed in C but not declared in TypeScript`);
    for (const f of L.fields) assert.equal(f.offset, c.get(f.name), `offsetof(struct ${L.cname}, ${f.name})`);
    assert.equal(L.size, probe.sizes.get(L.cname), `sizeof(struct ${L.cname})`);
    // A flexible array member sits at the end: its offset is the struct's size rounded to its element.
    if (L.flex) assert.ok(L.flex.offset <= L.size, `${L.cname}.${L.flex.name} starts inside or at the end of the struct`);
  });
}
