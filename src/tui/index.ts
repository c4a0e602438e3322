/**
 * `ethkit --top`: live terminal UI of NIC counters, or N samples as text/JSON with --count.
 * main() returns the exit code; the CLI lazy-loads this module.
 */
import { parseTopArgs, TopUsageError, TOP_USAGE, TopArgs } from './args';
import { TopModel } from './model';
import { runHeadless } from './headless';
import { deviceExists, SYSFS_NET } from './sysfs';
import { Transport, openTransport } from '../ethtool/transport';
import type { FrontEndIo } from '../common/io';

export { TopModel } from './model';

/** The real SIOCETHTOOL transport, or null (sysfs rates only) when it cannot be opened. */
function transportOrNull(): Transport | null {
  try {
    return openTransport();
  } catch {
    return null;
  }
}

/**
 * `io` (from the program's run()): output sinks, and the transport and sysfs directory to use
 * instead of the machine's.
 */
export async function main(argv: string[], io?: FrontEndIo): Promise<number> {
  const stdout = io?.stdout ?? process.stdout;
  const stderr = io?.stderr ?? process.stderr;
  // With --json, diagnostics are JSON lines on stderr, as for every ethkit command.
  const json = argv.some(a => a === '--json' || a === '-j' || a.startsWith('--json='));
  const fail = (msg: string): number => {
    stderr.write(json ? JSON.stringify({ error: msg, exit: 1 }) + '\n' : `ethkit: ${msg}\n`);
    return 1;
  };
  let args: TopArgs;
  try {
    args = parseTopArgs(argv);
  } catch (e) {
    if (e instanceof TopUsageError) return fail(`--top: ${e.message}`);
    throw e;
  }
  if (args.help) { stdout.write((json ? JSON.stringify({ usage: TOP_USAGE }) : TOP_USAGE) + '\n'); return 0; }
  const root = io?.sysfsNet || (io?.env ?? process.env).ETHKIT_SYSFS_NET || SYSFS_NET;
  for (const d of args.devices) if (!deviceExists(d, root)) return fail(`--top: ${d}: no such device`);
  const interactive = args.count === null;
  if (interactive && !((io?.terminal ?? true) && process.stdout.isTTY && process.stdin.isTTY)) {
    return fail('--top needs a terminal; use --count N [--json] for non-interactive output');
  }
  // A transport given by the caller stays the caller's to close.
  const own = io?.transport ? null : transportOrNull();
  const transport = io?.transport ?? own;
  const model = new TopModel({ names: args.devices.length ? args.devices : null, transport, sysfsRoot: root, intervalS: args.intervalS });
  if (model.devices.length === 0) { model.close(); own?.close(); return fail('--top: no network devices found'); }
  try {
    if (!interactive) {
      const ac = new AbortController();
      const onSig = () => ac.abort();
      process.once('SIGINT', onSig);
      try {
        return await runHeadless(model, args.count!, args.json, stdout, ac.signal);
      } finally {
        process.removeListener('SIGINT', onSig);
      }
    }
    const { runInteractive } = await import('./interactive');
    return await runInteractive(model);
  } finally {
    model.close();
    own?.close();
  }
}
