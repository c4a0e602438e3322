/**
 * Run test/helpers/nl-child.ts ops in a network namespace (or, without one, in a plain child
 * process with extra environment such as LD_PRELOAD) and return its per-op results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Netns } from './netns';

export type ChildResult = { ok: any } | { error: { name: string; message: string; errno?: number; op?: string; ffiError?: boolean } };

const CHILD = path.join(__dirname, 'nl-child.js');

export function runChild(ns: Netns | null, ops: readonly object[], env: NodeJS.ProcessEnv = {}): ChildResult[] {
  if (!existsSync(CHILD)) throw new Error(`${CHILD} is missing: build the tests first (tsc -p .)`);
  const args = [process.execPath, CHILD, JSON.stringify(ops)];
  const cmd = ns ? ['ip', 'netns', 'exec', ns.name, ...args] : args;
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  if (r.error) throw new Error(`nl-child: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`nl-child exited ${r.status} (signal ${r.signal}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as ChildResult[];
}

/** The value of a result, or a thrown Error carrying the child's error. */
export function ok(r: ChildResult | undefined): any {
  if (!r) throw new Error('no result for this op');
  if ('error' in r) throw Object.assign(new Error(`child op failed: ${r.error.name}: ${r.error.message}`), r.error);
  return r.ok;
}
