/**
 * Shared by the guest side of the real-driver rig (test/rig/guest-*.ts, run inside the rig VM
 * by test/rig.test.ts through rig/run): the in-VM guard, running ethtool and ethkit on one of
 * ethtool's paths (RIG_COLUMN: 'ioctl', the default, under the shim that fails netlink sockets,
 * or 'netlink'), comparisons that tolerate live values (counters, registers, link state), waiting for
 * links, and the per-check records the driver matrix is built from.
 *
 * Nothing here may run on the host: every entry point calls requireRig() first, which refuses
 * unless the process is inside the rig VM (ETHKIT_RIG=1, the rig's kernel command line, its
 * control share, and every interface bound to the driver RIG_NICS names).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BASE_ENV, SHIM, Capture, compare, normalizeCounters, show } from '../diff/harness';
import { strerror } from '../../src/ethtool/errno';
import { DRIVER_ORDER_HOST } from './matrix';

export const ROOT = path.resolve(__dirname, '../../..');
/** The build this file belongs to (dist/ or dist-NAME/). */
export const DIST = path.resolve(__dirname, '../..');

/** The order of the matrix columns. */
export const DRIVER_ORDER: readonly string[] = DRIVER_ORDER_HOST;

export interface RigNic { readonly ifname: string; readonly driver: string }

// ---- the guard ------------------------------------------------------------------------------

function rigProblem(): string | null {
  if (process.env.ETHKIT_RIG !== '1') return 'ETHKIT_RIG is not 1';
  let cmdline = '';
  try { cmdline = readFileSync('/proc/cmdline', 'utf8'); } catch { return 'cannot read /proc/cmdline'; }
  if (!/(^|\s)rdinit=\/init(\s|$)/.test(cmdline) || !/(^|\s)panic=-1(\s|$)/.test(cmdline)) {
    return 'the kernel command line is not the rig VM\'s';
  }
  if (!existsSync('/run/rig/nics.json')) return '/run/rig/nics.json (the rig\'s control share) is missing';
  let nics: Record<string, string>;
  try { nics = JSON.parse(process.env.RIG_NICS ?? ''); } catch { return 'RIG_NICS is not JSON'; }
  if (Object.keys(nics).length === 0) return 'RIG_NICS lists no interfaces';
  for (const [ifname, driver] of Object.entries(nics)) {
    let bound = '';
    try { bound = path.basename(readlinkSync(`/sys/class/net/${ifname}/device/driver`)); } catch { /* below */ }
    if (bound !== driver) return `${ifname} is bound to "${bound || 'nothing'}", RIG_NICS says ${driver}`;
  }
  return null;
}

let checked: RigNic[] | null = null;

/**
 * The rig's NICs, first interface of each driver, in matrix order. Throws (never skips) when
 * this is not the rig VM: these tests change NIC settings and must never run on a host.
 */
export function requireRig(): RigNic[] {
  if (checked) return checked;
  const problem = rigProblem();
  if (problem) {
    throw new Error(`not inside the rig VM (${problem}): these files change NIC settings and run only ` +
      'under rig/run; the host-side test/rig.test.ts boots the VM and runs them');
  }
  const nics = JSON.parse(process.env.RIG_NICS as string) as Record<string, string>;
  const first = new Map<string, string>();
  for (const [ifname, driver] of Object.entries(nics)) if (!first.has(driver)) first.set(driver, ifname);
  const known = DRIVER_ORDER.filter(d => first.has(d));
  const other = [...first.keys()].filter(d => !DRIVER_ORDER.includes(d)).sort();
  checked = [...known, ...other].map(driver => ({ driver, ifname: first.get(driver) as string }));
  // Optional subset (RIG_DRIVERS=e1000,netdevsim) for working on one driver.
  const only = process.env.RIG_DRIVERS?.split(',').filter(Boolean);
  if (only?.length) checked = checked.filter(n => only.includes(n.driver));
  return checked;
}

/**
 * For the guest test files: the rig's NICs inside the VM; outside it (ETHKIT_RIG unset, e.g.
 * a runner that picked the file up on a host) no NICs, so the file defines no tests and
 * touches nothing. ETHKIT_RIG=1 anywhere but in the rig still throws.
 */
export function rigNics(file: string): RigNic[] {
  if (process.env.ETHKIT_RIG === undefined) {
    process.stderr.write(`${file}: runs only inside the rig VM (test/rig.test.ts starts it); nothing to do here\n`);
    return [];
  }
  return requireRig();
}

// ---- running the tools ----------------------------------------------------------------------

/** ethkit as users run it: bin/ethkit for dist/, the same entry point for another build dir. */
export function ethkitCommand(): string[] {
  if (process.env.ETHKIT_BIN) return [process.env.ETHKIT_BIN];
  if (DIST === path.join(ROOT, 'dist')) return [path.join(ROOT, 'bin/ethkit')];
  return [process.execPath, path.join(DIST, 'src/app/main.js')];
}

export const TIMES = { ethtool: { n: 0, ms: 0 }, ethkit: { n: 0, ms: 0 } };

/** Which of ethtool's paths this process compares: both tools take it. */
export type Column = 'ioctl' | 'netlink';
export const COLUMN: Column = process.env.RIG_COLUMN === 'netlink' ? 'netlink' : 'ioctl';
/** The matrix source of this process's CLI checks. */
export const CLI_SOURCE = COLUMN === 'ioctl' ? 'cli' : 'cli-nl';

function toolEnv(): Record<string, string> {
  return COLUMN === 'ioctl' ? { ...BASE_ENV, LD_PRELOAD: SHIM } : { ...BASE_ENV };
}

function spawnTool(tool: 'ethtool' | 'ethkit', argv: readonly string[], stdin?: Uint8Array): Capture {
  const cmd = tool === 'ethtool' ? ['ethtool', ...argv] : [...ethkitCommand(), ...argv];
  const t0 = Date.now();
  const r = spawnSync(cmd[0], cmd.slice(1), {
    env: toolEnv(), stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], input: stdin, timeout: 180_000, maxBuffer: 64 << 20,
  });
  TIMES[tool].n++;
  TIMES[tool].ms += Date.now() - t0;
  if (r.error) throw new Error(`${tool} ${show(argv)}: cannot run: ${r.error.message}`);
  if (r.status === null) throw new Error(`${tool} ${show(argv)}: killed by ${r.signal}`);
  return { tool, argv, ns: null, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/**
 * ethkit's run() in one long-lived process (test/rig/ethkit-server.ts) with the column's
 * environment, spoken to through two FIFOs with blocking reads: node's start-up costs seconds a
 * command under TCG. bin/ethkit as a process is run for the version check and by the host suites.
 */
class EthkitServer {
  private req = -1;
  private reply = -1;
  private pending = Buffer.alloc(0);

  private start(): void {
    const dir = mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'ethkit-srv-'));
    const reqPath = path.join(dir, 'req'), replyPath = path.join(dir, 'reply');
    for (const f of [reqPath, replyPath]) {
      const r = spawnSync('mkfifo', [f]);
      if (r.status !== 0) throw new Error(`mkfifo ${f} failed: ${r.stderr}`);
    }
    const child = spawn(process.execPath, [path.join(DIST, 'test/rig/ethkit-server.js'), reqPath, replyPath], {
      env: toolEnv(), stdio: ['ignore', 'inherit', 'inherit'], detached: false,
    });
    child.unref();
    // Opening a FIFO blocks until the other end opens it: the server opens both at start.
    this.req = openSync(reqPath, 'w');
    this.reply = openSync(replyPath, 'r');
  }

  run(argv: readonly string[], stdin?: Uint8Array): Capture {
    if (this.req < 0) this.start();
    writeSync(this.req, JSON.stringify({ argv, stdin: stdin ? Buffer.from(stdin).toString('base64') : undefined }) + '\n');
    const chunk = Buffer.alloc(65536);
    let nl: number;
    while ((nl = this.pending.indexOf(10)) < 0) {
      const n = readSync(this.reply, chunk, 0, chunk.length, null);
      if (n <= 0) throw new Error(`ethkit server ended while running ${show(argv)}`);
      this.pending = Buffer.concat([this.pending, chunk.subarray(0, n)]);
    }
    const line = this.pending.subarray(0, nl).toString();
    this.pending = this.pending.subarray(nl + 1);
    const r = JSON.parse(line) as { out: string; err: string; code: number };
    return { tool: 'ethkit', argv, ns: null, stdout: Buffer.from(r.out, 'base64'), stderr: Buffer.from(r.err, 'base64'), status: r.code };
  }
}

const server = new EthkitServer();

/** ethtool; `stdin`: bytes on its standard input (else none). */
export function ethtool(argv: readonly string[], stdin?: Uint8Array): Capture { return spawnTool('ethtool', argv, stdin); }
export function ethkit(argv: readonly string[], stdin?: Uint8Array): Capture {
  if (process.env.RIG_ETHKIT === 'process') return spawnTool('ethkit', argv, stdin);
  const t0 = Date.now();
  const c = server.run(argv, stdin);
  TIMES.ethkit.n++;
  TIMES.ethkit.ms += Date.now() - t0;
  return c;
}
/** bin/ethkit as a process (start-up included). */
export function ethkitProcess(argv: readonly string[]): Capture { return spawnTool('ethkit', argv); }

/** ethtool that must succeed; its stdout as text. */
export function ethtoolOk(argv: readonly string[]): string {
  const c = ethtool(argv);
  if (c.status !== 0) throw new Error(`ethtool ${show(argv)} exited ${c.status}: ${c.stderr.toString().trim()}`);
  return c.stdout.toString('latin1');
}

export function sameCapture(a: Capture, b: Capture): boolean {
  return a.status === b.status && a.stdout.equals(b.stdout) && a.stderr.equals(b.stderr);
}

let ethtoolChecked = false;
/** ethtool 6.1 present and the shim really forcing its ioctl path (as test/diff's preflight). */
export function requireEthtool(): void {
  if (ethtoolChecked) return;
  const v = ethtool(['--version']);
  if (v.stdout.toString() !== 'ethtool version 6.1\n') throw new Error(`ethtool --version printed ${JSON.stringify(v.stdout.toString())}; the rig compares with ethtool 6.1`);
  if (!existsSync(SHIM)) throw new Error(`${SHIM} is missing: run make -C native on the host first`);
  // The path this process compares is the one ethtool takes: the shim forces the ioctl, without it netlink.
  const p = ethtool(['-a', 'ekrignosuch0']);
  const want = COLUMN === 'ioctl' ? ['Cannot get device pause settings: No such device\n', 76] : ['netlink error: no device matches name (offset 24)\nnetlink error: No such device\n', 1];
  if (p.stderr.toString() !== want[0] || p.status !== want[1]) {
    throw new Error(`ethtool is not on its ${COLUMN} path (got ${JSON.stringify(p.stderr.toString())}, exit ${p.status})`);
  }
  const k = ethkitProcess(['--version']);
  if (k.status !== 0) throw new Error(`${ethkitCommand().join(' ')} --version exited ${k.status}: ${k.stderr.toString().trim()}`);
  ethtoolChecked = true;
}

// ---- errno from ethtool's messages ----------------------------------------------------------

/** The errno whose glibc text ends one of `text`'s lines after ": " (ethtool's perror lines). */
export function errnoIn(text: string): number | null {
  for (const line of text.split('\n')) {
    const i = line.lastIndexOf(': ');
    if (i < 0) continue;
    const msg = line.slice(i + 2);
    for (let e = 1; e < 134; e++) if (strerror(e) === msg) return e;
  }
  return null;
}

export const EOPNOTSUPP = 95;

// ---- time -----------------------------------------------------------------------------------

const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleep(ms: number): void { Atomics.wait(sleeper, 0, 0, ms); }

export function carrier(ifname: string): number {
  try { return Number(readFileSync(`/sys/class/net/${ifname}/carrier`, 'utf8').trim()); } catch { return -1; }
}

function carrierChanges(ifname: string): number {
  try { return Number(readFileSync(`/sys/class/net/${ifname}/carrier_changes`, 'utf8').trim()); } catch { return -1; }
}

/**
 * How long a link must have been up before its settings page is read as a reference: e1000
 * refreshes its PHY snapshot (MDI-X) 2 s after the link comes up (phy_info_task); until then it
 * shows a stale one ("MDI-X: on" after a reset), e1000e likewise (phy_info_timer).
 */
export const LINK_QUIET_MS = 3000;

/** Per interface: the carrier_changes count last seen with carrier up, and since when (our first look). */
const linkSeen = new Map<string, { changes: number; upSince: number }>();

/** Time spent waiting in settle() (carrier and quiet periods), for the per-driver timing lines. */
export const SETTLE = { n: 0, ms: 0 };

/**
 * After anything that may reset a NIC: if it had carrier before, wait (at most `maxMs`) for
 * carrier to come back (e1000/e1000e take ~0.5-2 s after a reset, more on a loaded host; the
 * drivers drop carrier synchronously in the ioctl, so a brief look is enough when nothing was
 * reset). A reset that was over before the first look still shows in carrier_changes.
 *
 * `quietMs`: the link must also have been up that long (measured from the first time this
 * function saw it up after its last change, so never less than really) — for reads of what a
 * driver only refreshes some time after the link came up (LINK_QUIET_MS).
 */
export function settle(ifname: string, hadCarrier: boolean, opts: { quietMs?: number; maxMs?: number } = {}): void {
  if (!hadCarrier) return;
  const t0 = Date.now();
  const maxMs = opts.maxMs ?? 15_000;
  const end = t0 + maxMs;
  sleep(50);
  // A link may bounce again while we wait: look again, a bounded number of times.
  for (let pass = 0; pass < 4; pass++) {
    let waited = false;
    while (carrier(ifname) !== 1 && Date.now() < end) { sleep(100); waited = true; }
    if (carrier(ifname) !== 1) break;
    const changes = carrierChanges(ifname);
    const seen = linkSeen.get(ifname);
    // The first look at an interface with carrier: up for long, unless we had to wait for it.
    if (!seen) linkSeen.set(ifname, { changes, upSince: waited ? Date.now() : 0 });
    else if (seen.changes !== changes) linkSeen.set(ifname, { changes, upSince: Date.now() });
    if (waited) sleep(200);
    const left = (linkSeen.get(ifname) as { upSince: number }).upSince + (opts.quietMs ?? 0) - Date.now();
    if (left > 0) sleep(Math.min(left, Math.max(0, end - Date.now())));
    if (carrier(ifname) === 1 && carrierChanges(ifname) === changes) break;
  }
  const ms = Date.now() - t0;
  if (ms > 100) { SETTLE.n++; SETTLE.ms += ms; }
}

// ---- comparisons ----------------------------------------------------------------------------

export interface Outcome {
  readonly same: boolean;
  /** One line: the first difference. */
  readonly first: string;
  /** Multi-line detail. */
  readonly text: string;
  readonly ref: Capture;
  readonly got: Capture;
  readonly note?: string;
}

function outcome(ref: Capture, got: Capture, note?: string): Outcome {
  const c = compare(ref, got);
  return { same: c.same, first: c.first, text: c.text, ref, got, note };
}

/**
 * Compare `got` with two reference runs `a` and `b` taken before and after it, where the
 * reference itself moved between them: exit status and stderr must equal, and stdout must
 * equal in every token (bytes for raw output) where `a` and `b` agree. Returns null when the
 * two references do not even have the same shape.
 */
export function maskedSame(a: Capture, b: Capture, got: Capture, raw: boolean): { same: boolean; masked: number } | null {
  if (got.status !== a.status || !got.stderr.equals(a.stderr)) return { same: false, masked: 0 };
  // Register dumps: a live register is a 32-bit word, and a counter can leave some of its bytes
  // equal in ethtool's two runs by chance, so a word that moved at all is masked whole.
  const ha = raw ? a.stdout : hexDumpBytes(a.stdout);
  const hb = raw ? b.stdout : hexDumpBytes(b.stdout);
  const hg = raw ? got.stdout : hexDumpBytes(got.stdout);
  // Offsets and layout must still be the same to the byte: only the values are compared by word.
  const skeleton = (c: Capture): string => c.stdout.toString('latin1').replace(/\t\t((?:[0-9a-f]{2} )+)$/gm, (_m, v: string) => '\t\t' + v.replace(/[0-9a-f]{2}/g, 'xx'));
  if (ha && hb && hg) {
    if (!raw && skeleton(got) !== skeleton(a)) return { same: false, masked: 0 };
    if (ha.length !== hb.length) return null;
    if (hg.length !== ha.length) return { same: false, masked: 0 };
    let masked = 0;
    for (let w = 0; w < ha.length; w += 4) {
      const end = Math.min(w + 4, ha.length);
      if (!ha.subarray(w, end).equals(hb.subarray(w, end))) { masked += end - w; continue; }
      if (!hg.subarray(w, end).equals(ha.subarray(w, end))) return { same: false, masked };
    }
    return { same: true, masked };
  }
  if (raw) return { same: false, masked: 0 };
  const tok = (c: Capture): string[] => c.stdout.toString('latin1').split(/(\s+)/);
  const ta = tok(a), tb = tok(b), tg = tok(got);
  if (ta.length !== tb.length) return null;
  if (tg.length !== ta.length) return { same: false, masked: 0 };
  let masked = 0;
  for (let i = 0; i < ta.length; i++) {
    if (ta[i] !== tb[i]) {
      masked++;
      // A live value: same kind of token (both numbers / both hex / same length class).
      if (/^\s+$/.test(ta[i]) !== /^\s+$/.test(tg[i])) return { same: false, masked };
      continue;
    }
    if (tg[i] !== ta[i]) return { same: false, masked };
  }
  return { same: true, masked };
}

/** The bytes of ethtool's generic hex dump ("Offset\t\tValues" …), or null for other text. */
function hexDumpBytes(out: Buffer): Buffer | null {
  const lines = out.toString('latin1').split('\n');
  if (lines[0] !== 'Offset\t\tValues' || lines[1] !== '------\t\t------') return null;
  const bytes: number[] = [];
  for (const line of lines.slice(2)) {
    if (line === '') continue;
    const m = /^0x[0-9a-f]+:\t\t((?:[0-9a-f]{2} )+)$/.exec(line);
    if (!m) return null;
    for (const h of m[1].trim().split(' ')) bytes.push(parseInt(h, 16));
  }
  return Buffer.from(bytes);
}

export type ReadMode = 'exact' | 'counters';

/** The dump bytes of a register/EEPROM dump (raw output, or ethtool's generic hex dump), else null. */
function dumpBytes(c: Capture, raw: boolean): Buffer | null {
  return raw ? c.stdout : hexDumpBytes(c.stdout);
}

/** What differed in one round, for the mismatch detail: the words of a dump, or the first difference. */
function roundSummary(round: number, a: Capture, k: Capture, b: Capture, raw: boolean, gotName: string): string {
  const agreed = sameCapture(a, b);
  const head = `round ${round + 1}: ${agreed ? `ethtool's two runs agreed, ${gotName} differs` : `ethtool's two runs differ, ${gotName} equals neither`}`;
  const da = dumpBytes(a, raw), dk = dumpBytes(k, raw), db = dumpBytes(b, raw);
  if (da && dk && db && da.length === dk.length && da.length === db.length) {
    const words: string[] = [];
    for (let w = 0; w < da.length; w += 4) {
      const end = Math.min(w + 4, da.length);
      const [x, y, z] = [da, dk, db].map(d => d.subarray(w, end));
      if (x.equals(y) && y.equals(z)) continue;
      words.push(`0x${w.toString(16).padStart(4, '0')}: ${x.toString('hex')} / ${y.toString('hex')} / ${z.toString('hex')}`);
    }
    return `${head}; bytes (ethtool / ${gotName} / ethtool): ${words.slice(0, 8).join(', ')}${words.length > 8 ? `, … (${words.length} words)` : ''}`;
  }
  return `${head}: ${compare(a, k, 'ethtool', gotName).first}`;
}

/**
 * The reference read `ref` (ethtool), the read under test `got`, `ref` again, in up to three
 * rounds: `got` must equal one of the two reference runs around it byte for byte (exit
 * status, stdout, stderr); for counters (-S), each counter must lie between them. Live values
 * (a register, a counter, the link coming up or being reset) can make `got` differ from both,
 * and even from two reference runs that agree (a reset between them brings a descriptor head
 * back to where it was): then the round is repeated. When in some round the reference itself
 * moved between its two runs, `got` may also match it in every value (32-bit word of a dump)
 * that held still across them — taken only when no round gives an exact match, and noted.
 * The mismatch detail says what each round saw.
 */
export function bracketRead(ref: () => Capture, got: () => Capture, opts: { mode?: ReadMode; raw: boolean; gotName?: string }): Outcome {
  const gotName = opts.gotName ?? 'ethkit';
  const rounds: string[] = [];
  let last: Outcome | null = null;
  let maskedOk: Outcome | null = null;
  for (let round = 0; round < 3; round++) {
    if (round) sleep(400);
    const a = ref();
    const k = got();
    const b = ref();
    if (opts.mode === 'counters') {
      const o = outcome(a, normalizeCounters(a, k, b));
      if (o.same) return o;
      last = o;
      rounds.push(`round ${round + 1}: ${o.first}`);
      continue;
    }
    if (sameCapture(a, k) || sameCapture(b, k)) return outcome(a, k);
    last = outcome(a, k);
    rounds.push(roundSummary(round, a, k, b, opts.raw, gotName));
    if (!sameCapture(a, b) && !maskedOk) {
      const m = maskedSame(a, b, k, opts.raw);
      if (m?.same) maskedOk = { ...outcome(a, a), got: k, note: `${m.masked} live ${opts.raw ? 'bytes' : 'values'} masked` };
    }
  }
  if (maskedOk) return maskedOk;
  const o = last as Outcome;
  return { ...o, text: `${o.text}\n${rounds.join('\n')}` };
}

/** A read-only command: ethtool, ethkit, ethtool again, as bracketRead() describes. */
export function diffRead(argv: readonly string[], mode: ReadMode = 'exact'): Outcome {
  const raw = argv.includes('raw') && argv[argv.indexOf('raw') + 1] === 'on';
  return bracketRead(() => ethtool(argv), () => ethkit(argv), { mode, raw });
}

/** Read a state with ethtool until two readings a moment apart agree (at most ~6 s). */
export function stableRead(argv: readonly string[]): Capture {
  let prev = ethtool(argv);
  for (let i = 0; i < 8; i++) {
    sleep(i === 0 ? 300 : 700);
    const cur = ethtool(argv);
    if (sameCapture(prev, cur)) return cur;
    prev = cur;
  }
  return prev;
}

/**
 * Read a state with ethtool until it equals `expected` (links take seconds to settle after a
 * change): at most `ms`, then the last reading.
 */
export function converge(argv: readonly string[], expected: Capture, ms = 6000): Capture {
  const end = Date.now() + ms;
  // At least three readings, however slow the tool is on a loaded host.
  for (let n = 1; ; n++) {
    const c = ethtool(argv);
    if (sameCapture(c, expected) || (Date.now() >= end && n >= 3)) return c;
    sleep(500);
  }
}

/** Like converge(), for ethkit's reading of the state against ethtool's. */
export function convergeEthkit(argv: readonly string[], expected: Capture, ms = 4000): Capture {
  const end = Date.now() + ms;
  for (let n = 1; ; n++) {
    const c = ethkit(argv);
    if (sameCapture(c, expected) || (Date.now() >= end && n >= 3)) return c;
    sleep(500);
  }
}

export function compareStates(ref: Capture, got: Capture, refName: string, gotName: string): Outcome {
  const c = compare(ref, got, refName, gotName);
  return { same: c.same, first: c.first, text: c.text, ref, got };
}

// ---- records --------------------------------------------------------------------------------

export type Status = 'ok' | 'unsupported' | 'mismatch';

export interface Check {
  readonly driver: string;
  readonly ifname: string;
  readonly op: string;
  readonly source: 'api' | 'cli' | 'cli-nl';
  readonly status: Status;
  /** What was run (a command line, or the API call). */
  readonly what: string;
  readonly note?: string;
  /** For mismatches: the first difference, one line. */
  readonly first?: string;
  readonly detail?: string;
}

/** Where guest files append their checks (one JSON object a line), read by guest-main. */
export function partsFile(name: string): string {
  const dir = process.env.RIG_PARTS_DIR || path.join(process.env.TMPDIR || '/tmp', 'ethkit-rig-parts');
  return path.join(dir, `${name}.jsonl`);
}

export class Recorder {
  private readonly file: string;
  constructor(name: string) {
    this.file = partsFile(name);
    // How long the tools took in this file, for the matrix's timing line.
    const timesFile = this.file.replace(/\.jsonl$/, '.times.json');
    process.on('exit', () => {
      if (TIMES.ethtool.n + TIMES.ethkit.n === 0) return;
      try { writeFileSync(timesFile, JSON.stringify(TIMES)); } catch { /* only the timing line is missing then */ }
    });
  }

  add(check: Check): Check {
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, JSON.stringify(check) + '\n');
    const tag = check.status === 'mismatch' ? 'MISMATCH' : check.status;
    const line = `[rig] ${check.driver} ${check.source} ${check.op}: ${tag}${check.note ? ` (${check.note})` : ''} — ${check.what}` +
      (check.first ? `\n[rig]     ${check.first}` : '');
    process.stderr.write(line + '\n');
    return check;
  }
}

/** ok / unsupported from what ethtool itself answered (EOPNOTSUPP anywhere in its stderr). */
export function ethtoolStatus(c: Capture): { status: 'ok' | 'unsupported'; note?: string } {
  const err = c.stderr.toString('latin1');
  const errno = errnoIn(err);
  if (errno === EOPNOTSUPP) return { status: 'unsupported' };
  if (errno !== null) return { status: 'ok', note: `driver: ${strerror(errno)}` };
  if (c.stdout.includes('The test result is FAIL')) return { status: 'ok', note: 'test result FAIL (exit 2)' };
  const said = (err.split('\n')[0] || c.stdout.toString('latin1').trim().split('\n').pop() || '').trim();
  if (c.status !== 0) return { status: 'ok', note: `exit ${c.status}${said ? `: ${said}` : ''}` };
  return { status: 'ok' };
}

export { show };
