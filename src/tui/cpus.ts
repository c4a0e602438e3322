/**
 * The CPU side of `--top`: per CPU, from /proc/net/softnet_stat (processed, backlog drops, time
 * squeeze, RPS), /proc/softirqs (NET_RX/NET_TX) and /proc/interrupts (the NIC queue IRQs that CPU
 * serves), as rates over the measured interval. A queue IRQ's CPU is where its interrupts landed
 * in the interval (the busiest CPU), or its affinity list while it is idle.
 */
import fs from 'node:fs';
import { parseInterrupts, queueIrqs, parseCpuList, InterruptLine } from '../common/cpus';
import { appliedIrqIntent } from '../common/applied';

/** Reads a whole /proc or /sys text file; null when it cannot be read. */
export type TextReader = (path: string) => string | null;
export const readText: TextReader = p => { try { return fs.readFileSync(p, 'latin1'); } catch { return null; } };

export interface CpuRow {
  cpu: number;
  processed: number; dropped: number; squeezed: number; rps: number;
  netRx: number; netTx: number;
  /** interrupts/s of the NIC queue IRQs on this CPU */
  irqs: number;
  /** queue IRQs whose interrupts landed here in the interval (or whose affinity is here while idle) */
  serves: string[];
}

export interface QueueIrqRow {
  irq: number; name: string; queue: number;
  /** interrupts/s (all CPUs) */
  rate: number;
  /** the CPU that served it in the interval; -1 when idle and its affinity is not one CPU */
  cpu: number;
  /** smp_affinity_list (effective_affinity_list when the kernel has it) */
  affinity: string;
  /** the CPU list the last applied profile set for this IRQ (null: none applied) */
  intent: string | null;
  /** whether the CPU that served it is one the profile meant (null: no intent or idle) */
  matches: boolean | null;
}

const SOFTNET_COLS = 13;

export class CpuSampler {
  rows: CpuRow[] = [];
  /** Queue IRQs by device name. */
  readonly irqs = new Map<string, QueueIrqRow[]>();
  /** True once /proc/net/softnet_stat could be read. */
  available = false;
  private prev: { ns: bigint; softnet: Float64Array; rx: Float64Array; tx: Float64Array; irq: Map<number, Float64Array> } | null = null;
  private lines: InterruptLine[] | null = null;
  private linesKey = '';
  private affinityAge = 1e9;
  /** Affinity list by IRQ (refreshed every 5 samples). */
  readonly affinity = new Map<number, string>();
  /** Applied profile's CPU list by IRQ (refreshed with the affinities). */
  readonly intent = new Map<number, string>();
  /** MSI vectors found per device at the last discovery. */
  readonly msi = new Map<string, number[]>();
  /** The texts of the last sample (for --record). */
  raw: { softnet_stat: string | null; softirqs: string | null; interrupts: string | null } = { softnet_stat: null, softirqs: null, interrupts: null };

  constructor(private readonly read: TextReader = readText, private readonly proc = '/proc', private readonly sysNet = '/sys/class/net',
    private readonly msiOf: (dev: string) => number[] = dev => defaultMsi(sysNet, dev),
    private readonly intentOf: (dev: string) => Map<number, string> | null = dev => appliedIrqIntent(dev)?.irqs ?? null) {}

  /** One sample; `devices` = NIC names whose queue IRQs are tracked. */
  sample(devices: readonly string[], ns: bigint): void {
    const sn = this.read(`${this.proc}/net/softnet_stat`);
    const si = this.read(`${this.proc}/softirqs`);
    const it = this.read(`${this.proc}/interrupts`);
    this.available = sn !== null;
    this.raw = { softnet_stat: sn, softirqs: si, interrupts: it };
    // softnet_stat: one line per online CPU, hex columns; column 12 (5.10+) is the CPU number.
    const snLines = sn ? sn.split('\n').filter(l => l.trim()) : [];
    const ncpu = snLines.length;
    const cpuIds: number[] = [];
    const softnet = new Float64Array(ncpu * SOFTNET_COLS);
    snLines.forEach((l, k) => {
      const f = l.trim().split(/\s+/);
      for (let c = 0; c < SOFTNET_COLS && c < f.length; c++) softnet[k * SOFTNET_COLS + c] = parseInt(f[c], 16);
      cpuIds.push(f.length > 12 ? parseInt(f[12], 16) : k);
    });
    const width = cpuIds.length ? Math.max(...cpuIds) + 1 : 0;
    const softirq = (name: string): Float64Array => {
      const out = new Float64Array(width);
      if (!si) return out;
      const m = new RegExp(`^\\s*${name}:(.*)$`, 'm').exec(si);
      if (m) m[1].trim().split(/\s+/).forEach((v, c) => { if (c < width) out[c] = Number(v); });
      return out;
    };
    const rx = softirq('NET_RX'), tx = softirq('NET_TX');
    // Queue IRQs: re-discovered when the set of IRQ lines/names changes.
    const irqCounts = new Map<number, Float64Array>();
    if (it) {
      const nl = it.indexOf('\n');
      const ncols = it.slice(0, nl).trim().split(/\s+/).filter(Boolean).length;
      const key = devices.join(',') + '|' + it.replace(/^\s*\d+:(\s+\d+)+/gm, '').length;
      if (key !== this.linesKey) { this.linesKey = key; this.lines = parseInterrupts(it); this.rediscover(devices); }
      const wanted = new Set<number>();
      for (const list of this.irqs.values()) for (const q of list) wanted.add(q.irq);
      for (const line of it.slice(nl + 1).split('\n')) {
        const m = /^\s*(\d+):/.exec(line);
        if (!m || !wanted.has(Number(m[1]))) continue;
        const f = line.slice(m[0].length).trim().split(/\s+/);
        const v = new Float64Array(ncols);
        for (let c = 0; c < ncols; c++) v[c] = Number(f[c]) || 0;
        irqCounts.set(Number(m[1]), v);
      }
    }
    if (++this.affinityAge >= 5) { this.affinityAge = 0; this.readAffinity(); }
    const p = this.prev;
    const dt = p ? Number(ns - p.ns) / 1e9 : 0;
    const rate = (a: number, b: number) => (dt > 0 && a >= b ? (a - b) / dt : 0);
    const byCpu = new Map<number, CpuRow>();
    this.rows = cpuIds.map((cpu, k) => {
      const base = k * SOFTNET_COLS;
      const same = p && p.softnet.length === softnet.length;
      const r = (c: number) => (same ? rate(softnet[base + c], p!.softnet[base + c]) : 0);
      const row: CpuRow = {
        cpu, processed: r(0), dropped: r(1), squeezed: r(2), rps: r(9),
        netRx: p && p.rx.length === rx.length ? rate(rx[cpu], p.rx[cpu]) : 0,
        netTx: p && p.tx.length === tx.length ? rate(tx[cpu], p.tx[cpu]) : 0,
        irqs: 0, serves: [],
      };
      byCpu.set(cpu, row);
      return row;
    });
    for (const [dev, list] of this.irqs) {
      for (const q of list) {
        const now = irqCounts.get(q.irq), before = p?.irq.get(q.irq);
        q.affinity = this.affinity.get(q.irq) ?? '';
        q.rate = 0; q.cpu = -1;
        let best = 0;
        if (now && before && before.length === now.length) {
          for (let c = 0; c < now.length; c++) {
            const v = rate(now[c], before[c]);
            q.rate += v;
            const row = byCpu.get(c);
            if (row && v > 0) { row.irqs += v; }
            if (v > best) { best = v; q.cpu = c; }
          }
        }
        if (q.cpu < 0) { const a = parseCpuList(q.affinity); if (a && a.length === 1) q.cpu = a[0]; }
        q.intent = this.intent.get(q.irq) ?? null;
        const want = q.intent === null ? null : parseCpuList(q.intent);
        q.matches = want && q.cpu >= 0 ? want.includes(q.cpu) : null;
        const row = q.cpu >= 0 ? byCpu.get(q.cpu) : undefined;
        if (row) row.serves.push(`${dev}:${q.queue}`);
      }
    }
    this.prev = { ns, softnet, rx, tx, irq: irqCounts };
  }

  private rediscover(devices: readonly string[]): void {
    this.irqs.clear();
    if (!this.lines) return;
    for (const dev of devices) {
      const list = this.msiOf(dev);
      this.msi.set(dev, list);
      const msi = new Set(list);
      const found = queueIrqs(dev, this.lines, msi.size ? msi : null);
      // Several vectors per queue (rx and tx apart): keep each, named by its action.
      this.irqs.set(dev, found.map(q => ({ irq: q.irq, name: q.name, queue: q.queue, rate: 0, cpu: -1, affinity: '', intent: null, matches: null })));
    }
    this.affinityAge = 1e9;
  }

  private readAffinity(): void {
    this.intent.clear();
    for (const dev of this.irqs.keys()) for (const [irq, v] of this.intentOf(dev) ?? []) this.intent.set(irq, v);
    for (const list of this.irqs.values()) for (const q of list) {
      const t = this.read(`${this.proc}/irq/${q.irq}/effective_affinity_list`) ?? this.read(`${this.proc}/irq/${q.irq}/smp_affinity_list`);
      const s = t?.trim() ?? '';
      this.affinity.set(q.irq, s);
    }
  }
}

/** The MSI vectors of a device: its own msi_irqs, or its parent's (virtio). */
function defaultMsi(sysNet: string, dev: string): number[] {
  for (const dir of [`${sysNet}/${dev}/device/msi_irqs`, `${sysNet}/${dev}/device/../msi_irqs`]) {
    let names: string[] = [];
    try { names = fs.readdirSync(dir); } catch { /* none */ }
    const out = names.filter(n => /^\d+$/.test(n)).map(Number);
    if (out.length) return out;
  }
  return [];
}
