/**
 * In-process harness for the ethkit CLI tests: run(argv) against a simulated NIC with
 * captured stdout/stderr (no child processes), and a simulated driver that also answers the
 * link-settings, legacy offload and LED requests the core simulator leaves out.
 */
import { run } from '../src/app/run';
import { SimTransport, simDevice, SimDevice } from './doubles/sim';
import { ETHTOOL } from '../src/ethtool/constants';

export interface Result {
  code: number;
  out: string;
  err: string;
  /** stdout and stderr as one stream, in the order the bytes were written. */
  both: string;
  outBytes: Buffer;
}

export async function ethkit(argv: string[], transport: SimTransport): Promise<Result> {
  const out: Buffer[] = [], err: Buffer[] = [], both: Buffer[] = [];
  const sink = (into: Buffer[]) => ({
    write(c: string | Uint8Array): void {
      const b = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c);
      into.push(b);
      both.push(b);
    },
  });
  const code = await run(argv, { transport, stdout: sink(out), stderr: sink(err) });
  const o = Buffer.concat(out);
  return { code, out: o.toString(), err: Buffer.concat(err).toString(), both: Buffer.concat(both).toString(), outBytes: o };
}

export interface LinkSpec {
  speed: number; duplex: number; port: number; phyad: number; autoneg: number;
  mdix: number; mdixCtrl: number; transceiver: number;
  supported: number[]; advertising: number[]; lp: number[];
  /** Driver only has the legacy ETHTOOL_GSET/SSET. */
  legacyOnly?: boolean;
}

const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const NWORDS = 3;

/**
 * SimTransport plus: GLINKSETTINGS (with the nwords handshake) / SLINKSETTINGS, GSET / SSET,
 * legacy offload GETs and GFLAGS derived from the feature table, NWAY_RST and PHYS_ID.
 * Every SET is recorded in `sets` as decoded numbers.
 */
export class CliSim extends SimTransport {
  link: LinkSpec | null = null;
  sets: { cmd: number; fields: Record<string, number | number[]> }[] = [];

  override ioctl(ifname: string, buf: Uint8Array): number {
    const cmd = dv(buf).getUint32(0, true);
    const dev = this.devices.get(ifname);
    if (!dev) return super.ioctl(ifname, buf);
    const injected = this.injector?.(ifname, cmd, -1);
    if (injected) { this.log.push({ ifname, cmd }); return -injected; }
    const r = this.extra(dev, cmd, buf);
    if (r === null) return super.ioctl(ifname, buf);
    this.log.push({ ifname, cmd });
    return r;
  }

  private extra(d: SimDevice, cmd: number, buf: Uint8Array): number | null {
    const v = dv(buf);
    const L = this.link;
    switch (cmd) {
      case ETHTOOL.GLINKSETTINGS: {
        if (!L || L.legacyOnly) return -95;
        const nw = v.getInt8(15);
        if (nw !== NWORDS) {
          buf.fill(0, 4, 48);
          v.setInt8(15, -NWORDS);
          return 0;
        }
        v.setUint32(4, L.speed, true);
        v.setUint8(8, L.duplex); v.setUint8(9, L.port); v.setUint8(10, L.phyad);
        v.setUint8(11, L.autoneg); v.setUint8(13, L.mdix); v.setUint8(14, L.mdixCtrl);
        v.setInt8(15, NWORDS); v.setUint8(16, L.transceiver);
        [L.supported, L.advertising, L.lp].forEach((m, k) => {
          for (let i = 0; i < NWORDS; i++) v.setUint32(48 + 4 * (k * NWORDS + i), m[i] ?? 0, true);
        });
        return 0;
      }
      case ETHTOOL.SLINKSETTINGS: {
        if (!L || L.legacyOnly) return -95;
        const adv: number[] = [];
        for (let i = 0; i < NWORDS; i++) adv.push(v.getUint32(48 + 4 * (NWORDS + i), true));
        this.sets.push({ cmd, fields: { speed: v.getUint32(4, true), duplex: v.getUint8(8), port: v.getUint8(9), phyad: v.getUint8(10), autoneg: v.getUint8(11), mdixCtrl: v.getUint8(14), transceiver: v.getUint8(16), advertising: adv } });
        return 0;
      }
      case ETHTOOL.GSET: {
        if (!L) return -95;
        v.setUint32(4, L.supported[0] ?? 0, true); v.setUint32(8, L.advertising[0] ?? 0, true);
        v.setUint16(12, L.speed & 0xffff, true); v.setUint8(14, L.duplex); v.setUint8(15, L.port);
        v.setUint8(16, L.phyad); v.setUint8(17, L.transceiver); v.setUint8(18, L.autoneg);
        v.setUint16(28, L.speed >>> 16, true); v.setUint8(30, L.mdix); v.setUint8(31, L.mdixCtrl);
        v.setUint32(32, L.lp[0] ?? 0, true);
        return 0;
      }
      case ETHTOOL.SSET: {
        if (!L) return -95;
        this.sets.push({ cmd, fields: { speed: v.getUint16(12, true) | (v.getUint16(28, true) << 16), duplex: v.getUint8(14), port: v.getUint8(15), phyad: v.getUint8(16), transceiver: v.getUint8(17), autoneg: v.getUint8(18), mdixCtrl: v.getUint8(31), advertising: [v.getUint32(8, true)] } });
        return 0;
      }
      case ETHTOOL.NWAY_RST: case ETHTOOL.PHYS_ID:
        this.sets.push({ cmd, fields: { data: v.getUint32(4, true) } });
        return 0;
      case ETHTOOL.GRXCSUM: return this.legacy(d, buf, ['rx-checksum']);
      case ETHTOOL.GTXCSUM: return this.legacy(d, buf, d.features.filter(f => f.name.startsWith('tx-checksum-')).map(f => f.name));
      case ETHTOOL.GSG: return this.legacy(d, buf, ['tx-scatter-gather']);
      case ETHTOOL.GTSO: return this.legacy(d, buf, ['tx-tcp-segmentation', 'tx-tcp6-segmentation']);
      case ETHTOOL.GUFO: return -95;
      case ETHTOOL.GGSO: return this.legacy(d, buf, ['tx-generic-segmentation']);
      case ETHTOOL.GGRO: return this.legacy(d, buf, ['rx-gro']);
      case ETHTOOL.GFLAGS: {
        const on = (n: string) => d.features.find(f => f.name === n)?.active ?? false;
        const flags = (on('rx-lro') ? 1 << 15 : 0) | (on('rx-vlan-hw-parse') ? 1 << 8 : 0) | (on('tx-vlan-hw-insert') ? 1 << 7 : 0) |
          (on('rx-ntuple-filter') ? 1 << 27 : 0) | (on('rx-hashing') ? 1 << 28 : 0);
        v.setUint32(4, flags >>> 0, true);
        return 0;
      }
      default:
        return null;
    }
  }

  private legacy(d: SimDevice, buf: Uint8Array, names: string[]): number {
    const on = d.features.some(f => names.includes(f.name) && f.active);
    dv(buf).setUint32(4, on ? 1 : 0, true);
    return 0;
  }
}

/** A simulated NIC "sim0" (4 of 8 combined queues, rings 256/4096, WoL g, msglvl 7). */
export function newSim(opts: Parameters<typeof simDevice>[1] = {}): { t: CliSim; dev: SimDevice } {
  const dev = simDevice('sim0', opts);
  const t = new CliSim([dev]);
  return { t, dev };
}

export const BAD_ARGS = 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n';
