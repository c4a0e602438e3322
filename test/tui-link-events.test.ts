/**
 * `--top`'s link events from rtnetlink notifications (RTNLGRP_LINK): a link flap shorter than
 * the sample interval — invisible to comparing operstate between samples — shows as "link down"
 * and "link up" events, stamped when the kernel sent them, and the record says so. Control: with
 * netlink sockets refused (native/build/nonetlink.so) the same flap leaves no event. Also the
 * LinkMonitor itself: a removed device is an RTM_DELLINK. On a veth pair across two namespaces
 * this test creates; needs root and iproute2.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Netns, requireTool, uniqueName } from './helpers/netns';

const ENTRY = path.join(__dirname, '../src/tui/cli-entry.js');
const SHIM = path.resolve(__dirname, '../../native/build/nonetlink.so');
const DIR = mkdtempSync(path.join(tmpdir(), 'ethkit-top-link-'));
after(() => rmSync(DIR, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise(res => setTimeout(res, ms));

interface Sample { sample: number; devices: { name: string; operstate: string }[]; events: { time: string; dev: string; source: string; text: string }[] }

/** Run `--top VA --count 3 --interval 2 --json` in n1, flap the peer in n2 during the second interval. */
async function flapped(n1: Netns, n2: Netns, va: string, vb: string, preload: string | null, record: string): Promise<Sample[]> {
  // (the shim goes on node only: `ip netns exec` itself needs netlink)
  const child = spawn('ip', ['netns', 'exec', n1.name, 'env', ...(preload ? [`LD_PRELOAD=${preload}`] : []), process.execPath, ENTRY, va, '--count', '3', '--interval', '2', '--json', '--record', record], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', d => { out += d; });
  child.stderr.on('data', d => { err += d; });
  const done = new Promise<number | null>(res => child.on('close', res));
  // The first printed sample comes one interval after start; flap in the middle of the next one.
  const t0 = Date.now();
  while (!out.includes('\n') && Date.now() - t0 < 15000) await sleep(50);
  assert.ok(out.includes('\n'), `no first sample within 15 s; stderr: ${err}`);
  await sleep(700);
  n2.ip('link', 'set', vb, 'down');
  await sleep(100);
  n2.ip('link', 'set', vb, 'up');
  const code = await done;
  assert.equal(code, 0, `exit ${code}; stderr: ${err}`);
  assert.equal(err, '');
  return out.trim().split('\n').map(l => JSON.parse(l) as Sample);
}

test('a sub-interval link flap shows as two events from RTNLGRP_LINK, and not without netlink', { timeout: 90_000 }, async () => {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (network namespaces)');
  requireTool('ip', 'iproute2', ['-V']);
  assert.ok(existsSync(SHIM), `${SHIM} is missing: run make -C native`);
  const n1 = Netns.create('lk1'), n2 = Netns.create('lk2');
  const va = uniqueName('lkA'), vb = uniqueName('lkB');
  try {
    n1.ip('link', 'add', va, 'type', 'veth', 'peer', 'name', vb, 'netns', n2.name);
    n1.ip('link', 'set', va, 'up');
    n2.ip('link', 'set', vb, 'up');

    const rec = path.join(DIR, 'notified.jsonl');
    const s = await flapped(n1, n2, va, vb, null, rec);
    assert.equal(s.length, 3);
    // Sampling saw "up" every time: the flap happened between two samples.
    for (const x of s) assert.equal(x.devices[0].operstate, 'up', JSON.stringify(x.devices[0]));
    const ev = s.flatMap(x => x.events).filter(e => e.source === 'link');
    assert.deepEqual(ev.map(e => [e.dev, e.text.split(' (')[0]]), [[va, 'link down'], [va, 'link up']], JSON.stringify(ev));
    assert.match(ev[0].text, /^link down \(up → (lowerlayerdown|down)\)$/);
    assert.match(ev[1].text, /^link up \((lowerlayerdown|down) → up\)$/);
    const gapMs = Date.parse(ev[1].time) - Date.parse(ev[0].time);
    assert.ok(gapMs >= 50 && gapMs < 1500, `the events carry their own times: ${gapMs} ms apart`);
    // The record carries them (replay cannot derive a flap from samples).
    const lines = readFileSync(rec, 'utf8').trim().split('\n').map(l => JSON.parse(l) as { link_events: string; events: { source: string }[] });
    assert.ok(lines.every(l => l.link_events === 'notified'), 'records say the link events were notified');
    assert.equal(lines.flatMap(l => l.events).filter(e => e.source === 'link').length, 2);
    const r = spawn(process.execPath, [ENTRY, '--replay', rec, '--count', String(lines.length - 1), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let rout = '';
    r.stdout.on('data', d => { rout += d; });
    await new Promise(res => r.on('close', res));
    const replayed = rout.trim().split('\n').map(l => JSON.parse(l) as Sample).flatMap(x => x.events).filter(e => e.source === 'link');
    assert.deepEqual(replayed.map(e => e.text), ev.map(e => e.text), 'replay shows the notified events');

    // Control: no netlink socket → link events only from samples → the flap is not seen.
    const ctl = await flapped(n1, n2, va, vb, SHIM, path.join(DIR, 'sampled.jsonl'));
    assert.equal(ctl.flatMap(x => x.events).filter(e => e.source === 'link').length, 0, JSON.stringify(ctl.map(x => x.events)));
    const sampled = readFileSync(path.join(DIR, 'sampled.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as { link_events: string });
    assert.ok(sampled.every(l => l.link_events === 'sampled'));
  } finally {
    n1.destroy();
    n2.destroy();
  }
});

test('LinkMonitor: operstate changes and a removed device (RTM_DELLINK), in a namespace', { timeout: 60_000 }, async () => {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (network namespaces)');
  const n1 = Netns.create('lk3');
  const va = uniqueName('lkC'), vb = uniqueName('lkD');
  const script = `
    const { LinkMonitor } = require(${JSON.stringify(path.join(__dirname, '../src/ethtool/netlink/rtnl.js'))});
    const { execFileSync } = require('child_process');
    (async () => {
      const m = LinkMonitor.open();
      const seen = [];
      execFileSync('ip', ['link', 'add', '${va}', 'type', 'veth', 'peer', 'name', '${vb}']);
      execFileSync('ip', ['link', 'set', '${va}', 'up']);
      execFileSync('ip', ['link', 'set', '${vb}', 'up']);
      execFileSync('ip', ['link', 'del', '${va}']);
      const end = Date.now() + 5000;
      while (Date.now() < end) {
        const n = await m.next(300);
        if (!n) { if (seen.some(s => s.message === 'RTM_DELLINK' && s.name === '${vb}')) break; continue; }
        seen.push(n);
      }
      m.close();
      console.log(JSON.stringify(seen));
    })();`;
  try {
    const r = n1.exec(process.execPath, ['-e', script]);
    const seen = JSON.parse(r.stdout) as { message: string; name: string; operstate: string; flags: number; index: number }[];
    const of = (n: string) => seen.filter(e => e.name === n);
    assert.ok(of(va).some(e => e.message === 'RTM_NEWLINK' && e.operstate === 'up' && (e.flags & 1) === 1), JSON.stringify(of(va)));
    assert.ok(of(va).some(e => e.message === 'RTM_DELLINK'), JSON.stringify(of(va)));
    assert.ok(of(vb).some(e => e.message === 'RTM_DELLINK'), 'the peer goes with it');
    assert.ok(seen.every(e => e.index > 0));
  } finally {
    n1.destroy();
  }
});
