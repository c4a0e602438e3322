/**
 * The netlink commands' argument parser (ethtool's nl_parser): a table of parameters, each
 * naming the attribute it writes and how its value is read, with ethtool's own messages for an
 * unknown or repeated parameter, a missing or invalid value. Attributes are written in the order
 * the parameters were given, as ethtool writes them (the kernel's extack offsets count in it).
 */
import type { NlCtx } from './cmd';
import type { Attrs, AttrValue } from '../../ethtool/netlink/attrs';
import { strtoint } from '../../common/numbers';
import { Bitset, VerboseBitset } from '../../ethtool/netlink/bitset';

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

/** __prefix_0x: "0x" or "0X" at the start. */
function prefix0x(s: string): boolean {
  return s[0] === '0' && (s[1] === 'x' || s[1] === 'X');
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** The number of significant bits of a u32 (__nsb). */
function nsb(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

/**
 * is_numeric_bitset: "0x…", or hex digits with at most one "/" (its mask may have its own
 * "0x"); with `noMask` no "/" at all.
 */
export function isNumericBitset(arg: string, noMask: boolean): boolean {
  if (prefix0x(arg)) return true;
  let slash = false;
  for (let i = 0; i < arg.length; i++) {
    if (arg[i] === '/') {
      if (slash || noMask) return false;
      slash = true;
      if (prefix0x(arg.slice(i + 1))) i += 2;
      continue;
    }
    if (!isHex(arg[i])) return false;
  }
  return true;
}

/**
 * __parse_num_string: `arg` (no "0x") into u32 words of `dst`, least significant first: a
 * decimal u32 when `forceHex` is off and it reads as one (up to 10 characters), else hex in
 * chunks of 8 digits, each read with strtoul(…, 16) (which also takes a sign, spaces or its own
 * "0x"). The number of significant bits, or -1.
 */
function parseNumString(arg: string, dst: Uint32Array, forceHex: boolean): number {
  let len = arg.length;
  if (len === 0) return -1;
  if (!forceHex && len <= 10) {
    const v = strtoint(arg, 10, true);
    if (v !== null && v <= 0xffffffffn) {
      dst[0] = Number(v);
      return nsb(Number(v));
    }
  }
  let at = Math.floor((len - 1) / 8);
  let nbits = 0;
  let p = 0;
  while (len > 0) {
    const chunk = len % 8 || 8;
    const v = strtoint(arg.slice(p, p + chunk), 16, true, true);
    if (v === null) return -1;
    const w = Number(v & 0xffffffffn);
    dst[at--] = w;
    if (nbits) nbits += 4 * chunk;
    else nbits = nsb(w);
    p += chunk;
    len -= chunk;
  }
  return nbits;
}

/**
 * parse_numeric_bitset: VALUE[/MASK] as a compact bitset (a list, NOMASK, without a mask).
 * Errors name the value without its "0x", as ethtool does.
 */
function numericBitset(s: ArgState, noMask: boolean, forceHex: boolean): Bitset | null {
  let arg = s.take();
  let hex1 = forceHex;
  let hex2 = forceHex;
  if (prefix0x(arg)) {
    hex1 = true;
    arg = arg.slice(2);
  }
  const slash = arg.indexOf('/');
  if (slash >= 0 && noMask) { s.invalid(arg); return null; }
  const len1 = slash >= 0 ? slash : arg.length;
  let nwords = Math.ceil(len1 / 8);
  let nbits = 0;
  let mask: Uint32Array | null = null;
  if (slash >= 0) {
    let m = arg.slice(slash + 1);
    if (prefix0x(m)) {
      m = m.slice(2);
      hex2 = true;
    }
    if (m.length > len1) nwords = Math.ceil(m.length / 8);
    mask = new Uint32Array(nwords);
    const r = parseNumString(m, mask, hex2);
    if (r < 0) { s.invalid(arg); return null; }
    nbits = r;
  }
  const value = new Uint32Array(nwords);
  const r = parseNumString(arg.slice(0, len1), value, hex1);
  if (r < 0) { s.invalid(arg); return null; }
  nbits = Math.max(nbits, r);
  const b = new Bitset(nbits, { list: mask === null });
  b.value.set(value.subarray(0, b.value.length));
  if (mask && b.mask) b.mask.set(mask.subarray(0, b.mask.length));
  return b;
}

/**
 * nl_parse_bitset: a number (hex; decimal too unless `forceHex`), optionally "/MASK", sent as a
 * compact bitset; otherwise names, each followed by "on" or "off" (names alone with `noMask`),
 * up to the end or "--", sent by name for the kernel to check.
 */
export function bitset(opts: { noMask?: boolean; forceHex?: boolean } = {}): ParamHandler {
  const noMask = opts.noMask ?? false;
  return (s, into, attr, dest) => {
    if (isNumericBitset(s.peek() ?? '', false)) {
      const b = numericBitset(s, noMask, opts.forceHex ?? false);
      if (!b) return false;
      if (attr) into[attr] = b;
      dest[s.param] = b;
      return true;
    }
    const bits: { name: string; value?: boolean }[] = [];
    while (s.left > 0) {
      const name = s.peek()!;
      if (name === '--') { s.take(); break; }
      if (noMask) {
        bits.push({ name });
        s.take();
        continue;
      }
      const v = s.args[s.i + 1];
      if (s.left < 2 || (v !== 'on' && v !== 'off')) {
        s.err(`flag '${name}' for parameter '${s.param}' is not followed by 'on' or 'off'`);
        return false;
      }
      bits.push({ name, value: v === 'on' });
      s.i += 2;
    }
    const vb: VerboseBitset = { verbose: bits, nomask: noMask };
    if (attr) into[attr] = vb;
    dest[s.param] = vb;
    return true;
  };
}

/**
 * nl_parse_char_bitset: one character per bit (`chars[i]` names bit i), `reset` clearing the
 * list; a leading "+" or "-" makes it a change of the bits named (then "+"/"-" switch between
 * setting and clearing, and `reset` is refused). A string that is not made of those characters
 * but reads as a number is a numeric bitset (decimal or hex).
 */
export function charBitset(chars: string, reset: string, opts: { noMask?: boolean } = {}): ParamHandler {
  const isChars = (arg: string): boolean => {
    const masked = arg[0] === '+' || arg[0] === '-';
    for (const c of arg) {
      if (c === reset || (masked && (c === '+' || c === '-')) || chars.includes(c)) continue;
      return false;
    }
    return true;
  };
  return (s, into, attr, dest) => {
    const arg = s.peek() ?? '';
    if (!isChars(arg) && isNumericBitset(arg, false)) {
      const b = numericBitset(s, opts.noMask ?? false, false);
      if (!b) return false;
      if (attr) into[attr] = b;
      dest[s.param] = b;
      return true;
    }
    s.take();
    const noMask = (opts.noMask ?? false) || !(arg[0] === '+' || arg[0] === '-');
    let bits: { index: number; value?: boolean }[] = [];
    let on = true;
    for (const c of arg) {
      if (c === '+' || c === '-') {
        if (noMask) return s.invalid(arg);
        on = c === '+';
        continue;
      }
      if (c === reset && noMask) {
        bits = [];
        continue;
      }
      const index = c === reset ? -1 : chars.indexOf(c);
      if (index < 0) {
        s.err(`invalid char '${c}' in '${arg}' for parameter '${s.param}'`);
        return false;
      }
      bits.push(noMask ? { index } : { index, value: on });
    }
    const vb: VerboseBitset = { verbose: bits, nomask: noMask };
    if (attr) into[attr] = vb;
    dest[s.param] = vb;
    return true;
  };
}

/**
 * nl_parse_byte_str: bytes of one or two hex digits separated by `delim` ("01:02:…"), between
 * `min` and `max` of them (max 0: any), sent as a binary attribute.
 */
export function byteStr(min: number, max: number, delim = ':'): ParamHandler {
  return (s, into, attr, dest) => {
    const arg = s.take();
    const bad = (): false => {
      s.err(`invalid value '${arg}' of parameter '${s.param}'`);
      return false;
    };
    const isDelim = (i: number): boolean => i >= arg.length || (delim ? arg[i] === delim : !isHex(arg[i]));
    if (arg === '') return bad();
    let len = 0;
    let p = 0;
    for (;;) {
      len++;
      if (!isDelim(p)) p++;
      if (!isDelim(p)) p++;
      if (!isDelim(p)) return bad();
      if (p >= arg.length) break;
      p++;
      if (p < arg.length && isDelim(p)) return bad();
    }
    if (len < min || (max && len > max)) return bad();
    const bytes = new Uint8Array(len);
    p = 0;
    for (let i = 0; i < len; i++) {
      if (!isHex(arg[p])) return bad();
      let byte = 0;
      while (isHex(arg[p])) byte = (16 * byte + parseInt(arg[p++], 16)) & 0xff;
      if (!isDelim(p)) return bad();
      bytes[i] = byte;
      if (p < arg.length) p++;
    }
    if (attr) into[attr] = bytes;
    dest[s.param] = bytes;
    return true;
  };
}

/**
 * nl_parse_error: a parameter kept only to be refused: ethtool's `message` (with %s: the
 * parameter), its `extra` value words skipped, and the command fails.
 */
export function refused(message: string, extra = 1): ParamHandler {
  return s => {
    let text = message.replace('%s', s.param);
    if (s.left < extra) text += `\nethtool (${s.cmd}): too few arguments for parameter '${s.param}' (expected ${extra})`;
    else s.i += extra;
    s.err(text);
    return false;
  };
}

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
