/**
 * FEC encodings (enum ethtool_fec_config_bits) as ethtool names them: its print names
 * (--show-fec, in its order) and the words of --set-fec's `encoding` (auto off rs baser llrs;
 * None has no word: the kernel's uapi says it is "GET only", FEC configuration not supported).
 * The CLI's --show-fec/--set-fec (ioctl path) and the profiles' fec: section read this table.
 */
import { FEC } from '../constants';

export interface FecEncoding { readonly bit: number; readonly name: string; readonly arg: string | null }

/** In the order ethtool prints them. */
export const FEC_ENCODINGS: readonly FecEncoding[] = [
  { bit: FEC.NONE, name: 'None', arg: null },
  { bit: FEC.AUTO, name: 'Auto', arg: 'auto' },
  { bit: FEC.OFF, name: 'Off', arg: 'off' },
  { bit: FEC.BASER, name: 'BaseR', arg: 'baser' },
  { bit: FEC.RS, name: 'RS', arg: 'rs' },
  { bit: FEC.LLRS, name: 'LLRS', arg: 'llrs' },
];

/** The words --set-fec takes after `encoding`. */
export const FEC_WORDS: readonly string[] = FEC_ENCODINGS.filter(e => e.arg !== null).map(e => e.arg!);

/**
 * A FEC change renegotiates the link (the PHY/PCS is retrained with the new encoding): the link
 * goes down and up, as on a pause change.
 */
export const FEC_RESETS_LINK = true;

/** ethtool's names of the encodings in `mask` (None, Auto, Off, BaseR, RS, LLRS). */
export function fecNames(mask: number): string[] {
  return FEC_ENCODINGS.filter(e => (mask & e.bit) !== 0).map(e => e.name);
}

/** The encoding bit of one --set-fec word (case-insensitive, as ethtool), or null. */
export function fecBit(word: string): number | null {
  const w = word.toLowerCase();
  return FEC_ENCODINGS.find(e => e.arg !== null && e.arg === w)?.bit ?? null;
}
