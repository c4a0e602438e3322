/**
 * Running guest scripts in the rig VM from a host test (rig/README.md): rig/setup, then one
 * rig/run whose output streams to our stderr with a prefix; the result has the exit code and
 * the whole output, for the test to assert on. Failures of the rig itself (125), timeouts (124)
 * and a missing set-up are reported in words, never as a skip.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

export interface RigResult { code: number | null; out: string; seconds: number }

export function rigWhy(code: number | null): string {
  if (code === 124) return 'timeout: the VM was killed';
  if (code === 125) return 'the rig itself failed (not set up, boot failure or guest panic; see the console tail)';
  if (code === null) return 'could not be run';
  return `exit ${code}`;
}

/** Run `cmd args` from the repo root, streaming its output (prefixed) to stderr; resolves when it ends. */
export function streamedRun(prefix: string, cmd: string, args: readonly string[], timeoutMs: number): Promise<RigResult> {
  const t0 = Date.now();
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const pipe = (s: NodeJS.ReadableStream) => {
      let buf = '';
      s.on('data', (d: Buffer) => {
        const t = d.toString();
        out += t;
        buf += t;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) { process.stderr.write(`${prefix} ${buf.slice(0, i)}\n`); buf = buf.slice(i + 1); }
      });
      s.on('end', () => { if (buf) process.stderr.write(`${prefix} ${buf}\n`); });
    };
    pipe(child.stdout as NodeJS.ReadableStream);
    pipe(child.stderr as NodeJS.ReadableStream);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    const done = (code: number | null) => { clearTimeout(timer); resolve({ code, out, seconds: Math.round((Date.now() - t0) / 1000) }); };
    child.on('error', e => { out += `cannot run ${cmd}: ${e.message}\n`; done(null); });
    child.on('close', code => done(code));
  });
}

/** rig/setup (idempotent, downloads on the first run); throws with its output when it fails. */
export async function rigSetup(): Promise<void> {
  const r = await streamedRun('[setup]', path.join(ROOT, 'rig/setup'), [], 15 * 60_000);
  if (r.code !== 0) throw new Error(`rig/setup failed (${rigWhy(r.code)}):\n${r.out.split('\n').slice(-20).join('\n')}`);
}

/** One VM: `rig/run RIGARGS --timeout S -- bash -c SCRIPT`. */
export function rigRun(prefix: string, rigArgs: readonly string[], script: string, timeoutS: number): Promise<RigResult> {
  return streamedRun(prefix, path.join(ROOT, 'rig/run'), [...rigArgs, '--timeout', String(timeoutS), '--', 'bash', '-c', script], (timeoutS + 60) * 1000);
}
