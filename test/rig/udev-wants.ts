/**
 * In the rig, what systemd (PID 1) does with a udev event's SYSTEMD_WANTS, for a guest that has
 * udevd but no systemd: follows `udevadm monitor --udev --property` (events after udevd ran its
 * rules), and for every "add" whose SYSTEMD_WANTS names a unit, starts it as a oneshot service —
 * the unit file from /etc/systemd/system (NAME@.service for an instance NAME@I.service, %i
 * replaced), its ConditionPathExists checked, its ExecStart run with its Environment=, one start
 * at a time. Each start is one JSON line in LOG.
 *
 *   node dist/test/rig/udev-wants.js LOG READY_FILE
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const [log, ready] = process.argv.slice(2);
const UNIT_DIR = '/etc/systemd/system';

function unitFile(unit: string): { file: string; instance: string } | null {
  const m = /^([^@]+)@(.*)\.service$/.exec(unit);
  const direct = path.join(UNIT_DIR, unit);
  if (fs.existsSync(direct)) return { file: direct, instance: m?.[2] ?? '' };
  if (m && fs.existsSync(path.join(UNIT_DIR, `${m[1]}@.service`))) return { file: path.join(UNIT_DIR, `${m[1]}@.service`), instance: m[2] };
  return null;
}

function keys(text: string, section: string, key: string): string[] {
  let cur = '';
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const s = /^\[(.+)\]$/.exec(line.trim());
    if (s) { cur = s[1]; continue; }
    const eq = line.indexOf('=');
    if (cur === section && eq > 0 && line.slice(0, eq).trim() === key) out.push(line.slice(eq + 1).trim());
  }
  return out;
}

const queue: { unit: string; iface: string; seq: string }[] = [];
let busy = false;

function start(): void {
  if (busy) return;
  const job = queue.shift();
  if (!job) return;
  busy = true;
  const t0 = Date.now();
  const u = unitFile(job.unit);
  const entry: Record<string, unknown> = { unit: job.unit, iface: job.iface, seq: job.seq, time: new Date().toISOString() };
  if (!u) entry.result = 'no unit file';
  else {
    const text = fs.readFileSync(u.file, 'utf8').split('%i').join(u.instance);
    const cond = keys(text, 'Unit', 'ConditionPathExists');
    if (cond.some(p => !fs.existsSync(p))) entry.result = 'condition failed';
    else {
      const env: Record<string, string> = { ...process.env as Record<string, string> };
      for (const e of keys(text, 'Service', 'Environment')) { const i = e.indexOf('='); env[e.slice(0, i)] = e.slice(i + 1); }
      for (const cmd of keys(text, 'Service', 'ExecStart')) {
        const argv = cmd.split(/\s+/);
        const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', timeout: 300000 });
        entry.exit = r.status;
        entry.output = (r.stdout + r.stderr).trim().split('\n').slice(-12);
      }
      const ok = keys(text, 'Service', 'SuccessExitStatus').flatMap(x => x.split(/\s+/)).map(Number).concat([0]);
      entry.result = ok.includes(entry.exit as number) ? 'success' : 'failed';
    }
  }
  entry.ms = Date.now() - t0;
  fs.appendFileSync(log, JSON.stringify(entry) + '\n');
  busy = false;
  setImmediate(start);
}

const mon = spawn('udevadm', ['monitor', '--udev', '--property', '--subsystem-match=net'], { stdio: ['ignore', 'pipe', 'inherit'] });
let buf = '';
mon.stdout.setEncoding('utf8');
mon.stdout.on('data', (chunk: string) => {
  buf += chunk;
  if (buf.includes('monitor will print') && !fs.existsSync(ready)) fs.writeFileSync(ready, String(process.pid));
  let i: number;
  while ((i = buf.indexOf('\n\n')) >= 0) {
    const block = buf.slice(0, i);
    buf = buf.slice(i + 2);
    const props = Object.fromEntries(block.split('\n').filter(l => /^[A-Z_]+=/.test(l)).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (props.ACTION !== 'add' || !props.SYSTEMD_WANTS) continue;
    for (const unit of props.SYSTEMD_WANTS.split(/\s+/).filter(Boolean)) queue.push({ unit, iface: props.INTERFACE, seq: props.SEQNUM });
    start();
  }
});
mon.on('exit', code => { fs.appendFileSync(log, JSON.stringify({ monitor_exit: code }) + '\n'); process.exit(1); });
