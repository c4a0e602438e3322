/**
 * The command-line reader of the profile and persistence commands (cli.ts, persist-cli.ts):
 * one command word of a table (`--apply`, `--persist` …, its `=VALUE` a first positional), the
 * program's global flags passed along with the rest (-I, --include-statistics, --debug MASK),
 * `--opt VALUE` and `--opt=VALUE`, -h/--help anywhere, unknown options refused, the rest
 * positional. Each front end reads its own options through `option`.
 */
import { UsageError } from '../device/errors';
import { strtoint } from '../common/numbers';

/** One option token as the front end sees it. */
export interface Opt {
  /** The token as given. */
  readonly tok: string;
  /** The option's name (`--state-dir` of `--state-dir=/x`). */
  readonly name: string;
  /** The option's value: the `=VALUE` part, else the next argument (never empty, never an option). */
  value(): string;
}

export interface ReadSpec<C> {
  /** The command words and the command each names. */
  commands: Readonly<Record<string, C>>;
  /** The front end's usage error (its message with where to read more). */
  usage(message: string): UsageError;
  /** Refuse a long option given twice (`--x given twice`), except these. */
  once?: { except: readonly string[] };
  /** Read one of the front end's options; false: not one of its options. */
  option(o: Opt): boolean;
}

export interface ReadArgs<C> {
  /** The command word's command (undefined: none given). */
  cmd: C | undefined;
  /** -h or --help was given. */
  help: boolean;
  positional: string[];
  /** The names of the options given (the command words and global flags aside). */
  given: Set<string>;
}

export function readArgs<C>(argv: readonly string[], spec: ReadSpec<C>): ReadArgs<C> {
  const r: ReadArgs<C> = { cmd: undefined, help: false, positional: [], given: new Set() };
  let cmdSeen = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    const name = eq > 0 ? tok.slice(0, eq) : tok;
    const inline = eq > 0 ? tok.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      // An empty --state-dir would put snapshots under the working directory.
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw spec.usage(`${name} needs a value`);
      return v;
    };
    if (Object.prototype.hasOwnProperty.call(spec.commands, name) && spec.commands[name]) {
      if (cmdSeen) throw spec.usage(`${name}: only one of ${Object.keys(spec.commands).join(', ')} at a time`);
      cmdSeen = true;
      r.cmd = spec.commands[name];
      if (inline !== undefined) r.positional.push(inline);
      continue;
    }
    // ethkit's global flags, which the program passes along with the rest of the command line.
    if (tok === '-I' || tok === '--include-statistics') continue;
    if (tok === '--debug') {
      // As the program's global flags are checked: a number (strtoul), never the next option.
      const v = argv[++i];
      if (v === undefined || v === '' || strtoint(v, 0, true, true) === null) throw new UsageError('--debug needs a numeric MASK');
      continue;
    }
    const repeatable = spec.once?.except.includes(name) ?? false;
    if (spec.once && !repeatable && name.startsWith('--') && r.given.has(name)) throw spec.usage(`${name} given twice`);
    if (!repeatable) r.given.add(name);
    if (spec.option({ tok, name, value })) continue;
    // -h anywhere (--plan -h, --apply director -h …) asks for the help.
    if (name === '--help' || name === '-h') r.help = true;
    else if (tok.startsWith('-') && tok !== '-') throw spec.usage(`unknown option ${name}`);
    else r.positional.push(tok);
  }
  return r;
}
