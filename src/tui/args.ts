/** Command line of `ethkit --top`. */
import { ifnameProblem } from '../ethtool/transport';
import { strtoint } from '../common/numbers';

export interface TopArgs {
  devices: string[];
  count: number | null;
  json: boolean;
  intervalS: number;
  help: boolean;
  /** --record FILE: every sample as a JSON line (docs/top-record.md) */
  record: string | null;
  /** --replay FILE: show a recording instead of the machine */
  replay: string | null;
}

export class TopUsageError extends Error {}

export const TOP_USAGE = `usage: ethkit --top [--interval S] [DEVNAME ...]
       ethkit --top --count N [--json] [--interval S] [DEVNAME ...]
       ethkit --top [--count N [--json]] --record FILE | --replay FILE [DEVNAME ...]

Live NIC counters: per-NIC rates, history charts, per-queue load and imbalance, and every
counter of the selected NIC (drops/errors that move are shown in red). With no DEVNAME every
non-loopback device is shown.

  --interval S  sampling interval in seconds (default 1; '+'/'-' change it live)
  --count N     print N samples and exit (no terminal needed)
  --json        with --count: one JSON object per sample (schema: src/tui/README.md)
  --record FILE append every sample to FILE as JSON lines (docs/top-record.md)
  --replay FILE show a recording in the same view (p pause, n step) or, with --count, print it

keys: q/Ctrl-C quit  Tab/arrows select NIC  / filter  s sort (name/value/rate)  z zero
      p pause  n step (replay)  +/- interval  PgUp/PgDn/Home/End scroll counters`;

function num(flag: string, v: string | undefined): number {
  if (v === undefined || v === '') throw new TopUsageError(`${flag} needs a value`);
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TopUsageError(`${flag}: "${v}" is not a number`);
  return n;
}

export function parseTopArgs(argv: readonly string[]): TopArgs {
  const a: TopArgs = { devices: [], count: null, json: false, intervalS: 1, help: false, record: null, replay: null };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) { inline = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (arg) {
      // The CLI passes its whole command line: the mode flag itself and ethkit's global flags.
      case '--top': case '-I': case '--include-statistics': break;
      case '--debug': {
        // As the program's global flags are checked: a number (strtoul), never the next option.
        const v = value();
        if (v === undefined || v === '' || strtoint(v, 0, true, true) === null) throw new TopUsageError('--debug needs a numeric MASK');
        break;
      }
      case '-h': case '--help': a.help = true; break;
      case '--json': case '-j': a.json = true; break;
      case '--count': case '-n': {
        const v = value();
        const n = num('--count', v);
        if (!Number.isInteger(n) || n < 1) throw new TopUsageError(`--count must be a positive integer, not "${v}"`);
        a.count = n;
        break;
      }
      case '--record': case '--replay': {
        const v = value();
        if (v === undefined || v === '') throw new TopUsageError(`${arg} needs a FILE`);
        if (arg === '--record') a.record = v; else a.replay = v;
        break;
      }
      case '--interval': case '-i': {
        const v = value();
        const s = num('--interval', v);
        if (!(s >= 0.05 && s <= 3600)) throw new TopUsageError(`--interval must be between 0.05 and 3600 seconds, not "${v}"`);
        a.intervalS = s;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new TopUsageError(`unknown option "${argv[i]}" for --top`);
        {
          const problem = ifnameProblem(arg);
          if (problem) throw new TopUsageError(problem);
          if (!a.devices.includes(arg)) a.devices.push(arg);
        }
    }
  }
  if (a.record !== null && a.replay !== null) throw new TopUsageError('--record and --replay do not go together');
  if (a.json && a.count === null && !a.help) throw new TopUsageError('--json needs --count N (the live view is not JSON)');
  return a;
}
