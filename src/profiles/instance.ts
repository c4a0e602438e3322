/**
 * Which device instance a snapshot belongs to, and whether the device named now is that
 * instance. A network namespace's inode number is reused by the kernel once the namespace is
 * gone, and an interface deleted and made again keeps its name but not its ifindex: so a
 * snapshot records the boot, the namespace's cookie (SO_NETNS_COOKIE, unique for a boot) and
 * inode, and the device's ifindex, permanent address, bus info and driver.
 *
 *   same boot:    the namespace cookie (its inode where the kernel has no cookies) and the ifindex must match;
 *   another boot: only the initial namespace exists again, and the device is recognised by its
 *                 permanent address, else its bus info (with its driver).
 */
import { Nic } from '../device/nic';
import { EthtoolError } from '../device/errors';
import type { Env, DeviceState } from './state';
import type { InstanceId } from './snapshot';

export const BOOT_ID = '/proc/sys/kernel/random/boot_id';

function inodeOf(link: string | null): string | null {
  return link ? /\[(\d+)\]/.exec(link)?.[1] ?? null : null;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map(b => b.toString(16).padStart(2, '0')).join(':');
}

/** The identity of the namespace this process (and its transport) is in. */
export function netnsIdentity(env: Env): InstanceId['netns'] {
  const self = env.fs.readlink('/proc/self/ns/net');
  const init = env.fs.readlink('/proc/1/ns/net');
  let cookie: bigint | null = null;
  try { cookie = env.transport.netnsCookie?.() ?? null; } catch { cookie = null; }
  return { inode: inodeOf(self), cookie: cookie === null ? null : String(cookie), init: self && init ? self === init : null };
}

export function bootId(env: Env): string | null {
  try { return env.fs.read(BOOT_ID)?.trim() || null; } catch { return null; }
}

/** The identity of device `dev` as read now (state: its DeviceState from the same run). */
export function instanceOf(env: Env, state: DeviceState, netns: InstanceId['netns'], boot: string | null, nic = new Nic(state.dev, env.transport)): InstanceId {
  let permaddr: string | null = null;
  try {
    const a = nic.permAddr();
    permaddr = a.length && a.some(b => b !== 0) ? hex(a) : null;
  } catch (e) {
    if (!(e instanceof EthtoolError)) throw e;
  }
  let busInfo: string | null = null;
  try { busInfo = nic.driverInfo().bus_info || null; } catch (e) { if (!(e instanceof EthtoolError)) throw e; }
  let address: string | null = null;
  try { address = env.fs.read(`/sys/class/net/${state.dev}/address`)?.trim() || null; } catch { address = null; }
  return { bootId: boot, netns, device: { ifindex: state.ifindex, permaddr, address, busInfo, driver: state.driver } };
}

/**
 * Why the device as it is now (`now`) is not the instance a snapshot was taken of, or null
 * when it is. `legacy`: the device state of an entry written before instance identities (only
 * its ifindex and driver can be compared).
 */
export function instanceMismatch(dev: string, then: InstanceId | undefined, legacy: DeviceState, now: InstanceId): string | null {
  const d = now.device;
  if (!then) {
    if (legacy.driver !== d.driver) return `the snapshot is of a ${legacy.driver} device, ${dev} is ${d.driver} now`;
    if (legacy.ifindex !== null && d.ifindex !== null && legacy.ifindex !== d.ifindex) return `ifindex ${legacy.ifindex} then, ${d.ifindex} now: ${dev} was deleted and made again since`;
    return null;
  }
  // (A boot id unknown both times, as on a simulated host, counts as the same boot.)
  const sameBoot = then.bootId === now.bootId;
  if (sameBoot) {
    const a = then.netns, b = now.netns;
    if (a.cookie !== null && b.cookie !== null) {
      if (a.cookie !== b.cookie) return `the snapshot was taken in another network namespace (cookie ${a.cookie} then, ${b.cookie} now${a.inode === b.inode ? `, the same inode ${a.inode} reused` : ''}): that namespace is gone`;
    } else if (a.inode !== null && b.inode !== null && a.inode !== b.inode) {
      return `the snapshot was taken in another network namespace (inode ${a.inode} then, ${b.inode} now)`;
    }
    if (then.device.ifindex !== null && d.ifindex !== null && then.device.ifindex !== d.ifindex) {
      return `ifindex ${then.device.ifindex} then, ${d.ifindex} now: ${dev} was deleted and made again since`;
    }
    if (then.device.driver !== d.driver) return `driver ${then.device.driver} then, ${d.driver} now`;
    return null;
  }
  // Another boot (or one not known): only the initial namespace comes back after a reboot.
  if (then.netns.init !== true || now.netns.init !== true) {
    return `the snapshot was taken in a network namespace of an earlier boot${then.bootId ? ` (boot ${then.bootId})` : ''}; namespaces other than the initial one do not survive a reboot`;
  }
  if (then.device.driver !== d.driver) return `driver ${then.device.driver} then, ${d.driver} now`;
  if (then.device.permaddr !== null) {
    return then.device.permaddr === d.permaddr ? null : `permanent address ${then.device.permaddr} then, ${d.permaddr ?? 'none'} now`;
  }
  if (then.device.busInfo !== null) {
    return then.device.busInfo === d.busInfo ? null : `bus ${then.device.busInfo} then, ${d.busInfo ?? 'none'} now`;
  }
  return `the snapshot is from an earlier boot and ${dev} has no permanent address or bus info to tell it is the same device`;
}
