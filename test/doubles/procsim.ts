/**
 * Simulated /proc texts of the CPU panel: /proc/net/softnet_stat, /proc/softirqs and
 * /proc/interrupts (with `queues` queue IRQs "DEV-TxRx-N" per device spread over the CPUs,
 * among some unrelated lines), plus /proc/irq/N/smp_affinity_list. tick() moves the counters.
 */
export class ProcSim {
  private processed: number[];
  private dropped: number[];
  private netRx: number[];
  private netTx: number[];
  private irqs: { irq: number; name: string; counts: number[]; cpu: number }[] = [];
  private tickNo = 0;

  constructor(readonly cpus: number, devices: readonly string[], queues: number, otherIrqs = 20) {
    this.processed = new Array(cpus).fill(0); this.dropped = new Array(cpus).fill(0);
    this.netRx = new Array(cpus).fill(0); this.netTx = new Array(cpus).fill(0);
    let irq = 24;
    for (let i = 0; i < otherIrqs; i++) this.irqs.push({ irq: irq++, name: `ahci${i}`, counts: new Array(cpus).fill(0), cpu: i % cpus });
    for (const d of devices) {
      this.irqs.push({ irq: irq++, name: d, counts: new Array(cpus).fill(0), cpu: 0 });
      for (let q = 0; q < queues; q++) this.irqs.push({ irq: irq++, name: `${d}-TxRx-${q}`, counts: new Array(cpus).fill(0), cpu: q % cpus });
    }
  }

  tick(): void {
    const t = ++this.tickNo;
    for (let c = 0; c < this.cpus; c++) {
      this.processed[c] += 10000 + c; this.netRx[c] += 900; this.netTx[c] += 30;
      if ((t + c) % 7 === 0) this.dropped[c] += 3;
    }
    for (const q of this.irqs) q.counts[q.cpu] += 100 + (q.irq % 13);
  }

  read = (p: string): string | null => {
    if (p === '/proc/net/softnet_stat') {
      const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
      return this.processed.map((v, c) => [v, this.dropped[c], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, c].map(hex).join(' ')).join('\n') + '\n';
    }
    if (p === '/proc/softirqs') {
      const row = (n: string, v: number[]) => `${n.padStart(12)}:${v.map(x => String(x).padStart(11)).join('')}`;
      const z = new Array(this.cpus).fill(0);
      return ['                ' + [...Array(this.cpus).keys()].map(c => `CPU${c}`.padEnd(11)).join(''),
        row('HI', z), row('TIMER', z), row('NET_TX', this.netTx), row('NET_RX', this.netRx), row('BLOCK', z), row('SCHED', z), row('RCU', z)].join('\n') + '\n';
    }
    if (p === '/proc/interrupts') {
      const head = '           ' + [...Array(this.cpus).keys()].map(c => `CPU${c}`.padEnd(11)).join('');
      return [head, ...this.irqs.map(q => `${String(q.irq).padStart(4)}: ${q.counts.map(x => String(x).padStart(10)).join(' ')}  PCI-MSIX-0000:00:10.0 ${q.irq}-edge      ${q.name}`),
        ' NMI: ' + new Array(this.cpus).fill('0').join(' ') + '   Non-maskable interrupts'].join('\n') + '\n';
    }
    const m = /^\/proc\/irq\/(\d+)\/(?:smp|effective)_affinity_list$/.exec(p);
    if (m) { const q = this.irqs.find(x => x.irq === Number(m[1])); return q ? `${q.cpu}\n` : null; }
    return null;
  };
}
