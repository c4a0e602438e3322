/**
 * Bitsets from the command line (ethtool's nl_parse_bitset): a number — hex with "0x", else
 * decimal when it fits 32 bits, else hex; with a "/mask" unless the bitset is a list — sent
 * compact; or names (a list: NAME…; else NAME on|off …, up to the end or "--") sent verbose,
 * for the kernel to look up.
 */
import { Bitset, VerboseBitset } from '../../ethtool/netlink/bitset';
import { strtoint } from '../../common/numbers';
import type { ArgState, ParamHandler } from './parser';

const isHex = (ch: string): boolean => /^[0-9a-fA-F]$/.test(ch);
const prefix0x = (s: string): boolean => s[0] === '0' && (s[1] === 'x' || s[1] === 'X');

/** is_numeric_bitset */
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

/** __nsb: the number of significant bits of a u32. */
function nsb(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

/** __parse_num_string: words (least significant first) and the number of significant bits, or null. */
export function parseNumString(arg: string, forceHex: boolean): { words: number[]; nbits: number } | null {
  const len = arg.length;
  if (!len) return null;
  if (!forceHex && len <= 10) {
    const v = strtoint(arg, 10, true);
    if (v !== null && v <= 0xffffffffn) return { words: [Number(v)], nbits: nsb(Number(v)) };
  }
  const words: number[] = new Array(Math.floor((len - 1) / 8) + 1).fill(0);
  let w = words.length - 1;
  let nbits = 0;
  let p = 0;
  let left = len;
  while (left > 0) {
    const chunk = left % 8 || 8;
    const part = arg.slice(p, p + chunk);
    const v = strtoint(part, 16, true);
    if (v === null) return null;
    const word = Number(v & 0xffffffffn);
    words[w--] = word;
    nbits = nbits ? nbits + 4 * chunk : nsb(word);
    p += chunk;
    left -= chunk;
  }
  return { words, nbits };
}

/** parse_numeric_bitset: a compact bitset, or null after ethtool's "invalid value". */
function numericBitset(s: ArgState, arg: string, noMask: boolean, forceHex: boolean): Bitset | null {
  let a = arg;
  let hex1 = forceHex;
  if (prefix0x(a)) { hex1 = true; a = a.slice(2); }
  // ethtool names the value without its "0x" in these messages.
  const slash = a.indexOf('/');
  if (slash >= 0 && noMask) { s.invalid(a); return null; }
  const v1 = slash >= 0 ? a.slice(0, slash) : a;
  let mask: { words: number[]; nbits: number } | null = null;
  let nbits = 0;
  if (slash >= 0) {
    let m = a.slice(slash + 1);
    let hex2 = forceHex;
    if (prefix0x(m)) { m = m.slice(2); hex2 = true; }
    mask = parseNumString(m, hex2);
    if (!mask) { s.invalid(a); return null; }
    nbits = mask.nbits;
  }
  const value = parseNumString(v1, hex1);
  if (!value) { s.invalid(a); return null; }
  nbits = Math.max(nbits, value.nbits);
  const b = new Bitset(nbits, { list: !mask });
  const fill = (dst: Uint32Array, src: number[]): void => { for (let i = 0; i < dst.length; i++) dst[i] = src[i] ?? 0; };
  fill(b.value, value.words);
  if (mask && b.mask) fill(b.mask, mask.words);
  return b;
}

/** nl_parse_bitset as a parameter handler. */
export function bitsetNames(opts: { noMask: boolean; forceHex?: boolean }): ParamHandler {
  return (s, into, attr) => {
    const first = s.peek();
    if (first !== undefined && isNumericBitset(first, false)) {
      s.take();
      const b = numericBitset(s, first, opts.noMask, opts.forceHex ?? false);
      if (!b) return false;
      if (attr) into[attr] = b;
      return true;
    }
    const bits: { name: string; value?: boolean }[] = [];
    while (s.left > 0) {
      if (s.peek() === '--') { s.take(); break; }
      const name = s.take();
      if (opts.noMask) {
        bits.push({ name });
        continue;
      }
      const v = s.peek();
      if (v !== 'on' && v !== 'off') {
        s.err(`flag '${name}' for parameter '${s.param}' is not followed by 'on' or 'off'`);
        return false;
      }
      s.take();
      bits.push({ name, value: v === 'on' });
    }
    const vb: VerboseBitset = opts.noMask ? { verbose: bits, nomask: true } : { verbose: bits };
    if (attr) into[attr] = vb;
    return true;
  };
}
