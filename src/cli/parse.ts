/**
 * The ethtool command line's generic "KEY VALUE ..." and "NAME on|off ..." parsers, driven by
 * rows of data, over the C-style number parsing every front end shares.
 */
import { parseInt32, parseUnsigned, parseOnOff } from '../common/numbers';

// ---- generic KEY VALUE parser ---------------------------------------------------------

/**
 * Value kinds of the generic parser:
 *   s32   int, base 0; negative means "not given"      (-G, -L, -C numbers)
 *   u32   unsigned, base 0, at most 0xffffffff           (-e offset/length)
 *   u8    unsigned, base 0, at most 0xff
 *   bool  exactly "on" or "off"                          (-A, -C adaptive-*, -d raw/hex)
 *   string any text                                      (-d file)
 */
export type ValueKind = 's32' | 'u32' | 'u8' | 'bool' | 'string';

export interface KeyRow {
  /** The command-line key, exactly as typed (case-sensitive). */
  readonly key: string;
  readonly kind: ValueKind;
}

export type Parsed = Map<string, number | boolean | string>;

export function parseValue(kind: ValueKind, s: string): number | boolean | string | null {
  switch (kind) {
    case 's32': return parseInt32(s, 0);
    case 'u32': return parseUnsigned(s, 0xffffffff);
    case 'u8': return parseUnsigned(s, 0xff);
    case 'bool': return parseOnOff(s);
    case 'string': return s;
  }
}

/**
 * Consume `args` as KEY VALUE pairs against `rows`. null on an unknown key, a key without a
 * value, or a bad value (ethtool's "bad command line argument(s)"). Repeated keys: last wins.
 */
export function parseKeyValues(args: readonly string[], rows: readonly KeyRow[]): Parsed | null {
  const out: Parsed = new Map();
  for (let i = 0; i < args.length; i += 2) {
    const row = rows.find(r => r.key === args[i]);
    if (!row || i + 1 >= args.length) return null;
    const v = parseValue(row.kind, args[i + 1]);
    if (v === null) return null;
    out.set(row.key, v);
  }
  return out;
}

/**
 * NAME on|off pairs over a set of flag names (-K, -s msglvl NAME on|off). "on" is sticky:
 * it ORs into `wanted`; "off" only marks the name as seen — so a name given both ways ends
 * up on, as in ethtool. Returns null on an unknown name or a value other than on/off.
 */
export function parseFlags(args: readonly string[], known: (name: string) => boolean):
  { seen: Set<string>; on: Set<string> } | null {
  const seen = new Set<string>();
  const on = new Set<string>();
  for (let i = 0; i < args.length; i += 2) {
    if (!known(args[i]) || i + 1 >= args.length) return null;
    const v = parseOnOff(args[i + 1]);
    if (v === null) return null;
    seen.add(args[i]);
    if (v) on.add(args[i]);
  }
  return { seen, on };
}
