/**
 * A small world for the fault tests of the profile commands: a network namespace this test
 * creates (and always deletes) with a veth pair va/vb of 4 queues each, a state directory and a
 * profile directory of its own, and ethkit run as the real binary (bin/ethkit) inside the
 * namespace. Nothing here touches the host's links or sysctls: ethkit only ever runs under
 * `ip netns exec`, and the profiles it applies change only per-namespace settings (net.ipv4.*).
 */
import { spawnSync, spawn, SpawnSyncReturns, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Netns, sh } from './helpers/netns';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'bin', 'ethkit');

/** A profile that changes every kind of thing a veth has: features, channels, queue files, sysctls. */
export const FAULTS_PROFILE = `name: faults
description: every kind of change a veth takes
features:
  gro: on   # one feature
  tso: off   # a group of features
channels:
  rx: 2   # queues go away
  tx: 2   # and their files with them
queues:
  xps: spread   # queue files
  rps: all   # queue files
sysctl:
  net.ipv4.conf.all.send_redirects: 0   # namespace-wide
  net.ipv4.conf.{dev}.send_redirects: 0   # per device
  net.ipv4.conf.{dev}.rp_filter: 2   # per device
  net.ipv4.ip_forward: 1   # namespace-wide, last
`;

export interface Run { code: number | null; signal: string | null; out: string; err: string; ms: number }

export class World {
  readonly ns: Netns;
  readonly stateDir: string;
  readonly profileDir: string;
  readonly devs = ['va', 'vb'];

  constructor(prefix: string) {
    this.ns = Netns.create(prefix);
    this.makeVeth();
    this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `ek${prefix}-state-`));
    this.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), `ek${prefix}-prof-`));
    fs.writeFileSync(path.join(this.profileDir, 'faults.yaml'), FAULTS_PROFILE);
    for (const n of ['director', 'realserver', 'latency']) fs.copyFileSync(path.join(ROOT, 'profiles', `${n}.yaml`), path.join(this.profileDir, `${n}.yaml`));
    for (const p of [this.stateDir, this.profileDir]) fs.chmodSync(p, 0o755);
  }

  /** The veth pair, with queue files that differ from the kernel's defaults. */
  makeVeth(): void {
    this.ns.veth('va', 'vb', { queues: 4 });
    this.sh('echo 2 > /sys/class/net/va/queues/tx-3/xps_cpus; echo 1 > /sys/class/net/vb/queues/rx-3/rps_cpus');
  }

  /** A shell command in the namespace. */
  sh(script: string, allowFail = false): SpawnSyncReturns<string> {
    return this.ns.exec('sh', ['-c', script], { allowFail });
  }

  /** The argv that runs ethkit in the namespace, behind `wrap` (strace, setpriv, unshare …). */
  argv(args: readonly string[], wrap: readonly string[] = [], state = true): string[] {
    return ['ip', 'netns', 'exec', this.ns.name, ...wrap, process.execPath, BIN, ...args, ...(state ? ['--state-dir', this.stateDir] : []), '--profile-dir', this.profileDir];
  }

  ethkit(args: readonly string[], opts: { wrap?: readonly string[]; state?: boolean; input?: string; timeoutMs?: number } = {}): Run {
    const [cmd, ...rest] = this.argv(args, opts.wrap, opts.state ?? true);
    const t = Date.now();
    const r = spawnSync(cmd, rest, { encoding: 'utf8', input: opts.input ?? '', timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw r.error;
    return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr, ms: Date.now() - t };
  }

  /** ethkit started in the background. */
  start(args: readonly string[], wrap: readonly string[] = []): { child: ChildProcess; done: Promise<Run> } {
    const [cmd, ...rest] = this.argv(args, wrap);
    const t = Date.now();
    const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout!.on('data', d => { out += d; });
    child.stderr!.on('data', d => { err += d; });
    const done = new Promise<Run>(resolve => child.on('close', (code, signal) => resolve({ code, signal, out, err, ms: Date.now() - t })));
    return { child, done };
  }

  /**
   * Everything the fault profile (or director/realserver) can change, as text: ethtool -k/-l/-g
   * of both devices (with their exit codes), every queue file, the sysctls.
   */
  state(): string {
    return this.sh(this.stateScript()).stdout;
  }

  /** The shell script state() runs (to run it inside another wrapper, e.g. a private mount namespace). */
  stateScript(): string {
    return [
      ...this.devs.flatMap(d => [`ethtool -k ${d}; echo "k=$?"`, `ethtool -l ${d}; echo "l=$?"`, `ethtool -g ${d} 2>&1; echo "g=$?"`]),
      `for f in /sys/class/net/v[ab]/queues/*/[rx]ps_cpus; do echo "$f $(cat $f)"; done`,
      `for k in ip_forward conf/all/send_redirects conf/all/rp_filter conf/all/arp_ignore conf/all/arp_announce ${this.devs.flatMap(d => [`conf/${d}/send_redirects`, `conf/${d}/rp_filter`, `conf/${d}/arp_ignore`, `conf/${d}/arp_announce`]).join(' ')}; do echo "$k $(cat /proc/sys/net/ipv4/$k)"; done`,
    ].join('\n');
  }

  /** Every file under the state directory except the lock (entries, journal, temporaries). */
  files(): string[] {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p !== path.join(this.stateDir, 'lock')) out.push(path.relative(this.stateDir, p));
      }
    };
    if (fs.existsSync(this.stateDir)) walk(this.stateDir);
    return out.sort();
  }

  /** The inode of the namespace ("net:[N]"). */
  netnsLink(): string {
    return this.sh('readlink /proc/self/ns/net').stdout.trim();
  }

  destroy(): void {
    this.ns.destroy();
    for (const p of [this.stateDir, this.profileDir]) fs.rmSync(p, { recursive: true, force: true });
  }
}

/** A seeded PRNG (mulberry32), so that a failing kill point can be tried again. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export { sh };
