/** The exporter's command line (see USAGE). */
import { ifnameProblem } from '../ethtool/transport';
import { strtoint } from '../common/numbers';

export const DEFAULT_LISTEN = ':9417';

export const USAGE = `Usage:
  ethkit --exporter [DEV...] [--listen [HOST]:PORT]          serve /metrics over HTTP (default ${DEFAULT_LISTEN})
  ethkit --exporter [DEV...] --textfile PATH.prom [--interval SECONDS]
                                                           write node_exporter textfile-collector files (atomically)
  ethkit --exporter [DEV...] --textfile -                  print one scrape on stdout
Devices: the ones named, or every non-loopback device of /sys/class/net at each scrape.
Options:
  --device-include RE / --device-exclude RE   devices whose name matches (does not match) RE
  --metric-include RE / --metric-exclude RE   metric names that match (do not match) RE
  --no-fold-queues        per-queue driver statistics under node_exporter's flat names, not one metric with a queue label
  --no-profile-drift      no ethkit_profile_drift (it reads the profile state directory)
  --state-dir DIR         profile snapshots (ETHKIT_STATE_DIR, /var/lib/ethkit)
  --profile-dir DIR       profiles (ETHKIT_PROFILE_DIR, the repository's profiles/)
Metric names and labels: docs/exporter.md`;

export interface ExporterArgs {
  help: boolean;
  devices: string[];
  listen: { host: string | undefined; port: number; text: string };
  textfile: string | null;
  intervalMs: number | null;
  deviceInclude: RegExp | null;
  deviceExclude: RegExp | null;
  metricInclude: RegExp | null;
  metricExclude: RegExp | null;
  foldQueues: boolean;
  drift: boolean;
  stateDir: string | null;
  profileDir: string | null;
}

export class ExporterUsageError extends Error {}

/** "[HOST]:PORT", "[v6]:PORT" or "PORT". */
export function parseListen(text: string): ExporterArgs['listen'] {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new ExporterUsageError(`--listen ${text}: expected [HOST]:PORT (such as ${DEFAULT_LISTEN} or 127.0.0.1:9417)`);
  const host = m[1] || m[2] || undefined;
  return { host, port, text };
}

function regex(opt: string, src: string): RegExp {
  try { return new RegExp(src); } catch (e) {
    throw new ExporterUsageError(`${opt} ${src}: not a regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
}

export function parseArgs(argv: readonly string[]): ExporterArgs {
  const a: ExporterArgs = {
    help: false, devices: [], listen: parseListen(DEFAULT_LISTEN), textfile: null, intervalMs: null,
    deviceInclude: null, deviceExclude: null, metricInclude: null, metricExclude: null,
    foldQueues: true, drift: true, stateDir: null, profileDir: null,
  };
  let listenGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--exporter') continue;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new ExporterUsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h': case '--help': a.help = true; break;
      case '--listen': a.listen = parseListen(value()); listenGiven = true; break;
      case '--textfile': a.textfile = value(); break;
      case '--interval': {
        const v = value();
        const n = strtoint(v, 10, true);
        if (n === null || n < 1n || n > 86400n) throw new ExporterUsageError(`--interval ${v}: expected a whole number of seconds from 1 to 86400`);
        a.intervalMs = Number(n) * 1000;
        break;
      }
      case '--device-include': a.deviceInclude = regex(arg, value()); break;
      case '--device-exclude': a.deviceExclude = regex(arg, value()); break;
      case '--metric-include': a.metricInclude = regex(arg, value()); break;
      case '--metric-exclude': a.metricExclude = regex(arg, value()); break;
      case '--no-fold-queues': a.foldQueues = false; break;
      case '--no-profile-drift': a.drift = false; break;
      case '--state-dir': a.stateDir = value(); break;
      case '--profile-dir': a.profileDir = value(); break;
      default: {
        if (arg.startsWith('-')) throw new ExporterUsageError(`unknown option ${arg}`);
        const p = ifnameProblem(arg);
        if (p) throw new ExporterUsageError(p);
        if (a.devices.includes(arg)) throw new ExporterUsageError(`device ${arg} named twice`);
        a.devices.push(arg);
      }
    }
  }
  if (a.textfile !== null && listenGiven) throw new ExporterUsageError('--listen and --textfile: choose one (HTTP or textfile)');
  if (a.intervalMs !== null && a.textfile === null) throw new ExporterUsageError('--interval is for --textfile (HTTP scrapes are driven by Prometheus)');
  if (a.textfile !== null && a.textfile !== '-' && !a.textfile.endsWith('.prom')) {
    throw new ExporterUsageError(`--textfile ${a.textfile}: the name must end in .prom (node_exporter's textfile collector reads only *.prom)`);
  }
  return a;
}
