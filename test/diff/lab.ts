/**
 * Two network namespaces with identical devices, one per tool: ethtool only ever runs in
 * namespace A, ethkit only in namespace B. A set command runs with ethtool in A and with
 * ethkit in B, then the device state of both is read back (with ethtool, and with ethkit in B)
 * and compared. Neither tool can disturb the other's device, so a wrong set in ethkit shows up
 * as a state difference and nothing has to be restored by hand: before the next case that
 * needs the devices, both namespaces are replaced by new ones with fresh devices (in lock step,
 * so interface indexes agree too; deleting a namespace is asynchronous in the kernel and much
 * cheaper than deleting its devices one by one).
 *
 * Devices in each namespace:
 *   va <-> vb   veth pair, 2 rx and 2 tx queues, both up
 *   tp0         tap (no process attached: carrier down)
 *   tn0         tun
 */
import { spawnSync } from 'node:child_process';
import { Netns } from '../helpers/netns';
import { registerLabNamespace, unregisterLabNamespace } from './harness';

export const LAB_DEVICES: Readonly<Record<string, 'veth' | 'tap' | 'tun'>> = { va: 'veth', vb: 'veth', tp0: 'tap', tn0: 'tun' };

const CREATE = [
  'link add va numtxqueues 2 numrxqueues 2 type veth peer name vb numtxqueues 2 numrxqueues 2',
  'link set va up',
  'link set vb up',
  'tuntap add dev tp0 mode tap',
  'tuntap add dev tn0 mode tun',
].join('\n') + '\n';

function populate(ns: string): void {
  const r = spawnSync('ip', ['-n', ns, '-batch', '-'], { input: CREATE, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`ip -n ${ns} -batch: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`creating the test devices in ${ns} failed (${r.status}): ${r.stderr.trim()}`);
}

export class Lab {
  private nsA: Netns | null = null;
  private nsB: Netns | null = null;
  /** True when a device may differ from its freshly created state. */
  private dirty = true;

  constructor(private readonly prefix: string) {
    this.fresh();
  }

  /** ethtool's namespace. */
  get a(): string { return (this.nsA as Netns).name; }
  /** ethkit's namespace. */
  get b(): string { return (this.nsB as Netns).name; }

  /** Devices may have changed (after a set command). */
  markDirty(): void { this.dirty = true; }

  /** Make sure both namespaces hold freshly created, identical devices. */
  fresh(): void {
    if (!this.dirty) return;
    this.drop();
    this.nsA = Netns.create(this.prefix);
    registerLabNamespace(this.nsA.name);
    this.nsB = Netns.create(this.prefix);
    registerLabNamespace(this.nsB.name);
    populate(this.nsA.name);
    populate(this.nsB.name);
    this.dirty = false;
  }

  private drop(): void {
    for (const ns of [this.nsA, this.nsB]) {
      if (!ns) continue;
      unregisterLabNamespace(ns.name);
      ns.destroy();
    }
    this.nsA = this.nsB = null;
  }

  destroy(): void {
    this.drop();
    this.dirty = true;
  }
}
