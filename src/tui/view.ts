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

export class TopView {
  readonly screen: BScreen;
  private readonly header: BNode;
  private readonly nics: BNode;
  private readonly queues: BNode;
  private readonly table: BNode;
  private readonly footer: BNode;
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
    this.table = box({ left: 0, width: '100%', border: { type: 'line' }, label: ' counters ', style: { border: { fg: 'cyan' } } });
    this.footer = box({ left: 0, width: '100%', height: 1, bottom: 0, style: { fg: 'black', bg: 'white' } });
    this.layout();
    this.screen.on('resize', () => { this.layout(); this.render(); });
    this.screen.on('keypress', (ch, key) => this.key(ch, key));
  }

  /** Positions from the current terminal size; charts are re-created to match. */
  private layout(): void {
    const W = this.screen.width, H = this.screen.height;
    const ndev = Math.max(1, this.model.devices.length);
    const nicsH = Math.min(ndev + 3, Math.max(4, Math.floor(H * 0.3)));
    this.nics.top = 1; this.nics.height = nicsH;
    const rest = H - 2 - nicsH;
    this.midH = rest >= 18 ? Math.min(16, Math.max(9, Math.floor(rest * 0.45))) : 0;
    const qW = this.midH ? Math.min(W, Math.max(52, Math.floor(W * 0.34))) : 0;
    const chartW = Math.floor((W - qW) / 2);
    for (const c of [this.bitsChart, this.pktsChart]) c?.destroy();
    this.bitsChart = this.pktsChart = null;
    if (this.midH && chartW >= 24) {
      const chart = (left: number, width: number) => {
        const c = contrib.line({
          top: 1 + nicsH, left, width, height: this.midH, border: { type: 'line' }, label: ' ',
          showLegend: true, legend: { width: 6 }, minY: 0, numYLabels: 4, xLabelPadding: 3, xPadding: 5,
          style: { line: 'green', text: 'white', baseline: 'white', border: { fg: 'cyan' } },
        });
        this.screen.append(c);
        return c;
      };
      this.bitsChart = chart(0, chartW);
      this.pktsChart = chart(chartW, chartW);
    }
    if (this.midH) {
      this.queues.show();
      this.queues.top = 1 + nicsH; this.queues.left = W - qW; this.queues.width = qW; this.queues.height = this.midH;
      if (!this.bitsChart) { this.queues.left = 0; this.queues.width = W; }
    } else {
      this.queues.hide();
    }
    this.table.top = 1 + nicsH + this.midH;
    this.table.height = Math.max(3, H - 2 - nicsH - this.midH);
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
      if (this.midH) this.queues.setContent(this.queueText(dev));
      this.queues.setLabel(` queues: ${blessed.escape(dev.name)} (${dev.queues.count || 'none found'}) `);
      this.tableText(dev, nowMs);
    }
    this.footer.setContent(this.editing !== null
      ? ` filter: ${blessed.escape(this.editing)}_   (Enter apply, Esc cancel)`
      : ` q quit  Tab/arrows NIC  / filter  s sort  z zero  p pause  +/- interval  PgUp/PgDn scroll${this.message ? '   — ' + blessed.escape(this.message) : ''}`);
    this.screen.render();
  }

  private headerText(): string {
    const m = this.model;
    const state = m.paused ? '{red-bg}{white-fg} PAUSED {/white-fg}{/red-bg}' : 'live';
    const t = new Date().toTimeString().slice(0, 8);
    return ` ethkit top  ${t}  interval ${m.intervalS}s  sample #${m.samples}  ${state}  sort: ${m.sort}${m.filter ? `  filter: ${blessed.escape(m.filter)}` : ''}`;
  }

  private nicsText(nowMs: number): string {
    const m = this.model;
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
        const trouble = d.alarmsMoving ? `{red-fg}{bold}! ${d.alarmsMoving} moving{/bold}{/red-fg}` : '';
        line = `${mark} ${pad(blessed.escape(d.name), 15)} ${operS} ${rpad(speed(d.sysfs.speedMbps), 6)} ${rpad(bits(s.rxBits), 10)} ${rpad(perSec(s.rxPkts), 9)} ${rpad(bits(s.txBits), 10)} ${rpad(perSec(s.txPkts), 9)} ${red(s.drops, 8)} ${red(s.errors, 8)} ${rpad(String(d.queues.count || '-'), 3)} ${imb >= IMBALANCE_WARN ? `{yellow-fg}${imbS}{/yellow-fg}` : imbS}  ${trouble}`;
      }
      lines.push(sel ? `{inverse}${line}{/inverse}` : line);
    });
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
      c.options.maxY = max === 0 ? 1 : undefined;
      c.setLabel(` ${blessed.escape(dev.name)} ${what} (${p}${unitName}) `);
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
    const lines = [
      `imbalance (busiest/mean): rx ${this.imb(dev.rxImbalance)}  tx ${this.imb(dev.txImbalance)}`,
      `{bold}${rpad('Q', 3)} ${rpad('RX pkt/s', 9)} ${rpad('TX pkt/s', 9)} ${rpad('RX bit/s', 8)} ${rpad('TX bit/s', 8)} ${rpad('TRBL/s', 7)}{/bold}`,
    ];
    const room = Math.max(1, this.midH - 2 - lines.length - 1);
    // Queues in index order; when they do not fit, the busiest ones.
    let order = Array.from({ length: q.count }, (_, k) => k);
    if (order.length > room) order = order.sort((a, b) => dev.qRxPkts[b] + dev.qTxPkts[b] - dev.qRxPkts[a] - dev.qTxPkts[a]).slice(0, room - 1).sort((a, b) => a - b);
    const busiest = (arr: Float64Array) => { let k = -1, v = 0; arr.forEach((x, i) => { if (x > v) { v = x; k = i; } }); return k; };
    const bRx = dev.rxImbalance >= IMBALANCE_WARN ? busiest(dev.qRxPkts) : -1;
    const bTx = dev.txImbalance >= IMBALANCE_WARN ? busiest(dev.qTxPkts) : -1;
    for (const k of order) {
      const c = (v: string, hot: boolean) => (hot ? `{yellow-fg}{bold}${v}{/bold}{/yellow-fg}` : v);
      const al = dev.qAlarm[k];
      lines.push(`${rpad(String(k), 3)} ${c(rpad(perSec(dev.qRxPkts[k]), 9), k === bRx)} ${c(rpad(perSec(dev.qTxPkts[k]), 9), k === bTx)} ${rpad(q.rxBytes ? si(dev.qRxBytes[k] * 8) : '-', 8)} ${rpad(q.txBytes ? si(dev.qTxBytes[k] * 8) : '-', 8)} ${al > 0 ? `{red-fg}{bold}${rpad(perSec(al), 7)}{/bold}{/red-fg}` : rpad(q.alarms.length ? '0' : '-', 7)}`);
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
