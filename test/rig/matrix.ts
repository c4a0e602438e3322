/**
 * The driver matrix: op × driver → ok / unsupported / mismatch, built from the checks the
 * guest tests record (see common.ts Check), as JSON and as a markdown table.
 *
 *   ok           ethkit (API and CLI) did what ethtool's ioctl path does, and the op works
 *                (a note says when the driver answered with another error or changed nothing)
 *   unsupported  the driver answers EOPNOTSUPP, and ethkit reports it exactly as ethtool does
 *   mismatch     at least one check failed: ethkit differs from ethtool, or a set did not read back
 *   -            not run for this driver
 */
import type { Check, Status } from './common';

/** The matrix columns: the rig's --nics all order, then netdevsim. */
export const DRIVER_ORDER_HOST: readonly string[] = ['e1000', 'e1000e', '8139cp', 'vmxnet3', 'pcnet32', 'e100', 'virtio_net', 'netdevsim'];

export const OPS: readonly { key: string; label: string; nsimOnly?: boolean; drivers?: readonly string[] }[] = [
  { key: 'drvinfo', label: '-i driver info' },
  { key: 'settings', label: 'settings page (link, WoL, msglvl)' },
  { key: 'link-set', label: '-s speed/duplex/autoneg, advertise' },
  { key: 'msglvl-set', label: '-s msglvl' },
  { key: 'wol-set', label: '-s wol' },
  { key: 'pause-get', label: '-a pause' },
  { key: 'pause-set', label: '-A pause' },
  { key: 'coalesce-get', label: '-c coalesce' },
  { key: 'coalesce-set', label: '-C coalesce' },
  { key: 'ring-get', label: '-g ring' },
  { key: 'ring-set', label: '-G ring' },
  { key: 'channels-get', label: '-l channels' },
  { key: 'channels-set', label: '-L channels' },
  { key: 'features-get', label: '-k features' },
  { key: 'features-set', label: '-K features' },
  { key: 'stats', label: '-S statistics' },
  { key: 'permaddr', label: '-P permanent address' },
  { key: 'regs', label: '-d raw / hex dump' },
  { key: 'regs-pretty', label: '-d (driver pretty-printer)' },
  { key: 'eeprom', label: '-e (hex, raw, offset/length)' },
  { key: 'eeprom-wrap', label: '-e offset past the end (length wraps)' },
  { key: 'nway', label: '-r restart autoneg' },
  { key: 'identify', label: '-p 2 identify' },
  { key: 'test-online', label: '-t online' },
  { key: 'test-offline', label: '-t offline' },
  { key: 'fec', label: 'fec() (API)' },
  { key: 'fec-cli', label: '--show-fec' },
  { key: 'tsinfo', label: '-T time stamping' },
  { key: 'privflags-get', label: '--show-priv-flags' },
  { key: 'eee-get', label: '--show-eee' },
  { key: 'rxfh-get', label: '-x RSS table, key, function' },
  { key: 'rxfh-set', label: '-X equal/weight/default/hkey/hfunc/context', drivers: ['vmxnet3', 'virtio_net'] },
  { key: 'nfc-get', label: '-n rx-flow-hash, rules' },
  { key: 'nfc-set', label: '-N rx-flow-hash, flow-type, delete', drivers: ['vmxnet3', 'virtio_net'] },
  { key: 'dump-get', label: '-w firmware dump (flag, data FILE)' },
  { key: 'dump-set', label: '-W set dump flag' },
  { key: 'eeprom-set', label: '-E EEPROM write (value, stdin, bad magic), read back, restored' },
  { key: 'flash', label: '-f flash (image the loader lacks)' },
  { key: 'perqueue', label: '-Q per-queue coalescing (-c, -C)' },
  { key: 'phy-tunable-set', label: '--set-phy-tunable downshift' },
  { key: 'inject-fec', label: 'netdevsim get_err / set_err (FEC)', nsimOnly: true },
  { key: 'inject-ring', label: 'netdevsim lowered ring maxima', nsimOnly: true },
];

export interface Cell {
  status: Status | '-';
  notes: string[];
  checks: number;
  api: number;
  /** ethkit's CLI against ethtool's ioctl path. */
  cli: number;
  /** ethkit's CLI against ethtool's netlink path. */
  'cli-nl': number;
}

export interface Failure {
  driver: string; ifname: string; op: string; source: string; what: string; first: string; detail?: string;
}

export interface Matrix {
  generated: string;
  runId: string | null;
  kernel: string;
  ethtool: string;
  drivers: string[];
  interfaces: Record<string, string>;
  ops: { key: string; label: string }[];
  cells: Record<string, Record<string, Cell>>;
  failures: Failure[];
  counts: { checks: number; ok: number; unsupported: number; mismatch: number };
  seconds?: number;
  /** Tool runs in the guest: count and total milliseconds per tool. */
  tools?: Record<string, { n: number; ms: number }>;
  /** Every check, for merging matrices of several VMs (see mergeMatrices). */
  checks?: Check[];
}

/** One matrix from the matrices of several VM runs (each covering some drivers). */
export function mergeMatrices(parts: readonly Matrix[], order: readonly string[]): Matrix {
  const checks = parts.flatMap(p => p.checks ?? []);
  const drivers = parts.flatMap(p => p.drivers);
  const sorted = [...order.filter(d => drivers.includes(d)), ...drivers.filter(d => !order.includes(d))];
  const m = buildMatrix(checks, sorted, Object.assign({}, ...parts.map(p => p.interfaces)) as Record<string, string>, {
    runId: parts[0]?.runId ?? null, kernel: parts[0]?.kernel ?? '', ethtool: parts[0]?.ethtool ?? '',
  });
  m.seconds = Math.max(0, ...parts.map(p => p.seconds ?? 0));
  m.checks = checks;
  m.tools = {};
  for (const p of parts) {
    for (const [tool, v] of Object.entries(p.tools ?? {})) {
      const t = (m.tools[tool] ??= { n: 0, ms: 0 });
      t.n += v.n;
      t.ms += v.ms;
    }
  }
  return m;
}

export function buildMatrix(checks: readonly Check[], drivers: readonly string[], interfaces: Record<string, string>,
  meta: { runId: string | null; kernel: string; ethtool: string }): Matrix {
  const cells: Record<string, Record<string, Cell>> = {};
  for (const op of OPS) {
    cells[op.key] = {};
    for (const d of drivers) cells[op.key][d] = { status: '-', notes: [], checks: 0, api: 0, cli: 0, 'cli-nl': 0 };
  }
  const failures: Failure[] = [];
  const counts = { checks: 0, ok: 0, unsupported: 0, mismatch: 0 };
  const seen = new Map<string, Set<Status>>();
  for (const c of checks) {
    counts.checks++;
    counts[c.status]++;
    cells[c.op] ??= {};
    const cell = (cells[c.op][c.driver] ??= { status: '-', notes: [], checks: 0, api: 0, cli: 0, 'cli-nl': 0 });
    cell.checks++;
    cell[c.source]++;
    const k = `${c.op}\0${c.driver}`;
    if (!seen.has(k)) seen.set(k, new Set());
    (seen.get(k) as Set<Status>).add(c.status);
    if (c.note && !cell.notes.includes(c.note)) cell.notes.push(c.note);
    if (c.status === 'mismatch') {
      failures.push({ driver: c.driver, ifname: c.ifname, op: c.op, source: c.source, what: c.what, first: c.first ?? '', detail: c.detail });
    }
  }
  for (const [k, statuses] of seen) {
    const [op, driver] = k.split('\0');
    cells[op][driver].status = statuses.has('mismatch') ? 'mismatch'
      : statuses.has('ok') ? 'ok' : 'unsupported';
  }
  return {
    generated: new Date().toISOString(), runId: meta.runId, kernel: meta.kernel, ethtool: meta.ethtool,
    drivers: [...drivers], interfaces, ops: OPS.map(o => ({ key: o.key, label: o.label })), cells, failures, counts,
  };
}

/** Ops that every driver must have a result for (the matrix is incomplete otherwise). */
export function missingCells(m: Matrix): string[] {
  const out: string[] = [];
  for (const op of OPS) {
    for (const d of m.drivers) {
      if (op.nsimOnly && d !== 'netdevsim') continue;
      if (op.drivers && !op.drivers.includes(d)) continue;
      if (m.cells[op.key]?.[d]?.status === '-' || !m.cells[op.key]?.[d]) out.push(`${op.key}/${d}`);
    }
  }
  return out;
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(m: Matrix): string {
  const notes: string[] = [];
  const noteIndex = new Map<string, number>();
  const ref = (n: string): number => {
    if (!noteIndex.has(n)) { notes.push(n); noteIndex.set(n, notes.length); }
    return noteIndex.get(n) as number;
  };
  const lines: string[] = [];
  lines.push(`| op | ${m.drivers.join(' | ')} |`);
  lines.push(`| --- | ${m.drivers.map(() => '---').join(' | ')} |`);
  for (const op of m.ops) {
    const row = m.drivers.map(d => {
      const c = m.cells[op.key]?.[d];
      if (!c || c.status === '-') return '-';
      const marks = c.status === 'mismatch' ? '' : c.notes.map(ref).map(i => `[${i}]`).join('');
      return `${c.status === 'mismatch' ? '**mismatch**' : c.status}${marks}`;
    });
    lines.push(`| ${esc(op.label)} | ${row.join(' | ')} |`);
  }
  const out = [
    `Generated ${m.generated} (kernel ${m.kernel}, ${m.ethtool.trim()}, both paths: ioctl (cli) and netlink (cli-nl)), ` +
      `${m.counts.checks} checks: ${m.counts.ok} ok, ${m.counts.unsupported} unsupported, ${m.counts.mismatch} mismatch.`,
    `Interfaces: ${Object.entries(m.interfaces).map(([d, i]) => `${d}=${i}`).join(', ')}.`,
    ...(m.tools && Object.keys(m.tools).length ? [`Tool runs in the guest: ${Object.entries(m.tools).map(([t, v]) =>
      `${t} ${v.n} (${v.n ? (v.ms / v.n / 1000).toFixed(2) : '0'} s each)`).join(', ')}${m.seconds ? `; ${m.seconds} s in the guest` : ''}.`] : []),
    '',
    ...lines,
    '',
  ];
  if (notes.length) {
    out.push('Notes (what the driver answered; ethkit reported the same):', '');
    notes.forEach((n, i) => out.push(`${i + 1}. ${esc(n)}`));
    out.push('');
  }
  if (m.failures.length) {
    out.push(`Mismatches (${m.failures.length}):`, '');
    out.push('| driver | op | check | first difference |', '| --- | --- | --- | --- |');
    for (const f of m.failures) out.push(`| ${f.driver} | ${f.op} | ${f.source}: \`${esc(f.what)}\` | ${esc(f.first)} |`);
    out.push('');
  }
  return out.join('\n');
}
