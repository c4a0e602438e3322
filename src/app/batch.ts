/**
 * `ethkit [--json] --batch FILE|- [--force]`: many ethkit command lines (ethtool's, and the
 * profile commands) from a file or stdin in one process, as `ip -batch` runs ip's. Each line is
 * the program's own run() of its words, so it is answered exactly as the same command line
 * given to the binary would be: the same stdout, stderr and exit status. What a batch saves is
 * the process: node's start-up, and the sockets — the lines share one SIOCETHTOOL socket and
 * one ethtool netlink socket (with its family and policy lookups done once).
 *
 * Text mode: each line's stdout and stderr go through as the command's would; after a line that
 * exits non-zero, stderr gets "ethkit: FILE:N: command failed with exit status X". The batch
 * stops at the first failure unless --force; its exit status is 0 when every line exited 0,
 * else the status of the first line that failed.
 *
 * --json (before --batch): a stream, one JSON document per line of output and per command:
 *   {"line": N, "command": [words], "exit": X, "stdout": "text", "stderr": "text"}
 * with "json": DOCUMENT in place of "stdout" when the line asked for --json itself and printed
 * a document; a line that cannot be run is {"line": N, "command": null, "exit": 1, "error": "…"}.
 *
 * Lines that never end (--monitor, --top) and a nested --batch are refused with one line.
 */
import fs from 'node:fs';
import type { Transport } from '../ethtool/transport';
import { openTransport } from '../ethtool/transport';
import type { EthtoolNetlink } from '../ethtool/netlink/client';
import type { Sink } from '../common/io';
import type { HostFs } from '../common/hostfs';
import { RealFs } from '../common/hostfs';
import { describeFsError } from '../common/files';
import { openNetlink, NetlinkOpener } from '../cli/run';
import { batchCommands, BatchItem } from './batch-lines';
import { internalErrorLine, INTERNAL_ERROR_EXIT } from './internal';

/** What one line is run with: the part of the program's RunOptions a batch sets. */
export interface LineOptions {
  transport?: Transport | (() => Transport);
  stdout: Sink;
  stderr: Sink;
  stdoutIsTTY: boolean;
  hostFs?: HostFs;
  env: Record<string, string | undefined>;
  netlink?: NetlinkOpener;
  releaseNetlink?: (nl: EthtoolNetlink) => void;
  machine?: boolean;
}

export interface BatchIo {
  stdout: Sink;
  stderr: Sink;
  stdoutIsTTY: boolean;
  env: Record<string, string | undefined>;
  /** The program's run(), for each line (passed in: this module is below it in no picture). */
  runLine: (argv: readonly string[], o: LineOptions) => Promise<number>;
  /** Seams the caller gave the program (tests): lent to every line instead of the machine's. */
  transport?: Transport | (() => Transport);
  netlink?: NetlinkOpener;
  hostFs?: HostFs;
  /** Stands in for stdin ("-"). */
  stdin?: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
}

export const BATCH_USAGE = 'usage: ethkit [--json] --batch FILE|- [--force]';

/** Commands a batch does not run: they never end, or would nest. */
const REFUSED: Record<string, string> = {
  '--monitor': '--monitor runs until interrupted: not run in a batch',
  '--top': '--top runs until quit: not run in a batch',
  '--batch': 'a batch cannot hold --batch',
};

/** The first word after ethtool's global flags. */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--debug') i++;
    else if (a !== '--json' && a !== '-I' && a !== '--include-statistics') return a;
  }
  return undefined;
}

/** A collector sink. */
function collector(): Sink & { text(): string } {
  const parts: Buffer[] = [];
  return {
    write(c: string | Uint8Array): void { parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c)); },
    text(): string { return Buffer.concat(parts).toString('utf8'); },
  };
}

/**
 * The machine's seams, shared by the lines and opened on first use: the SIOCETHTOOL socket,
 * and the ethtool netlink context (or its absence, as the first line found it). A line with
 * --debug 0x2 traces its own datagrams, so it gets a context of its own, as the binary would.
 */
class MachineSeams {
  private transport: Transport | null = null;
  private nl: EthtoolNetlink | null | undefined;
  readonly hostFs = new RealFs();

  readonly openTransport = (): Transport => (this.transport ??= openTransport());

  readonly netlink: NetlinkOpener = opts => {
    if (opts && (opts.tracer || opts.routeTracer || opts.transport)) return openNetlink(opts);
    if (this.nl === undefined) this.nl = openNetlink();
    return this.nl;
  };

  readonly release = (nl: EthtoolNetlink): void => {
    if (nl !== this.nl) nl.close();
  };

  close(): void {
    this.nl?.close();
    this.nl = undefined;
    this.transport?.close();
    this.transport = null;
  }
}

/** An input error in one line. */
function why(e: unknown): string {
  return describeFsError(e).split('\n')[0];
}

interface Args { file: string; force: boolean }

function parseBatchArgs(words: readonly string[]): Args | string {
  let file: string | undefined;
  let force = false;
  for (const w of words) {
    if (w === '--force') force = true;
    else if (w.startsWith('-') && w !== '-') return `unknown option ${w}`;
    else if (file !== undefined) return `one input only (${JSON.stringify(file)} and ${JSON.stringify(w)} given)`;
    else file = w;
  }
  if (file === undefined) return 'no input named (FILE, or - for stdin)';
  if (file === '') return 'empty file name';
  return { file, force };
}

/**
 * Run the batch: `argv[i]` is "--batch"; the words before it are ethtool's global flags (only
 * --json is taken there). Resolves to the batch's exit status.
 */
export async function runBatch(argv: readonly string[], i: number, io: BatchIo): Promise<number> {
  const json = argv.slice(0, i).includes('--json');
  const fail = (message: string): number => {
    io.stderr.write(json ? JSON.stringify({ error: `--batch: ${message}`, exit: 1 }) + '\n' : `ethkit: --batch: ${message}\n`);
    return 1;
  };
  const other = argv.slice(0, i).find(a => a !== '--json');
  if (other !== undefined) return fail(`${other} before --batch: give it on the lines it is for (${BATCH_USAGE})`);
  const a = parseBatchArgs(argv.slice(i + 1));
  if (typeof a === 'string') return fail(`${a} (${BATCH_USAGE})`);

  let input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  const where = a.file === '-' ? 'stdin' : a.file;
  if (a.file === '-' && io.stdin) input = io.stdin;
  else {
    let fd: number;
    try {
      fd = a.file === '-' ? 0 : fs.openSync(a.file, 'r');
      if (fs.fstatSync(fd).isDirectory()) {
        if (fd !== 0) fs.closeSync(fd);
        return fail(`cannot read ${where}: is a directory (EISDIR)`);
      }
    } catch (e) {
      return fail(`cannot open ${where}: ${why(e)}`);
    }
    input = fs.createReadStream('', { fd, autoClose: fd !== 0, highWaterMark: 65536 });
  }

  const machine = io.transport === undefined ? new MachineSeams() : null;
  const seams: Omit<LineOptions, 'stdout' | 'stderr' | 'stdoutIsTTY'> = machine
    ? { transport: machine.openTransport, netlink: machine.netlink, releaseNetlink: machine.release, hostFs: machine.hostFs, machine: true, env: io.env }
    : { transport: io.transport, netlink: io.netlink, hostFs: io.hostFs, env: io.env };

  let status = 0;
  const record = (o: Record<string, unknown>): void => io.stdout.write(JSON.stringify(o) + '\n');
  const one = async (item: BatchItem): Promise<number> => {
    const refused = 'argv' in item ? REFUSED[commandWord(item.argv) ?? ''] : undefined;
    if (!('argv' in item) || refused) {
      const error = 'argv' in item ? refused! : item.error;
      if (json) record({ line: item.line, command: null, exit: 1, error });
      else io.stderr.write(`ethkit: ${where}:${item.line}: ${error}\n`);
      return 1;
    }
    const out = json ? collector() : null;
    const err = json ? collector() : null;
    const stdout = out ?? io.stdout;
    const stderr = err ?? io.stderr;
    let code: number;
    try {
      code = await io.runLine(item.argv, { ...seams, stdout, stderr, stdoutIsTTY: json ? false : io.stdoutIsTTY });
    } catch (e) {
      // What the binary would have said, had this been its command line.
      stderr.write(internalErrorLine(item.argv, e));
      code = INTERNAL_ERROR_EXIT;
    }
    if (out && err) {
      const r: Record<string, unknown> = { line: item.line, command: item.argv, exit: code };
      const text = out.text();
      let doc: unknown;
      if (text !== '' && item.argv.includes('--json')) {
        try { doc = JSON.parse(text); } catch { doc = undefined; }
      }
      if (doc !== undefined) r.json = doc;
      else r.stdout = text;
      r.stderr = err.text();
      record(r);
    } else if (code !== 0) {
      io.stderr.write(`ethkit: ${where}:${item.line}: command failed with exit status ${code}\n`);
    }
    return code;
  };

  try {
    for await (const item of batchCommands(input)) {
      const code = await one(item);
      if (code !== 0) {
        if (status === 0) status = code;
        if (!a.force) break;
      }
    }
  } catch (e) {
    const code = fail(`cannot read ${where}: ${why(e)}`);
    return status || code;
  } finally {
    machine?.close();
    if (!(a.file === '-' && io.stdin) && 'destroy' in input) (input as fs.ReadStream).destroy();
  }
  return status;
}
