/**
 * Numbers as the C library reads them (strtoll/strtoull with base 0, 10 or 16, whole-string
 * match), which ethtool's command line relies on; shared by every front end so that a number
 * means the same in every option.
 */

const SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/**
 * strtoll (signed) / strtoull (unsigned) on `s` with `base` 0, 10 or 16, accepted only when
 * the whole string is consumed and no range error occurred, like `*end == '\0' && !errno`.
 * Returns null when C would report an error. Unsigned negative input wraps like strtoull.
 * `ignoreRange`: accept an out-of-range number as long as it is all digits (callers that
 * only check the end pointer, not errno).
 */
export function strtoint(s: string, base: 0 | 10 | 16, unsigned: boolean, ignoreRange = false): bigint | null {
  let i = 0;
  while (i < s.length && SPACE.has(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  let b: number = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && hexDigit(s[i + 2]) >= 0) {
    i += 2;
    b = 16;
  } else if (b === 0) {
    b = s[i] === '0' ? 8 : 10;
  }
  const start = i;
  let v = 0n;
  let overflow = false;
  const B = BigInt(b);
  while (i < s.length) {
    const d = hexDigit(s[i]);
    if (d < 0 || d >= b) break;
    if (!overflow) {
      v = v * B + BigInt(d);
      if (v > U64_MAX) overflow = true;
    }
    i++;
  }
  // No digits at all: C sets end = s (the very start), so only "" passes as 0.
  if (i === start) return s.length === 0 ? 0n : null;
  if (i !== s.length) return null;
  if (ignoreRange && overflow) return U64_MAX; // what strtoul answers, errno aside
  if (unsigned) {
    if (overflow) return null;
    return neg && v !== 0n ? (1n << 64n) - v : v;
  }
  if (overflow) return null;
  if (neg ? v > I64_MAX + 1n : v > I64_MAX) return null;
  return neg ? -v : v;
}

function hexDigit(c: string | undefined): number {
  if (c === undefined) return -1;
  const x = c.charCodeAt(0);
  if (x >= 48 && x <= 57) return x - 48;
  if (x >= 97 && x <= 102) return x - 87;
  if (x >= 65 && x <= 70) return x - 55;
  return -1;
}

const S32_MIN = -(2n ** 31n), S32_MAX = 2n ** 31n - 1n;

/** A C int parsed with strtoll(base): null when invalid or out of INT range. */
export function parseInt32(s: string, base: 0 | 10 = 0): number | null {
  const v = strtoint(s, base, false);
  return v === null || v < S32_MIN || v > S32_MAX ? null : Number(v);
}

/** An unsigned value parsed with strtoull(s, 0) and checked against `max`. */
export function parseUnsigned(s: string, max: number): number | null {
  const v = strtoint(s, 0, true);
  return v === null || v > BigInt(max) ? null : Number(v);
}

export function parseOnOff(s: string): boolean | null {
  return s === 'on' ? true : s === 'off' ? false : null;
}

const LONG_MAX = (1n << 63n) - 1n;

/**
 * strtol(s, NULL, base 0): the longest number at the start of `s` (0 when there is none), as
 * a C long — an overflow saturates at LONG_MIN / LONG_MAX. For callers that do not check the
 * end pointer (ethtool's -f region).
 */
export function strtolPrefix(s: string): bigint {
  let i = 0;
  while (i < s.length && SPACE.has(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  let b = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && hexDigit(s[i + 2]) >= 0) { i += 2; b = 16; }
  else if (s[i] === '0') b = 8;
  let v = 0n;
  for (; i < s.length; i++) {
    const d = hexDigit(s[i]);
    if (d < 0 || d >= b) break;
    if (v <= LONG_MAX + 1n) v = v * BigInt(b) + BigInt(d);
  }
  if (neg) return v > LONG_MAX + 1n ? -(LONG_MAX + 1n) : -v;
  return v > LONG_MAX ? LONG_MAX : v;
}
