/**
 * The C compiler's view of constants: a probe program printing the value of each named macro
 * or enum member, generated from the names asked for, compiled against the given system
 * headers and run. A name the headers lack fails the compile, which is reported with it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function probeConstants(headers: readonly string[], names: readonly string[]): Map<string, bigint> {
  for (const h of headers) {
    if (!existsSync(path.join('/usr/include', h))) throw new Error(`/usr/include/${h} is missing: install linux-libc-dev to check constants`);
  }
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) throw new Error('gcc is missing: install gcc to check constants');
  const dir = mkdtempSync(path.join(tmpdir(), 'ethkit-cprobe-'));
  try {
    const src = path.join(dir, 'probe.c');
    writeFileSync(src, [
      '#include <stdio.h>', '#include <limits.h>', ...headers.map(h => `#include <${h}>`),
      'int main(void) {',
      ...names.map(n => `\tprintf("%s %lld\\n", "${n}", (long long)(${n}));`),
      '\treturn 0;', '}', '',
    ].join('\n'));
    const exe = path.join(dir, 'probe');
    const cc = spawnSync('gcc', ['-O0', '-w', '-o', exe, src], { encoding: 'utf8' });
    if (cc.status !== 0) {
      const missing = [...cc.stderr.matchAll(/'([A-Za-z_0-9]+)' undeclared/g)].map(m => m[1]);
      throw new Error(`the headers lack ${missing.length ? missing.join(', ') : 'names asked for'}:\n${cc.stderr.split('\n').slice(0, 8).join('\n')}`);
    }
    const out = new Map<string, bigint>();
    for (const line of execFileSync(exe, { encoding: 'utf8' }).split('\n')) {
      if (!line) continue;
      const [name, value] = line.split(' ');
      out.set(name, BigInt(value));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
