/** A fixed-size ring of the last N samples of a few series, for the history charts. */
export class History {
  private readonly data: Float64Array[];
  private head = 0;
  /** Samples held (≤ capacity). */
  length = 0;

  constructor(readonly series: number, readonly capacity = 300) {
    this.data = Array.from({ length: series }, () => new Float64Array(capacity));
  }

  push(values: readonly number[]): void {
    for (let s = 0; s < this.series; s++) this.data[s][this.head] = values[s] ?? 0;
    this.head = (this.head + 1) % this.capacity;
    if (this.length < this.capacity) this.length++;
  }

  /** The last `n` samples of series `s`, oldest first. */
  last(s: number, n: number): number[] {
    const k = Math.min(n, this.length);
    const out = new Array<number>(k);
    const d = this.data[s];
    for (let i = 0; i < k; i++) out[i] = d[(this.head - k + i + this.capacity) % this.capacity];
    return out;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }
}
