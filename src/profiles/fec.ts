/**
 * FEC in profiles: the `fec:` section (`encoding: WORDS`, --set-fec's words), the state read
 * (the configured and active encodings, GFECPARAM through the Nic API), the wants, rows and
 * steps of a plan, the restore of a snapshot and the step run (SFECPARAM). The encodings'
 * catalog is ../ethtool/catalog/fec.ts.
 *
 * A plan changes FEC only where the encoding read can be set back: a driver reporting None
 * ("FEC configuration not supported", which the kernel refuses on set) is skipped, so that a
 * rollback always restores the configured bits exactly. A FEC change renegotiates the link.
 */
import type { Nic } from '../device/nic';
import type { FecParam } from '../ethtool/types';
import { FEC } from '../ethtool/constants';
import { FEC_ENCODINGS, FEC_WORDS, FEC_RESETS_LINK, fecBit } from '../ethtool/catalog/fec';
import type { ValueSrc, ParamDef, Group } from './model';
import { Got, got } from './got';

export const FEC_KEYS = ['encoding'];

/** What a profile or a snapshot asks of a device's FEC: the configured ETHTOOL_FEC_* bits. */
export interface FecWant { kind: 'fec'; dev: string; mask: number; setting: string; why?: string }

export interface FecStep { kind: 'fec'; dev: string; fec: number; prior: number; ids: string[]; settings: string[]; resetsLink: boolean }

/** As ./plan.ts's Want of kind skip and its Row. */
interface FecSkip { kind: 'skip'; dev: string; id: string; group: Group; setting: string; target: string | null; reason: string; why?: string }
export interface FecRow {
  dev: string; id: string; group: Group; setting: string; current: string | null; target: string | null;
  action: 'set' | 'ok' | 'skip'; reason?: string; resetsLink?: boolean; why?: string;
}

export const FEC_ID = 'fec:encoding';
export const FEC_SETTING = 'fec encoding';

// ---- values ---------------------------------------------------------------------------------

/** The encodings of `mask` as --set-fec's words, in ethtool's order ("none" for None). */
export function fecText(mask: number): string {
  const words = FEC_ENCODINGS.filter(e => (mask & e.bit) !== 0).map(e => e.arg ?? e.name.toLowerCase());
  return words.length ? words.join(' ') : 'none';
}

/** The mask of encoding words (a string of words, or a list), or what is wrong with them. */
export function fecMask(v: unknown): number | string {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.trim().split(/[\s,]+/).filter(Boolean) : null;
  const expected = `expected one or more of: ${FEC_WORDS.join(', ')}`;
  if (!list || list.length === 0) return `bad value ${JSON.stringify(v)}: ${expected}`;
  let mask = 0;
  for (const w of list) {
    const bit = typeof w === 'string' ? fecBit(w) : null;
    if (bit === null) return `bad value ${JSON.stringify(w)}: not a FEC encoding (${expected})`;
    mask |= bit;
  }
  return mask;
}

/** The value of `fec.encoding` (literal: a string of words or a list), or what is wrong with it. */
export function fecValue(v: unknown): ValueSrc | string {
  const m = fecMask(v);
  return typeof m === 'string' ? m : { kind: 'lit', v: fecText(m) };
}

/** Whether parameter `p` may give the encoding (an enum whose every value is encoding words). */
export function fecParamFits(p: ParamDef): boolean {
  return p.type === 'enum' && p.values!.every(x => typeof fecMask(x) === 'number');
}

/** Bits that can be set (and so restored): not 0, not None. */
export function settableFec(mask: number): boolean {
  return mask !== 0 && (mask & FEC.NONE) === 0;
}

// ---- state ----------------------------------------------------------------------------------

export function readFec(nic: Nic): Got<FecParam> {
  return got(() => nic.fec());
}

function reason(g: Got<unknown>, driver: string): string {
  return 'ok' in g ? '' : g.unsupported ? `not supported by driver ${driver}` : g.err;
}

// ---- wants ----------------------------------------------------------------------------------

/** What `fec.encoding` (value `v`, words) asks of a device, or why it cannot have it. */
export function fecWants(v: string, d: { dev: string; driver: string; fec?: Got<FecParam> }, why?: string): (FecWant | FecSkip)[] {
  const dev = d.dev;
  const mask = fecMask(v);
  const skip = (r: string): FecSkip => ({ kind: 'skip', dev, id: FEC_ID, group: 'fec', setting: FEC_SETTING, target: typeof mask === 'number' ? fecText(mask) : v, reason: r, why });
  if (typeof mask === 'string') return [skip(mask)];
  if (!d.fec) return [skip(`FEC of ${dev} was not read`)];
  if (!('ok' in d.fec)) return [skip(reason(d.fec, d.driver))];
  const cur = d.fec.ok.fec >>> 0;
  if (!settableFec(cur)) {
    return [skip(`driver ${d.driver} reports no FEC configuration (${fecText(cur)}): it could not be set back on rollback`)];
  }
  return [{ kind: 'fec', dev, mask, setting: FEC_SETTING, why }];
}

/** The encoding a snapshot recorded, as a want (for rollback and the check after an undo). */
export function restoreFecWant(snap: { fec?: Got<FecParam> }, dev: string, setting: string): FecWant | FecSkip {
  const f = snap.fec;
  const mask = f && 'ok' in f && typeof f.ok?.fec === 'number' ? f.ok.fec >>> 0 : null;
  if (mask === null || !settableFec(mask)) return { kind: 'skip', dev, id: FEC_ID, group: 'fec', setting, target: null, reason: 'not in the snapshot' };
  return { kind: 'fec', dev, mask, setting };
}

// ---- rows and steps -------------------------------------------------------------------------

/** The row of a FEC want against device state `d`, and its step when it differs. */
export function fecRow(w: FecWant, d: { driver: string; fec?: Got<FecParam> } | undefined): { row: FecRow; step?: FecStep } {
  const row: FecRow = { dev: w.dev, id: FEC_ID, group: 'fec', setting: w.setting, current: null, target: fecText(w.mask), action: 'ok', why: w.why };
  if (!d?.fec || !('ok' in d.fec)) return { row: { ...row, action: 'skip', reason: d?.fec ? reason(d.fec, d.driver) : 'FEC not read' } };
  const cur = d.fec.ok.fec >>> 0;
  row.current = fecText(cur);
  if (cur === w.mask) return { row };
  row.action = 'set';
  row.resetsLink = FEC_RESETS_LINK;
  return { row, step: { kind: 'fec', dev: w.dev, fec: w.mask, prior: cur, ids: [FEC_ID], settings: [w.setting], resetsLink: FEC_RESETS_LINK } };
}

export function describeFecStep(s: FecStep): string {
  return `${s.dev}: fec encoding ${fecText(s.fec)}`;
}

// ---- apply ----------------------------------------------------------------------------------

export function runFecStep(nic: Nic, s: FecStep, undo: boolean): void {
  nic.setFec(undo ? s.prior : s.fec);
}
