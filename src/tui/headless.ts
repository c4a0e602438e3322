/**
 * `ethkit --top --count N [--json]`: N samples of rates as text or JSON lines, for scripts and
 * tests. The first sample after start only primes the counters; each printed sample covers one
 * measured interval.
 */
import { TopModel, DeviceState } from './model';
import { bits, perSec, speed, operText, imbalanceText, pad, rpad } from './format';

export interface JsonDevice {
  name: string;
  present: boolean;
  operstate?: string;
  speed_mbps?: number | null;
  elapsed_s?: number;
  rx_bps?: number; tx_bps?: number; rx_pps?: number; tx_pps?: number;
  drops_ps?: number; errors_ps?: number;
  alarms?: string[];
  trouble?: Record<string, number>;
  queues?: {
    count: number; rx_metric: string | null; tx_metric: string | null;
    rx_pps: number[]; tx_pps: number[]; rx_imbalance: number | null; tx_imbalance: number | null;
  };
  driver_stats?: string;
  rates?: Record<string, number>;
  irqs?: { irq: number; name: string; queue: number; cpu: number | null; affinity: string; rate: number; profile_cpus: string | null; matches_profile: boolean | null }[];
}

export interface JsonCpu {
  cpu: number; processed_ps: number; dropped_ps: number; squeezed_ps: number; rps_ps: number;
  net_rx_ps: number; net_tx_ps: number; irq_ps: number; serves: string[];
}

export function cpusJson(model: TopModel): JsonCpu[] {
  return model.cpus.rows.map(c => ({
    cpu: c.cpu, processed_ps: r3(c.processed), dropped_ps: r3(c.dropped), squeezed_ps: r3(c.squeezed), rps_ps: r3(c.rps),
    net_rx_ps: r3(c.netRx), net_tx_ps: r3(c.netTx), irq_ps: r3(c.irqs), serves: c.serves,
  }));
}

/** One sample as the JSON-lines record of --count --json and --record. */
export function sampleJson(model: TopModel, k: number): object {
  return { sample: k, time: model.replayTime ?? new Date().toISOString(), devices: model.devices.map(d => deviceJson(d, model)), cpus: cpusJson(model), events: model.sampleEvents };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const fin = (x: number) => (Number.isFinite(x) ? r3(x) : null);

export function deviceJson(d: DeviceState, model?: TopModel): JsonDevice {
  if (!d.present) return { name: d.name, present: false };
  const s = d.summary;
  const rates: Record<string, number> = {};
  const alarms: string[] = [];
  for (let r = 0; r < d.counterCount; r++) {
    const [set, i] = d.counterSet(r);
    if (set.rate[i] === 0) continue;
    const name = d.counterName(r);
    rates[name] = r3(set.rate[i]);
    if (set.alarm[i]) alarms.push(name);
  }
  const q = d.queues;
  return {
    name: d.name, present: true, operstate: d.sysfs.operstate, speed_mbps: d.sysfs.speedMbps,
    elapsed_s: Number(d.elapsedNs) / 1e9,
    rx_bps: r3(s.rxBits), tx_bps: r3(s.txBits), rx_pps: r3(s.rxPkts), tx_pps: r3(s.txPkts),
    drops_ps: r3(s.drops), errors_ps: r3(s.errors), alarms,
    trouble: Object.fromEntries([...d.trouble].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, r3(v)])),
    queues: {
      count: q.count, rx_metric: q.rxPackets?.metric ?? null, tx_metric: q.txPackets?.metric ?? null,
      rx_pps: Array.from(d.qRxPkts, r3), tx_pps: Array.from(d.qTxPkts, r3),
      rx_imbalance: fin(d.rxImbalance), tx_imbalance: fin(d.txImbalance),
    },
    driver_stats: d.drvStatus, rates,
    irqs: (model?.cpus.irqs.get(d.name) ?? []).map(q => ({ irq: q.irq, name: q.name, queue: q.queue, cpu: q.cpu < 0 ? null : q.cpu, affinity: q.affinity, rate: r3(q.rate), profile_cpus: q.intent, matches_profile: q.matches })),
  };
}

const HEADER = `${pad('DEVICE', 15)} ${pad('STATE', 8)} ${rpad('SPEED', 6)} ${rpad('RX bit/s', 10)} ${rpad('RX pkt/s', 9)} ${rpad('TX bit/s', 10)} ${rpad('TX pkt/s', 9)} ${rpad('DROP/s', 7)} ${rpad('ERR/s', 7)} ${rpad('Q', 3)} ${rpad('IMB rx/tx', 11)}`;

export function deviceLine(d: DeviceState): string {
  if (!d.present) return `${pad(d.name, 15)} ${pad('gone', 8)}`;
  const s = d.summary;
  return `${pad(d.name, 15)} ${pad(operText(d.sysfs.operstate), 8)} ${rpad(speed(d.sysfs.speedMbps), 6)} ${rpad(bits(s.rxBits), 10)} ${rpad(perSec(s.rxPkts), 9)} ${rpad(bits(s.txBits), 10)} ${rpad(perSec(s.txPkts), 9)} ${rpad(perSec(s.drops), 7)} ${rpad(perSec(s.errors), 7)} ${rpad(String(d.queues.count || '-'), 3)} ${rpad(imbalanceText(d.rxImbalance) + '/' + imbalanceText(d.txImbalance), 11)}` +
    (d.alarmsMoving ? `  ! ${d.alarmsMoving} trouble counter(s) moving` : '');
}

/** Print `count` samples; resolves with the exit code. */
export async function runHeadless(model: TopModel, count: number, json: boolean, out: { write(s: string): unknown }, signal?: AbortSignal): Promise<number> {
  // One abort listener per wait, removed when the wait ends (a listener left behind per sample
  // would pile up on the signal and trip Node's MaxListenersExceededWarning on stderr).
  const sleep = (ms: number) => new Promise<void>(res => {
    const done = () => { clearTimeout(t); signal?.removeEventListener('abort', done); res(); };
    const t = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
  const start = Number(model.clock() / 1000000n);
  model.sample(); // prime
  for (let k = 1; k <= count; k++) {
    // Scheduled against the start so the cadence does not drift; rates use measured time anyway.
    // A replay prints its records without waiting; past its end there is nothing more.
    if (model.replay) { if (model.replayEnded) break; } else await sleep(start + k * model.intervalS * 1000 - Number(model.clock() / 1000000n));
    if (signal?.aborted) return 130;
    model.sample();
    if (json) {
      out.write(JSON.stringify(sampleJson(model, k)) + '\n');
    } else {
      out.write(`sample ${k}/${count}  ${model.replayTime ?? new Date().toISOString()}\n${HEADER}\n`);
      for (const d of model.devices) out.write(deviceLine(d) + '\n');
      for (const e of model.sampleEvents) out.write(`event ${e.time} ${e.dev}: ${e.text}\n`);
      if (model.cpus.rows.length) {
        out.write(`${rpad('CPU', 6)} ${rpad('PROC/s', 9)} ${rpad('DROP/s', 7)} ${rpad('SQZ/s', 7)} ${rpad('RPS/s', 7)} ${rpad('NET_RX/s', 9)} ${rpad('NET_TX/s', 9)} ${rpad('QIRQ/s', 8)}  QUEUES\n`);
        for (const c of model.cpus.rows) out.write(`${rpad(String(c.cpu), 6)} ${rpad(perSec(c.processed), 9)} ${rpad(perSec(c.dropped), 7)} ${rpad(perSec(c.squeezed), 7)} ${rpad(perSec(c.rps), 7)} ${rpad(perSec(c.netRx), 9)} ${rpad(perSec(c.netTx), 9)} ${rpad(perSec(c.irqs), 8)}  ${c.serves.join(' ')}\n`);
      }
    }
  }
  return 0;
}
