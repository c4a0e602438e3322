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
  queues?: {
    count: number; rx_metric: string | null; tx_metric: string | null;
    rx_pps: number[]; tx_pps: number[]; rx_imbalance: number | null; tx_imbalance: number | null;
  };
  driver_stats?: string;
  rates?: Record<string, number>;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const fin = (x: number) => (Number.isFinite(x) ? r3(x) : null);

export function deviceJson(d: DeviceState): JsonDevice {
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
    queues: {
      count: q.count, rx_metric: q.rxPackets?.metric ?? null, tx_metric: q.txPackets?.metric ?? null,
      rx_pps: Array.from(d.qRxPkts, r3), tx_pps: Array.from(d.qTxPkts, r3),
      rx_imbalance: fin(d.rxImbalance), tx_imbalance: fin(d.txImbalance),
    },
    driver_stats: d.drvStatus, rates,
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
  const sleep = (ms: number) => new Promise<void>(res => {
    const t = setTimeout(res, Math.max(0, ms));
    signal?.addEventListener('abort', () => { clearTimeout(t); res(); }, { once: true });
  });
  const start = Number(model.clock() / 1000000n);
  model.sample(); // prime
  for (let k = 1; k <= count; k++) {
    // Scheduled against the start so the cadence does not drift; rates use measured time anyway.
    await sleep(start + k * model.intervalS * 1000 - Number(model.clock() / 1000000n));
    if (signal?.aborted) return 130;
    model.sample();
    if (json) {
      out.write(JSON.stringify({ sample: k, time: new Date().toISOString(), devices: model.devices.map(deviceJson) }) + '\n');
    } else {
      out.write(`sample ${k}/${count}  ${new Date().toISOString()}\n${HEADER}\n`);
      for (const d of model.devices) out.write(deviceLine(d) + '\n');
    }
  }
  return 0;
}
