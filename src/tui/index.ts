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
import fs from 'node:fs';
import type { RecordLine } from './model';
import { sampleJson } from './headless';
import { watchLinks, watchNotifications } from './events';

/** A --record file → its lines; throws Error with a one-line message. */
function loadRecording(file: string): RecordLine[] {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) { throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message.split('\n')[0]}`); }
  const out: RecordLine[] = [];
  text.split('\n').forEach((l, i) => {
    if (!l.trim()) return;
    let o: RecordLine;
    try { o = JSON.parse(l) as RecordLine; } catch { throw new Error(`${file}:${i + 1}: not a JSON line`); }
    if (o?.record !== 1 || !Array.isArray(o.devices) || typeof o.mono_ns !== 'string' || !o.proc) throw new Error(`${file}:${i + 1}: not an ethkit --top record (version 1)`);
    out.push(o);
  });
  if (out.length === 0) throw new Error(`${file}: no records`);
  return out;
}

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
  let replay: RecordLine[] | undefined;
  if (args.replay !== null) {
    try { replay = loadRecording(args.replay); } catch (e) { return fail(`--top: --replay ${(e as Error).message}`); }
    if (args.devices.length) {
      const keep = new Set(args.devices);
      for (const d of args.devices) if (!replay.some(r => r.devices.some(x => x.name === d))) return fail(`--top: ${d}: not in the recording`);
      replay = replay.map(r => ({ ...r, devices: r.devices.filter(x => keep.has(x.name)) }));
    }
  } else {
    for (const d of args.devices) if (!deviceExists(d, root)) return fail(`--top: ${d}: no such device`);
  }
  let recordFd = -1;
  if (args.record !== null) {
    try { recordFd = fs.openSync(args.record, 'a'); } catch (e) { return fail(`--top: --record ${args.record}: ${(e as Error).message.split('\n')[0]}`); }
  }
  const interactive = args.count === null;
  if (interactive && !((io?.terminal ?? true) && process.stdout.isTTY && process.stdin.isTTY)) {
    return fail('--top needs a terminal; use --count N [--json] for non-interactive output');
  }
  // A transport given by the caller stays the caller's to close.
  const own = io?.transport || replay ? null : transportOrNull();
  const transport = io?.transport ?? own;
  const model = new TopModel({ names: args.devices.length ? args.devices : null, transport, sysfsRoot: root, intervalS: args.intervalS, replay, standardStats: true });
  if (model.devices.length === 0) { model.close(); own?.close(); if (recordFd >= 0) fs.closeSync(recordFd); return fail('--top: no network devices found'); }
  // Settings changed by anyone (ethtool netlink monitor group), for the event line.
  const stopWatch = replay ? null : watchNotifications(args.devices.length ? args.devices : null, e => model.events.push(e));
  // Link up/down and devices gone/back as the kernel notifies them (else: compared between samples).
  const stopLinks = replay ? null : watchLinks(args.devices.length ? args.devices : null, n => model.sampledLink(n), e => model.events.push(e));
  model.linkNotified = stopLinks !== null;
  let recordError: string | null = null;
  if (recordFd >= 0) {
    model.onSample = () => {
      if (recordError) return;
      try { fs.writeSync(recordFd, JSON.stringify(model.recordLine(sampleJson(model, model.samples))) + '\n'); } catch (e) { recordError = (e as Error).message.split('\n')[0]; }
    };
  }
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
    stopWatch?.();
    stopLinks?.();
    model.close();
    own?.close();
    if (recordFd >= 0) fs.closeSync(recordFd);
    if (recordError) fail(`--top: --record ${args.record}: ${recordError}`);
  }
}
