/**
 * Rates of a set of monotonic counters, computed from measured elapsed time. A counter that goes
 * backwards (driver reset, reload, device re-created) gives rate 0 for that interval and is
 * rebased; a 64-bit counter that wraps past 2^64 is counted through the wrap. "Zeroing" sets a
 * baseline that the shown values are relative to, and keeps counting across resets.
 */
import { isAlarmName } from './queues';

const U64 = 1n << 64n;
/** A backwards step is a 64-bit wrap only if the modular delta is this small (2^48 ≈ 2.8e14). */
const WRAP_LIMIT = 1n << 48n;

/** The increase from `prev` to `cur`, or null when the counter was reset. */
export function counterDelta(prev: bigint, cur: bigint): bigint | null {
  if (cur >= prev) return cur - prev;
  const wrapped = U64 - prev + cur;
  return wrapped > 0n && wrapped < WRAP_LIMIT ? wrapped : null;
}

/** Per-second rate over `elapsedNs` nanoseconds; 0 when no time passed. */
export function ratePerSecond(delta: bigint | number, elapsedNs: bigint): number {
  if (elapsedNs <= 0n) return 0;
  return Number(delta) / (Number(elapsedNs) / 1e9);
}

export class CounterSet {
  names: readonly string[] = [];
  /** Latest raw values (copied; the source buffer is reused by its reader). */
  value = new BigUint64Array(0);
  /** Per-second rate over the last interval. */
  rate = new Float64Array(0);
  /** Monotonic ms of the last interval in which each counter moved (0: never). */
  movedAt = new Float64Array(0);
  /** 1 where the counter counts trouble (drops, errors…). */
  alarm = new Uint8Array(0);
  /** Baseline for shown values, per counter; null until zeroed. May go negative across resets. */
  base: bigint[] | null = null;
  /** Counters found going backwards, in total. */
  resets = 0;
  /** Whether `value` holds a sample that the next update can take a delta from. */
  primed = false;
  private byName = new Map<string, number>();

  constructor(names: readonly string[] = []) {
    this.setNames(names);
  }

  /** Adopt a new list of names (driver's stat set changed), carrying state over by name. */
  setNames(names: readonly string[]): void {
    const old = { names: this.names, value: this.value, rate: this.rate, movedAt: this.movedAt, base: this.base, byName: this.byName };
    const n = names.length;
    this.names = names.slice();
    this.value = new BigUint64Array(n);
    this.rate = new Float64Array(n);
    this.movedAt = new Float64Array(n);
    this.alarm = new Uint8Array(n);
    this.base = old.base ? new Array<bigint>(n).fill(0n) : null;
    this.byName = new Map();
    const fresh: number[] = [];
    for (let i = 0; i < n; i++) {
      const name = names[i];
      this.byName.set(name, i);
      this.alarm[i] = isAlarmName(name) ? 1 : 0;
      const j = old.byName.get(name);
      if (j === undefined) { fresh.push(i); continue; }
      this.value[i] = old.value[j];
      this.rate[i] = old.rate[j];
      this.movedAt[i] = old.movedAt[j];
      if (this.base && old.base) this.base[i] = old.base[j];
    }
    this.fresh = fresh.length ? new Set(fresh) : null;
  }

  /** New counters since setNames(): no previous value to take a delta from yet. */
  private fresh: Set<number> | null = null;

  indexOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  /** Forget the previous sample: the next update sets values and reports rate 0. */
  rebase(): void {
    if (this.primed) this.rebasing = true;
    this.primed = false;
  }

  /** Set by rebase(): the next sample comes from a fresh counter source (device re-created…). */
  private rebasing = false;

  /**
   * Take a new sample (`cur` is read synchronously and may be a reused buffer). `elapsedNs` is the
   * measured time since the previous sample; `nowMs` stamps counters that moved.
   */
  update(cur: ArrayLike<bigint>, elapsedNs: bigint, nowMs: number): void {
    const n = this.names.length;
    if (cur.length !== n) throw new Error(`counter count changed (${n} → ${cur.length}) without setNames()`);
    const secs = Number(elapsedNs) / 1e9;
    const value = this.value, rate = this.rate, base = this.base, fresh = this.fresh;
    if (!this.primed || !(secs > 0)) {
      // First sample (or no time passed): values only. After a rebase, zeroed values keep
      // counting on from the old source's totals.
      const carry = this.rebasing && base !== null;
      for (let i = 0; i < n; i++) {
        if (carry) base![i] -= value[i];
        value[i] = cur[i];
        rate[i] = 0;
      }
      this.primed = true;
      this.rebasing = false;
      this.fresh = null;
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = cur[i];
      const p = value[i];
      value[i] = c;
      if (c === p) { rate[i] = 0; continue; }
      if (fresh !== null && fresh.has(i)) { rate[i] = 0; continue; }
      const d = counterDelta(p, c);
      if (d === null) {
        // Reset: no rate for this interval; if zeroed, keep counting from the old total.
        this.resets++;
        rate[i] = 0;
        if (base) base[i] -= p;
        continue;
      }
      rate[i] = Number(d) / secs;
      this.movedAt[i] = nowMs;
    }
    this.fresh = null;
  }

  /** Make the current values the baseline (shown values restart from 0). */
  zero(): void {
    this.base = Array.from(this.value);
  }

  /** The value shown for counter i: raw, or relative to the baseline after zero(). */
  shown(i: number): bigint {
    return this.base ? this.value[i] - this.base[i] : this.value[i];
  }

  /** Sum of the rates of the named counters that exist (by index list). */
  sumRates(indices: readonly number[]): number {
    let s = 0;
    for (const i of indices) if (i >= 0) s += this.rate[i];
    return s;
  }
}
