/**
 * The samples of a scrape as prom-client metric families, in the Prometheus text format. A
 * family is made the first time its name is seen and dropped after a scrape that had no sample of
 * it (a device gone, a setting no longer reported), so nothing stale is served. Driver statistics
 * are `untyped`, as node_exporter declares them (a driver's -S table mixes counters and gauges);
 * prom-client has no untyped metric, so a Gauge is declared as one.
 */
import { Registry, Gauge, Counter } from 'prom-client';
import type { Kind, Labels, Sink } from './collect';

class Untyped extends Gauge<string> {
  constructor(config: ConstructorParameters<typeof Gauge<string>>[0]) {
    super(config);
    (this as unknown as { type: string }).type = 'untyped';
  }
}

interface Family {
  kind: Kind;
  labelKey: string;
  metric: Gauge<string> | Counter<string>;
  used: boolean;
}

/** Which metric names are served: include/exclude regular expressions, searched anywhere in the name. */
export class NameFilter {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly include: RegExp | null = null, private readonly exclude: RegExp | null = null) {}
  accepts(name: string): boolean {
    let ok = this.memo.get(name);
    if (ok === undefined) {
      ok = (!this.include || this.include.test(name)) && (!this.exclude || !this.exclude.test(name));
      this.memo.set(name, ok);
    }
    return ok;
  }
}

export class Families implements Sink {
  readonly registry = new Registry();
  private readonly fams = new Map<string, Family>();
  /** Samples dropped because their name was already a family of another kind or label set. */
  conflicts = 0;

  constructor(private readonly filter: NameFilter = new NameFilter()) {}

  /** Start a scrape: every family empty. */
  begin(): void {
    this.conflicts = 0;
    for (const f of this.fams.values()) { f.used = false; f.metric.reset(); }
  }

  put(name: string, kind: Kind, help: string, labels: Labels, value: number): void {
    if (!this.filter.accepts(name)) return;
    let f = this.fams.get(name);
    const labelKey = labelKeyOf(labels);
    if (!f) {
      const config = { name, help, labelNames: Object.keys(labels), registers: [this.registry] };
      const metric = kind === 'counter' ? new Counter(config) : kind === 'untyped' ? new Untyped(config) : new Gauge(config);
      this.fams.set(name, f = { kind, labelKey, metric, used: false });
    } else if (f.kind !== kind || f.labelKey !== labelKey) {
      this.conflicts++;
      return;
    }
    f.used = true;
    if (f.metric instanceof Counter) f.metric.inc(labels, value);
    else f.metric.set(labels, value);
  }

  /** End a scrape: families without samples are dropped. */
  end(): void {
    for (const [name, f] of this.fams) {
      if (f.used) continue;
      this.registry.removeSingleMetric(name);
      this.fams.delete(name);
    }
  }

  get contentType(): string { return this.registry.contentType; }
  text(): Promise<string> { return this.registry.metrics(); }
}

function labelKeyOf(labels: Labels): string {
  let k = '';
  for (const n in labels) k += n + ',';
  return k;
}
