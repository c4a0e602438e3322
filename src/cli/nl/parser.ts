/**
 * The netlink commands' argument parser (ethtool's nl_parser): a table of parameters, each
 * naming the attribute it writes and how its value is read, with ethtool's own messages for an
 * unknown or repeated parameter, a missing or invalid value. Attributes are written in the order
 * the parameters were given, as ethtool writes them (the kernel's extack offsets count in it).
 */
import type { NlCtx } from './cmd';
import type { Attrs, AttrValue } from '../../ethtool/netlink/attrs';
import { strtoint } from '../../common/numbers';

/** The parser's running state: the command ("-G"), the parameter being read, the arguments left. */
export class ArgState {
  param = '';
  i = 0;
  constructor(readonly c: NlCtx, readonly cmd: string, readonly args: readonly string[]) {}

  get left(): number { return this.args.length - this.i; }
  /** The next argument, taken. */
  take(): string { return this.args[this.i++]; }
  peek(): string | undefined { return this.args[this.i]; }

  err(text: string): void {
    this.c.out.err(`ethtool (${this.cmd}): ${text}\n`);
    this.c.out.fail(text);
  }

  invalid(value: string): false {
    this.err(`invalid value '${value}' for parameter '${this.param}'`);
    return false;
  }
}

/**
 * A parameter's handler: reads its value(s) from `s`, writes attributes into `into` (or a
 * parser-level result into `dest`); false after printing the error.
 */
export type ParamHandler = (s: ArgState, into: Attrs, attr: string | undefined, dest: Record<string, unknown>) => boolean;

export interface Param {
  readonly arg: string;
  /** The attribute written (undefined: the handler writes elsewhere or nothing). */
  readonly attr?: string;
  readonly handler: ParamHandler;
  readonly minArgc: number;
  /** Only one parameter of an alternative group may be given. */
  readonly altGroup?: number;
  /** PARSER_GROUP_MSG: the message the attribute goes into. */
  readonly group?: string;
}

/** parse_u32: "0x" then hex, else decimal (strtoul), the whole string, within 32 bits. */
export function parseU32(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const hex = s[0] === '0' && (s[1] === 'x' || s[1] === 'X');
  const body = hex ? s.slice(2) : s;
  if (body === '') return null;
  const v = strtoint(body, hex ? 16 : 10, true);
  return v === null || v > 0xffffffffn ? null : Number(v);
}

/** An unsigned 32-bit number (nl_parse_direct_u32). */
export const directU32: ParamHandler = (s, into, attr, dest) => {
  const arg = s.take();
  const v = parseU32(arg);
  if (v === null) return s.invalid(arg);
  if (attr) into[attr] = v;
  dest[s.param] = v;
  return true;
};

/** An unsigned 8-bit number (nl_parse_direct_u8). */
export const directU8: ParamHandler = (s, into, attr, dest) => {
  const arg = s.take();
  const v = parseU32(arg);
  if (v === null || v > 0xff) return s.invalid(arg);
  if (attr) into[attr] = v;
  dest[s.param] = v;
  return true;
};

/** "on" or "off" as a u8 1/0 (nl_parse_u8bool). */
export const u8bool: ParamHandler = (s, into, attr, dest) => {
  const arg = s.take();
  if (arg !== 'on' && arg !== 'off') return s.invalid(arg);
  if (attr) into[attr] = arg === 'on' ? 1 : 0;
  dest[s.param] = arg === 'on';
  return true;
};

/** A word looked up in a table (nl_parse_lookup_u32 / _u8). */
export function lookup(table: Readonly<Record<string, number>>): ParamHandler {
  return (s, into, attr, dest) => {
    const arg = s.take();
    if (!Object.prototype.hasOwnProperty.call(table, arg)) return s.invalid(arg);
    if (attr) into[attr] = table[arg];
    dest[s.param] = table[arg];
    return true;
  };
}

/** A flag: the parameter alone (nl_parse_flag). */
export const flag: ParamHandler = (s, into, attr, dest) => {
  if (attr) into[attr] = true;
  dest[s.param] = true;
  return true;
};

/** A string (nl_parse_string). */
export const string: ParamHandler = (s, into, attr, dest) => {
  const arg = s.take();
  if (attr) into[attr] = arg;
  dest[s.param] = arg;
  return true;
};

export interface Parsed {
  /** Attributes of the request (PARSER_GROUP_NONE), in the order given. */
  attrs: Attrs;
  /** PARSER_GROUP_MSG: attributes per message, in the order the messages were first named. */
  groups: Map<string, Attrs>;
  /** Values by parameter, for handlers that act on them. */
  dest: Record<string, unknown>;
}

/** nl_parser over `args`: the attributes, or null after printing ethtool's message. */
export function parse(c: NlCtx, cmd: string, params: readonly Param[], args: readonly string[] = c.args): Parsed | null {
  const s = new ArgState(c, cmd, args);
  const seen = new Set<number>();
  const out: Parsed = { attrs: {}, groups: new Map(), dest: {} };
  for (const p of params) if (p.group && !out.groups.has(p.group)) out.groups.set(p.group, {});
  while (s.left > 0) {
    s.param = s.take();
    const idx = params.findIndex(p => p.arg === s.param);
    if (idx < 0) { s.err(`unknown parameter '${s.param}'`); return null; }
    if (seen.has(idx)) { s.err(`duplicate parameter '${s.param}'`); return null; }
    const p = params[idx];
    if (s.left < p.minArgc) {
      s.err(p.minArgc === 1 ? `no value for parameter '${s.param}'` : `parameter '${s.param}' requires ${p.minArgc} words`);
      return null;
    }
    if (p.altGroup) params.forEach((q, j) => { if (q.altGroup === p.altGroup) seen.add(j); });
    else seen.add(idx);
    const into = p.group ? out.groups.get(p.group)! : out.attrs;
    if (!p.handler(s, into, p.attr, out.dest)) return null;
  }
  return out;
}

export type { AttrValue };
