/**
 * Persistence of a tuning profile: what makes a profile come back whenever its device appears
 * (boot, driver reload, hotplug), the way systemd's .link files and tuned do it — a udev rule
 * that matches the device by a stable attribute (its permanent MAC address, or its bus address)
 * and asks systemd for a template unit instance, `ethkit-apply@ID.service`, which runs
 * `ethkit --persist-run ID`: the device that matches is looked up by that attribute (never by a
 * name, which udev may change), and the profile is applied to it non-interactively.
 *
 * This file is the data: the stored spec, the match (read from the device through the Nic API
 * and sysfs), the file names under an install root, and the text of the rule and the unit.
 * The commands are in persist-cli.ts, the all-or-nothing file writes in persist-files.ts.
 */
import path from 'node:path';
import { Nic } from '../device/nic';
import { EthtoolError } from '../device/errors';
import type { HostFs } from '../common/hostfs';
import type { Env } from './state';
import type { Scalar } from './model';

/** How a persisted device is recognised when it appears. */
export type Match =
  /** The permanent hardware address (ETHTOOL_GPERMADDR), udev: ATTR{address} with addr_assign_type 0. */
  | { kind: 'mac'; mac: string }
  /** The bus device the interface hangs off (the nearest PCI or USB ancestor, else its parent), and its port. */
  | { kind: 'bus'; subsystem: string; kernel: string; devPort: number | null };

export interface PersistSpec {
  version: 1;
  id: string;
  /** The profile's name, where it was read from, and the copy applied (in the spec directory). */
  profile: { name: string; source: string; file: string };
  /** --set NAME=VALUE as given, and the parameters they resolve to. */
  sets: string[];
  params: Record<string, Scalar>;
  match: Match;
  /** The device when it was persisted (for the status; the name is never used to match). */
  device: { name: string; driver: string | null };
  /** --state-dir given to --persist (else the default of --apply). */
  stateDir?: string;
  /** The program the unit runs. */
  bin: string;
  time: string;
}

/** Where everything lives, under an install root ("/" on a real machine). */
export interface Layout {
  root: string;
  specDir: string;
  rulesDir: string;
  unitDir: string;
  runDir: string;
}

export const TEMPLATE = 'ethkit-apply@.service';
/** udev rule order: after 80-net-setup-link.rules (naming), before 99-systemd.rules. */
export const RULE_PRIORITY = 90;
/** First line of every file ethkit installs: a file without it is never overwritten or removed. */
export const MARKER = '# Installed by ethkit --persist';

export function layout(root: string): Layout {
  const at = (p: string) => path.join(root, p);
  return {
    root,
    specDir: at('/etc/ethkit/persist'),
    rulesDir: at('/etc/udev/rules.d'),
    unitDir: at('/etc/systemd/system'),
    runDir: at('/run/ethkit/persist'),
  };
}

export function specFile(l: Layout, id: string): string { return path.join(l.specDir, `${id}.json`); }
export function profileCopy(l: Layout, id: string): string { return path.join(l.specDir, `${id}.yaml`); }
export function ruleFile(l: Layout, id: string): string { return path.join(l.rulesDir, `${RULE_PRIORITY}-ethkit-${id}.rules`); }
export function templateFile(l: Layout): string { return path.join(l.unitDir, TEMPLATE); }
export function wantsLink(l: Layout, id: string): string { return path.join(l.unitDir, 'multi-user.target.wants', unitName(id)); }
export function recordFile(l: Layout, id: string): string { return path.join(l.runDir, `${id}.json`); }
/** The directories ethkit made (relative to the root), removed with the last spec. */
export function createdFile(l: Layout): string { return path.join(l.specDir, '.created-dirs'); }

export function unitName(id: string): string { return `ethkit-apply@${id}.service`; }

/** A spec id: `mac-525400123456`, `pci-0000-00-03.0`, `netdevsim-netdevsim1-port1`. Safe in file and unit names. */
export function matchId(m: Match): string {
  if (m.kind === 'mac') return `mac-${m.mac.replace(/:/g, '')}`;
  return `${m.subsystem}-${m.kernel.replace(/[^A-Za-z0-9_.]/g, '-')}${m.devPort ? `-port${m.devPort}` : ''}`;
}

export const ID_RE = /^(mac-[0-9a-f]{2,64}|[a-z0-9_]+-[A-Za-z0-9_.-]+)$/;

export function matchText(m: Match): string {
  if (m.kind === 'mac') return `permanent address ${m.mac}`;
  return `${m.subsystem} device ${m.kernel}${m.devPort !== null ? ` port ${m.devPort}` : ''}`;
}

// ---- reading a device's stable attributes ----------------------------------------------------

export interface DeviceFacts {
  dev: string;
  /** ETHTOOL_GPERMADDR, "aa:bb:…", null when the driver has none (all zero) or refuses. */
  permaddr: string | null;
  /** /sys/class/net/DEV/addr_assign_type (0 = permanent, 1 = random, 3 = set). */
  assignType: number | null;
  /** The bus device (null for a virtual device, which has no /sys/class/net/DEV/device). */
  bus: { subsystem: string; kernel: string } | null;
  devPort: number | null;
  driver: string | null;
}

function intOf(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

const BUS_PREFERRED = new Set(['pci', 'usb']);

export function deviceFacts(env: Env, dev: string, nic = new Nic(dev, env.transport)): DeviceFacts {
  const fsys = env.fs;
  const base = `/sys/class/net/${dev}`;
  let permaddr: string | null = null;
  try {
    const a = nic.permAddr();
    if (a.length && a.some(b => b !== 0)) permaddr = [...a].map(b => b.toString(16).padStart(2, '0')).join(':');
  } catch (e) {
    if (!(e instanceof EthtoolError)) throw e;
  }
  return { dev, permaddr, assignType: intOf(fsys.read(`${base}/addr_assign_type`)), bus: busOf(fsys, dev), devPort: intOf(fsys.read(`${base}/dev_port`)), driver: driverOf(fsys, dev) };
}

function driverOf(fsys: HostFs, dev: string): string | null {
  const l = fsys.readlink(`/sys/class/net/${dev}/device/driver`);
  return l ? path.posix.basename(l) : null;
}

/**
 * The bus device of an interface, from where /sys/class/net/DEV points
 * (../../devices/pci0000:00/0000:00:03.0/virtio0/net/eth1): the deepest PCI or USB device on
 * the way, else the interface's own parent device (netdevsim1 on the netdevsim bus). The
 * virtio device in between (virtio0) is numbered in probe order: the PCI function is what stays.
 */
export function busOf(fsys: HostFs, dev: string): { subsystem: string; kernel: string } | null {
  if (fsys.readlink(`/sys/class/net/${dev}/device`) === null) return null;
  const link = fsys.readlink(`/sys/class/net/${dev}`);
  if (!link) return null;
  const abs = path.posix.resolve('/sys/class/net', link);
  const tail = `/net/${dev}`;
  if (!abs.endsWith(tail)) return null;
  let dir = abs.slice(0, -tail.length);
  let parent: { subsystem: string; kernel: string } | null = null;
  while (dir.startsWith('/sys/devices/') && dir.length > '/sys/devices/'.length) {
    const sub = fsys.readlink(`${dir}/subsystem`);
    if (sub) {
      const here = { subsystem: path.posix.basename(sub), kernel: path.posix.basename(dir) };
      parent ??= here;
      if (BUS_PREFERRED.has(here.subsystem)) return here;
    }
    dir = path.posix.dirname(dir);
  }
  return parent;
}

/** The match for a device: `want` = auto picks the permanent address when it has one. Throws a one-line Error otherwise. */
export function matchFor(f: DeviceFacts, want: 'auto' | 'mac' | 'bus'): Match {
  // An interface without a device behind it (veth, bridge, VLAN) is made by software, not found.
  if (!f.bus) throw new Error(`${f.dev} is a virtual device (no /sys/class/net/${f.dev}/device): nothing makes it appear again, so it cannot be persisted`);
  const macOk = f.permaddr !== null;
  if (want === 'mac' || (want === 'auto' && macOk)) {
    if (!macOk) throw new Error(`${f.dev} has no permanent address (ETHTOOL_GPERMADDR is ${f.assignType === 1 ? 'zero: its address is random' : 'zero or refused'}); use --match bus`);
    return { kind: 'mac', mac: f.permaddr! };
  }
  return { kind: 'bus', subsystem: f.bus.subsystem, kernel: f.bus.kernel, devPort: f.devPort };
}

export function matches(m: Match, f: DeviceFacts): boolean {
  if (m.kind === 'mac') return f.permaddr === m.mac;
  return f.bus !== null && f.bus.subsystem === m.subsystem && f.bus.kernel === m.kernel && (m.devPort === null || f.devPort === m.devPort);
}

/** The interfaces (with a device behind them) that match, now. */
export function findMatching(env: Env, m: Match): DeviceFacts[] {
  const out: DeviceFacts[] = [];
  for (const dev of (env.fs.list('/sys/class/net') ?? []).sort()) {
    if (env.fs.readlink(`/sys/class/net/${dev}/device`) === null) continue;
    // A bus match needs no ioctl; the permanent address is asked of each candidate.
    if (m.kind === 'bus') {
      const bus = busOf(env.fs, dev);
      if (!bus || bus.subsystem !== m.subsystem || bus.kernel !== m.kernel) continue;
    }
    const f = deviceFacts(env, dev);
    if (matches(m, f)) out.push(f);
  }
  return out;
}

// ---- the files -------------------------------------------------------------------------------

/** A value safe between the double quotes of a udev rule. */
function udevValue(v: string): string {
  if (!/^[A-Za-z0-9:._-]+$/.test(v)) throw new Error(`cannot put "${v}" in a udev rule`);
  return v;
}

function paramLine(spec: PersistSpec): string {
  const e = Object.entries(spec.params);
  return e.length ? ` (${e.map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`).join(' ')})` : '';
}

export function ruleText(spec: PersistSpec): string {
  const m = spec.match;
  const keys = ['ACTION=="add"', 'SUBSYSTEM=="net"'];
  if (m.kind === 'mac') keys.push('ATTR{addr_assign_type}=="0"', `ATTR{address}=="${udevValue(m.mac)}"`);
  else {
    if (m.devPort !== null) keys.push(`ATTR{dev_port}=="${m.devPort}"`);
    keys.push(`SUBSYSTEMS=="${udevValue(m.subsystem)}"`, `KERNELS=="${udevValue(m.kernel)}"`);
  }
  keys.push('TAG+="systemd"', `ENV{SYSTEMD_WANTS}+="${unitName(spec.id)}"`);
  return [
    `${MARKER}; remove with: ethkit --unpersist ${spec.id}`,
    `# Re-applies the tuning profile ${spec.profile.name}${paramLine(spec)} to the interface with ${matchText(m)}`,
    `# (${spec.device.name}${spec.device.driver ? `, ${spec.device.driver}` : ''} when persisted) whenever it appears.`,
    keys.join(', '),
    '',
  ].join('\n');
}

export interface UnitOptions {
  /** The ethkit program (absolute). */
  bin: string;
  /** The directory of the node binary, put first on the unit's PATH. */
  nodeDir: string;
  /** Where the documentation is (absolute path). */
  docs: string;
}

/** The template unit. `%i` is the spec id; the unit runs after the device's udev event is done. */
export function templateText(l: Layout, o: UnitOptions): string {
  const rootArg = l.root === '/' ? '' : ` --root ${l.root}`;
  return [
    `${MARKER}; removed with the last persisted device (ethkit --unpersist)`,
    '[Unit]',
    'Description=ethkit: re-apply a persisted tuning profile (%i)',
    `Documentation=file://${o.docs}`,
    'DefaultDependencies=no',
    // Its own settings last: after the sysctl.d files, before the network is configured.
    'After=local-fs.target systemd-sysctl.service systemd-udevd.service',
    'Before=network-pre.target shutdown.target',
    'Conflicts=shutdown.target',
    `ConditionPathExists=${path.join(l.specDir, '%i.json')}`,
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${o.bin} --persist-run %i${rootArg}`,
    // 2: the device was already as the profile says.
    'SuccessExitStatus=2',
    `Environment=PATH=${o.nodeDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    'TimeoutStartSec=180',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function specText(spec: PersistSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}

/** A stored spec, checked; throws a one-line Error. */
export function parseSpec(text: string, file: string): PersistSpec {
  let s: PersistSpec;
  try { s = JSON.parse(text) as PersistSpec; } catch (e) { throw new Error(`${file}: not JSON (${(e as Error).message})`); }
  const m = s?.match as Match | undefined;
  const okMatch = m && (m.kind === 'mac' ? typeof m.mac === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/.test(m.mac)
    : m.kind === 'bus' && typeof m.subsystem === 'string' && typeof m.kernel === 'string' && (m.devPort === null || Number.isInteger(m.devPort)));
  if (!s || s.version !== 1 || typeof s.id !== 'string' || !ID_RE.test(s.id) || !okMatch || matchId(m) !== s.id
    || !s.profile || typeof s.profile.file !== 'string' || typeof s.profile.name !== 'string' || !Array.isArray(s.sets) || typeof s.bin !== 'string') {
    throw new Error(`${file}: not an ethkit persistence spec (version 1)`);
  }
  return s;
}
