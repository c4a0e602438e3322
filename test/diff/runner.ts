/**
 * Turns case tables into node:test tests (one per row) and runs them: see harness.ts for how
 * one command is run and compared, lab.ts for the namespaces, cases/types.ts for the rows.
 *
 * Per row, on each of ethtool's paths (the ioctl path under the shim, the netlink path plain):
 *   1. ethtool's result must match the table (exit status, optional err/out text; on the netlink
 *      path where the row says): proves the row still describes ethtool 6.1.
 *   2. ethkit's stdout, stderr and exit status must equal ethtool's, byte for byte.
 *   3. Set commands on the suite's devices: the device state afterwards, read with ethtool in
 *      both namespaces, must be the same; and ethkit's own show command must print it as
 *      ethtool does.
 *
 * Set ETHKIT_DIFF_REPORT=/path/file.md to keep a markdown list of the failing rows there
 * (each test file updates its own section).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { Capture, COLUMNS, Column, ETHKIT, compare, isSetFamily, normalizeCounters, normalizeHelp, runTool, show } from './harness';
import { Lab, LAB_DEVICES } from './lab';
import type { Row, Table } from './cases/types';

export type DeviceClass = 'eth0' | 'veth' | 'tap' | 'tun' | 'nonexistent' | 'none';

export interface Case {
  readonly family: string;
  readonly argv: readonly string[];
  readonly exit: number;
  readonly opts: NonNullable<Row[2]>;
  readonly option: string | null;
  readonly devname: string | null;
  readonly device: DeviceClass;
}

/** Every spelling of every ethtool 6.1 option (for finding a command line's device name). */
const OPTIONS = new Set(('-s --change -a --show-pause -A --pause -c --show-coalesce -C --coalesce -g --show-ring ' +
  '-G --set-ring -k --show-features --show-offload -K --features --offload -i --driver -d --register-dump ' +
  '-e --eeprom-dump -E --change-eeprom -r --negotiate -p --identify -t --test -S --statistics --phy-statistics ' +
  '-n -u --show-nfc --show-ntuple -N -U --config-nfc --config-ntuple -T --show-time-stamping -x --show-rxfh-indir ' +
  '--show-rxfh -X --set-rxfh-indir --rxfh -f --flash -P --show-permaddr -w --get-dump -W --set-dump -l ' +
  '--show-channels -L --set-channels --show-priv-flags --set-priv-flags -m --dump-module-eeprom --module-info ' +
  '--show-eee --set-eee --set-phy-tunable --get-phy-tunable --get-tunable --set-tunable --reset --show-fec ' +
  '--set-fec -Q --per-queue --cable-test --cable-test-tdr --show-tunnels --show-module --set-module').split(' '));
const NO_DEVICE = new Set(['-h', '--help', '--version', '--monitor']);

/** The device state to read back after a set command, by option. */
const SHOW_AFTER: Readonly<Record<string, string | null>> = {
  '-s': '', '--change': '', '-A': '-a', '--pause': '-a', '-C': '-c', '--coalesce': '-c', '-G': '-g', '--set-ring': '-g',
  '-K': '-k', '--features': '-k', '--offload': '-k', '-L': '-l', '--set-channels': '-l', '-r': '', '--negotiate': '',
  '-t': '', '--test': '', '-p': null, '--identify': null,
  '-X': '-x', '--set-rxfh-indir': '-x', '--rxfh': '-x', '-N': '-n', '-U': '-n', '--config-nfc': '-n', '--config-ntuple': '-n',
};

export function splitCmd(cmd: string | readonly string[]): string[] {
  if (typeof cmd !== 'string') return [...cmd];
  if (cmd === '') return [];
  return cmd.split(' ').map(t => (t === "''" ? '' : t));
}

/** Option and device name of a command line, as ethtool's main() finds them. */
export function parseLine(argv: readonly string[]): { option: string | null; devname: string | null } {
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--debug') i += 2;
    else if (a === '--json' || a === '-I' || a === '--include-statistics') i++;
    else break;
  }
  const a = argv[i];
  if (a === undefined || NO_DEVICE.has(a)) return { option: a ?? null, devname: null };
  if (OPTIONS.has(a)) return { option: a, devname: argv[i + 1] ?? null };
  if (a.startsWith('-')) return { option: a, devname: null };
  return { option: null, devname: a };
}

export function classify(devname: string | null): DeviceClass {
  if (devname === null) return 'none';
  if (devname === 'eth0') return 'eth0';
  return LAB_DEVICES[devname] ?? 'nonexistent';
}

export function expand(tables: readonly Table[]): Case[] {
  const out: Case[] = [];
  for (const t of tables) {
    for (const [cmd, exit, opts] of t.rows) {
      const argv = splitCmd(cmd);
      // ethtool's own JSON (netlink path, the commands it has JSON for) is compared on stdout and exit
      // status; stderr is ethkit's JSON lines by design (docs/json.md). Elsewhere --json is ethkit's.
      if (argv.includes('--json') && (opts?.columns?.length !== 1 || opts.columns[0] !== 'netlink')) {
        throw new Error(`table ${t.family}: a --json row compares ethtool's own JSON, on the netlink path only (columns: ['netlink']): ${show(argv)}`);
      }
      const { option, devname } = parseLine(argv);
      out.push({ family: t.family, argv, exit, opts: opts ?? {}, option, devname, device: classify(devname) });
    }
  }
  return out;
}

// ---- running -----------------------------------------------------------------------------

const BAD_ARGS = 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n';

export interface Outcome {
  readonly c: Case;
  readonly column: Column;
  readonly ok: boolean;
  /** Empty when ok. */
  readonly text: string;
  /** One line: what differs first. */
  readonly first: string;
}

let lab: Lab | null = null;
let labError: Error | null = null;

function getLab(prefix: string): Lab {
  if (labError) throw labError;
  if (!lab) {
    try { lab = new Lab(prefix); } catch (e) { labError = e as Error; throw e; }
  }
  return lab;
}

export function runCase(c: Case, prefix: string, column: Column = 'ioctl'): Outcome {
  const l = c.device === 'eth0' ? null : getLab(prefix);
  const onLabDevice = l !== null && (c.device === 'veth' || c.device === 'tap' || c.device === 'tun');
  const problems: string[] = [];
  let first = '';

  // Fresh namespaces replace dirty ones: read their names only after this.
  if (l && (onLabDevice || c.opts.setup)) l.fresh();
  const refNs = l ? l.a : null;
  const gotNs = l ? l.b : null;
  for (const s of c.opts.setup ?? []) {
    const argv = splitCmd(s);
    const ra = runTool('ethtool', argv, l!.a, column);
    const rb = runTool('ethtool', argv, l!.b, column);
    l!.markDirty();
    const cmp = compare(ra, rb, 'ethtool in A', 'ethtool in B');
    if (ra.status !== 0 || !cmp.same) {
      throw new Error(`setup \`ethtool ${show(argv)}\` did not succeed identically in both namespaces ` +
        `(exit ${ra.status}/${rb.status}):\n${cmp.text}${ra.stderr.toString()}`);
    }
  }

  const ref: Capture = runTool('ethtool', c.argv, refNs, column);
  let got: Capture = runTool('ethkit', c.argv, gotNs, column);
  if (c.opts.mode === 'counters') {
    const later = runTool('ethtool', c.argv, refNs, column);
    got = normalizeCounters(ref, got, later);
  }
  if (c.opts.mode === 'help') got = normalizeHelp(ref, got);

  // 1. The row must still describe ethtool.
  const refErr = ref.stderr.toString('latin1');
  const tableMsgs: string[] = [];
  const exit = column === 'ioctl' ? c.exit : c.opts.nlExit;
  const err = column === 'ioctl' ? c.opts.err : c.opts.nlErr;
  if (exit !== undefined && ref.status !== exit) tableMsgs.push(`ethtool exited ${ref.status}, the table says ${exit} (${column} path)`);
  if (err !== undefined && !refErr.split('\n')[0].includes(err)) {
    tableMsgs.push(`ethtool's first stderr line ${JSON.stringify(refErr.split('\n')[0])} lacks ${JSON.stringify(err)}`);
  }
  if (column === 'ioctl' && c.opts.out !== undefined && !ref.stdout.toString('latin1').includes(c.opts.out)) {
    tableMsgs.push(`ethtool's stdout lacks ${JSON.stringify(c.opts.out)}`);
  }
  if (tableMsgs.length) {
    problems.push(`TABLE ERROR (the row does not describe ethtool 6.1): ${tableMsgs.join('; ')}\n` +
      `  ethtool stderr: ${JSON.stringify(refErr)}`);
    first = `table: ${tableMsgs[0]}`;
  }

  // 2. ethkit = ethtool (with --json: the document and the exit status).
  const cmp = c.argv.includes('--json') ? compare(ref, { ...got, stderr: ref.stderr }) : compare(ref, got);
  if (!cmp.same) {
    problems.push(`ethkit differs from ethtool:\n${cmp.text}`);
    first ||= cmp.first;
  }

  // 3. Device state after a set command.
  if (l && onLabDevice && isSetFamily(c.argv)) {
    const showSpec = c.opts.show !== undefined ? c.opts.show : SHOW_AFTER[c.option ?? ''];
    let stateSame = true;
    if (showSpec !== null && showSpec !== undefined) {
      const showArgv = typeof showSpec === 'string' ? [...splitCmd(showSpec), ...(typeof c.opts.show === 'string' ? [] : [c.devname as string])] : [...showSpec];
      const sa = runTool('ethtool', showArgv, l.a, column);
      const sb = runTool('ethtool', showArgv, l.b, column);
      const st = compare(sa, sb, 'after ethtool', 'after ethkit');
      if (!st.same) {
        stateSame = false;
        problems.push(`device state differs after the set (\`ethtool ${show(showArgv)}\` in each namespace):\n${st.text}`);
        first ||= `state after set: ${st.first}`;
      }
      if (ref.stderr.toString('latin1') !== BAD_ARGS) {
        const kb = runTool('ethkit', showArgv, l.b, column);
        const sh = compare(sb, kb);
        if (!sh.same) {
          problems.push(`ethkit's \`${show(showArgv)}\` after the set differs from ethtool's (same device state):\n${sh.text}`);
          first ||= `show after set: ${sh.first}`;
        }
      }
    }
    // A refused command line leaves the devices as they were (checked just above).
    const untouched = ref.stderr.toString('latin1') === BAD_ARGS && cmp.same && stateSame;
    if (!untouched) l.markDirty();
  }

  return { c, column, ok: problems.length === 0, text: problems.join('\n\n'), first };
}

// ---- suite definition and report ------------------------------------------------------------

export function caseName(c: Case, column?: Column): string {
  return `${c.family} [${c.device}]${column ? ` (${column})` : ''} ${show(c.argv)}`;
}

/**
 * Define one test per row of `tables`. `label` names the test file's section in the report;
 * `prefix` (2 letters) goes into the namespace names.
 */
export function defineSuite(label: string, prefix: string, tables: readonly Table[]): void {
  const cases = expand(tables);
  const outcomes: Outcome[] = [];
  const errors: { c: Case; column: Column; message: string }[] = [];
  after(() => {
    lab?.destroy();
    lab = null;
    writeReport(label, cases, outcomes, errors);
  });
  for (const c of cases) {
    for (const column of c.opts.columns ?? COLUMNS) {
      test(caseName(c, column), () => {
        let o: Outcome;
        try {
          o = runCase(c, prefix, column);
        } catch (e) {
          errors.push({ c, column, message: (e as Error).message.split('\n')[0] });
          throw e;
        }
        outcomes.push(o);
        if (!o.ok) assert.fail(`${caseName(c, column)}\n${o.text}`);
      });
    }
  }
}

/** Cases per family and per device class. */
export function counts(cases: readonly Case[]): { family: Map<string, number>; device: Map<string, number> } {
  const family = new Map<string, number>();
  const device = new Map<string, number>();
  for (const c of cases) {
    family.set(c.family, (family.get(c.family) ?? 0) + 1);
    device.set(c.device, (device.get(c.device) ?? 0) + 1);
  }
  return { family, device };
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/`/g, "'");
}

function writeReport(label: string, cases: readonly Case[], outcomes: readonly Outcome[], errors: readonly { c: Case; column: Column; message: string }[]): void {
  const failing = outcomes.filter(o => !o.ok);
  const tableErrors = failing.filter(o => o.first.startsWith('table:'));
  const { family, device } = counts(cases);
  const runs = cases.reduce((n, c) => n + (c.opts.columns ?? COLUMNS).length, 0);
  const perColumn = COLUMNS.map(col => `${col} ${cases.filter(c => (c.opts.columns ?? COLUMNS).includes(col)).length}`).join(', ');
  writeSection(label, runs, outcomes.length + errors.length, [
    `Per path: ${perColumn}.`,
    `Per family: ${[...family].map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `Per device: ${[...device].map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    ...(tableErrors.length ? ['', `**${tableErrors.length} rows no longer describe ethtool** (marked "table:").`] : []),
  ], [
    ...failing.map(o => ({ family: o.c.family, device: `${o.c.device} (${o.column})`, argv: o.c.argv, first: o.first })),
    ...errors.map(e => ({ family: e.c.family, device: `${e.c.device} (${e.column})`, argv: e.c.argv, first: `could not run: ${e.message}` })),
  ]);
}

export interface FailureRow {
  readonly family: string;
  readonly device: string;
  readonly argv: readonly string[];
  readonly first: string;
}

/**
 * Rewrite this test file's section of the ETHKIT_DIFF_REPORT markdown file (if set): `total`
 * cases, `ran` of them run (a filtered run leaves the file alone), `failures` as a table.
 */
export function writeSection(label: string, total: number, ran: number, notes: readonly string[], failures: readonly FailureRow[]): void {
  const file = process.env.ETHKIT_DIFF_REPORT;
  if (!file) return;
  // A filtered run (--test-name-pattern, --test-only) must not overwrite the full picture.
  if (ran !== total) {
    process.stderr.write(`${label}: ${ran} of ${total} cases ran; ${file} left as it was\n`);
    return;
  }
  const lines = [
    `<!-- begin ${label} -->`,
    `## ${label}: ${total} cases, ${total - failures.length} pass, ${failures.length} fail` +
      ` (${new Date().toISOString().replace(/\.\d+Z$/, 'Z')})`,
    '',
    `Binary under test: ${ETHKIT}.`,
    ...notes,
    '',
  ];
  if (failures.length) {
    lines.push('| family | device | command line | first difference (ethtool / ethkit) |', '|---|---|---|---|');
    for (const f of failures) lines.push(`| ${mdEscape(f.family)} | ${f.device} | \`${mdEscape(show(f.argv))}\` | ${mdEscape(f.first)} |`);
  } else {
    lines.push('All cases pass.');
  }
  lines.push(`<!-- end ${label} -->`);
  const section = lines.join('\n');
  const header = '# ethkit vs ethtool 6.1 (both paths): differential suite failures\n\n' +
    'Each section is rewritten by its test file (test/diff-*.test.ts) on every run with ETHKIT_DIFF_REPORT set.\n' +
    'Failing rows must be fixed in the CLI, not skipped.\n' +
    'Not reachable with eth0 (read-only), veth, tun and tap, so not covered here: -A exits 78/79 (no device ' +
    'has pause parameters), -G 80/81 (no settable rings), -t FAIL exit 2 (no self-test), -S 97, the 73/75/95 ' +
    'allocation failures, register/EEPROM hex dumps and pretty-printers.\n';
  withLock(`${file}.lock`, () => {
    let text = existsSync(file) ? readFileSync(file, 'utf8') : header;
    const re = new RegExp(`<!-- begin ${label} -->[\\s\\S]*?<!-- end ${label} -->`);
    text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
    writeFileSync(file, text);
  });
}

/** Test files may run in parallel: one read-modify-write of the report at a time. */
function withLock(lock: string, fn: () => void): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() > deadline) { try { unlinkSync(lock); } catch { /* gone already */ } } // left by a killed run
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try { fn(); } finally { unlinkSync(lock); }
}
