/**
 * A simulated host to go with SimTransport: /proc and /sys as a MemFs whose queue directories
 * and queue IRQs follow the simulated NICs' channel counts (so that a channel change adds or
 * removes rx-N/tx-N and TxRx-N vectors the way a driver does), plus online CPUs, sysctls and
 * routes. Used by tests and the benchmark; fault injection hits its writes via `injector`.
 */
import { FsError } from '../../src/common/hostfs';
import { MemFs } from './memfs';
import { SimTransport, SimDevice } from './sim';
import { formatCpuList, parseCpuList, parseMask } from '../../src/profiles/cpus';

export interface SimHostOptions {
  cpus?: number;
  /** Sysctls by dotted name; a device-scoped one may use {dev} for every device. */
  sysctl?: Record<string, string>;
  /** With IPVS loaded: the net.ipv4.vs.* sysctls exist. */
  ipvs?: boolean;
  /** Devices that carry the default route. */
  defaultRoute?: string[];
  /** Devices without queue IRQs (virtual). */
  noIrqs?: string[];
}

const DEFAULT_SYSCTL: Record<string, string> = {
  'net.ipv4.ip_forward': '0',
  'net.ipv4.conf.all.send_redirects': '1',
  'net.ipv4.conf.default.send_redirects': '1',
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.all.arp_ignore': '0',
  'net.ipv4.conf.all.arp_announce': '0',
  'net.core.netdev_max_backlog': '1000',
  'net.core.busy_read': '0',
  'net.core.busy_poll': '0',
  'net.ipv4.conf.{dev}.send_redirects': '1',
  'net.ipv4.conf.{dev}.rp_filter': '1',
  'net.ipv4.conf.{dev}.arp_ignore': '0',
  'net.ipv4.conf.{dev}.arp_announce': '0',
};

const IPVS_SYSCTL: Record<string, string> = {
  'net.ipv4.vs.conntrack': '1', 'net.ipv4.vs.expire_nodest_conn': '0', 'net.ipv4.vs.expire_quiescent_template': '0',
  'net.ipv4.vs.snat_reroute': '1', 'net.ipv4.vs.backup_only': '0', 'net.ipv4.vs.amemthresh': '1024', 'net.ipv4.vs.drop_entry': '0',
  'net.ipv4.vs.secure_tcp': '0',
};

function queuesOf(d: SimDevice): { rx: number; tx: number } {
  const c = d.channels;
  if (!c) return { rx: 1, tx: 1 };
  return { rx: c.combined_count + c.rx_count, tx: c.combined_count + c.tx_count };
}

export class SimHostFs extends MemFs {
  readonly ncpus: number;
  private readonly irqBase = new Map<string, number>();

  constructor(readonly sim: SimTransport, opts: SimHostOptions = {}) {
    super();
    this.ncpus = opts.cpus ?? 4;
    const all = formatCpuList([...Array(this.ncpus).keys()]);
    this.files.set('/sys/devices/system/cpu/online', all + '\n');
    this.links.set('/proc/self/ns/net', 'net:[4026530000]');
    this.links.set('/proc/1/ns/net', 'net:[4026530000]');   // the initial namespace
    this.files.set('/proc/sys/kernel/random/boot_id', '6f1c2a8e-0000-4000-8000-000000000001\n');
    const sysctl = { ...DEFAULT_SYSCTL, ...(opts.ipvs ? IPVS_SYSCTL : {}), ...(opts.sysctl ?? {}) };
    let irq = 40;
    let ifindex = 2;
    const routes = ['Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'];
    for (const [name, d] of sim.devices) {
      for (const [k, v] of Object.entries(sysctl)) {
        if (k.includes('{dev}')) this.files.set('/proc/sys/' + k.replace('{dev}', name).split('.').join('/'), v + '\n');
      }
      this.files.set(`/sys/class/net/${name}/ifindex`, `${ifindex++}\n`);
      if (!opts.noIrqs?.includes(name)) {
        this.irqBase.set(name, irq);
        const max = d.channels ? Math.max(d.channels.max_combined, d.channels.max_rx, d.channels.max_tx, 1) : 1;
        for (let i = 0; i <= max; i++) this.files.set(`/proc/irq/${irq + i}/smp_affinity_list`, all + '\n');
        irq += max + 1;
      }
      if (opts.defaultRoute?.includes(name)) routes.push(`${name}\t00000000\t0102000A\t0003\t0\t0\t0\t00000000\t0\t0\t0`);
      routes.push(`${name}\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0`);
    }
    for (const [k, v] of Object.entries(sysctl)) {
      if (!k.includes('{dev}')) this.files.set('/proc/sys/' + k.split('.').join('/'), v + '\n');
    }
    this.files.set('/proc/net/route', routes.join('\n') + '\n');
    this.validate = (path, value) => {
      if (path.endsWith('smp_affinity_list')) { const c = parseCpuList(value); return c && c.length && c.every(x => x < this.ncpus) ? undefined : 'EINVAL'; }
      if (path.endsWith('_cpus')) { const m = parseMask(value); return m !== null && m >> BigInt(this.ncpus) === 0n ? undefined : 'EINVAL'; }
      if (path.startsWith('/proc/sys/') && !/^-?\d+(\s+-?\d+)*$/.test(value.trim())) return 'EINVAL';
      return undefined;
    };
    this.syncQueues();
  }

  /** Queue files exist for the queues the device has now; values persist per path. */
  private syncQueues(): void {
    for (const [name, d] of this.sim.devices) {
      const { rx, tx } = queuesOf(d);
      const base = `/sys/class/net/${name}/queues/`;
      for (const p of [...this.files.keys()]) {
        const m = /\/queues\/(rx|tx)-(\d+)\//.exec(p);
        if (p.startsWith(base) && m && Number(m[2]) >= (m[1] === 'rx' ? rx : tx)) this.files.delete(p);
      }
      // Vectors a driver frees when its queues shrink come back with the default affinity.
      const irqBase = this.irqBase.get(name);
      if (irqBase !== undefined) {
        const all = formatCpuList([...Array(this.ncpus).keys()]) + '\n';
        for (let q = rx; this.files.has(`/proc/irq/${irqBase + 1 + q}/smp_affinity_list`); q++) this.files.set(`/proc/irq/${irqBase + 1 + q}/smp_affinity_list`, all);
      }
      for (let q = 0; q < rx; q++) if (!this.files.has(`${base}rx-${q}/rps_cpus`)) this.files.set(`${base}rx-${q}/rps_cpus`, '0\n');
      for (let q = 0; q < tx; q++) if (!this.files.has(`${base}tx-${q}/xps_cpus`)) this.files.set(`${base}tx-${q}/xps_cpus`, '0\n');
    }
  }

  private interrupts(): string {
    const lines = ['           ' + [...Array(this.ncpus).keys()].map(c => `CPU${c}`.padEnd(11)).join('')];
    for (const [name, d] of this.sim.devices) {
      const base = this.irqBase.get(name);
      if (base === undefined) continue;
      const n = queuesOf(d).rx;
      const row = (irq: number, what: string) => `${String(irq).padStart(4)}: ${'0 '.repeat(this.ncpus)} PCI-MSIX-0000:00:10.0 ${irq - base}-edge ${what}`;
      lines.push(row(base, name));
      for (let q = 0; q < n; q++) lines.push(row(base + 1 + q, `${name}-TxRx-${q}`));
    }
    return lines.join('\n') + '\n';
  }

  override read(path: string): string | null {
    if (path === '/proc/interrupts') return this.interrupts();
    this.syncQueues();
    const msi = /^\/sys\/class\/net\/([^/]+)\/device\/msi_irqs$/.exec(path);
    if (msi) return null;
    return super.read(path);
  }

  override list(dir: string): string[] | null {
    const m = /^\/sys\/class\/net\/([^/]+)\/device\/msi_irqs$/.exec(dir);
    if (m) {
      const d = this.sim.devices.get(m[1]);
      const base = this.irqBase.get(m[1]);
      if (!d || base === undefined) return null;
      return [...Array(queuesOf(d).rx + 1).keys()].map(i => String(base + i));
    }
    this.syncQueues();
    return super.list(dir);
  }

  override write(path: string, value: string): void {
    this.syncQueues();
    super.write(path, value);
  }

  /** Everything a profile can change on the simulated host: files and every NIC's settings. */
  everything(): unknown {
    this.syncQueues();
    const devs = Object.fromEntries([...this.sim.devices].map(([n, d]) => [n, {
      ring: d.ring, channels: d.channels, coalesce: d.coalesce, pause: d.pause, fec: d.fec,
      features: d.features.map(f => `${f.name}:${f.active ? 1 : 0}:${f.requested ?? f.active ? 1 : 0}`),
    }]));
    return JSON.parse(JSON.stringify({ files: this.dump(), devs }));
  }
}

export { FsError };
