/**
 * End to end in tmux: the CPU panel, the event line, the layout at 100×30 and 80×24, and
 * --record → --replay, on a veth pair across two network namespaces this test creates, with
 * UDP traffic from one to the other. Also `--count 15 --json` keeps stderr empty. Needs root,
 * iproute2 and tmux; fails loudly when one is missing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';

const ENTRY = path.join(__dirname, '../src/tui/cli-entry.js');
const p = process.pid % 1000;
const N1 = `ekcpu1${process.pid}`, N2 = `ekcpu2${process.pid}`;
const VA = `ekcA${p}`, VB = `ekcB${p}`;
const SOCK = `ekcpu${process.pid}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'ethkit-top-cpu-'));
const REC = path.join(DIR, 'rec.jsonl');

function run(cmd: string, args: string[], allowFail = false): { out: string; err: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} cannot run (${r.error.message}): this test needs it installed`);
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return { out: r.stdout, err: r.stderr, status: r.status };
}
const ip = (...args: string[]) => run('ip', args).out;
const tmux = (...args: string[]) => run('tmux', ['-L', SOCK, '-f', '/dev/null', ...args]).out;
const screen = () => tmux('capture-pane', '-p', '-t', 'top');
const sleep = (ms: number) => new Promise(res => setTimeout(res, ms));

function requireTools(): void {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (network namespaces)');
  for (const [tool, arg] of [['tmux', '-V'], ['ip', '-V']]) {
    const r = spawnSync(tool, [arg], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`${tool} is missing: install it to run this test`);
  }
}

async function waitFor(what: string, pred: (text: string) => boolean, timeoutMs = 15000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    text = screen();
    if (pred(text)) return text;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
}

const SENDER = `
const s = require('dgram').createSocket('udp4');
const buf = Buffer.alloc(300);
(function burst() { for (let i = 0; i < 30; i++) s.send(buf, 9, '10.214.0.2'); setTimeout(burst, 2); })();`;
let sender: ChildProcess | null = null;

function cleanup(): void {
  if (sender && sender.exitCode === null) sender.kill('SIGKILL');
  sender = null;
  spawnSync('tmux', ['-L', SOCK, 'kill-server']);
  rmSync(path.join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, SOCK), { force: true });
  spawnSync('ip', ['netns', 'del', N1]);
  spawnSync('ip', ['netns', 'del', N2]);
}
after(() => { cleanup(); rmSync(DIR, { recursive: true, force: true }); });

function setup(): void {
  ip('netns', 'add', N1); ip('netns', 'add', N2);
  ip('-n', N1, 'link', 'add', VA, 'type', 'veth', 'peer', 'name', VB, 'netns', N2);
  ip('-n', N1, 'addr', 'add', '10.214.0.1/24', 'dev', VA);
  ip('-n', N2, 'addr', 'add', '10.214.0.2/24', 'dev', VB);
  ip('-n', N1, 'link', 'set', VA, 'up'); ip('-n', N2, 'link', 'set', VB, 'up');
  ip('-n', N1, 'neigh', 'replace', '10.214.0.2', 'lladdr', JSON.parse(ip('-j', '-n', N2, 'link', 'show', VB))[0].address, 'dev', VA);
  sender = spawn('ip', ['netns', 'exec', N1, process.execPath, '-e', SENDER], { stdio: 'ignore' });
}

/** Rows of the CPU box: [cpu, PROC/s, NRX/s] (the narrow and the full layout have both). */
function cpuRows(text: string): { cpu: number; proc: number; nrx: number }[] {
  const lines = text.split('\n');
  const top = lines.findIndex(l => l.includes('┌─ CPUs'));
  if (top < 0) return [];
  const col = lines[top].indexOf('┌─ CPUs');
  const head = lines[top + 1].slice(col + 1);
  const names = head.replace(/│/g, '').trim().split(/\s+/);
  const out: { cpu: number; proc: number; nrx: number }[] = [];
  for (const l of lines.slice(top + 2)) {
    const cell = l.slice(col);
    if (!cell.startsWith('│')) break;
    const f = cell.slice(1).replace(/│.*$/, '').trim().split(/\s+/);
    if (!/^\d+$/.test(f[0] ?? '')) continue;
    out.push({ cpu: Number(f[0]), proc: num(f[names.indexOf('PROC/s')]), nrx: num(f[names.indexOf('NRX/s')]) });
  }
  return out;
}
function num(s: string | undefined): number {
  const m = /^([\d.]+)([kMGTP]?)/.exec(s ?? '');
  return m ? Number(m[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 } as Record<string, number>)[m[2]] : NaN;
}

/** The chart boxes: [label line, first plot line] for each "┌─ DEV what (unit)" box. */
function charts(text: string): { label: string; firstRow: string; topY: number; unit: string }[] {
  const lines = text.split('\n');
  const out: { label: string; firstRow: string; topY: number; unit: string }[] = [];
  lines.forEach((l, i) => {
    for (const m of l.matchAll(/┌─ (\S+) (bits\/s|packets\/s) (\([^)]*\))? ?─*┐/g)) {
      const col = m.index!;
      const firstRow = lines[i + 1].slice(col, col + m[0].length);
      const y = /^│\s*([\d.]+)/.exec(firstRow);
      out.push({ label: m[0], firstRow, topY: y ? Number(y[1]) : NaN, unit: m[3] ?? '' });
    }
  });
  return out;
}

test('--top CPU panel, layout at 100x30 and 80x24, event line on peer down, record → replay', { timeout: 180000 }, async () => {
  requireTools();
  try {
    setup();
    rmSync(REC, { force: true });
    const cmd = `ip netns exec ${N1} ${process.execPath} ${ENTRY} --record ${REC} ${VA}; exec sleep 600`;
    tmux('new-session', '-d', '-s', 'top', '-x', '100', '-y', '30', '-e', 'LANG=C.UTF-8', cmd);

    // 100×30: CPU panel with NET_RX softirqs and packets processed moving (the veth's receive
    // path runs in NET_RX on the receiving side; sending in N1 and receiving in N2 share the CPUs).
    let text = await waitFor('CPU rows with NET_RX and processed moving', t => cpuRows(t).some(r => r.nrx > 0) && cpuRows(t).some(r => r.proc > 0));
    const nproc = Number(run('nproc', []).out.trim());
    assert.equal(cpuRows(text).length, nproc, `one row per CPU:\n${text}`);
    // wait for a few samples so the chart has a peak
    text = await waitFor('sample #6', t => Number(/sample #(\d+)/.exec(t)?.[1]) >= 6);
    const cs = charts(text);
    assert.equal(cs.length, 2, `two charts at 100x30:\n${text}`);
    for (const c of cs) {
      assert.ok(!/[()a-z]/.test(c.firstRow.slice(1)), `the unit text must not spill into the y labels: ${c.firstRow}`);
      assert.ok(Number.isFinite(c.topY), `a y label on the chart's top row: ${c.firstRow}`);
    }
    // The top y label is at or above what is plotted: the current rate is one of the plotted points.
    const nic = text.split('\n').find(l => l.includes(`> ${VA}`))!;
    const f = nic.replace(/│/g, '').trim().split(/\s+/);
    const txPkts = num(f[6]);
    const pk = cs.find(c => c.label.includes('packets/s'))!;
    const mult = pk.unit.startsWith('(k') ? 1e3 : pk.unit.startsWith('(M') ? 1e6 : 1;
    assert.ok(txPkts > 0, `traffic: ${nic}`);
    assert.ok(pk.topY * mult >= txPkts * 0.999, `top y label ${pk.topY}${pk.unit} below the plotted ${txPkts}`);

    // 80×24: NIC numbers, both charts, queues and CPUs all still there.
    tmux('resize-window', '-t', 'top', '-x', '80', '-y', '24');
    text = await waitFor('the 80x24 layout', t => t.split('\n').length >= 24 && t.split('\n')[0].length <= 80 && charts(t).length === 2 && t.includes('┌─ CPUs'));
    const row = text.split('\n').find(l => l.includes(`> ${VA}`))!;
    assert.match(row, /up\s+[\d.]+[kM]?\s+[\d.]+[kM]?\s+[\d.]+[kM]?\s+[\d.]+[kM]?/, `NIC rates at 80 columns: ${row}`);
    assert.ok(text.includes('┌─ queues:'), text);
    for (const c of charts(text)) assert.ok(!/[()a-z]/.test(c.firstRow.slice(1)), `80x24 chart row: ${c.firstRow}`);
    assert.ok(cpuRows(text).length >= 1, text);

    // The peer goes down in the other namespace: an event line for our end.
    ip('-n', N2, 'link', 'set', VB, 'down');
    text = await waitFor('the link-down event', t => new RegExp(`event \\d\\d:\\d\\d:\\d\\d ${VA}: link down`).test(t));
    tmux('send-keys', '-t', 'top', 'q');
    await sleep(1000);
  } finally {
    cleanup();
  }
  // Record → replay: the replay prints exactly the views that were recorded.
  const lines = readFileSync(REC, 'utf8').trim().split('\n').map(l => JSON.parse(l) as { record: number; view: object; events: { text: string }[] });
  assert.ok(lines.length >= 6, `${lines.length} records`);
  for (const l of lines) assert.equal(l.record, 1);
  const r = run(process.execPath, [ENTRY, '--replay', REC, '--count', String(lines.length - 1), '--json']);
  assert.equal(r.err, '');
  const replayed = r.out.trim().split('\n');
  assert.equal(replayed.length, lines.length - 1);
  // (the live view numbers its priming sample too; --count numbers printed samples from 1)
  const noNumber = (o: object) => ({ ...o, sample: undefined });
  replayed.forEach((l, k) => assert.deepEqual(noNumber(JSON.parse(l) as object), noNumber(lines[k + 1].view), `sample ${k + 1}`));
  assert.ok(replayed.some(l => (JSON.parse(l) as { events: { text: string }[] }).events.some(e => /link down/.test(e.text))), 'the event is replayed');
});

test('--top --replay in tmux: same view, paused and stepped with n', { timeout: 60000 }, async () => {
  requireTools();
  assert.ok(existsSync(REC), 'needs the recording of the previous test');
  try {
    tmux('new-session', '-d', '-s', 'top', '-x', '100', '-y', '30', '-e', 'LANG=C.UTF-8', `${process.execPath} ${ENTRY} --replay ${REC}; exec sleep 600`);
    await waitFor('replay header', t => /REPLAY \d+\/\d+/.test(t) && t.includes('┌─ CPUs') && t.includes(VA));
    tmux('send-keys', '-t', 'top', 'p');
    let text = await waitFor('paused', t => t.includes('PAUSED'));
    const at = Number(/REPLAY (\d+)\//.exec(text)![1]);
    await sleep(2500);
    text = screen();
    assert.equal(Number(/REPLAY (\d+)\//.exec(text)![1]), at, 'paused: no progress');
    tmux('send-keys', '-t', 'top', 'n');
    text = await waitFor('one step', t => Number(/REPLAY (\d+)\//.exec(t)?.[1]) === at + 1);
    tmux('send-keys', '-t', 'top', 'q');
  } finally {
    cleanup();
  }
});

test('--top --count 15 --json: 15 lines, nothing on stderr', { timeout: 60000 }, () => {
  const r = run(process.execPath, [ENTRY, '--count', '15', '--json', '--interval', '0.05', 'lo']);
  assert.equal(r.err, '', 'stderr stays empty (no MaxListenersExceededWarning)');
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 15);
  lines.forEach((l, k) => assert.equal((JSON.parse(l) as { sample: number }).sample, k + 1));
});
