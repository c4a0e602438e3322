/**
 * Network-namespace helpers for tests that must change NIC settings: never on the host's
 * links, only on veth/tap devices inside a namespace the test creates and always removes.
 *
 *   const ns = await Netns.create('co');          // "ekco<pid%1000>" plus a counter
 *   try {
 *     ns.ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb');
 *     const out = ns.runNic('va', [{ call: 'features' }]);   // in-process API, in the namespace
 *   } finally { ns.destroy(); }
 *
 * Every namespace created is also removed at process exit should a test forget or crash.
 * Names follow the project rule: "ek" + a prefix of the caller's + pid % 1000 (+ a counter), at
 * most 15 characters, so concurrent test runs never collide.
 */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const live = new Set<string>();
let exitHookInstalled = false;
let counter = 0;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const ns of live) spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  });
}

/** Fails loudly (throws) if `tool` cannot be run; `pkg` names the Debian package to install. */
export function requireTool(tool: string, pkg = tool, args = ['--version']): void {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${tool} is not installed (apt-get install ${pkg}): ${r.error.message}`);
}

/** Run a command, throwing with its stderr if it fails. */
export function sh(cmd: string, args: readonly string[], opts: { input?: string; allowFail?: boolean } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, timeout: 60_000 });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout).trim()}`);
  }
  return r;
}

/** A unique interface or namespace name: "ek" + prefix + pid%1000 + suffix, at most 15 bytes. */
export function uniqueName(prefix: string, suffix = ''): string {
  const name = `ek${prefix}${process.pid % 1000}${suffix}`;
  if (Buffer.byteLength(name) > 15) throw new Error(`name ${name} is longer than 15 bytes: use a shorter prefix`);
  return name;
}

/** One result of a child-process op: its value (bigints as decimal strings) or its error. */
export type OpResult =
  | { ok: unknown }
  | { error: { name: string; message: string; kind?: string; errno?: number; op?: string } };

/** An op for the child runner (test/helpers/nic-child.ts); see there for the full list. */
export type Op = { call: string; args?: unknown[] } | { reader: 'new' | 'read' } | { exec: string[] } | { raw: 'gstatsOverflow'; nStats: number };

export class Netns {
  private constructor(readonly name: string) {}

  /** Create a fresh namespace with its loopback up. */
  static create(prefix: string): Netns {
    requireTool('ip', 'iproute2', ['-V']);
    installExitHook();
    const name = uniqueName(prefix, String(counter++));
    sh('ip', ['netns', 'delete', name], { allowFail: true }); // a leftover from a killed run
    sh('ip', ['netns', 'add', name]);
    live.add(name);
    const ns = new Netns(name);
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** `ip -n NS …` */
  ip(...args: string[]): SpawnSyncReturns<string> {
    return sh('ip', ['-n', this.name, ...args]);
  }

  /** Run any command inside the namespace. */
  exec(cmd: string, args: readonly string[], opts: { allowFail?: boolean } = {}): SpawnSyncReturns<string> {
    return sh('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  /** Create a veth pair a <-> b in this namespace, both up. `queues` sets rx and tx queue counts. */
  veth(a: string, b: string, opts: { queues?: number } = {}): void {
    const q = opts.queues ? ['numtxqueues', String(opts.queues), 'numrxqueues', String(opts.queues)] : [];
    this.ip('link', 'add', a, ...q, 'type', 'veth', 'peer', 'name', b, ...q);
    this.ip('link', 'set', a, 'up');
    this.ip('link', 'set', b, 'up');
  }

  /**
   * Run ethkit's in-process API inside the namespace: a child node process under
   * `ip netns exec` runs `ops` on interface `ifname` and prints one JSON result per op.
   */
  runNic(ifname: string, ops: readonly Op[]): OpResult[] {
    const child = path.join(__dirname, 'nic-child.js');
    if (!existsSync(child)) throw new Error(`${child} is missing: build the tests first (tsc -p .)`);
    const r = this.exec(process.execPath, [child, ifname, JSON.stringify(ops)], { allowFail: true });
    if (r.status !== 0) throw new Error(`nic-child in ${this.name} exited ${r.status}: ${r.stderr.trim()}`);
    return JSON.parse(r.stdout) as OpResult[];
  }

  /** Delete the namespace (and with it every link inside). Safe to call twice. */
  destroy(): void {
    if (!live.has(this.name)) return;
    sh('ip', ['netns', 'delete', this.name], { allowFail: true });
    live.delete(this.name);
  }

  /** True while `ip netns list` shows the namespace. */
  exists(): boolean {
    return sh('ip', ['netns', 'list']).stdout.split('\n').some(l => l.split(' ')[0] === this.name);
  }
}

/** The value of an op result, or a thrown Error carrying the child's error message. */
export function value<T = unknown>(r: OpResult | undefined): T {
  if (!r) throw new Error('no result for this op');
  if ('error' in r) throw Object.assign(new Error(r.error.message), r.error);
  return r.ok as T;
}
