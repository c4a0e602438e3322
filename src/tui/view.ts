/**
 * The blessed view of a TopModel: a summary row per NIC, history charts (bit/s, pkt/s) and the
 * per-queue table of the selected NIC, and its full counter table. It only reads the model and
 * forwards keys to it; all decisions (rates, highlighting, sorting) live in the model.
 */
import { TopModel, DeviceState, H_RX_BITS, H_TX_BITS, H_RX_PKTS, H_TX_PKTS } from './model';
import { bits, perSec, speed, operText, grouped, imbalanceText, pad, rpad, si } from './format';

/* blessed and blessed-contrib ship without type declarations: the few members used here. */
interface BNode {
  top: number | string; left: number | string; width: number | string; height: number | string;
  hidden: boolean;
  setContent(s: string): void;
  setLabel(s: string): void;
  destroy(): void;
  detach(): void;
  show(): void;
  hide(): void;
}
interface BChart extends BNode {
  options: { maxY?: number };
  setData(d: { title: string; x: string[]; y: number[]; style?: { line: string } }[]): void;
}
export interface BScreen {
  width: number; height: number;
  append(n: BNode): void;
  render(): void;
  destroy(): void;
  on(ev: 'resize', f: () => void): void;
  on(ev: 'keypress', f: (ch: string | undefined, key: BKey) => void): void;
  program: { hideCursor(): void };
  tput: { brokenACS: boolean };
}
export interface BKey { name?: string; full?: string; ctrl?: boolean; shift?: boolean; sequence?: string }
interface BlessedModule {
  screen: ((o: object) => BScreen) & Partial<Record<'_exceptionHandler' | '_sigtermHandler' | '_sigintHandler' | '_sigquitHandler', (...a: unknown[]) => void>>;
  box(o: object): BNode;
  escape(s: string): string;
}
interface ContribModule { line(o: object): BChart }

// eslint-disable-next-line @typescript-eslint/no-require-imports
const blessed = require('blessed') as BlessedModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const contrib = require('blessed-contrib') as ContribModule;

/**
 * blessed installs process-wide uncaughtException/SIGTERM/SIGINT/SIGQUIT listeners that print
 * a stack trace or exit(0) on their own. The live view handles these itself (restore the
 * terminal, then the right exit code and one line), so it removes blessed's.
 */
function detachBlessedProcessHandlers(): void {
  const S = blessed.screen;
  if (S._exceptionHandler) process.removeListener('uncaughtException', S._exceptionHandler);
  if (S._sigtermHandler) process.removeListener('SIGTERM', S._sigtermHandler);
  if (S._sigintHandler) process.removeListener('SIGINT', S._sigintHandler);
  if (S._sigquitHandler) process.removeListener('SIGQUIT', S._sigquitHandler);
}

export interface ViewOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  terminal?: string;
  /** Called once when the user quits (q, Ctrl-C). */
  onQuit?: () => void;
  /** Called when the interval changes so the sampler can reschedule. */
  onInterval?: () => void;
  /** Called after 'p' un-pauses (sample again soon). */
  onResume?: () => void;
}

const IMBALANCE_WARN = 1.5;
/** y labels of a chart (0, step, 2·step, …; the chart's top, maxY, is Y_LABELS·step); 2 on short charts. */
const Y_LABELS = 4;
const yLabelsFor = (height: number) => (height >= 10 ? Y_LABELS : 2);

/**
 * The chart's maxY for a peak: blessed-contrib draws Y_LABELS labels at 0, maxY/n … maxY·(n-1)/n,
 * so the top label is (n-1)/n of maxY. The step is the smallest 1/2/2.5/5×10^k with the top
 * label at or above the peak, so the top label is never below the plotted peak.
 */
export function chartMaxY(peak: number, labels = Y_LABELS): number {
  if (!(peak > 0)) return 1;
  const per = peak / (labels - 1);
  const mag = 10 ** Math.floor(Math.log10(per));
  const step = [1, 2, 2.5, 5, 10].map(k => k * mag).find(v => v >= per * (1 - 1e-12))!;
  return step * labels;
}

export class TopView {
  readonly screen: BScreen;
  private readonly header: BNode;
  private readonly nics: BNode;
  private readonly queues: BNode;
  private readonly cpuBox: BNode;
  /** Monotonic ms when a CPU last dropped / was squeezed (highlight hold). */
  private readonly cpuDropAt = new Map<number, number>();
  private readonly cpuSqueezeAt = new Map<number, number>();
  private narrow = false;
  private qcH = 0;
  private readonly table: BNode;
  private readonly footer: BNode;
  private readonly eventBox: BNode;
  private bitsChart: BChart | null = null;
  private pktsChart: BChart | null = null;
  private midH = 0;
  private tableRows = 0;
  private scroll = 0;
  /** Filter being typed (null when not editing). */
  private editing: string | null = null;
  private message = '';
  private closed = false;

  constructor(readonly model: TopModel, private readonly opts: ViewOptions = {}) {
    this.screen = blessed.screen({
      smartCSR: true, fullUnicode: false, forceUnicode: true, warnings: false, autoPadding: false, dockBorders: false,
      title: 'ethkit --top', input: opts.input, output: opts.output, terminal: opts.terminal,
    });
    // Braille charts need a UTF-8 terminal anyway: draw box lines as UTF-8 too, not with the
    // alternate character set (which screen captures and some multiplexers show as letters).
    this.screen.tput.brokenACS = true;
    detachBlessedProcessHandlers();
    const box = (o: object) => { const b = blessed.box({ tags: true, wrap: false, ...o }); this.screen.append(b); return b; };
    this.header = box({ top: 0, left: 0, width: '100%', height: 1, style: { fg: 'black', bg: 'cyan' } });
    this.nics = box({ left: 0, width: '100%', border: { type: 'line' }, label: ' NICs ', style: { border: { fg: 'cyan' } } });
    this.queues = box({ border: { type: 'line' }, label: ' queues ', style: { border: { fg: 'cyan' } } });
    this.cpuBox = box({ border: { type: 'line' }, label: ' CPUs ', style: { border: { fg: 'cyan' } } });
    this.table = box({ left: 0, width: '100%', border: { type: 'line' }, label: ' counters ', style: { border: { fg: 'cyan' } } });
    this.footer = box({ left: 0, width: '100%', height: 1, bottom: 0, style: { fg: 'black', bg: 'white' } });
    this.eventBox = box({ left: 0, width: '100%', height: 1, bottom: 1 });
    this.layout();
    this.screen.on('resize', () => { this.layout(); this.render(); });
    this.screen.on('keypress', (ch, key) => this.key(ch, key));
  }

  /**
   * Positions from the current terminal size; charts are re-created to match. Top to bottom:
   * NICs, the two charts side by side, queues beside CPUs, the counter table (at least 3 rows).
   * Every panel keeps a place down to 80×24; heights shrink before anything is dropped.
   */
  private layout(): void {
    const W = this.screen.width, H = this.screen.height;
    this.narrow = W < 110;
    const ndev = Math.max(1, this.model.devices.length);
    const ncpu = Math.max(1, this.model.cpus.rows.length || 2);
    const nicsH = Math.min(ndev + 3, Math.max(4, Math.floor(H * 0.25)));
    this.nics.top = 1; this.nics.height = nicsH;
    let rest = H - 3 - nicsH; // header, event line, footer
    // chart ≥ 6 rows (4 plotting rows), queues/CPUs ≥ 5, table ≥ 5 — trimmed in that order's reverse
    const want = rest - 5;
    this.midH = want >= 11 ? Math.min(12, Math.max(6, Math.floor(want * 0.4))) : 0;
    rest -= this.midH;
    this.qcH = Math.max(0, Math.min(Math.max(ncpu + 3, 9), rest - 5, 18));
    if (this.qcH < 5) this.qcH = 0;
    const chartW = Math.floor(W / 2);
    for (const c of [this.bitsChart, this.pktsChart]) c?.destroy();
    this.bitsChart = this.pktsChart = null;
    if (this.midH && chartW >= 20) {
      const chart = (left: number, width: number) => {
        const c = contrib.line({
          top: 1 + nicsH, left, width, height: this.midH, border: { type: 'line' }, label: ' ',
          showLegend: width >= 30, legend: { width: 5 }, minY: 0, numYLabels: yLabelsFor(this.midH), xLabelPadding: 3, xPadding: 5,
          style: { line: 'green', text: 'white', baseline: 'white', border: { fg: 'cyan' } },
        });
        this.screen.append(c);
        return c;
      };
      this.bitsChart = chart(0, chartW);
      this.pktsChart = chart(chartW, W - chartW);
    } else {
      this.midH = 0;
    }
    const qTop = 1 + nicsH + this.midH;
    if (this.qcH) {
      const qW = Math.min(W - 30, Math.max(Math.floor(W * 0.45), Math.floor(W / 2)));
      this.queues.show(); this.cpuBox.show();
      this.queues.top = qTop; this.queues.left = 0; this.queues.width = qW; this.queues.height = this.qcH;
      this.cpuBox.top = qTop; this.cpuBox.left = qW; this.cpuBox.width = W - qW; this.cpuBox.height = this.qcH;
    } else {
      this.queues.hide(); this.cpuBox.hide();
    }
    this.table.top = qTop + this.qcH;
    this.table.height = Math.max(3, H - 3 - nicsH - this.midH - this.qcH);
    this.tableRows = Math.max(0, (this.table.height as number) - 3);
  }

  private key(ch: string | undefined, key: BKey): void {
    if (this.closed) return;
    const name = key?.name, full = key?.full;
    if (full === 'C-c') { this.quit(); return; }
    const m = this.model;
    if (this.editing !== null) {
      if (name === 'enter' || name === 'return') { m.setFilter(this.editing); this.editing = null; this.scroll = 0; }
      else if (name === 'escape') { this.editing = null; }
      else if (name === 'backspace') { this.editing = this.editing.slice(0, -1); m.setFilter(this.editing); this.scroll = 0; }
      else if (ch && ch >= ' ' && ch !== '\x7f' && !key.ctrl) { this.editing += ch; m.setFilter(this.editing); this.scroll = 0; }
      this.render();
      return;
    }
    switch (ch ?? '') {
      case 'q': this.quit(); return;
      case '/': this.editing = m.filter; break;
      case 's': this.message = `sort: ${m.cycleSort()}`; this.scroll = 0; break;
      case 'z': m.zero(); this.message = 'counters zeroed'; break;
      case 'n': case '.':
        if (!m.replay) return;
        if (!m.paused) m.togglePause();
        // one record forward while paused
        m.paused = false; m.step(); m.paused = true;
        this.message = m.replayEnded ? 'end of recording' : 'step';
        break;
      case 'p': {
        const paused = m.togglePause();
        this.message = paused ? 'paused' : 'resumed';
        if (!paused) this.opts.onResume?.();
        break;
      }
      case '+': case '=': m.stepInterval(1); this.message = `interval ${m.intervalS}s`; this.opts.onInterval?.(); break;
      case '-': case '_': m.stepInterval(-1); this.message = `interval ${m.intervalS}s`; this.opts.onInterval?.(); break;
      default:
        switch (name) {
          case 'tab': m.select(key.shift ? -1 : 1); this.scroll = 0; break;
          case 'down': case 'right': m.select(1); this.scroll = 0; break;
          case 'up': case 'left': m.select(-1); this.scroll = 0; break;
          case 'pagedown': this.scroll += Math.max(1, this.tableRows * this.tableCols() - 1); break;
          case 'pageup': this.scroll = Math.max(0, this.scroll - Math.max(1, this.tableRows * this.tableCols() - 1)); break;
          case 'home': this.scroll = 0; break;
          case 'end': this.scroll = 1e9; break;
          case 'escape': if (m.filter) { m.setFilter(''); this.message = 'filter cleared'; } break;
          default: return;
        }
    }
    this.render();
  }

  quit(): void {
    if (this.closed) return;
    this.closed = true;
    this.screen.destroy();
    this.opts.onQuit?.();
  }

  get isClosed(): boolean { return this.closed; }

  /** Draw everything from the model. */
  render(): void {
    if (this.closed) return;
    const m = this.model;
    const dev = m.current;
    const nowMs = m.nowMs();
    this.header.setContent(this.headerText());
    this.nics.setContent(this.nicsText(nowMs));
    if (dev) {
      this.charts(dev);
      if (this.qcH) this.queues.setContent(this.queueText(dev));
      this.queues.setLabel(` queues: ${blessed.escape(dev.name)} (${dev.queues.count || 'none found'}) `);
      this.tableText(dev, nowMs);
    }
    if (this.qcH) this.cpuBox.setContent(this.cpuText(nowMs));
    this.eventBox.setContent(this.eventText());
    this.footer.setContent(this.editing !== null
      ? ` filter: ${blessed.escape(this.editing)}_   (Enter apply, Esc cancel)`
      : ` q quit  Tab/arrows NIC  / filter  s sort  z zero  p pause  +/- interval  PgUp/PgDn scroll${this.message ? '   — ' + blessed.escape(this.message) : ''}`);
    this.screen.render();
  }

  private headerText(): string {
    const m = this.model;
    const state = m.paused ? '{red-bg}{white-fg} PAUSED {/white-fg}{/red-bg}' : 'live';
    const rt = m.replayTime;
    const t = rt ? new Date(rt).toTimeString().slice(0, 8) : new Date().toTimeString().slice(0, 8);
    const rep = m.replay ? `  {yellow-fg}REPLAY ${m.replayAt}/${m.replay.length}${m.replayEnded ? ' (end)' : ''}{/yellow-fg}` : '';
    return ` ethkit top  ${t}${rep}  interval ${m.intervalS}s  sample #${m.samples}  ${state}  sort: ${m.sort}${m.filter ? `  filter: ${blessed.escape(m.filter)}` : ''}`;
  }

  private nicsText(nowMs: number): string {
    const m = this.model;
    if (this.narrow) return this.nicsNarrow();
    const head = `{bold}  ${pad('NIC', 15)} ${pad('STATE', 8)} ${rpad('SPEED', 6)} ${rpad('RX bit/s', 10)} ${rpad('RX pkt/s', 9)} ${rpad('TX bit/s', 10)} ${rpad('TX pkt/s', 9)} ${rpad('DROP/s', 8)} ${rpad('ERR/s', 8)} ${rpad('Q', 3)} ${rpad('IMB', 5)}  TROUBLE{/bold}`;
    const lines = [head];
    m.devices.forEach((d, k) => {
      const sel = k === m.selected;
      const mark = sel ? '>' : ' ';
      let line: string;
      if (!d.present) {
        const ago = d.goneSinceMs !== null && d.everSeen ? ` for ${Math.round((nowMs - d.goneSinceMs) / 1000)}s` : '';
        line = `{red-fg}${mark} ${pad(blessed.escape(d.name), 15)} ${d.everSeen ? 'GONE' : 'ABSENT'}${ago} (waiting for it to return){/red-fg}`;
      } else {
        const s = d.summary;
        const red = (v: number, w: number) => (v > 0 ? `{red-fg}{bold}${rpad(perSec(v), w)}{/bold}{/red-fg}` : rpad(perSec(v), w));
        const imb = Math.max(Number.isFinite(d.rxImbalance) ? d.rxImbalance : 0, Number.isFinite(d.txImbalance) ? d.txImbalance : 0);
        const imbS = rpad(imb ? imbalanceText(imb) : '-', 5);
        const oper = d.sysfs.operstate;
        const operS = oper === 'up' ? `{green-fg}${pad(operText(oper), 8)}{/green-fg}` : `{yellow-fg}${pad(operText(oper), 8)}{/yellow-fg}`;
        const trouble = d.alarmsMoving ? `{red-fg}{bold}! ${[...d.trouble.keys()].sort().join(' ')}{/bold}{/red-fg}` : '';
        line = `${mark} ${pad(blessed.escape(d.name), 15)} ${operS} ${rpad(speed(d.sysfs.speedMbps), 6)} ${rpad(bits(s.rxBits), 10)} ${rpad(perSec(s.rxPkts), 9)} ${rpad(bits(s.txBits), 10)} ${rpad(perSec(s.txPkts), 9)} ${red(s.drops, 8)} ${red(s.errors, 8)} ${rpad(String(d.queues.count || '-'), 3)} ${imb >= IMBALANCE_WARN ? `{yellow-fg}${imbS}{/yellow-fg}` : imbS}  ${trouble}`;
      }
      lines.push(sel ? `{inverse}${line}{/inverse}` : line);
    });
    return lines.join('\n');
  }

  /** The newest link/driver event (and how many came before it). */
  private eventText(): string {
    const ev = this.model.events;
    const e = ev.last;
    if (!e) return '{gray-fg} events: none (link changes and settings changed by any program show here){/gray-fg}';
    const t = new Date(e.time).toTimeString().slice(0, 8);
    const color = e.source === 'link' && /down|gone/.test(e.text) ? 'red' : 'yellow';
    const more = ev.list.length > 1 ? `  (${ev.list.length - 1} earlier)` : '';
    return ` event ${t} {${color}-fg}{bold}${blessed.escape(e.dev)}: ${blessed.escape(e.text)}{/bold}{/${color}-fg}${more}`;
  }

  /** NIC rows for terminals under 110 columns: shorter names, no speed, narrower numbers. */
  private nicsNarrow(): string {
    const m = this.model;
    const lines = [`{bold}  ${pad('NIC', 10)} ${pad('STATE', 5)} ${rpad('RX b/s', 8)} ${rpad('RX p/s', 7)} ${rpad('TX b/s', 8)} ${rpad('TX p/s', 7)} ${rpad('DROP/s', 6)} ${rpad('ERR/s', 6)} ${rpad('Q', 3)} ${rpad('IMB', 5)}{/bold}`];
    m.devices.forEach((d, k) => {
      const sel = k === m.selected;
      const name = `${sel ? '>' : ' '} ${pad(blessed.escape(d.name), 10)}`;
      let line: string;
      if (!d.present) line = `{red-fg}${name} ${d.everSeen ? 'GONE' : 'ABSENT'}{/red-fg}`;
      else {
        const s = d.summary;
        const red = (v: number, w: number) => (v > 0 ? `{red-fg}{bold}${rpad(perSec(v), w)}{/bold}{/red-fg}` : rpad(perSec(v), w));
        const imb = Math.max(Number.isFinite(d.rxImbalance) ? d.rxImbalance : 0, Number.isFinite(d.txImbalance) ? d.txImbalance : 0);
        const imbS = rpad(imb ? imbalanceText(imb) : '-', 5);
        line = `${name} ${pad(operText(d.sysfs.operstate), 5)} ${rpad(si(s.rxBits), 8)} ${rpad(perSec(s.rxPkts), 7)} ${rpad(si(s.txBits), 8)} ${rpad(perSec(s.txPkts), 7)} ${red(s.drops, 6)} ${red(s.errors, 6)} ${rpad(String(d.queues.count || '-'), 3)} ${imb >= IMBALANCE_WARN ? `{yellow-fg}${imbS}{/yellow-fg}` : imbS}`;
      }
      lines.push(sel ? `{inverse}${line}{/inverse}` : line);
    });
    return lines.join('\n');
  }

  /** Per CPU: softnet processed/drops/squeezes/RPS, NET_RX/NET_TX softirqs, queue IRQs served. */
  private cpuText(nowMs: number): string {
    const c = this.model.cpus;
    if (!c.available) return 'no /proc/net/softnet_stat';
    const W = (this.cpuBox.width as number) - 2;
    // Under 53 columns: no RPS and NET_TX columns, no queue list.
    const full = W >= 53;
    const lines = [full
      ? `{bold}${rpad('CPU', 3)} ${rpad('PROC/s', 7)} ${rpad('DROP/s', 6)} ${rpad('SQZ/s', 6)} ${rpad('RPS/s', 6)} ${rpad('NRX/s', 6)} ${rpad('NTX/s', 6)} ${rpad('QIRQ/s', 6)} QUEUES{/bold}`
      : `{bold}${rpad('CPU', 3)} ${rpad('PROC/s', 6)} ${rpad('DROP/s', 6)} ${rpad('SQZ/s', 6)} ${rpad('NRX/s', 6)} ${rpad('QIRQ/s', 6)}{/bold}`];
    const room = Math.max(1, this.qcH - 3);
    const hot = (v: number, at: Map<number, number>, cpu: number, w: number, color: string) => {
      if (v > 0) at.set(cpu, nowMs);
      const t = at.get(cpu);
      const text = rpad(perSec(v), w);
      if (v > 0) return `{${color}-fg}{bold}${text}{/bold}{/${color}-fg}`;
      return t !== undefined && nowMs - t <= this.model.holdMs ? `{${color}-fg}${text}{/${color}-fg}` : text;
    };
    const rows = c.rows.length > room ? [...c.rows].sort((a, b) => b.dropped + b.squeezed - a.dropped - a.squeezed || b.processed - a.processed).slice(0, room - 1).sort((a, b) => a.cpu - b.cpu) : c.rows;
    for (const r of rows) {
      const drop = hot(r.dropped, this.cpuDropAt, r.cpu, 6, 'red'), sqz = hot(r.squeezed, this.cpuSqueezeAt, r.cpu, 6, 'yellow');
      if (!full) { lines.push(`${rpad(String(r.cpu), 3)} ${rpad(perSec(r.processed), 6)} ${drop} ${sqz} ${rpad(perSec(r.netRx), 6)} ${rpad(perSec(r.irqs), 6)}`); continue; }
      const head = `${rpad(String(r.cpu), 3)} ${rpad(perSec(r.processed), 7)} ${drop} ${sqz} ${rpad(perSec(r.rps), 6)} ${rpad(perSec(r.netRx), 6)} ${rpad(perSec(r.netTx), 6)} ${rpad(perSec(r.irqs), 6)}`;
      const serves = r.serves.join(' ');
      const left = Math.max(0, W - 53);
      lines.push(`${head} ${blessed.escape(serves.length > left ? serves.slice(0, Math.max(0, left - 1)) + '…' : serves)}`);
    }
    if (rows.length < c.rows.length) lines.push(`… ${c.rows.length - rows.length} more CPUs`);
    return lines.join('\n');
  }

  private charts(dev: DeviceState): void {
    const bc = this.bitsChart, pc = this.pktsChart;
    if (!bc || !pc) return;
    const n = Math.max(2, (bc.width as number) - 10);
    const draw = (c: BChart, what: string, rx: number, tx: number, unitName: string) => {
      const a = dev.history.last(rx, n), b = dev.history.last(tx, n);
      const max = Math.max(0, ...a, ...b);
      let div = 1, p = '';
      for (const [d, pre] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (max >= d) { div = d; p = pre; break; }
      if (a.length === 0) { a.push(0); b.push(0); }
      const x = a.map((_, i) => String(i - a.length + 1));
      c.options.maxY = chartMaxY(max / div, yLabelsFor(this.midH));
      // The label must fit on the border: a longer one wraps into the plot over the y labels.
      const label = ` ${dev.name} ${what} (${p}${unitName}) `;
      const room = Math.max(0, (c.width as number) - 4);
      c.setLabel(blessed.escape(label.length > room ? label.slice(0, room) : label));
      c.setData([
        { title: 'rx', x, y: a.map(v => v / div), style: { line: 'green' } },
        { title: 'tx', x, y: b.map(v => v / div), style: { line: 'yellow' } },
      ]);
    };
    draw(bc, 'bits/s', H_RX_BITS, H_TX_BITS, 'b/s');
    draw(pc, 'packets/s', H_RX_PKTS, H_TX_PKTS, 'pkt/s');
  }

  private queueText(dev: DeviceState): string {
    const q = dev.queues;
    if (!dev.present) return '{red-fg}device gone{/red-fg}';
    if (q.count === 0) return dev.drvStatus === 'ok' ? 'no per-queue stats in this driver\'s counters' : `no driver stats (${dev.drvStatus})`;
    const rxM = q.rxPackets?.metric ?? '-', txM = q.txPackets?.metric ?? '-';
    const wide = (this.queues.width as number) - 2 >= 62;
    // The CPU each queue's IRQ(s) landed on (rx/tx vectors apart: "1/0"); '-' without queue IRQs.
    const irqs = this.model.cpus.irqs.get(dev.name) ?? [];
    // '=' the applied profile meant that CPU, '!' it did not (red).
    const cpuOf = (k: number) => irqs.filter(x => x.queue === k).map(x => {
      const c = x.cpu < 0 ? '?' : String(x.cpu);
      return x.matches === true ? `${c}=` : x.matches === false ? `{red-fg}{bold}${c}!{/bold}{/red-fg}` : c;
    }).join('/') || '-';
    const lines = [
      `imbalance (busiest/mean): rx ${this.imb(dev.rxImbalance)}  tx ${this.imb(dev.txImbalance)}`,
      `{bold}${rpad('Q', 3)} ${rpad('RX pkt/s', 9)} ${rpad('TX pkt/s', 9)} ${wide ? `${rpad('RX bit/s', 8)} ${rpad('TX bit/s', 8)} ` : ''}${rpad('TRBL/s', 6)} ${pad('IRQ CPU', 7)}{/bold}`,
    ];
    const room = Math.max(1, this.qcH - 2 - lines.length - 1);
    // Queues in index order; when they do not fit, the busiest ones.
    let order = Array.from({ length: q.count }, (_, k) => k);
    if (order.length > room) order = order.sort((a, b) => dev.qRxPkts[b] + dev.qTxPkts[b] - dev.qRxPkts[a] - dev.qTxPkts[a]).slice(0, room - 1).sort((a, b) => a - b);
    const busiest = (arr: Float64Array) => { let k = -1, v = 0; arr.forEach((x, i) => { if (x > v) { v = x; k = i; } }); return k; };
    const bRx = dev.rxImbalance >= IMBALANCE_WARN ? busiest(dev.qRxPkts) : -1;
    const bTx = dev.txImbalance >= IMBALANCE_WARN ? busiest(dev.qTxPkts) : -1;
    for (const k of order) {
      const c = (v: string, hot: boolean) => (hot ? `{yellow-fg}{bold}${v}{/bold}{/yellow-fg}` : v);
      const al = dev.qAlarm[k];
      lines.push(`${rpad(String(k), 3)} ${c(rpad(perSec(dev.qRxPkts[k]), 9), k === bRx)} ${c(rpad(perSec(dev.qTxPkts[k]), 9), k === bTx)} ${wide ? `${rpad(q.rxBytes ? si(dev.qRxBytes[k] * 8) : '-', 8)} ${rpad(q.txBytes ? si(dev.qTxBytes[k] * 8) : '-', 8)} ` : ''}${al > 0 ? `{red-fg}{bold}${rpad(perSec(al), 6)}{/bold}{/red-fg}` : rpad(q.alarms.length ? '0' : '-', 6)} ${cpuOf(k)}`);
    }
    if (order.length < q.count) lines.push(`… ${q.count - order.length} more queues`);
    lines.push(`{gray-fg}rx: ${blessed.escape(rxM)}  tx: ${blessed.escape(txM)}{/gray-fg}`);
    return lines.join('\n');
  }

  private imb(x: number): string {
    const t = imbalanceText(x);
    return x >= IMBALANCE_WARN ? `{yellow-fg}{bold}${t}{/bold}{/yellow-fg}` : t;
  }

  /** Counter-table columns that fit the width (wide terminals show 2–3 side by side). */
  private tableCols(): number {
    const W = (this.table.width as number) - 2;
    return Math.max(1, Math.min(3, Math.floor((W + 2) / 72)));
  }

  private tableText(dev: DeviceState, nowMs: number): void {
    const m = this.model;
    const rows = m.rows(dev);
    const W = (this.table.width as number) - 2;
    const cols = this.tableCols();
    const colW = Math.min(90, Math.floor((W + 2) / cols) - 2); // name and value stay close
    const valW = 20, rateW = 10;
    const nameW = Math.max(12, colW - valW - rateW - 2);
    const perPage = this.tableRows * cols;
    const maxScroll = Math.max(0, rows.length - perPage);
    if (this.scroll > maxScroll) this.scroll = maxScroll;
    const zeroed = dev.sys.base !== null || dev.drv.base !== null;
    const head = `{bold}${pad('NAME', nameW)} ${rpad(zeroed ? 'VALUE (since z)' : 'VALUE', valW)} ${rpad('RATE/s', rateW)}{/bold}`;
    const lines = [Array(cols).fill(head).join('  ')];
    const end = Math.min(rows.length, this.scroll + perPage);
    for (let line = 0; line < this.tableRows; line++) {
      const cells: string[] = [];
      for (let c = 0; c < cols; c++) {
        const k = this.scroll + c * this.tableRows + line;
        if (k >= end) break;
        const r = rows[k];
        const [set, i] = dev.counterSet(r);
        const cell = `${pad(dev.counterName(r), nameW)} ${rpad(grouped(set.shown(i)), valW)} ${rpad(perSec(set.rate[i]), rateW)}`;
        const esc = blessed.escape(cell);
        const lvl = dev.level(r, nowMs, m.holdMs);
        cells.push(lvl === 2 ? `{red-fg}{bold}${esc}{/bold}{/red-fg}` : lvl === 1 ? `{red-fg}${esc}{/red-fg}` : esc);
      }
      if (cells.length === 0) break;
      lines.push(cells.join('  '));
    }
    this.table.setContent(lines.join('\n'));
    const where = rows.length ? `${this.scroll + 1}-${end} of ${rows.length}` : '0';
    const drv = dev.drvStatus === 'ok' ? '' : `  driver stats: ${dev.drvStatus}`;
    const gone = dev.present ? '' : '  {red-fg}GONE: last values{/red-fg}';
    this.table.setLabel(` counters: ${blessed.escape(dev.name)}${gone}  ${where}${m.filter ? ` matching "${blessed.escape(m.filter)}"` : ''}  sort: ${m.sort}${drv} `);
  }
}
