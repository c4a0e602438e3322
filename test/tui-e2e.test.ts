/**
 * End to end: `ethkit --top` in a real terminal (tmux) against veth pairs in a network namespace
 * this test creates, with real UDP traffic across them. Reads the screen with
 * `tmux capture-pane -p` and drives the keys. Also the `--count N --json` path on the same
 * devices. Needs root, iproute2, ethtool and tmux; fails loudly when one is missing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync, mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';

const ENTRY = path.join(__dirname, '../src/tui/cli-entry.js');
const p = process.pid % 1000;
const NS = `ektui${process.pid}`;
const A = `ektA${p}`, B = `ektB${p}`, C = `ektC${p}`, D = `ektD${p}`;
const SOCK = `ektui${process.pid}`; // a private tmux server
const W = 200, H = 56;

function run(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} cannot run (${r.error.message}): this test needs it installed`);
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}
const ip = (...args: string[]) => run('ip', args);
const nsx = (...args: string[]) => run('ip', ['netns', 'exec', NS, ...args]);
const tmux = (...args: string[]) => run('tmux', ['-L', SOCK, '-f', '/dev/null', ...args]);
const screen = (target = 'top') => tmux('capture-pane', '-p', '-t', target);
const sleep = (ms: number) => new Promise(res => setTimeout(res, ms));

function requireTools(): void {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (network namespaces)');
  for (const [tool, arg] of [['tmux', '-V'], ['ip', '-V'], ['ethtool', '--version']]) {
    const r = spawnSync(tool, [arg], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`${tool} is missing: install it (apt-get install ${tool === 'ip' ? 'iproute2' : tool}) to run this test`);
  }
}

/** A value as the TUI prints it ("88.7k", "162Mb/s", "0") → number. */
function num(s: string): number {
  const m = /^([\d.]+)([kMGTP]?)(b\/s)?$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 } as Record<string, number>)[m[2]];
}

interface NicRow { selected: boolean; state: string; rxBits: number; rxPkts: number; txBits: number; txPkts: number; queues: number; raw: string }
function nicRow(text: string, name: string): NicRow | null {
  for (const line of text.split('\n')) {
    const m = new RegExp(`^│([> ]) ${name}\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+))?`).exec(line);
    if (m) return { selected: m[1] === '>', state: m[2], rxBits: num(m[4]), rxPkts: num(m[5]), txBits: num(m[6]), txPkts: num(m[7]), queues: Number(m[10]), raw: line };
  }
  return null;
}
const sampleNo = (text: string) => Number(/sample #(\d+)/.exec(text)?.[1] ?? NaN);

/** Rows of the queue panel: [queue, rx pkt/s]. */
function queueRows(text: string): [number, number][] {
  const lines = text.split('\n');
  const top = lines.findIndex(l => l.includes('┌─ queues:'));
  if (top < 0) return [];
  const col = lines[top].indexOf('┌─ queues:');
  const out: [number, number][] = [];
  for (const l of lines.slice(top + 1)) {
    const cell = l.slice(col);
    if (cell.startsWith('└')) break;
    const m = /^│\s*(\d+)\s+(\S+)/.exec(cell);
    if (m) out.push([Number(m[1]), num(m[2])]);
  }
  return out;
}

async function waitFor(what: string, pred: (text: string) => boolean, timeoutMs = 15000, target = 'top'): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    text = screen(target);
    if (pred(text)) return text;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
}

const STATUS_DIR = mkdtempSync(path.join(tmpdir(), 'ektui-e2e-'));
const statusFile = (session: string) => path.join(STATUS_DIR, `${session}.exit`);

/** Exit status of the TUI started in `session` (written by its wrapper shell when it exits). */
async function waitExit(session: string, timeoutMs = 5000): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const text = existsSync(statusFile(session)) ? readFileSync(statusFile(session), 'utf8').trim() : '';
    if (text !== '') return Number(text);
    await sleep(100);
  }
  throw new Error(`${session}: the TUI did not exit; screen:\n${screen(session)}`);
}

function startTop(session: string): void {
  // The wrapper shell records the exit status, then stays in the pane so the restored
  // (non-alternate) screen can be read.
  const cmd = `ip netns exec ${NS} ${process.execPath} ${ENTRY} ${A} ${B} ${C}; echo $? > ${statusFile(session)}; echo TUI-EXITED; exec sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', String(W), '-y', String(H), '-e', 'LANG=C.UTF-8', cmd);
}

/** UDP broadcast both ways across the A–B pair until killed (both ends are in our namespace). */
const SENDER = `
const s = require('dgram').createSocket('udp4');
s.bind(() => {
  s.setBroadcast(true);
  const buf = Buffer.alloc(200);
  (function burst() {
    for (let i = 0; i < 40; i++) s.send(buf, 9, i % 2 ? '10.213.2.255' : '10.213.1.255');
    setTimeout(burst, 1);
  })();
});`;
let sender: ChildProcess | null = null;

function cleanup(): void {
  if (sender && sender.exitCode === null) sender.kill('SIGKILL');
  sender = null;
  spawnSync('tmux', ['-L', SOCK, 'kill-server']);
  rmSync(STATUS_DIR, { recursive: true, force: true });
  // tmux leaves its socket file behind; remove ours.
  rmSync(path.join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, SOCK), { force: true });
  spawnSync('ip', ['netns', 'del', NS]);
}
after(cleanup);

function setupNetns(): void {
  ip('netns', 'add', NS);
  ip('-n', NS, 'link', 'set', 'lo', 'up');
  ip('-n', NS, 'link', 'add', A, 'numtxqueues', '4', 'numrxqueues', '4', 'type', 'veth', 'peer', 'name', B, 'numtxqueues', '4', 'numrxqueues', '4');
  ip('-n', NS, 'link', 'add', C, 'type', 'veth', 'peer', 'name', D);
  ip('-n', NS, 'addr', 'add', '10.213.1.1/24', 'dev', A);
  ip('-n', NS, 'addr', 'add', '10.213.2.1/24', 'dev', B);
  for (const d of [A, B, C, D]) ip('-n', NS, 'link', 'set', d, 'up');
  // GRO on + TSO off puts veth on its NAPI path, where its per-queue counters count.
  for (const d of [A, B]) nsx('ethtool', '-K', d, 'tso', 'off', 'gro', 'on');
  sender = spawn('ip', ['netns', 'exec', NS, process.execPath, '-e', SENDER], { stdio: 'ignore' });
}

test('ethkit --top in tmux on veth with traffic: rates, keys, resize, device removal, quit', { timeout: 180000 }, async () => {
  requireTools();
  try {
    setupNetns();
    startTop('top');
    // Rates shown are non-zero for both ends of the pair.
    let text = await waitFor('non-zero rates on both veths', t => {
      const a = nicRow(t, A), b = nicRow(t, B);
      return sampleNo(t) >= 3 && !!a && !!b && a.rxPkts > 0 && b.rxPkts > 0 && a.txPkts > 0 && a.rxBits > 0;
    });
    assert.ok(nicRow(text, A)!.selected, 'the first NIC starts selected');
    assert.equal(nicRow(text, A)!.state, 'up');
    assert.match(text, new RegExp(`counters: ${A}`));
    assert.match(text, new RegExp(`${A} bits/s`), 'history chart of the selected NIC');
    text = await waitFor('per-queue rx rate', t => queueRows(t).some(([, r]) => r > 0));
    assert.equal(queueRows(text).length, 4, 'four queues found from the veth stat names');
    assert.match(text, /imbalance \(busiest\/mean\): rx \d/);
    assert.ok(nicRow(text, C), 'the idle pair is listed');

    // Tab selects the next NIC.
    tmux('send-keys', '-t', 'top', 'Tab');
    text = await waitFor('selection on B', t => !!nicRow(t, B)?.selected && t.includes(`counters: ${B}`), 5000);
    assert.equal(nicRow(text, A)!.selected, false);

    // '/' filter: only the matching counter remains, and it is moving.
    tmux('send-keys', '-t', 'top', '/');
    tmux('send-keys', '-t', 'top', '-l', 'sys:rx_pa');
    tmux('send-keys', '-t', 'top', 'Enter');
    text = await waitFor('filtered table', t => t.includes('matching "sys:rx_pa"'), 5000);
    text = await waitFor('filtered row with a rate', t => {
      const rows = t.split('\n').filter(l => /^│\S+\s+[\d,]+\s+\S+\s*│$/.test(l));
      return rows.length === 1 && /^│sys:rx_packets\s+[\d,]+\s+(\S+)/.exec(rows[0]) !== null && num(/^│sys:rx_packets\s+[\d,]+\s+(\S+)/.exec(rows[0])![1]) > 0;
    }, 5000);
    tmux('send-keys', '-t', 'top', 'Escape');
    await waitFor('filter cleared', t => !t.includes('matching "') && t.includes('filter cleared'), 5000);

    // 's' cycles the sort.
    tmux('send-keys', '-t', 'top', 's');
    await waitFor('sort by value', t => /sort: value/.test(t), 5000);

    // 'z' zeroes: values are shown since now.
    tmux('send-keys', '-t', 'top', 'z');
    await waitFor('zeroed values', t => t.includes('VALUE (since z)') && t.includes('counters zeroed'), 5000);

    // 'p' pauses: the sample count stops; 'p' again resumes.
    tmux('send-keys', '-t', 'top', 'p');
    text = await waitFor('paused', t => t.includes('PAUSED'), 5000);
    const frozen = sampleNo(text);
    await sleep(2500);
    assert.equal(sampleNo(screen()), frozen, 'no samples while paused');
    tmux('send-keys', '-t', 'top', 'p');
    await waitFor('resumed', t => !t.includes('PAUSED') && sampleNo(t) > frozen, 5000);

    // '+' / '-' change the interval.
    tmux('send-keys', '-t', 'top', '+');
    await waitFor('interval 2s', t => t.includes('interval 2s'), 5000);
    tmux('send-keys', '-t', 'top', '-');
    await waitFor('interval 1s', t => t.includes('interval 1s'), 5000);

    // Terminal resize re-lays out.
    tmux('resize-window', '-t', 'top', '-x', '120', '-y', '40');
    text = await waitFor('layout at 120 columns', t => t.split('\n')[1]?.startsWith('┌─ NICs') && [...t.split('\n')[1]].length === 120, 5000);
    tmux('resize-window', '-t', 'top', '-x', String(W), '-y', String(H));
    await waitFor(`layout at ${W} columns`, t => [...t.split('\n')[1]].length === W, 5000);

    // A device that disappears is shown as gone; the TUI keeps running and sampling.
    ip('-n', NS, 'link', 'del', C);
    text = await waitFor('C shown as gone', t => nicRow(t, C)?.state === 'GONE', 5000);
    const s1 = sampleNo(text);
    text = await waitFor('still sampling after removal', t => sampleNo(t) >= s1 + 2 && (nicRow(t, A)?.rxPkts ?? 0) > 0, 6000);
    // … and is picked up again when it returns.
    ip('-n', NS, 'link', 'add', C, 'type', 'veth', 'peer', 'name', D);
    ip('-n', NS, 'link', 'set', C, 'up');
    await waitFor('C back', t => { const r = nicRow(t, C); return !!r && r.state !== 'GONE'; }, 5000);

    // The driver's stat count changes under the running view (veth reports one set of
    // counters per active channel): re-read, queues re-grouped, rates continue.
    assert.equal(nicRow(screen(), A)?.queues, 4);
    nsx('ethtool', '-L', A, 'rx', '2', 'tx', '2');
    await waitFor('A regrouped to 2 queues with rates', t => { const r = nicRow(t, A); return !!r && r.queues === 2 && r.rxPkts > 0; }, 6000);

    // 'q' quits: the process exits 0 and the terminal is restored (the TUI screen is gone).
    tmux('send-keys', '-t', 'top', 'q');
    assert.equal(await waitExit('top'), 0);
    const after = await waitFor('shell output after exit', t => t.includes('TUI-EXITED'), 5000);
    assert.ok(!after.includes('counters:') && !after.includes('┌─ NICs'), `terminal restored after quit:\n${after}`);

    // Ctrl-C quits too.
    startTop('top2');
    await waitFor('second TUI up', t => sampleNo(t) >= 1, 10000, 'top2');
    tmux('send-keys', '-t', 'top2', 'C-c');
    assert.equal(await waitExit('top2'), 0);
    const after2 = await waitFor('shell output after Ctrl-C', t => t.includes('TUI-EXITED'), 5000, 'top2');
    assert.ok(!after2.includes('┌─ NICs'), 'terminal restored after Ctrl-C');
  } finally {
    cleanup();
  }
});

test('ethkit --top --count N --json on veth with traffic', { timeout: 60000 }, async () => {
  requireTools();
  try {
    setupNetns();
    await sleep(500);
    const out = nsx(process.execPath, ENTRY, '--count', '3', '--json', '--interval', '0.5', A, B);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 3);
    for (const [k, line] of lines.entries()) {
      const o = JSON.parse(line) as { sample: number; devices: { name: string; present: boolean; rx_pps: number; tx_pps: number; rx_bps: number; elapsed_s: number; speed_mbps: number; queues: { count: number; rx_pps: number[] }; rates: Record<string, number> }[] };
      assert.equal(o.sample, k + 1);
      assert.deepEqual(o.devices.map(d => d.name), [A, B]);
      for (const d of o.devices) {
        assert.equal(d.present, true);
        assert.ok(d.rx_pps > 0 && d.tx_pps > 0 && d.rx_bps > 0, `${d.name}: rates ${line}`);
        assert.ok(d.elapsed_s > 0.3 && d.elapsed_s < 2, 'measured elapsed time');
        assert.equal(d.speed_mbps, 10000);
        assert.equal(d.queues.count, 4);
        assert.ok(d.rates['sys:rx_packets'] > 0);
      }
    }
  } finally {
    cleanup();
  }
});
