/**
 * CPU sets in the kernel's two text forms — lists ("0-3,8") as in smp_affinity_list and
 * /sys/devices/system/cpu/online, and hex masks ("ff,ffffffff") as in xps_cpus/rps_cpus — and
 * the discovery of a NIC's queue IRQs from /proc/interrupts and msi_irqs.
 */

/** "0-3,8" → [0,1,2,3,8]; null when the text is not a CPU list. Empty text is the empty set. */
export function parseCpuList(text: string): number[] | null {
  const t = text.trim();
  if (t === '') return [];
  const out = new Set<number>();
  for (const part of t.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 65536) return null;
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

/** [0,1,2,3,8] → "0-3,8" */
export function formatCpuList(cpus: readonly number[]): string {
  const s = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(i === j ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** "ff,ffffffff" → bigint; null when not a mask. */
export function parseMask(text: string): bigint | null {
  const t = text.trim().replace(/,/g, '');
  if (t === '') return 0n;
  if (!/^[0-9a-fA-F]+$/.test(t)) return null;
  return BigInt('0x' + t);
}

/** bigint → the kernel's form: hex in comma-separated 32-bit groups ("1,00000000"). */
export function formatMask(mask: bigint): string {
  let hex = mask.toString(16);
  const groups: string[] = [];
  while (hex.length > 8) { groups.unshift(hex.slice(-8)); hex = hex.slice(0, -8); }
  groups.unshift(hex);
  return groups.join(',');
}

export function maskOf(cpus: readonly number[]): bigint {
  let m = 0n;
  for (const c of cpus) m |= 1n << BigInt(c);
  return m;
}

export function cpusOfMask(mask: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; mask >> BigInt(i); i++) if ((mask >> BigInt(i)) & 1n) out.push(i);
  return out;
}

/**
 * The CPUs that serve queue `q` of `queues` when queues are spread over `cpus`: one CPU per
 * queue round-robin when there are at least as many queues as CPUs, otherwise every CPU
 * j with j mod queues == q (so that all CPUs are covered).
 */
export function spreadCpus(q: number, queues: number, cpus: readonly number[]): number[] {
  if (cpus.length === 0) return [];
  if (queues >= cpus.length) return [cpus[q % cpus.length]];
  return cpus.filter((_, j) => j % queues === q);
}

export interface InterruptLine { irq: number; name: string }

/** /proc/interrupts → numbered IRQs with their action names (the text after the chip/type columns). */
export function parseInterrupts(text: string): InterruptLine[] {
  const lines = text.split('\n');
  const header = lines.shift() ?? '';
  const ncpu = header.trim().split(/\s+/).filter(Boolean).length;
  const out: InterruptLine[] = [];
  for (const line of lines) {
    const m = /^\s*(\d+):(.*)$/.exec(line);
    if (!m) continue;
    const fields = m[2].trim().split(/\s+/);
    // ncpu counters, then chip name, hw irq/type, then the action name(s)
    const rest = fields.slice(ncpu);
    if (rest.length < 3) continue;
    out.push({ irq: Number(m[1]), name: rest.slice(2).join(' ') });
  }
  return out;
}

/** IRQ names of other functions of a NIC (link, mailbox, admin queues …), never queue vectors. */
const NOT_QUEUE = /config|misc|async|ctrl|aux|event|link|mbx|mailbox|err|other|lsc|adminq|fdir|ptp|cmd/i;
/** A queue vector ends with its queue number after a separator or a queue word. */
const QUEUE_NO = /(?:^|[-_.:]|txrx|rx|tx|comp|input|output|queue|que|q|fp|ch)(\d+)$/i;

export interface QueueIrq { irq: number; name: string; queue: number }

/**
 * The queue IRQs of `dev`: those of its MSI vectors (msiIrqs, from .../device/msi_irqs, or
 * the parent's for virtio) and those whose action names carry the device name, keeping only
 * queue vectors; each with the queue number read from its name. Sorted by queue, then IRQ.
 */
export function queueIrqs(dev: string, lines: readonly InterruptLine[], msiIrqs: ReadonlySet<number> | null): QueueIrq[] {
  const out: QueueIrq[] = [];
  const devToken = new RegExp(`(^|[^A-Za-z0-9])${dev.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9]|$)`);
  for (const { irq, name } of lines) {
    for (const action of name.split(/,\s*/)) {
      const mine = (msiIrqs?.has(irq) ?? false) || devToken.test(action);
      if (!mine) continue;
      const bare = action.split('@')[0].replace(devToken, '$1$2').trim();
      if (NOT_QUEUE.test(bare)) continue;
      const m = QUEUE_NO.exec(bare);
      if (!m) continue;
      out.push({ irq, name: action, queue: Number(m[1]) });
      break;
    }
  }
  return out.sort((a, b) => a.queue - b.queue || a.irq - b.irq);
}
