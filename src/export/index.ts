/**
 * `ethkit --exporter`: NIC metrics for Prometheus — over HTTP (/metrics), or as files for
 * node_exporter's textfile collector (written to a temporary name, then renamed: a reader never
 * sees half a file). Metric names and labels: docs/exporter.md. The program (src/app/run.ts)
 * hands in the profile drift check, which belongs to the profile commands.
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { FrontEndIo } from '../common/io';
import type { HostFs } from '../common/hostfs';
import { Transport, openTransport } from '../ethtool/transport';
import type { EthtoolNetlink } from '../ethtool/netlink/client';
import { parseArgs, ExporterArgs, ExporterUsageError, USAGE } from './args';
import { Collector, DriftSource } from './collect';
import { Families, NameFilter } from './registry';

export const EXIT = { OK: 0, ERROR: 1 } as const;

const SYSFS_NET = '/sys/class/net';
const IFF_LOOPBACK = 0x8;

/** What the program lends the exporter: the profile drift check over a transport and host. */
export interface ExporterHooks {
  drift?: (opts: { transport: Transport; fs?: HostFs; stateDir?: string; profileDir?: string }) => DriftSource;
}

/** Non-loopback devices of `root` (a /sys/class/net), sorted. */
export function listDevices(root = SYSFS_NET): string[] {
  let names: string[];
  try { names = fs.readdirSync(root); } catch { return []; }
  return names.filter(n => {
    try { return !(parseInt(fs.readFileSync(path.join(root, n, 'flags'), 'latin1'), 16) & IFF_LOOPBACK); } catch { return false; }
  }).sort();
}

function openNetlink(): EthtoolNetlink | null {
  try {
    const { EthtoolNetlink } = require('../ethtool/netlink/client') as typeof import('../ethtool/netlink/client');
    return EthtoolNetlink.open();
  } catch {
    return null;
  }
}

/** One exporter: its devices, collector and metric families; scrape() gives the text. */
export class Exporter {
  readonly families: Families;
  private readonly collector: Collector;
  private inflight: Promise<string> | null = null;

  constructor(private readonly a: ExporterArgs, private readonly opts: {
    transport: Transport; netlink: (() => EthtoolNetlink | null) | null; drift: DriftSource | null; sysfsNet?: string;
  }) {
    this.families = new Families(new NameFilter(a.metricInclude, a.metricExclude));
    this.collector = new Collector({ transport: opts.transport, netlink: opts.netlink, foldQueues: a.foldQueues, drift: opts.drift });
  }

  devices(): string[] {
    const all = this.a.devices.length ? this.a.devices : listDevices(this.opts.sysfsNet);
    const inc = this.a.deviceInclude, exc = this.a.deviceExclude;
    return all.filter(d => (!inc || inc.test(d)) && (!exc || !exc.test(d)));
  }

  /** One scrape; concurrent callers share the one in progress. */
  scrape(): Promise<string> {
    this.inflight ??= this.run().finally(() => { this.inflight = null; });
    return this.inflight;
  }

  private async run(): Promise<string> {
    const t0 = process.hrtime.bigint();
    const f = this.families;
    f.begin();
    const devs = this.devices();
    this.collector.collect(devs, f);
    f.put('ethkit_scrape_devices', 'gauge', 'Devices read in this scrape', {}, devs.length);
    f.put('ethkit_scrape_duration_seconds', 'gauge', 'Time this scrape took to read the devices', {}, Number(process.hrtime.bigint() - t0) / 1e9);
    f.end();
    return f.text();
  }

  close(): void { this.collector.close(); }
}

function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch { /* not there */ }
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot write ${file}: ${code ?? (e as Error).message}`);
  }
}

/** Resolves on SIGINT/SIGTERM (or `signal`), removing its listeners. */
function stopSignal(signal?: AbortSignal): { done: Promise<void>; off: () => void } {
  let resolve!: () => void;
  const done = new Promise<void>(r => { resolve = r; });
  const on = (): void => resolve();
  process.on('SIGINT', on); process.on('SIGTERM', on);
  signal?.addEventListener('abort', on);
  return { done, off: () => { process.off('SIGINT', on); process.off('SIGTERM', on); signal?.removeEventListener('abort', on); } };
}

export async function serveHttp(ex: Exporter, a: ExporterArgs, err: (l: string) => void, signal?: AbortSignal): Promise<number> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { Allow: 'GET, HEAD' }).end(); return; }
    if (url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end('<html><head><title>ethkit exporter</title></head><body><h1>ethkit exporter</h1><p><a href="/metrics">Metrics</a></p></body></html>\n');
      return;
    }
    if (url !== '/metrics') { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: try /metrics\n'); return; }
    ex.scrape().then(text => {
      res.writeHead(200, { 'Content-Type': ex.families.contentType }).end(req.method === 'HEAD' ? undefined : text);
    }, (e: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`scrape failed: ${(e as Error).message.split('\n')[0]}\n`);
    });
  });
  const listening = await new Promise<string | null>(resolve => {
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EADDRNOTAVAIL' ? 'address not available' : (e.code ?? e.message)));
    server.listen({ host: a.listen.host, port: a.listen.port }, () => resolve(null));
  });
  if (listening !== null) { err(`ethkit --exporter: cannot listen on ${a.listen.text}: ${listening}`); return EXIT.ERROR; }
  const addr = server.address();
  if (addr && typeof addr === 'object') err(`ethkit --exporter: serving /metrics on ${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`);
  const stop = stopSignal(signal);
  await stop.done;
  stop.off();
  await new Promise<void>(r => { server.close(() => r()); server.closeAllConnections(); });
  return EXIT.OK;
}

export async function writeTextfiles(ex: Exporter, a: ExporterArgs, out: (t: string) => void, err: (l: string) => void, signal?: AbortSignal): Promise<number> {
  const once = async (): Promise<boolean> => {
    const text = await ex.scrape();
    if (a.textfile === '-') { out(text); return true; }
    try { writeAtomic(a.textfile!, text); return true; } catch (e) { err(`ethkit --exporter: ${(e as Error).message}`); return false; }
  };
  if (a.intervalMs === null) return (await once()) ? EXIT.OK : EXIT.ERROR;
  const stop = stopSignal(signal);
  let stopped = false;
  void stop.done.then(() => { stopped = true; });
  try {
    while (!stopped) {
      await once();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stop.done, new Promise(r => { timer = setTimeout(r, a.intervalMs!); })]);
      clearTimeout(timer);
    }
  } finally { stop.off(); }
  return EXIT.OK;
}

export async function main(argv: string[], io?: FrontEndIo, hooks: ExporterHooks = {}, signal?: AbortSignal): Promise<number> {
  const out = (t: string): void => { (io?.stdout ?? { write: (s: string) => process.stdout.write(s) }).write(t); };
  const err = (l: string): void => { (io?.stderr ?? { write: (s: string) => process.stderr.write(s) }).write(l + '\n'); };
  let a: ExporterArgs;
  try {
    a = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof ExporterUsageError)) throw e;
    err(`ethkit --exporter: ${e.message}`);
    err('Run ethkit --exporter --help for the options.');
    return EXIT.ERROR;
  }
  if (a.help) { out(USAGE + '\n'); return EXIT.OK; }
  let transport: Transport;
  try {
    transport = io?.transport ?? openTransport();
  } catch (e) {
    err(`ethkit --exporter: cannot open the ethtool control socket: ${(e as Error).message.split('\n')[0]}`);
    return EXIT.ERROR;
  }
  const env = io?.env ?? process.env;
  const drift = a.drift && hooks.drift
    ? hooks.drift({ transport, fs: io?.hostFs, stateDir: a.stateDir ?? env.ETHKIT_STATE_DIR, profileDir: a.profileDir ?? env.ETHKIT_PROFILE_DIR })
    : null;
  // A simulated device is never paired with the machine's netlink.
  const ex = new Exporter(a, { transport, netlink: io?.transport ? null : openNetlink, drift, sysfsNet: io?.sysfsNet });
  try {
    return a.textfile !== null ? await writeTextfiles(ex, a, out, err, signal) : await serveHttp(ex, a, err, signal);
  } finally {
    ex.close();
    if (!io?.transport) transport.close();
  }
}
