/**
 * Differential harness: runs real ethtool 6.1 on either of its paths — the ioctl path
 *
 *     LD_PRELOAD=<repo>/native/build/nonetlink.so ethtool ARGS
 *
 * or its default netlink path (plain `ethtool ARGS`) — and `<repo>/bin/ethkit ARGS` the same way
 * (same environment, the shim for both or neither, stdin closed, optionally under `ip netns exec
 * NS`), captures stdout, stderr and the exit status of
 * each separately (ethtool's stdout is block-buffered on a pipe, so the streams are never
 * merged) and compares all three byte for byte. A mismatch is described by the first
 * differing line of each stream, with a little context, every character visible.
 *
 * Safety: eth0 is the host's only link. A command of the set family (anything that can change
 * a device, or act on it, such as -s, -K, -r, -p, -t) is refused unless it runs inside one of
 * the namespaces this suite created, and refused whenever "eth0" appears on its command line.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants as FS, existsSync } from 'node:fs';
import path from 'node:path';

/** Repository root (this file is dist-NAME/test/diff/harness.js). */
export const ROOT = path.resolve(__dirname, '../../..');
export const SHIM = path.join(ROOT, 'native/build/nonetlink.so');
/** The binary under test; ETHKIT_BIN overrides it (e.g. a wrapper around another build dir). */
export const ETHKIT = process.env.ETHKIT_BIN || path.join(ROOT, 'bin/ethkit');
export const ETHTOOL_VERSION = 'ethtool version 6.1\n';

export type Tool = 'ethtool' | 'ethkit';

export interface Capture {
  readonly tool: Tool;
  readonly argv: readonly string[];
  readonly ns: string | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly status: number;
}

/** Options that can change a device or make it do something: never on eth0, never on the host. */
export const SET_OPTIONS: ReadonlySet<string> = new Set([
  '-s', '--change', '-A', '--pause', '-C', '--coalesce', '-G', '--set-ring', '-K', '--features', '--offload',
  '-L', '--set-channels', '-E', '--change-eeprom', '-r', '--negotiate', '-p', '--identify', '-t', '--test',
  '-N', '-U', '--config-nfc', '--config-ntuple', '-X', '--set-rxfh-indir', '--rxfh', '-f', '--flash',
  '-W', '--set-dump', '--set-priv-flags', '--set-eee', '--set-fec', '--set-phy-tunable', '--set-tunable',
  '--reset', '-Q', '--per-queue', '--set-module', '--cable-test', '--cable-test-tdr',
]);

/** Namespaces created by this suite (the only places a set-family command may run). */
const labNamespaces = new Set<string>();
export function registerLabNamespace(ns: string): void { labNamespaces.add(ns); }
export function unregisterLabNamespace(ns: string): void { labNamespaces.delete(ns); }

export function isSetFamily(argv: readonly string[]): boolean {
  return argv.some(a => SET_OPTIONS.has(a));
}

/** Throws unless `argv` may run where asked (see the file comment). */
export function guard(argv: readonly string[], ns: string | null): void {
  if (!isSetFamily(argv)) return;
  if (argv.includes('eth0')) throw new Error(`refused: set-family command on eth0: ${show(argv)}`);
  if (ns === null || !labNamespaces.has(ns)) {
    throw new Error(`refused: set-family command outside the suite's own namespaces: ${show(argv)}`);
  }
}

const PATH = [path.dirname(process.execPath), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');
/** The environment both tools get (ethtool additionally gets LD_PRELOAD=<shim>). */
export const BASE_ENV: Readonly<Record<string, string>> = {
  PATH, LANG: 'C', LC_ALL: 'C', HOME: process.env.HOME || '/root', TERM: 'dumb',
};

let ethtoolPath: string | null = null;

/**
 * Checks that ethtool 6.1, the shim and bin/ethkit are all there and that the shim really puts
 * ethtool on its ioctl path. Throws a one-paragraph explanation otherwise (cached).
 */
const ready: Partial<Record<Tool, Error | null>> = {};
export function preflight(tool: Tool | 'both' = 'both'): void {
  for (const t of tool === 'both' ? (['ethtool', 'ethkit'] as const) : [tool]) {
    if (ready[t] === undefined) ready[t] = t === 'ethtool' ? checkEthtool() : checkEthkit();
    const e = ready[t];
    if (e) throw e;
  }
}

function checkEthtool(): Error | null {
  const w = spawnSync('sh', ['-c', 'command -v ethtool'], { encoding: 'utf8', env: BASE_ENV });
  const found = w.status === 0 ? w.stdout.trim() : '';
  if (!found) return new Error('ethtool is not installed (apt-get install ethtool): the differential suite needs ethtool 6.1');
  ethtoolPath = found;
  const v = spawnSync(found, ['--version'], { encoding: 'utf8', env: BASE_ENV });
  if (v.stdout !== ETHTOOL_VERSION) {
    return new Error(`${found} --version printed ${JSON.stringify(v.stdout)}: the cases are written for ${JSON.stringify(ETHTOOL_VERSION)}`);
  }
  if (!existsSync(SHIM)) return new Error(`${SHIM} is missing: run \`make -C ${path.join(ROOT, 'native')}\``);
  // Under the shim, a query of a missing device reports the ioctl's ENODEV; via netlink it would
  // be a "netlink error". This proves the shim is loaded and effective.
  const probe = spawnSync(found, ['-a', 'ekdiffnosuch0'], { encoding: 'utf8', env: { ...BASE_ENV, LD_PRELOAD: SHIM }, timeout: 10_000 });
  if (probe.stderr !== 'Cannot get device pause settings: No such device\n' || probe.status !== 76) {
    return new Error(`the shim ${SHIM} does not put ethtool on its ioctl path (ethtool -a on a missing device printed ` +
      `${JSON.stringify(probe.stderr)}, exit ${probe.status})`);
  }
  return null;
}

function checkEthkit(): Error | null {
  if (!existsSync(ETHKIT)) return new Error(`${ETHKIT} is missing: the CLI binary under test`);
  try { accessSync(ETHKIT, FS.X_OK); } catch { return new Error(`${ETHKIT} is not executable`); }
  // A binary that cannot even start (e.g. its build output is missing) would make every case
  // fail with the same noise: say so once, clearly.
  const k = spawnSync(ETHKIT, ['--version'], { encoding: 'utf8', env: BASE_ENV, timeout: 30_000 });
  if (k.error || k.status !== 0) {
    const errLines = (k.stderr || '').trim().split('\n');
    const why = k.error ? k.error.message : `exit ${k.status}: ${errLines.find(l => /^\w*Error\b/.test(l)) ?? errLines[0]}`;
    return new Error(`${ETHKIT} --version does not run (${why}); build it first (tsc -p .)`);
  }
  return null;
}

/**
 * Which of ethtool's two faces: 'ioctl' runs the tool with the shim that makes every netlink
 * socket fail (so ethtool, and ethkit alike, take the ioctl path); 'netlink' runs it as it is
 * (ethtool's default path: netlink where the kernel has the message).
 */
export type Column = 'ioctl' | 'netlink';
export const COLUMNS: readonly Column[] = ['ioctl', 'netlink'];

/** Run one tool once. Throws only if the process could not be run at all (or hung). */
export function runTool(tool: Tool, argv: readonly string[], ns: string | null = null, column: Column = 'ioctl'): Capture {
  guard(argv, ns);
  preflight(tool);
  const bin = tool === 'ethtool' ? ethtoolPath as string : ETHKIT;
  const cmd = column === 'ioctl' ? ['env', `LD_PRELOAD=${SHIM}`, bin, ...argv] : [bin, ...argv];
  // `exec CMD 0<&-`: the tool starts with stdin closed.
  const inner = ['sh', '-c', 'exec "$@" 0<&-', 'sh', ...cmd];
  const full = ns ? ['ip', 'netns', 'exec', ns, ...inner] : inner;
  const r = spawnSync(full[0], full.slice(1), {
    env: BASE_ENV, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, maxBuffer: 64 << 20,
  });
  if (r.error) throw new Error(`${tool} ${show(argv)}: cannot run: ${r.error.message}`);
  if (r.status === null) throw new Error(`${tool} ${show(argv)}: killed by ${r.signal}${r.signal === 'SIGTERM' ? ' (timeout)' : ''}`);
  return { tool, argv, ns, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// ---- comparison ----------------------------------------------------------------------------

/** A command line as a shell would need it typed. */
export function show(argv: readonly string[]): string {
  return argv.map(a => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ') || '(no arguments)';
}

function lines(b: Buffer): string[] {
  const s = b.toString('latin1');
  const out = s.split('\n');
  // "a\nb\n" -> ["a\n", "b\n"]; a last line without newline stays as is.
  return out.map((l, i) => (i < out.length - 1 ? l + '\n' : l)).filter((l, i) => i < out.length - 1 || l !== '');
}

function vis(line: string | undefined): string {
  if (line === undefined) return '<end of output>';
  const nl = line.endsWith('\n');
  const body = JSON.stringify(nl ? line.slice(0, -1) : line);
  return nl ? body : `${body} <no newline>`;
}

export interface StreamDiff {
  readonly stream: 'stdout' | 'stderr';
  readonly line: number;
  readonly ref: string | undefined;
  readonly got: string | undefined;
  readonly text: string;
}

/** First difference between two outputs, or null when they are byte-identical. */
export function streamDiff(stream: 'stdout' | 'stderr', ref: Buffer, got: Buffer, refName = 'ethtool', gotName = 'ethkit'): StreamDiff | null {
  if (ref.equals(got)) return null;
  const a = lines(ref);
  const b = lines(got);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const w = Math.max(refName.length, gotName.length);
  const out = [`${stream} differs at line ${i + 1} (${refName}: ${a.length} lines, ${gotName}: ${b.length} lines)`];
  for (let k = Math.max(0, i - 2); k < i; k++) out.push(`    ${' '.repeat(w)}  ${vis(a[k])}`);
  out.push(`  - ${refName.padEnd(w)}: ${vis(a[i])}`);
  out.push(`  + ${gotName.padEnd(w)}: ${vis(b[i])}`);
  for (let k = i + 1; k < i + 3 && (k < a.length || k < b.length); k++) {
    if (a[k] === b[k]) out.push(`    ${' '.repeat(w)}  ${vis(a[k])}`);
    else {
      if (k < a.length) out.push(`  - ${refName.padEnd(w)}: ${vis(a[k])}`);
      if (k < b.length) out.push(`  + ${gotName.padEnd(w)}: ${vis(b[k])}`);
    }
  }
  return { stream, line: i + 1, ref: a[i], got: b[i], text: out.join('\n') };
}

export interface Comparison {
  readonly same: boolean;
  /** Multi-line, readable; empty when same. */
  readonly text: string;
  /** One line for summaries: the first thing that differs. */
  readonly first: string;
}

/** Compare exit status, stdout and stderr of two captures (reference first). */
export function compare(ref: Capture, got: Capture, refName = 'ethtool', gotName = 'ethkit'): Comparison {
  const parts: string[] = [];
  let first = '';
  const o = streamDiff('stdout', ref.stdout, got.stdout, refName, gotName);
  const e = streamDiff('stderr', ref.stderr, got.stderr, refName, gotName);
  const short = (d: StreamDiff): string =>
    `${d.stream} line ${d.line}: ${refName} ${clip(vis(d.ref))} / ${gotName} ${clip(vis(d.got))}`;
  if (e) { parts.push(e.text); first ||= short(e); }
  if (o) { parts.push(o.text); first ||= short(o); }
  if (ref.status !== got.status) {
    parts.unshift(`exit status: ${refName} ${ref.status}, ${gotName} ${got.status}`);
    first = `exit ${ref.status} vs ${got.status}` + (first ? `; ${first}` : '');
  }
  return { same: parts.length === 0, text: parts.join('\n'), first };
}

function clip(s: string, n = 90): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

const COUNTER = /^(\s+.*: )(\d+)\n$/;

/**
 * For live counters (eth0 -S): `got` ran between `before` and `after`. A counter line of `got`
 * whose name matches and whose value lies between the two reference values is replaced by the
 * `before` line; the result is then compared exactly with `before`. Everything else (names,
 * order, format, exit status, stderr) must be identical.
 */
export function normalizeCounters(before: Capture, got: Capture, after: Capture): Capture {
  const a = lines(before.stdout);
  const b = lines(got.stdout);
  const c = lines(after.stdout);
  if (a.length !== c.length) return got;
  const out = b.map((line, i) => {
    const ma = COUNTER.exec(a[i] ?? '');
    const mb = COUNTER.exec(line);
    const mc = COUNTER.exec(c[i] ?? '');
    if (!ma || !mb || !mc || ma[1] !== mb[1] || mb[1] !== mc[1]) return line;
    const [lo, v, hi] = [BigInt(ma[2]), BigInt(mb[2]), BigInt(mc[2])];
    return lo <= v && v <= (hi > lo ? hi : lo) ? a[i] : line;
  });
  return { ...got, stdout: Buffer.from(out.join(''), 'latin1') };
}

/** ethkit's own commands, beyond ethtool's: the only options its usage may add. */
const ETHKIT_ONLY = ['--top', '--profile-list', '--profile-show', '--plan', '--apply', '--verify', '--rollback',
  '--exporter', '--listen', '--textfile', '--persist', '--unpersist', '--persist-status', '--batch', '--force'];
const OPTION = /(?:^|[\s|])(-[A-Za-z]|--[a-z][a-z-]+)(?=[\s|=]|$)/gm;

/**
 * -h/--help: ethkit's usage text is its own (ethtool's is GPL text and lists commands ethkit
 * does not have), so its stdout is checked, not byte-compared: the same first-line shape
 * ("… version …"), a "Usage:" line, and no option that neither ethtool's usage nor ethkit's own
 * commands (ETHKIT_ONLY) name. When those
 * hold, `got`'s stdout is replaced by `ref`'s so that exit status and stderr are still compared
 * byte for byte; otherwise `got` is returned as it is and the comparison fails.
 */
export function normalizeHelp(ref: Capture, got: Capture): Capture {
  const r = ref.stdout.toString('latin1');
  const g = got.stdout.toString('latin1');
  const gl = g.split('\n');
  if (!/^ethkit version \S+/.test(gl[0] ?? '') || gl[1] !== 'Usage:') return got;
  const known = new Set([...r.matchAll(OPTION)].map(m => m[1]).concat(ETHKIT_ONLY));
  const claimed = [...g.matchAll(OPTION)].map(m => m[1]);
  if (claimed.length < 20 || claimed.some(o => !known.has(o))) return got;
  return { ...got, stdout: ref.stdout };
}
