/**
 * irqbalance and the profile's IRQ placement. irqbalance rewrites /proc/irq/N/smp_affinity every
 * cycle (10 s by default, --interval), so a placement made by a profile lasts one cycle at most.
 * A profile says what to do when it runs (`queues: irqbalance:`):
 *
 *   ban     the tuned queue IRQs join irqbalance's list of banned IRQs, which it never moves. Done
 *           live through its control socket (/run/irqbalance/irqbalance<PID>.sock, or the abstract
 *           socket of that name): `setup` lists the IRQs banned now, `settings ban irqs N…`
 *           replaces the list (irqbalance 1.8 and later). The list before is recorded and sent
 *           back on rollback. No configuration file is written, so a restart of irqbalance
 *           forgets the ban: --verify then reports it, and an --apply bans again.
 *   stop    irqbalance is stopped (`systemctl stop UNIT` when systemd runs it, else SIGTERM to the
 *           process) and started again on rollback the same way (the unit, or the same command
 *           line with its IRQBALANCE_* environment).
 *   ignore  nothing is done (the plan says that irqbalance may move the IRQs).
 *
 * Detection: a process whose /proc/PID/comm is "irqbalance"; its systemd unit from
 * /proc/PID/cgroup. The control is behind an interface (IrqbalanceControl) so that tests bring
 * their own; the machine's is RealIrqbalance.
 */
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import type { HostFs } from '../common/hostfs';
import type { Profile, Scalar } from './model';
import type { HostState } from './state';
import type { Row } from './plan';
import { formatCpuList } from '../common/cpus';

export type IrqbalanceChoice = 'ban' | 'stop' | 'ignore';

export interface IrqbalanceProc {
  pid: number;
  /** Its command line (/proc/PID/cmdline). */
  argv: string[];
  /** IRQBALANCE_* variables of its environment (they configure it). */
  env: Record<string, string>;
  /** The systemd unit that runs it, or null (started by hand or another init). */
  unit: string | null;
}

export interface IrqbalanceControl {
  find(): IrqbalanceProc | null;
  /** The IRQs banned now (the `setup` answer). */
  banned(p: IrqbalanceProc): Promise<number[]>;
  /** Replace the banned list (empty: none). */
  ban(p: IrqbalanceProc, irqs: readonly number[]): Promise<void>;
  stop(p: IrqbalanceProc): Promise<void>;
  /** Start it again as it ran; resolves when it is up (its socket answers). */
  start(p: IrqbalanceProc): Promise<IrqbalanceProc>;
}

/** What an apply did to irqbalance, kept in the snapshot so that a rollback undoes it. */
export type IrqbalanceRecord =
  | { action: 'ban'; pid: number; prior: number[]; banned: number[] }
  | { action: 'stop'; proc: IrqbalanceProc };

/** The profile's choice, or null when it does not say (then nothing is done and no row shown). */
export function irqbalanceChoice(profile: Profile, params: Record<string, Scalar>): IrqbalanceChoice | null {
  const s = profile.settings.find(x => x.group === 'queues' && x.key === 'irqbalance');
  if (!s) return null;
  const v = s.value.kind === 'lit' ? s.value.v : s.value.kind === 'param' ? params[s.value.name] : null;
  return v === 'ban' || v === 'stop' || v === 'ignore' ? v : null;
}

/** The queue IRQs a profile places (those of devices it sets irq-affinity on). */
export function tunedIrqs(profile: Profile, state: HostState): number[] {
  if (!profile.settings.some(s => s.group === 'queues' && s.key === 'irq-affinity')) return [];
  return [...new Set(state.devices.flatMap(d => d.irqs.map(q => q.irq)))].sort((a, b) => a - b);
}

/**
 * irqbalance as found before a command, and what was done to it since; makes the plan's row.
 * `observe` must be called (it asks the socket) before `row`.
 */
export class IrqbalanceState {
  proc: IrqbalanceProc | null = null;
  banned: number[] | null = null;
  error: string | null = null;
  stopped = false;

  constructor(readonly ctl: IrqbalanceControl, readonly choice: IrqbalanceChoice) {}

  async observe(): Promise<void> {
    this.proc = this.ctl.find();
    this.banned = null;
    this.error = null;
    if (!this.proc || this.choice !== 'ban') return;
    try { this.banned = await this.ctl.banned(this.proc); } catch (e) { this.error = (e as Error).message; }
  }

  /** The plan's row for irqbalance (host-wide). */
  row(irqs: readonly number[]): Row {
    const base = { dev: null, id: 'service:irqbalance', group: 'queues' as const, setting: 'irqbalance', why: 'irqbalance would move the tuned IRQs within one of its cycles' };
    const p = this.proc;
    if (!p || this.stopped) return { ...base, current: this.stopped ? 'stopped' : 'not running', target: this.choice, action: this.stopped ? 'ok' : 'skip', ...(this.stopped ? {} : { reason: 'irqbalance is not running' }) };
    const running = `running (pid ${p.pid}${p.unit ? `, ${p.unit}` : ''})`;
    if (this.choice === 'ignore') return { ...base, current: running, target: 'ignore', action: 'skip', reason: 'irqbalance: ignore: its cycles may move the tuned IRQs' };
    if (this.choice === 'stop') return { ...base, current: running, target: 'stopped', action: 'set', resetsLink: false };
    if (irqs.length === 0) return { ...base, current: running, target: 'ban', action: 'skip', reason: 'no queue IRQs to keep from it' };
    const want = `ban ${formatCpuList(irqs)}`;
    if (this.banned === null) return { ...base, current: `${running}, banned IRQs unknown (${this.error ?? 'not asked'})`, target: want, action: 'set', resetsLink: false };
    const cur = `${running}, banned: ${this.banned.length ? formatCpuList(this.banned) : 'none'}`;
    const ok = irqs.every(i => this.banned!.includes(i));
    return { ...base, current: cur, target: want, action: ok ? 'ok' : 'set', ...(ok ? {} : { resetsLink: false }) };
  }

  /** Bring irqbalance to the choice for these IRQs; returns what to record for the undo (null: nothing done). */
  async enforce(irqs: readonly number[], prior: IrqbalanceRecord | null): Promise<IrqbalanceRecord | null> {
    const p = this.proc;
    if (!p || this.choice === 'ignore' || this.stopped) return prior;
    if (this.choice === 'stop') {
      await this.ctl.stop(p);
      this.stopped = true;
      return { action: 'stop', proc: p };
    }
    if (irqs.length === 0) return prior;
    if (this.banned === null) throw new Error(`irqbalance (pid ${p.pid}): cannot read its banned IRQs: ${this.error ?? 'no answer'}`);
    const before = prior?.action === 'ban' ? prior.prior : this.banned;
    const next = [...new Set([...this.banned, ...irqs])].sort((a, b) => a - b);
    if (next.length !== this.banned.length) await this.ctl.ban(p, next);
    // Read back: the list irqbalance holds now is what counts.
    this.banned = await this.ctl.banned(p);
    const missing = irqs.filter(i => !this.banned!.includes(i));
    if (missing.length) throw new Error(`irqbalance (pid ${p.pid}) did not take the ban of IRQ(s) ${formatCpuList(missing)}`);
    return { action: 'ban', pid: p.pid, prior: before, banned: next };
  }
}

/** Undo what an apply did: the banned list as before, or irqbalance started again. Returns a line for the report. */
export async function undoIrqbalance(ctl: IrqbalanceControl, rec: IrqbalanceRecord): Promise<string> {
  const now = ctl.find();
  if (rec.action === 'ban') {
    if (!now) return 'irqbalance: not running any more: no ban to lift';
    if (now.pid !== rec.pid) return `irqbalance: restarted since (pid ${rec.pid} then, ${now.pid} now): its ban list is its own again`;
    await ctl.ban(now, rec.prior);
    return `irqbalance: banned IRQs back to ${rec.prior.length ? formatCpuList(rec.prior) : 'none'}`;
  }
  if (now) return `irqbalance: running again already (pid ${now.pid})`;
  const p = await ctl.start(rec.proc);
  return `irqbalance: started again (pid ${p.pid}${p.unit ? `, ${p.unit}` : ''})`;
}

// ---- the machine's irqbalance ---------------------------------------------------------------

/** Parse the answer to `setup`: "SLEEP 10 IRQ 41 LOAD 0 DIFF 0 CLASS 2 … BANNED 00000000". */
export function parseSetup(text: string): number[] {
  return [...text.matchAll(/\bIRQ (\d+) LOAD\b/g)].map(m => Number(m[1])).sort((a, b) => a - b);
}

export function banMessage(irqs: readonly number[]): string {
  return `settings ban irqs ${irqs.length ? irqs.join(' ') : 'NONE'}`;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export interface ExecResult { status: number | null; stderr: string }

export class RealIrqbalance implements IrqbalanceControl {
  constructor(
    private readonly fs: HostFs,
    private readonly exec: (cmd: string, args: string[]) => ExecResult = (cmd, args) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
      return { status: r.status, stderr: r.error ? r.error.message : r.stderr };
    },
    private readonly timeoutMs = 5000,
  ) {}

  find(): IrqbalanceProc | null {
    let pids: string[] = [];
    try { pids = this.fs.list('/proc') ?? []; } catch { pids = []; }
    for (const d of pids) {
      if (!/^\d+$/.test(d)) continue;
      let comm: string | null = null;
      try { comm = this.fs.read(`/proc/${d}/comm`); } catch { comm = null; }
      if (comm?.trim() !== 'irqbalance') continue;
      const pid = Number(d);
      const read = (f: string) => { try { return this.fs.read(`/proc/${d}/${f}`) ?? ''; } catch { return ''; } };
      const argv = read('cmdline').split('\0').filter(Boolean);
      const env = Object.fromEntries(read('environ').split('\0').filter(x => x.startsWith('IRQBALANCE_')).map(x => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));
      const unit = /\/([^/\n]+\.service)\s*$/m.exec(read('cgroup'))?.[1] ?? null;
      return { pid, argv: argv.length ? argv : ['irqbalance'], env, unit };
    }
    return null;
  }

  /** Its control socket: the file in /run/irqbalance when there is one, else the abstract name. */
  socketPath(p: IrqbalanceProc): string {
    const file = `/run/irqbalance/irqbalance${p.pid}.sock`;
    let exists = false;
    try { exists = this.fs.list('/run/irqbalance')?.includes(`irqbalance${p.pid}.sock`) ?? false; } catch { exists = false; }
    return exists ? file : `\0irqbalance${p.pid}.sock`;
  }

  /** One request, one answer: irqbalance reads one message, answers and closes. */
  request(p: IrqbalanceProc, msg: string): Promise<string> {
    const path = this.socketPath(p);
    const shown = path.startsWith('\0') ? `@${path.slice(1)}` : path;
    return new Promise((resolve, reject) => {
      const sock = net.connect({ path });
      let out = '';
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`irqbalance socket ${shown}: no answer in ${this.timeoutMs} ms`)); }, this.timeoutMs);
      sock.setEncoding('latin1');
      sock.on('connect', () => sock.write(msg));
      sock.on('data', (d: string) => { out += d; });
      sock.on('error', e => { clearTimeout(timer); reject(new Error(`irqbalance socket ${shown}: ${e.message}`)); });
      sock.on('close', () => { clearTimeout(timer); resolve(out); });
    });
  }

  async banned(p: IrqbalanceProc): Promise<number[]> {
    const answer = await this.request(p, 'setup');
    if (!/^SLEEP \d+/.test(answer)) throw new Error(`irqbalance (pid ${p.pid}) gave no setup answer${answer ? `: ${JSON.stringify(answer.slice(0, 80))}` : ' (not root? irqbalance answers uid 0 only)'}`);
    return parseSetup(answer);
  }

  async ban(p: IrqbalanceProc, irqs: readonly number[]): Promise<void> {
    await this.request(p, banMessage(irqs));
  }

  private gone(pid: number): boolean {
    try { return this.fs.read(`/proc/${pid}/comm`)?.trim() !== 'irqbalance'; } catch { return true; }
  }

  async stop(p: IrqbalanceProc): Promise<void> {
    if (p.unit) {
      const r = this.exec('systemctl', ['stop', p.unit]);
      if (r.status !== 0) throw new Error(`systemctl stop ${p.unit} failed (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
    } else {
      try { process.kill(p.pid, 'SIGTERM'); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw new Error(`cannot stop irqbalance (pid ${p.pid}): ${(e as Error).message}`); }
    }
    for (let t = 0; t < this.timeoutMs; t += 50) { if (this.gone(p.pid)) return; await sleep(50); }
    throw new Error(`irqbalance (pid ${p.pid}) still runs ${this.timeoutMs} ms after it was told to stop`);
  }

  async start(p: IrqbalanceProc): Promise<IrqbalanceProc> {
    if (p.unit) {
      const r = this.exec('systemctl', ['start', p.unit]);
      if (r.status !== 0) throw new Error(`systemctl start ${p.unit} failed (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
    } else {
      const child = spawn(p.argv[0], p.argv.slice(1), { detached: true, stdio: 'ignore', env: { ...process.env, ...p.env } });
      await new Promise<void>((resolve, reject) => { child.once('spawn', () => resolve()); child.once('error', e => reject(new Error(`cannot start ${p.argv[0]}: ${e.message}`))); });
      child.unref();
    }
    for (let t = 0; t < this.timeoutMs; t += 100) {
      const now = this.find();
      if (now) {
        try { await this.banned(now); return now; } catch { /* its socket is not up yet */ }
      }
      await sleep(100);
    }
    throw new Error(`irqbalance did not come up within ${this.timeoutMs} ms of being started`);
  }
}
