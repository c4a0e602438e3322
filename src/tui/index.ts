/**
 * `ethkit --top`: live terminal UI of NIC counters, or N samples as text/JSON with --count.
 * main() returns the exit code; the CLI lazy-loads this module.
 */
import { parseTopArgs, TopUsageError, TOP_USAGE, TopArgs } from './args';
import { TopModel } from './model';
import { runHeadless } from './headless';
import { deviceExists, SYSFS_NET } from './sysfs';
import type { Transport } from '../ffi/transport';

export { TopModel } from './model';

function fail(msg: string): number {
  process.stderr.write(`ethkit: ${msg}\n`);
  return 1;
}

/** The real SIOCETHTOOL transport, or null (sysfs rates only) when it cannot be opened. */
function openTransport(): Transport | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KoffiTransport } = require('../ffi/koffi') as typeof import('../ffi/koffi');
    return new KoffiTransport();
  } catch {
    return null;
  }
}

export async function main(argv: string[]): Promise<number> {
  let args: TopArgs;
  try {
    args = parseTopArgs(argv);
  } catch (e) {
    if (e instanceof TopUsageError) return fail(`--top: ${e.message}`);
    throw e;
  }
  if (args.help) { process.stdout.write(TOP_USAGE + '\n'); return 0; }
  const root = process.env.ETHKIT_SYSFS_NET || SYSFS_NET;
  for (const d of args.devices) if (!deviceExists(d, root)) return fail(`--top: ${d}: no such device`);
  const interactive = args.count === null;
  if (interactive && !(process.stdout.isTTY && process.stdin.isTTY)) {
    return fail('--top needs a terminal; use --count N [--json] for non-interactive output');
  }
  const transport = openTransport();
  const model = new TopModel({ names: args.devices.length ? args.devices : null, transport, sysfsRoot: root, intervalS: args.intervalS });
  if (model.devices.length === 0) { model.close(); transport?.close(); return fail('--top: no network devices found'); }
  try {
    if (!interactive) {
      const ac = new AbortController();
      const onSig = () => ac.abort();
      process.once('SIGINT', onSig);
      try {
        return await runHeadless(model, args.count!, args.json, process.stdout, ac.signal);
      } finally {
        process.removeListener('SIGINT', onSig);
      }
    }
    const { runInteractive } = await import('./interactive');
    return await runInteractive(model);
  } finally {
    model.close();
    transport?.close();
  }
}
