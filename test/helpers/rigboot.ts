/**
 * Booting the rig from a test file (one guest boot per file): rig/setup, then rig/run with a
 * guest script, its output streamed to stderr with a prefix and kept for the checks.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const SETUP_TIMEOUT_MS = 15 * 60_000;

export function runStreamed(prefix: string, cmd: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d: Buffer) => { const t = d.toString('utf8'); out += t; process.stderr.write(t.replace(/^(?=.)/gm, `[${prefix}] `)); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', e => { clearTimeout(timer); resolve({ code: null, out: out + `\ncannot run ${cmd}: ${e.message}` }); });
    child.on('close', code => { clearTimeout(timer); resolve({ code, out }); });
  });
}

/** rig/setup, then the guest command in one VM; the exit code of rig/run and all output. */
export async function bootRig(prefix: string, rigArgs: readonly string[], guest: readonly string[], vmTimeoutS: number): Promise<{ setup: number | null; code: number | null; out: string }> {
  const setup = await runStreamed(prefix, path.join(ROOT, 'rig/setup'), [], SETUP_TIMEOUT_MS);
  if (setup.code !== 0) return { setup: setup.code, code: null, out: setup.out };
  const r = await runStreamed(prefix, path.join(ROOT, 'rig/run'), [...rigArgs, '--timeout', String(vmTimeoutS), '--', ...guest], (vmTimeoutS + 60) * 1000);
  return { setup: 0, ...r };
}

export function rigWhy(code: number | null): string {
  if (code === 124) return 'timeout: the VM was killed';
  if (code === 125) return 'the rig itself failed (not set up, boot failure or guest panic)';
  if (code === null) return 'could not be run';
  return `exit ${code}`;
}

/** name=value of a result line ("PROFILE eth0 vmxnet3 plan=0 …"). */
export function field(line: string, name: string): string | undefined {
  return new RegExp(`(?:^| )${name}=(\\S*)`).exec(line)?.[1];
}
