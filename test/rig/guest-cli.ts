/**
 * Inside the rig VM (see rig/README.md; started by test/rig.test.ts): ethkit's command line
 * against ethtool 6.1's ioctl path (`LD_PRELOAD=native/build/nonetlink.so ethtool`) on every
 * real driver the VM has, byte for byte (stdout, stderr, exit status).
 *
 * Per driver:
 *   - show commands (-i, settings, -a -c -g -l -k -S -P, -d / -e in every form, --show-fec):
 *     ethtool, ethkit, ethtool again; ethkit must equal one of the two ethtool runs (live
 *     counters must lie between them; registers that moved in ethtool's own runs are masked);
 *   - set commands (-s -A -C -G -L -K -r -p -t): ethtool runs the command, the state is read with
 *     ethtool, the original state is restored; then ethkit runs it, the state is read with
 *     ethtool (must equal the state ethtool's run left) and with ethkit (must print it as
 *     ethtool does); restored again. The output of the set itself must be identical too.
 *   - netdevsim only: errnos injected through debugfs (FEC get/set in 6.1) and lowered ring
 *     maxima.
 *
 * Every case is also a check of the driver matrix (see guest-main.ts): ok / unsupported (the
 * driver answered EOPNOTSUPP, and ethkit said so exactly as ethtool) / mismatch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { Capture } from '../diff/harness';
import { KoffiTransport } from '../../src/ffi/koffi';
import { Nic } from '../../src/device/nic';
import {
  RigNic, Recorder, rigNics, requireEthtool, ethtool, ethkit, diffRead, ReadMode, converge, convergeEthkit,
  compareStates, sameCapture, ethtoolStatus, settle, carrier, stableRead, show, Status, TIMES, CLI_SOURCE, SETTLE, LINK_QUIET_MS,
} from './common';
import { restCases } from './guest-rest13';
import { keyValues, pageOf, pauseOf, coalesceOf, ringOf, channelsOf, featuresOf } from '../helpers/ethtool-text';

const nics = rigNics('guest-cli');
if (nics.length) requireEthtool();
const rec = new Recorder(CLI_SOURCE);

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

export class Driver {
  readonly I: string;
  readonly hadCarrier: boolean;
  constructor(readonly nic: RigNic) {
    this.I = nic.ifname;
    this.hadCarrier = carrier(nic.ifname) === 1;
  }

  record(op: string, argv: readonly string[], status: Status, extra: { note?: string; first?: string; detail?: string } = {}): void {
    rec.add({ driver: this.nic.driver, ifname: this.I, op, source: CLI_SOURCE, status, what: show(argv), ...extra });
  }

  /** A read-only command compared as described in the file comment. */
  read(op: string, argv: readonly string[], mode: ReadMode = 'exact'): Capture {
    let o;
    try {
      o = diffRead(argv, mode);
      // Register dumps hold live registers (descriptor heads move with any frame on the hub):
      // a difference there is read again, at most twice more.
      for (let i = 0; !o.same && op.startsWith('regs') && i < 2; i++) o = diffRead(argv, mode);
    } catch (e) {
      this.record(op, argv, 'mismatch', { first: firstLine(e) });
      throw e;
    }
    const st = ethtoolStatus(o.ref);
    const note = [st.note, o.note].filter(Boolean).join('; ') || undefined;
    this.record(op, argv, o.same ? st.status : 'mismatch', { note, first: o.same ? undefined : o.first, detail: o.same ? undefined : o.text });
    assert.ok(o.same, `${this.nic.driver}: ${show(argv)}\n${o.text}`);
    return o.ref;
  }

  /** Read a state twice a second apart until two readings agree (at most ~6 s). */
  stable(argv: readonly string[]): Capture { return stableRead(argv); }

  private restore(c: SetCase, s0: Capture | null, after: string): void {
    for (const r of c.restore) ethtool(r);
    c.restoreFn?.();
    // A restore may reset the link again: have it back before the state is read.
    if (c.restore.length || c.restoreFn) settle(this.I, this.hadCarrier);
    if (!c.show || !s0) return;
    const back = converge(c.show, s0, 8000);
    if (!sameCapture(back, s0)) {
      const d = compareStates(s0, back, 'before', 'after restore');
      throw new Error(`${this.nic.driver}: could not restore the state after ${after} ${show(c.argv)} ` +
        `(restore: ${c.restore.map(show).join('; ') || 'none'}${c.restoreFn ? ' + API' : ''}): ${d.first}\n${d.text}`);
    }
  }

  /** A set command, as described in the file comment. */
  set(c: SetCase): void {
    const I = this.I;
    try {
      // States that show the link: the settings page (speed, duplex, MDI-X, link detected) and
      // pause (resolved when the link comes up). They are read when they hold still.
      const page = c.show !== null && c.show.length === 1;
      const linkDependent = page || c.show?.[0] === '-a';
      const readState = (argv: readonly string[]): Capture => (linkDependent ? this.stable(argv) : ethtool(argv));
      // After every set (any of them may reset the NIC): the link back if it went, and for the
      // settings page up long enough that the driver's PHY snapshot is fresh.
      const after = (): void => settle(I, this.hadCarrier, { quietMs: page ? LINK_QUIET_MS : 0 });
      after();
      const s0 = c.show ? readState(c.show) : null;
      const E = ethtool(c.argv, c.stdin);
      after();
      const Es = c.show ? readState(c.show) : null;
      this.restore(c, s0, 'ethtool');
      after();
      const K = ethkit(c.argv, c.stdin);
      after();
      const problems: string[] = [];
      const details: string[] = [];
      const o1 = compareStates(E, K, 'ethtool', 'ethkit');
      if (!o1.same) { problems.push(`output: ${o1.first}`); details.push(o1.text); }
      let changed = false;
      if (c.show && Es && s0) {
        const Ks = converge(c.show, Es, 6000);
        const o2 = compareStates(Es, Ks, 'after ethtool', 'after ethkit');
        if (!o2.same) { problems.push(`device state (${show(c.show)}): ${o2.first}`); details.push(o2.text); }
        changed = !sameCapture(Es, s0);
        if (changed && o2.same) {
          const Kk = convergeEthkit(c.show, Ks);
          const o3 = compareStates(Ks, Kk, 'ethtool', 'ethkit');
          if (!o3.same) { problems.push(`ethkit ${show(c.show)} of the new state: ${o3.first}`); details.push(o3.text); }
        }
      }
      this.restore(c, s0, 'ethkit');
      const st = ethtoolStatus(E);
      const notes = [st.note];
      if (c.show && !changed && E.status === 0 && E.stderr.length === 0 && E.stdout.length === 0 && c.op !== 'nway') {
        notes.push('accepted, no change');
      }
      const note = notes.filter(Boolean).join('; ') || undefined;
      this.record(c.op, c.argv, problems.length ? 'mismatch' : st.status, {
        note, first: problems[0], detail: details.join('\n') || undefined,
      });
      assert.ok(problems.length === 0, `${this.nic.driver}: ${show(c.argv)}\n${problems.join('\n')}\n${details.join('\n')}`);
    } catch (e) {
      if (!(e instanceof assert.AssertionError)) this.record(c.op, c.argv, 'mismatch', { first: firstLine(e), note: 'rig problem' });
      throw e;
    }
  }
}

export interface SetCase {
  readonly op: string;
  readonly argv: readonly string[];
  /** The show command whose output is the device state (null: none, e.g. -p). */
  readonly show: readonly string[] | null;
  /** ethtool command lines that bring the original state back (run even when the set failed). */
  readonly restore: readonly (readonly string[])[];
  /** Run after `restore`, for what ethtool cannot express. */
  readonly restoreFn?: () => void;
  /** Bytes on the command's standard input (both tools). */
  readonly stdin?: Uint8Array;
}

let koffiTransport: KoffiTransport | null = null;
function koffi(): KoffiTransport { return (koffiTransport ??= new KoffiTransport()); }

/** The set commands for one driver, built from its current state as ethtool shows it. */
function setCases(d: Driver): { link: SetCase[]; params: SetCase[]; actions: SetCase[] } {
  const I = d.I;
  const pageText = ethtool([I]).stdout.toString('latin1');
  const page = pageOf(pageText);
  const PAGE = [I];
  const link: SetCase[] = [];
  const params: SetCase[] = [];

  // -s: link settings
  const restoreLink = page.autoneg === 'on' ? [['-s', I, 'autoneg', 'on']]
    : page.autoneg === 'off' && /^\d+Mb\/s$/.test(page.speed ?? '') && /^(Full|Half)$/.test(page.duplex ?? '')
      ? [['-s', I, 'speed', String(parseInt(page.speed as string, 10)), 'duplex', (page.duplex as string).toLowerCase(), 'autoneg', 'off']]
      : [];
  // ethtool cannot set an unknown speed back (virtio_net starts with one): the API can.
  let restoreFn: (() => void) | undefined;
  if (!restoreLink.length && page.autoneg !== undefined) {
    const nic = new Nic(I, koffi());
    const orig = nic.linkSettings();
    restoreFn = () => nic.setLinkSettings({ autoneg: orig.autoneg, speed: orig.speed, duplex: orig.duplex, advertising: orig.advertising });
  }
  link.push({ op: 'link-set', argv: ['-s', I, 'speed', '100', 'duplex', 'full', 'autoneg', 'off'], show: PAGE, restore: restoreLink, restoreFn });
  if (page.autoneg === 'on') {
    link.push({ op: 'link-set', argv: ['-s', I, 'advertise', '0x008'], show: PAGE, restore: restoreLink });
  }
  // -s msglvl (number and name forms)
  if (page.msglvl !== undefined) {
    const cur = page.msglvl;
    params.push({ op: 'msglvl-set', argv: ['-s', I, 'msglvl', `0x${(cur ^ 1).toString(16)}`], show: PAGE, restore: [['-s', I, 'msglvl', String(cur)]] });
    params.push({ op: 'msglvl-set', argv: ['-s', I, 'msglvl', 'hw', cur & 0x2000 ? 'off' : 'on', 'drv', cur & 1 ? 'on' : 'off'], show: PAGE, restore: [['-s', I, 'msglvl', String(cur)]] });
  } else {
    params.push({ op: 'msglvl-set', argv: ['-s', I, 'msglvl', '1'], show: PAGE, restore: [] });
  }
  // -s wol
  const supp = (page.wolSupported ?? '').replace('d', '');
  if (page.wol !== undefined && supp) {
    const next = page.wol !== 'd' ? 'd' : supp.includes('g') ? 'g' : supp[0];
    params.push({ op: 'wol-set', argv: ['-s', I, 'wol', next], show: PAGE, restore: [['-s', I, 'wol', page.wol]] });
  } else {
    params.push({ op: 'wol-set', argv: ['-s', I, 'wol', 'g'], show: PAGE, restore: [] });
  }
  // -A
  const pause = pauseOf(ethtool(['-a', I]).stdout.toString('latin1'));
  if (pause) {
    const on = (v: number): string => (v ? 'on' : 'off');
    params.push({
      op: 'pause-set', argv: ['-A', I, 'rx', on(pause.rx_pause ^ 1)], show: ['-a', I],
      restore: [['-A', I, 'autoneg', on(pause.autoneg), 'rx', on(pause.rx_pause), 'tx', on(pause.tx_pause)]],
    });
  } else {
    params.push({ op: 'pause-set', argv: ['-A', I, 'rx', 'on'], show: ['-a', I], restore: [] });
  }
  // -C
  const coal = coalesceOf(ethtool(['-c', I]).stdout.toString('latin1'));
  if (coal) {
    // A field the netlink path shows as n/a is one the driver lacks: setting it must fail, with nothing to restore.
    const rxu = coal.rx_coalesce_usecs;
    const txf = coal.tx_max_coalesced_frames;
    params.push(Number.isFinite(rxu)
      ? { op: 'coalesce-set', argv: ['-C', I, 'rx-usecs', String(rxu + 7)], show: ['-c', I], restore: [['-C', I, 'rx-usecs', String(rxu)]] }
      : { op: 'coalesce-set', argv: ['-C', I, 'rx-usecs', '10'], show: ['-c', I], restore: [] });
    params.push(Number.isFinite(txf)
      ? { op: 'coalesce-set', argv: ['-C', I, 'tx-frames', String(txf === 1 ? 0 : 1)], show: ['-c', I], restore: [['-C', I, 'tx-frames', String(txf)]] }
      : { op: 'coalesce-set', argv: ['-C', I, 'tx-frames', '1'], show: ['-c', I], restore: [] });
  } else {
    params.push({ op: 'coalesce-set', argv: ['-C', I, 'rx-usecs', '10'], show: ['-c', I], restore: [] });
  }
  // -G
  const ring = ringOf(ethtool(['-g', I]).stdout.toString('latin1'));
  if (ring) {
    const half = (v: number): number => Math.max(8, Math.floor(v / 2 / 8) * 8);
    const restore = [['-G', I, 'rx', String(ring.rx_pending), 'tx', String(ring.tx_pending)]];
    params.push({ op: 'ring-set', argv: ['-G', I, 'rx', String(half(ring.rx_pending)), 'tx', String(half(ring.tx_pending))], show: ['-g', I], restore });
    params.push({ op: 'ring-set', argv: ['-G', I, 'rx', String(ring.rx_max_pending + 1)], show: ['-g', I], restore });
  } else {
    params.push({ op: 'ring-set', argv: ['-G', I, 'rx', '64'], show: ['-g', I], restore: [] });
  }
  // -L
  const ch = channelsOf(ethtool(['-l', I]).stdout.toString('latin1'));
  if (ch) {
    const restore = [['-L', I, 'combined', String(ch.combined_count)]];
    if (ch.max_combined >= 2) {
      const next = ch.combined_count > 1 ? Math.floor(ch.combined_count / 2) : 2;
      params.push({ op: 'channels-set', argv: ['-L', I, 'combined', String(next)], show: ['-l', I], restore });
    } else {
      params.push({ op: 'channels-set', argv: ['-L', I, 'combined', String(ch.combined_count)], show: ['-l', I], restore: [] });
    }
    params.push({ op: 'channels-set', argv: ['-L', I, 'combined', String(ch.max_combined + 1)], show: ['-l', I], restore });
  } else {
    params.push({ op: 'channels-set', argv: ['-L', I, 'combined', '1'], show: ['-l', I], restore: [] });
  }
  // -K
  const kText = ethtool(['-k', I]).stdout.toString('latin1');
  const kv = keyValues(kText);
  const gro = kv.get('generic-receive-offload')?.startsWith('on') ?? false;
  params.push({ op: 'features-set', argv: ['-K', I, 'gro', gro ? 'off' : 'on'], show: ['-k', I], restore: [['-K', I, 'gro', gro ? 'on' : 'off']] });
  const feats = featuresOf(kText);
  const sg = kv.get('scatter-gather');
  if (sg?.startsWith('on') && !feats.get('tx-scatter-gather')?.fixed) {
    params.push({ op: 'features-set', argv: ['-K', I, 'sg', 'off'], show: ['-k', I], restore: [['-K', I, 'sg', 'on']] });
  } else {
    params.push({ op: 'features-set', argv: ['-K', I, 'tx-checksum-ip-generic', 'off', 'rx', 'off'], show: ['-k', I], restore: [['-K', I, 'tx-checksum-ip-generic', kv.get('tx-checksum-ip-generic')?.startsWith('on') ? 'on' : 'off', 'rx', kv.get('rx-checksumming')?.startsWith('on') ? 'on' : 'off']] });
  }

  const actions: SetCase[] = [
    { op: 'nway', argv: ['-r', I], show: PAGE, restore: [] },
    { op: 'identify', argv: ['-p', I, '2'], show: null, restore: [] },
    { op: 'test-online', argv: ['-t', I, 'online'], show: null, restore: [] },
    { op: 'test-offline', argv: ['-t', I, 'offline'], show: null, restore: [] },
  ];
  return { link, params, actions };
}

// ---- netdevsim: injected errors ---------------------------------------------------------------

function nsimDir(): string {
  const base = '/sys/kernel/debug/netdevsim';
  for (const dev of readdirSync(base)) {
    const ports = `${base}/${dev}/ports`;
    if (!existsSync(ports)) continue;
    for (const p of readdirSync(ports)) {
      const dir = `${ports}/${p}/ethtool`;
      if (existsSync(`${dir}/get_err`)) return dir;
    }
  }
  throw new Error(`no netdevsim port with ethtool/get_err under ${base}`);
}

async function nsimCases(d: Driver, sub: (name: string, fn: () => void) => Promise<void>): Promise<void> {
  const I = d.I;
  const dir = nsimDir();
  const put = (f: string, v: number | string): void => writeFileSync(`${dir}/${f}`, `${v}\n`);
  const getv = (f: string): number => Number(readFileSync(`${dir}/${f}`, 'utf8').trim());

  // What 6.1 offers: list it, so a kernel with more knobs shows up here.
  await sub('debugfs knobs', () => {
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['get_err', 'pause', 'ring', 'set_err'], `${dir}: ${files.join(' ')}`);
    assert.deepEqual(readdirSync(`${dir}/ring`).sort(), ['rx_jumbo_max_pending', 'rx_max_pending', 'rx_mini_max_pending', 'tx_max_pending']);
  });
  // get_err: in 6.1 only the FEC get op returns it.
  for (const errno of [5, 16, 22, 95, 1]) {
    await sub(`get_err=${errno}: --show-fec`, () => {
      put('get_err', errno);
      try { d.read('inject-fec', ['--show-fec', I]); } finally { put('get_err', 0); }
    });
  }
  await sub('get_err=5: -g (not affected in 6.1)', () => {
    put('get_err', 5);
    try { d.read('inject-fec', ['-g', I]); } finally { put('get_err', 0); }
  });
  // set_err: the FEC set op. FEC starts as "None", which --set-fec cannot set back: start from "off".
  ethtool(['--set-fec', I, 'encoding', 'off']);
  for (const errno of [16, 22]) {
    await sub(`set_err=${errno}: --set-fec`, () => {
      put('set_err', errno);
      try {
        d.set({ op: 'inject-fec', argv: ['--set-fec', I, 'encoding', 'rs'], show: ['--show-fec', I], restore: [] });
      } finally { put('set_err', 0); }
    });
  }
  await sub('set_err=0: --set-fec', () => {
    d.set({ op: 'inject-fec', argv: ['--set-fec', I, 'encoding', 'rs'], show: ['--show-fec', I], restore: [['--set-fec', I, 'encoding', 'off']] });
  });

  // Lowered ring maxima: -g shows them, -G beyond them is refused by the core (EINVAL).
  const names = ['rx_max_pending', 'tx_max_pending', 'rx_mini_max_pending', 'rx_jumbo_max_pending'];
  const orig = Object.fromEntries(names.map(n => [n, getv(`ring/${n}`)]));
  const ring0 = ringOf(ethtoolOkText(['-g', I]));
  assert.ok(ring0, 'netdevsim -g');
  const restore = [['-G', I, 'rx', String(ring0.rx_pending), 'tx', String(ring0.tx_pending), 'rx-mini', String(ring0.rx_mini_pending), 'rx-jumbo', String(ring0.rx_jumbo_pending)]];
  put('ring/rx_max_pending', 512);
  put('ring/tx_max_pending', 256);
  put('ring/rx_mini_max_pending', 0);
  try {
    await sub('lowered maxima: -g', () => { d.read('inject-ring', ['-g', I]); });
    for (const argv of [['-G', I, 'rx', '513'], ['-G', I, 'rx', '512', 'tx', '256'], ['-G', I, 'tx', '300'], ['-G', I, 'rx-mini', '1']]) {
      await sub(`lowered maxima: ${show(argv)}`, () => { d.set({ op: 'inject-ring', argv, show: ['-g', I], restore }); });
    }
  } finally {
    for (const n of names) put(`ring/${n}`, orig[n]);
    for (const r of restore) ethtool(r);
  }
}

function ethtoolOkText(argv: readonly string[]): string {
  const c = ethtool(argv);
  assert.equal(c.status, 0, `ethtool ${show(argv)}: ${c.stderr.toString()}`);
  return c.stdout.toString('latin1');
}

// ---- the tests ------------------------------------------------------------------------------

for (const nic of nics) {
  test(`${nic.driver} (${nic.ifname}): ethkit vs ethtool -- ioctl path`, async t => {
    const t0 = Date.now();
    const d = new Driver(nic);
    const I = d.I;
    const sub = (name: string, fn: () => void): Promise<void> => t.test(name, fn);
    // RIG_CLI_ONLY=rest13: only the -w/-W/-E/-f/-Q/--set-phy-tunable rows (working on them).
    if (process.env.RIG_CLI_ONLY === 'rest13') { await restCases(d, sub); return; }
    const readOnly: [string, string[], ReadMode?][] = [
      ['drvinfo', ['-i', I]],
      ['settings', [I]],
      ['pause-get', ['-a', I]],
      ['coalesce-get', ['-c', I]],
      ['ring-get', ['-g', I]],
      ['channels-get', ['-l', I]],
      ['features-get', ['-k', I]],
      ['stats', ['-S', I], 'counters'],
      ['permaddr', ['-P', I]],
      ['fec-cli', ['--show-fec', I]],
      ['tsinfo', ['-T', I]],
      ['privflags-get', ['--show-priv-flags', I]],
      ['eee-get', ['--show-eee', I]],
    ];
    for (const [op, argv, mode] of readOnly) {
      await sub(show(argv), () => {
        if (op === 'settings') settle(I, d.hadCarrier, { quietMs: LINK_QUIET_MS });
        d.read(op, argv, mode);
      });
    }

    // Dumps: the plain forms always; the variants where the driver has the dump.
    const regsOk = ethtool(['-d', I, 'raw', 'on']).status === 0;
    await sub(`-d ${I}`, () => { d.read('regs-pretty', ['-d', I]); });
    await sub(`-d ${I} raw on`, () => { d.read('regs', ['-d', I, 'raw', 'on']); });
    if (regsOk) {
      await sub(`-d ${I} hex on`, () => { d.read('regs', ['-d', I, 'hex', 'on']); });
    }
    // An offset past the end makes ethtool's length (eedump_len - offset, u32) wrap around.
    const eeOk = ethtool(['-e', I, 'raw', 'on']).status === 0;
    const eeCases: [string, string[]][] = eeOk ? [
      ['eeprom', ['-e', I]], ['eeprom', ['-e', I, 'raw', 'on']], ['eeprom', ['-e', I, 'offset', '16', 'length', '32']],
      ['eeprom', ['-e', I, 'raw', 'on', 'offset', '5', 'length', '7']], ['eeprom', ['-e', I, 'offset', '120', 'length', '64']],
      ['eeprom', ['-e', I, 'length', '0']], ['eeprom-wrap', ['-e', I, 'offset', '200']],
    ] : [
      ['eeprom', ['-e', I]], ['eeprom', ['-e', I, 'raw', 'on']], ['eeprom-wrap', ['-e', I, 'raw', 'on', 'offset', '5', 'length', '7']],
    ];
    for (const [op, argv] of eeCases) await sub(show(argv), () => { d.read(op, argv); });

    await restCases(d, sub);

    const cases = setCases(d);
    for (const c of [...cases.params, ...cases.link, ...cases.actions]) {
      await sub(show(c.argv), () => { d.set(c); });
    }
    if (nic.driver === 'netdevsim') await nsimCases(d, sub);
    process.stderr.write(`[rig] ${nic.driver}: cli done in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
      `(ethtool ${TIMES.ethtool.n} runs ${(TIMES.ethtool.ms / 1000).toFixed(1)} s, ethkit ${TIMES.ethkit.n} runs ${(TIMES.ethkit.ms / 1000).toFixed(1)} s, ` +
      `link waits ${SETTLE.n} ${(SETTLE.ms / 1000).toFixed(1)} s so far)\n`);
  });
}
