/**
 * Every kernel struct layout declared in src/ethtool/structs.ts must match what the C compiler
 * says about <linux/ethtool.h>: the size of each struct, the offset of each field, and the same
 * set of fields on both sides. The truth comes from native/layout.c (built by `make -C native`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_LAYOUTS } from '../src/ethtool/structs';
import * as C from '../src/ethtool/constants';
import { LINK_MODES, BIT } from '../src/ethtool/linkmodes';
import { probeConstants } from './helpers/cprobe';

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

// ---- constants and link modes --------------------------------------------------------------

/** Every table of src/ethtool/constants.ts with the C spelling of its members. */
const CONSTANT_TABLES: [Record<string, number>, (member: string) => string][] = [
  [C.ETHTOOL, m => `ETHTOOL_${m}`], [C.ETH_SS, m => `ETH_SS_${m}`], [C.ETH_TEST_FL, m => `ETH_TEST_FL_${m}`],
  [{ ETH_FW_DUMP_DISABLE: C.ETH_FW_DUMP_DISABLE, ETHTOOL_FLASH_ALL_REGIONS: C.ETHTOOL_FLASH_ALL_REGIONS, ETHTOOL_FLASH_MAX_FILENAME: C.ETHTOOL_FLASH_MAX_FILENAME, MAX_NUM_QUEUE: C.MAX_NUM_QUEUE }, m => m],
  [C.TUNABLE_TYPE, m => `ETHTOOL_TUNABLE_${m}`], [C.PHY_TUNABLE, m => `ETHTOOL_PHY_${m}`], [C.PHY_TUNABLE_VALUE, m => m],
  [C.ETH_FLAG, m => `ETH_FLAG_${m}`], [C.ETHTOOL_F, m => `ETHTOOL_F_${m}`], [C.WAKE, m => `WAKE_${m}`],
  [C.DUPLEX, m => `DUPLEX_${m}`], [C.PORT, m => `PORT_${m}`], [C.XCVR, m => `XCVR_${m}`],
  [C.AUTONEG, m => `AUTONEG_${m}`], [C.ETH_TP_MDI, m => (m === 'MDI' ? 'ETH_TP_MDI' : `ETH_TP_MDI_${m}`)],
  [C.FEC, m => `ETHTOOL_FEC_${m}`],
  [C.FLOW, m => `${m}_FLOW`], [C.FLOW_FLAG, m => `FLOW_${m}`], [C.RXH, m => `RXH_${m}`], [C.RX_CLS_LOC, m => `RX_CLS_LOC_${m}`],
  [{ ETH_RX_NFC_IP4: C.ETH_RX_NFC_IP4, ETH_RXFH_CONTEXT_ALLOC: C.ETH_RXFH_CONTEXT_ALLOC, ETH_RXFH_INDIR_NO_CHANGE: C.ETH_RXFH_INDIR_NO_CHANGE }, m => m],
  [{ SPEED_UNKNOWN: C.SPEED_UNKNOWN, SCHAR_MAX: C.LINK_MODE_MASK_MAX_KERNEL_NU32 }, m => m],
];

/** Link-mode bits: the printed modes and the named flag bits, in the kernel's spelling. */
const LINK_BITS: [string, number][] = [
  ...LINK_MODES.map((m): [string, number] => [`ETHTOOL_LINK_MODE_${m.name.replace('/', '_')}_BIT`, m.bit]),
  ...Object.entries(BIT).map(([k, v]): [string, number] => [`ETHTOOL_LINK_MODE_${k}_BIT`, v]),
];

test('every command number, flag and enum value of the catalog is the header\'s', () => {
  const expected = new Map<string, number>();
  for (const [table, cname] of CONSTANT_TABLES) for (const [m, v] of Object.entries(table)) expected.set(cname(m), v);
  for (const [n, v] of LINK_BITS) expected.set(n, v);
  const got = probeConstants(['linux/ethtool.h'], [...expected.keys()]);
  // A header value of -1 stands for the all-ones u32 the catalog writes (SPEED_UNKNOWN).
  const wrong = [...expected].filter(([n, v]) => got.get(n) !== BigInt(v) && BigInt.asUintN(32, got.get(n) ?? 0n) !== BigInt(v)).map(([n, v]) => `${n}: ${v}, header ${got.get(n)}`);
  assert.deepEqual(wrong, []);
  assert.ok(expected.size >= 230, `${expected.size} constants checked`);
});

test('the catalog has every SIOCETHTOOL command of the header, and the link-mode table every speed mode', () => {
  const header = readFileSync(HEADER, 'utf8');
  const cmds = [...header.matchAll(/#define ETHTOOL_([A-Z_0-9]+)\s+0x[0-9a-f]{8}\b/g)].map(m => m[1]);
  assert.deepEqual(cmds.filter(c => !(c in C.ETHTOOL)), []);
  const modes = [...new Set([...header.matchAll(/^\s*ETHTOOL_LINK_MODE_([A-Za-z0-9_]+)_BIT\b/gm)].map(m => m[1]))];
  const known = new Set(LINK_BITS.map(([n]) => n.slice('ETHTOOL_LINK_MODE_'.length, -'_BIT'.length)));
  assert.deepEqual(modes.filter(m => !known.has(m)), [], 'link modes of the header that ethtool 6.1 prints but the table lacks');
});
