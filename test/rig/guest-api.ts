/**
 * Inside the rig VM (see rig/README.md; started by test/rig.test.ts): ethkit's Nic API over
 * KoffiTransport on every real driver the VM has. The oracle is ethtool 6.1 on its ioctl path:
 *
 *   - every get must return what ethtool prints for the same device;
 *   - every set is first done by ethtool (its effect read back with ethtool, then undone), then
 *     through the API: the state read back (with ethtool and with the API) must be what
 *     ethtool's own set produced — so a driver that ignores a value (8139cp's speed) or rounds
 *     it is judged by what it really did, never by an exit code — and is then restored through
 *     the API and read back again;
 *   - where ethtool reports an error, the API must throw an EthtoolError with that errno, kind
 *     'unsupported' for EOPNOTSUPP, and a one-line message naming the device.
 *   - netdevsim: errnos injected through debugfs (FEC get in 6.1) and lowered ring maxima.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { KoffiTransport } from '../../src/ffi/koffi';
import { Nic } from '../../src/device/nic';
import { EthtoolError } from '../../src/device/errors';
import type { Capture } from '../diff/harness';
import type { Coalesce } from '../../src/ethtool/types';
import {
  RigNic, Recorder, rigNics, requireEthtool, ethtool, errnoIn, EOPNOTSUPP, settle, carrier, stableRead,
  sameCapture, converge, show, Status, LINK_QUIET_MS, SETTLE, bracketRead, sleep,
} from './common';
import {
  keyValues, pageOf, pauseOf, coalesceOf, ringOf, channelsOf, featuresOf, wolBits, wolLetters, selfTestOf, statsOf, assertDrvinfo,
} from '../helpers/ethtool-text';
import { strerror } from '../../src/ethtool/errno';

const nics = rigNics('guest-api');
if (nics.length) requireEthtool();
const rec = new Recorder('api');
let koffi: KoffiTransport | null = null;
const transport = (): KoffiTransport => (koffi ??= new KoffiTransport());

const text = (c: Capture): string => c.stdout.toString('latin1');

interface Result { status: Status; note?: string }

/** The EthtoolError `fn` throws, or null when it returns. Anything else is rethrown. */
function caught(fn: () => unknown): EthtoolError | null {
  try { fn(); return null; } catch (e) {
    if (e instanceof EthtoolError) return e;
    throw e;
  }
}

/** `e` must be the EthtoolError for `errno` on `ifname`: right kind, one line. */
function assertError(e: EthtoolError | null, errno: number, ifname: string, what: string): void {
  assert.ok(e, `${what}: ethtool failed with ${strerror(errno)}, the API returned normally`);
  assert.equal(e.errno, errno, `${what}: errno ${e.errno} (${strerror(e.errno)}), ethtool: ${errno} (${strerror(errno)})`);
  if (errno === EOPNOTSUPP) assert.equal(e.kind, 'unsupported', `${what}: kind ${e.kind} for EOPNOTSUPP`);
  assert.ok(!e.message.includes('\n'), `${what}: message has more than one line: ${JSON.stringify(e.message)}`);
  assert.ok(e.message.startsWith(`${ifname}: `), `${what}: message does not name the device: ${e.message}`);
}

/** The errno of ethtool's first error line, or null when it printed none. */
function ethtoolErrno(c: Capture): number | null {
  return errnoIn(c.stderr.toString('latin1'));
}

function statusOf(errno: number | null): Result {
  if (errno === EOPNOTSUPP) return { status: 'unsupported' };
  if (errno !== null) return { status: 'ok', note: `driver: ${strerror(errno)}` };
  return { status: 'ok' };
}

/**
 * A get op against ethtool's show command `show` (whose device is `ifname`): the API returns
 * what `parse` reads from ethtool's output (checked by `same`), or, where ethtool printed an
 * error, throws the EthtoolError for the same errno.
 */
function getCheck<T>(show: string[], ifname: string, parse: (out: string) => T | null, what: string,
  get: () => unknown, same: (got: unknown, want: T) => void): Result {
  for (let round = 0; ; round++) {
    const c = ethtool(show);
    const p = parse(text(c));
    let got: unknown;
    const e = caught(() => { got = get(); });
    if (!p) { assertError(e, ethtoolErrno(c) as number, ifname, what); return statusOf(ethtoolErrno(c)); }
    assert.equal(e, null, `${what} threw: ${e?.message}`);
    try {
      same(got, p);
      return { status: 'ok' };
    } catch (err) {
      // The state moved between ethtool's reading and the API's (pause follows the link):
      // once more; a difference while ethtool's answer holds still is a mismatch.
      if (round > 0 || !(err instanceof assert.AssertionError) || sameCapture(ethtool(show), c)) throw err;
    }
  }
}

class Api {
  readonly I: string;
  readonly nic: Nic;
  readonly hadCarrier: boolean;
  constructor(readonly rn: RigNic) {
    this.I = rn.ifname;
    this.nic = new Nic(rn.ifname, transport());
    this.hadCarrier = carrier(rn.ifname) === 1;
  }

  /** Run one check as a subtest; record its result for the matrix. */
  async check(t: import('node:test').TestContext, op: string, what: string, fn: () => Result): Promise<void> {
    await t.test(`${op}: ${what}`, () => {
      let r: Result;
      try {
        r = fn();
      } catch (e) {
        const msg = (e instanceof Error ? e.message : String(e));
        rec.add({ driver: this.rn.driver, ifname: this.I, op, source: 'api', status: 'mismatch', what, first: msg.split('\n')[0], detail: msg });
        throw e;
      }
      rec.add({ driver: this.rn.driver, ifname: this.I, op, source: 'api', status: r.status, what, note: r.note });
    });
  }

  /**
   * The link back if something reset it; `quiet`: also up long enough that the driver's PHY
   * snapshot on the settings page is fresh (LINK_QUIET_MS).
   */
  settle(quiet = false): void { settle(this.I, this.hadCarrier, { quietMs: quiet ? LINK_QUIET_MS : 0 }); }

  /** A state readable by ethtool twice a second apart until it holds still. */
  stable(argv: readonly string[]): Capture { return stableRead(argv); }

  /**
   * The generic set check. `ethtoolSet` is ethtool's command line for the change and
   * `ethtoolRestore` its undo; `apiSet`/`apiRestore` the same through the API; `showArgv`
   * the ethtool show command for the state; `agree(text)` asserts that the API's own reading
   * equals ethtool's text.
   */
  setCheck(o: {
    showArgv: readonly string[]; ethtoolSet: readonly string[]; ethtoolRestore: readonly (readonly string[])[];
    apiSet: () => void; apiRestore: () => void; agree: (shown: string) => void; what: string;
    /** Run after `ethtoolRestore`, for what ethtool cannot express. */
    restoreFn?: () => void;
    /** The state is the settings page of a set that changes the link: it takes seconds to settle. */
    slow?: boolean;
  }): Result {
    // Any set may reset the NIC: after each, the link is waited for (a look at carrier when
    // nothing was reset). States that show the link (the settings page; pause, resolved when
    // the link comes up) are read when they hold still, or until they reach the expected one.
    const linkDependent = o.slow || o.showArgv[0] === '-a';
    const after = (): void => this.settle(o.slow);
    const read = (): Capture => (linkDependent ? this.stable(o.showArgv) : ethtool(o.showArgv));
    const readAs = (expected: Capture): Capture => (linkDependent ? converge(o.showArgv, expected, 8000) : ethtool(o.showArgv));
    after();
    const s0 = read();
    o.agree(text(s0));
    const E = ethtool(o.ethtoolSet);
    after();
    const Es = read();
    for (const r of o.ethtoolRestore) ethtool(r);
    o.restoreFn?.();
    after();
    const back = converge(o.showArgv, s0, 8000);
    assert.ok(sameCapture(back, s0), `${o.what}: could not restore the state (${o.ethtoolRestore.map(show).join('; ')}` +
      `${o.restoreFn ? ' + API' : ''}):\n--- before:\n${text(s0)}--- after:\n${text(back)}`);
    const errno = ethtoolErrno(E);
    // ethtool -s exits 0 even when the driver refused: its message is what counts.
    const e = caught(o.apiSet);
    after();
    if (errno !== null) {
      assertError(e, errno, this.I, o.what);
    } else {
      assert.equal(e, null, `${o.what}: the API threw "${e?.message}", ethtool's set worked: ${E.stderr.toString().trim()}`);
    }
    const As = readAs(Es);
    assert.equal(text(As), text(Es), `${o.what}: state after the API's set differs from the state after ethtool's:\n` +
      `--- ethtool ${show(o.ethtoolSet)}:\n${text(Es)}--- API:\n${text(As)}`);
    o.agree(text(As));
    const changed = !sameCapture(Es, s0);
    if (changed) {
      assert.equal(caught(o.apiRestore), null, `${o.what}: restoring through the API threw`);
      after();
      const Ar = readAs(s0);
      assert.equal(text(Ar), text(s0), `${o.what}: the API did not restore the original state`);
      o.agree(text(Ar));
    }
    const r = statusOf(errno);
    if (!changed && errno === null && E.status === 0 && E.stderr.length === 0) r.note = 'accepted, no change';
    return r;
  }
}

// ---- the checks -------------------------------------------------------------------------------

async function driverChecks(t: import('node:test').TestContext, a: Api): Promise<void> {
  const { I, nic } = a;
  const drv = a.rn.driver;

  await a.check(t, 'drvinfo', 'driverInfo()', () => {
    // Exact values (netdevsim's firmware version ends in a space).
    const info = nic.driverInfo();
    assert.equal(info.driver, drv);
    assertDrvinfo(info, text(ethtool(['-i', I])));
    return { status: 'ok' };
  });

  let lastPage: Capture | null = null;
  await a.check(t, 'settings', 'linkSettings(), link(), wol(), msglvl()', () => {
    // The API reads the link right after ethtool's reading: when a check fails and ethtool's
    // page has moved meanwhile (the link bounced), the whole check is done once more.
    try { return settingsCheck(); } catch (e) {
      if (!(e instanceof assert.AssertionError) || sameCapture(ethtool([I]), lastPage as Capture)) throw e;
      return settingsCheck();
    }
  });
  function settingsCheck(): Result {
    a.settle(true);
    const c = a.stable([I]);
    lastPage = c;
    const p = pageOf(text(c));
    const err = c.stderr.toString('latin1');
    const notes: string[] = [];
    // link block
    const le = /^Cannot get device settings: (.*)$/m.exec(err);
    const ls = caught(() => nic.linkSettings());
    if (le) {
      const errno = errnoIn(le[0]) as number;
      assertError(ls, errno, I, 'linkSettings()');
      notes.push(`link settings: ${strerror(errno)}`);
    } else if (p.autoneg === undefined) {
      assertError(ls, EOPNOTSUPP, I, 'linkSettings()');
      notes.push('link settings unsupported');
    } else {
      assert.equal(ls, null, `linkSettings() threw: ${ls?.message}`);
      const s = nic.linkSettings();
      assert.equal(s.autoneg ? 'on' : 'off', p.autoneg, 'autoneg');
      const speed = s.speed === 0 || s.speed === 0xffff || s.speed === 0xffffffff ? 'Unknown!' : `${s.speed}Mb/s`;
      assert.equal(speed, p.speed, 'speed');
      const duplex = s.duplex === 0 ? 'Half' : s.duplex === 1 ? 'Full' : `Unknown! (${s.duplex})`;
      assert.equal(duplex, p.duplex, 'duplex');
      assert.equal(s.phy_address, p.phyad, 'PHYAD');
    }
    // link
    if (p.link) assert.equal(nic.link() ? 'yes' : 'no', p.link, 'link detected');
    // wol
    const w = caught(() => nic.wol());
    if (p.wol !== undefined) {
      assert.equal(w, null, `wol() threw: ${w?.message}`);
      const wi = nic.wol();
      assert.equal(wolLetters(wi.supported), p.wolSupported, 'Supports Wake-on');
      assert.equal(wolLetters(wi.wolopts), p.wol, 'Wake-on');
    } else {
      const we = /^Cannot get wake-on-lan settings: (.*)$/m.exec(err);
      assertError(w, we ? errnoIn(we[0]) as number : EOPNOTSUPP, I, 'wol()');
      notes.push('wol unsupported');
    }
    // msglvl
    const m = caught(() => nic.msglvl());
    if (p.msglvl !== undefined) {
      assert.equal(m, null, `msglvl() threw: ${m?.message}`);
      assert.equal(nic.msglvl() >>> 0, p.msglvl, 'message level');
    } else {
      assertError(m, EOPNOTSUPP, I, 'msglvl()');
      notes.push('msglvl unsupported');
    }
    return { status: 'ok', note: notes.join('; ') || undefined };
  }

  // ---- sets on the settings page
  const page0 = pageOf(text(ethtool([I])));
  await a.check(t, 'link-set', 'setLinkSettings({autoneg: 0, speed: 100, duplex: 1})', () => {
    const linkLines = (s: string): string => s.split('\n').filter(l => /^\t(Speed|Duplex|Auto-negotiation|Advertised auto-negotiation):/.test(l)).join('\n');
    let orig: ReturnType<Nic['linkSettings']> | null = null;
    let orig0: ReturnType<Nic['linkSettings']> | null = null;
    try { orig0 = nic.linkSettings(); } catch { /* the set fails the same way: checked below */ }
    return a.setCheck({
      what: 'link settings', slow: true, showArgv: [I],
      ethtoolSet: ['-s', I, 'speed', '100', 'duplex', 'full', 'autoneg', 'off'],
      ethtoolRestore: page0.autoneg === 'on' ? [['-s', I, 'autoneg', 'on']]
        : page0.autoneg === 'off' && /^\d+Mb\/s$/.test(page0.speed ?? '') && /^(Full|Half)$/.test(page0.duplex ?? '')
          ? [['-s', I, 'speed', String(parseInt(page0.speed as string, 10)), 'duplex', (page0.duplex as string).toLowerCase(), 'autoneg', 'off']] : [],
      // ethtool cannot set an unknown speed back (virtio_net starts with one): the API can.
      restoreFn: page0.autoneg === 'off' && !/^\d+Mb\/s$/.test(page0.speed ?? '') ? () => {
        const o = orig0 as NonNullable<typeof orig0>;
        nic.setLinkSettings({ autoneg: o.autoneg, speed: o.speed, duplex: o.duplex, advertising: o.advertising });
      } : undefined,
      apiSet: () => { orig = nic.linkSettings(); nic.setLinkSettings({ autoneg: 0, speed: 100, duplex: 1 }, orig); },
      apiRestore: () => {
        const o = orig as NonNullable<typeof orig>;
        nic.setLinkSettings({ autoneg: o.autoneg, speed: o.speed, duplex: o.duplex, advertising: o.advertising });
      },
      agree: shown => {
        const p = pageOf(shown);
        if (p.autoneg === undefined) return;
        const s = nic.linkSettings();
        assert.equal(s.autoneg ? 'on' : 'off', p.autoneg, `autoneg read back (page: ${linkLines(shown)})`);
      },
    });
  });

  await a.check(t, 'msglvl-set', 'setMsglvl(level ^ 1)', () => {
    const cur = page0.msglvl ?? 0;
    return a.setCheck({
      what: 'message level', showArgv: [I],
      ethtoolSet: ['-s', I, 'msglvl', String((cur ^ 1) >>> 0)],
      ethtoolRestore: page0.msglvl !== undefined ? [['-s', I, 'msglvl', String(cur)]] : [],
      apiSet: () => nic.setMsglvl((cur ^ 1) >>> 0),
      apiRestore: () => nic.setMsglvl(cur),
      agree: shown => { const p = pageOf(shown); if (p.msglvl !== undefined) assert.equal(nic.msglvl() >>> 0, p.msglvl, 'msglvl read back'); },
    });
  });

  await a.check(t, 'wol-set', 'setWol({wolopts})', () => {
    const supp = (page0.wolSupported ?? '').replace('d', '');
    const cur = page0.wol ?? 'd';
    const next = cur !== 'd' ? 'd' : supp.includes('g') ? 'g' : supp[0] ?? 'g';
    return a.setCheck({
      what: 'wake-on-lan', showArgv: [I],
      ethtoolSet: ['-s', I, 'wol', next],
      ethtoolRestore: page0.wol !== undefined ? [['-s', I, 'wol', cur]] : [],
      apiSet: () => nic.setWol({ wolopts: wolBits(next === 'd' ? '' : next) }),
      apiRestore: () => nic.setWol({ wolopts: wolBits(cur === 'd' ? '' : cur) }),
      agree: shown => { const p = pageOf(shown); if (p.wol !== undefined) assert.equal(wolLetters(nic.wol().wolopts), p.wol, 'wol read back'); },
    });
  });

  // ---- pause
  const pauseText = text(ethtool(['-a', I]));
  const pause0 = pauseOf(pauseText);
  await a.check(t, 'pause-get', 'pause()', () =>
    getCheck(['-a', I], I, pauseOf, 'pause()', () => nic.pause(), (got, want) => assert.deepEqual(got, want)));
  await a.check(t, 'pause-set', 'setPause({rx_pause: !rx})', () => {
    const on = (v: number): string => (v ? 'on' : 'off');
    const rx = pause0 ? pause0.rx_pause ^ 1 : 1;
    return a.setCheck({
      what: 'pause', showArgv: ['-a', I],
      ethtoolSet: ['-A', I, 'rx', on(rx)],
      ethtoolRestore: pause0 ? [['-A', I, 'autoneg', on(pause0.autoneg), 'rx', on(pause0.rx_pause), 'tx', on(pause0.tx_pause)]] : [],
      apiSet: () => (pause0 ? nic.setPause({ rx_pause: rx }) : nic.setPause({ rx_pause: 1 }, { autoneg: 0, rx_pause: 0, tx_pause: 0 })),
      apiRestore: () => nic.setPause(pause0 as NonNullable<typeof pause0>),
      agree: shown => { const p = pauseOf(shown); if (p) assert.deepEqual(nic.pause(), p, 'pause read back'); },
    });
  });

  // ---- coalesce
  const coal0 = coalesceOf(text(ethtool(['-c', I])));
  await a.check(t, 'coalesce-get', 'coalesce()', () =>
    getCheck(['-c', I], I, coalesceOf, 'coalesce()', () => nic.coalesce(), (got, want) => {
      for (const [k, v] of Object.entries(want)) assert.equal((got as Record<string, number>)[k], v, `coalesce ${k}`);
    }));
  const coalAgree = (shown: string): void => {
    const p = coalesceOf(shown);
    if (!p) return;
    const got = nic.coalesce() as unknown as Record<string, number>;
    for (const [k, v] of Object.entries(p)) assert.equal(got[k], v, `coalesce ${k} read back`);
  };
  await a.check(t, 'coalesce-set', 'setCoalesce({rx_coalesce_usecs: +7})', () => {
    const v = coal0 ? coal0.rx_coalesce_usecs : 10;
    return a.setCheck({
      what: 'coalesce rx-usecs', showArgv: ['-c', I],
      ethtoolSet: ['-C', I, 'rx-usecs', String(coal0 ? v + 7 : v)],
      ethtoolRestore: coal0 ? [['-C', I, 'rx-usecs', String(v)]] : [],
      apiSet: () => (coal0 ? nic.setCoalesce({ rx_coalesce_usecs: v + 7 }) : nic.setCoalesce({ rx_coalesce_usecs: v }, {} as Coalesce)),
      apiRestore: () => nic.setCoalesce({ rx_coalesce_usecs: v }),
      agree: coalAgree,
    });
  });
  if (coal0) {
    await a.check(t, 'coalesce-set', 'setCoalesce({tx_max_coalesced_frames})', () => {
      const v = coal0.tx_max_coalesced_frames;
      const nv = v === 1 ? 0 : 1;
      return a.setCheck({
        what: 'coalesce tx-frames', showArgv: ['-c', I],
        ethtoolSet: ['-C', I, 'tx-frames', String(nv)],
        ethtoolRestore: [['-C', I, 'tx-frames', String(v)]],
        apiSet: () => nic.setCoalesce({ tx_max_coalesced_frames: nv }),
        apiRestore: () => nic.setCoalesce({ tx_max_coalesced_frames: v }),
        agree: coalAgree,
      });
    });
  }

  // ---- ring
  const ring0 = ringOf(text(ethtool(['-g', I])));
  await a.check(t, 'ring-get', 'ring()', () =>
    getCheck(['-g', I], I, ringOf, 'ring()', () => nic.ring(), (got, want) => assert.deepEqual({ ...(got as object) }, want)));
  const ringAgree = (shown: string): void => { const p = ringOf(shown); if (p) assert.deepEqual({ ...nic.ring() }, p, 'ring read back'); };
  await a.check(t, 'ring-set', 'setRing({rx_pending, tx_pending: half})', () => {
    const half = (v: number): number => Math.max(8, Math.floor(v / 2 / 8) * 8);
    const rx = ring0 ? half(ring0.rx_pending) : 64;
    const tx = ring0 ? half(ring0.tx_pending) : 64;
    return a.setCheck({
      what: 'ring', showArgv: ['-g', I],
      ethtoolSet: ['-G', I, 'rx', String(rx), 'tx', String(tx)],
      ethtoolRestore: ring0 ? [['-G', I, 'rx', String(ring0.rx_pending), 'tx', String(ring0.tx_pending)]] : [],
      apiSet: () => (ring0 ? nic.setRing({ rx_pending: rx, tx_pending: tx })
        : nic.setRing({ rx_pending: rx, tx_pending: tx }, { rx_max_pending: 0, rx_mini_max_pending: 0, rx_jumbo_max_pending: 0, tx_max_pending: 0, rx_pending: 0, rx_mini_pending: 0, rx_jumbo_pending: 0, tx_pending: 0 })),
      apiRestore: () => nic.setRing({ rx_pending: ring0!.rx_pending, tx_pending: ring0!.tx_pending }),
      agree: ringAgree,
    });
  });
  if (ring0) {
    await a.check(t, 'ring-set', 'setRing({rx_pending: max + 1}) is refused', () => {
      return a.setCheck({
        what: 'ring beyond maximum', showArgv: ['-g', I],
        ethtoolSet: ['-G', I, 'rx', String(ring0.rx_max_pending + 1)],
        ethtoolRestore: [['-G', I, 'rx', String(ring0.rx_pending)]],
        apiSet: () => nic.setRing({ rx_pending: ring0.rx_max_pending + 1 }),
        apiRestore: () => nic.setRing({ rx_pending: ring0.rx_pending }),
        agree: ringAgree,
      });
    });
  }

  // ---- channels
  const ch0 = channelsOf(text(ethtool(['-l', I])));
  await a.check(t, 'channels-get', 'channels()', () =>
    getCheck(['-l', I], I, channelsOf, 'channels()', () => nic.channels(), (got, want) => assert.deepEqual({ ...(got as object) }, want)));
  await a.check(t, 'channels-set', 'setChannels({combined_count})', () => {
    const agree = (shown: string): void => { const p = channelsOf(shown); if (p) assert.deepEqual({ ...nic.channels() }, p, 'channels read back'); };
    if (!ch0) {
      return a.setCheck({
        what: 'channels', showArgv: ['-l', I], ethtoolSet: ['-L', I, 'combined', '1'], ethtoolRestore: [],
        apiSet: () => nic.setChannels({ combined_count: 1 }, { max_rx: 0, max_tx: 0, max_other: 0, max_combined: 0, rx_count: 0, tx_count: 0, other_count: 0, combined_count: 0 }),
        apiRestore: () => undefined, agree,
      });
    }
    // A single channel cannot change: ask for one more than the maximum (the core refuses).
    const next = ch0.max_combined >= 2 ? (ch0.combined_count > 1 ? Math.floor(ch0.combined_count / 2) : 2) : ch0.max_combined + 1;
    const r = a.setCheck({
      what: 'channels', showArgv: ['-l', I], ethtoolSet: ['-L', I, 'combined', String(next)],
      ethtoolRestore: [['-L', I, 'combined', String(ch0.combined_count)]],
      apiSet: () => nic.setChannels({ combined_count: next }),
      apiRestore: () => nic.setChannels({ combined_count: ch0.combined_count }), agree,
    });
    if (ch0.max_combined < 2) r.note = [r.note, 'one channel: only the refusal beyond the maximum is checked'].filter(Boolean).join('; ');
    return r;
  });

  // ---- features
  await a.check(t, 'features-get', 'features()', () => {
    const shown = featuresOf(text(ethtool(['-k', I])));
    const f = nic.features();
    let n = 0;
    for (const s of f) {
      const p = shown.get(s.name);
      if (!p) continue;
      n++;
      assert.equal(s.active, p.on, `feature ${s.name}`);
      assert.equal(!s.available || s.never_changed, p.fixed, `feature ${s.name} [fixed]`);
    }
    assert.ok(n >= 10, `only ${n} of ${f.length} kernel features appear in ethtool -k`);
    return { status: 'ok' };
  });
  await a.check(t, 'features-set', 'setFeatures({rx-gro: toggled})', () => {
    const gro0 = nic.features().find(f => f.name === 'rx-gro');
    assert.ok(gro0, 'no rx-gro feature');
    const on = !gro0.requested;
    return a.setCheck({
      what: 'rx-gro', showArgv: ['-k', I],
      ethtoolSet: ['-K', I, 'gro', on ? 'on' : 'off'],
      ethtoolRestore: [['-K', I, 'gro', on ? 'off' : 'on']],
      apiSet: () => { nic.setFeatures({ 'rx-gro': on }); },
      apiRestore: () => { nic.setFeatures({ 'rx-gro': !on }); },
      agree: shown => {
        const s = featuresOf(shown).get('rx-gro');
        if (s) assert.equal(nic.features().find(f => f.name === 'rx-gro')?.active, s.on, 'rx-gro read back');
      },
    });
  });
  await a.check(t, 'features-set', 'legacyOffload(gro/sg/rx/tx) agree with -k', () => {
    const kv = keyValues(text(ethtool(['-k', I])));
    const pairs: [Parameters<Nic['legacyOffload']>[0], string][] = [
      ['gro', 'generic-receive-offload'], ['sg', 'scatter-gather'], ['rx', 'rx-checksumming'], ['tx', 'tx-checksumming'],
    ];
    for (const [short, long] of pairs) {
      const v = nic.legacyOffload(short);
      const shown = kv.get(long);
      assert.ok(shown, `ethtool -k shows no ${long}`);
      assert.equal(v ? 'on' : 'off', shown.split(' ')[0], `legacyOffload(${short})`);
    }
    return { status: 'ok' };
  });

  // ---- stats, address
  await a.check(t, 'stats', 'stats()', () => {
    // Live counters: the API's reading (between two ethtool runs) must lie between them; the
    // counter names exactly. A counter can go back (a reset clears some): up to three rounds.
    let problem = '';
    for (let round = 0; round < 3; round++) {
      if (round) { sleep(400); a.settle(); }
      const before = ethtool(['-S', I]);
      let got: ReturnType<Nic['stats']> = [];
      const err = caught(() => { got = nic.stats(); });
      const after = ethtool(['-S', I]);
      const b = statsOf(text(before));
      const c = statsOf(text(after));
      if (!b) {
        // "no stats available" and friends: the API's view is an empty list or the same errno.
        const errno = ethtoolErrno(before);
        if (errno !== null) { assertError(err, errno, I, 'stats()'); return statusOf(errno); }
        assert.equal(err, null, `stats() threw: ${err?.message}`);
        assert.deepEqual(got, [], 'ethtool shows no statistics');
        return { status: 'unsupported', note: 'no statistics' };
      }
      assert.equal(err, null, `stats() threw: ${err?.message}`);
      assert.deepEqual(got.map(x => x.name), b.map(x => x.name), 'counter names');
      const off = got.map((x, i) => {
        const lo = b[i].value, hi = c ? c[i].value : lo;
        return x.value >= lo && x.value <= (hi > lo ? hi : lo) ? '' : `${x.name}: ${x.value} not within ${lo}..${hi}`;
      }).filter(Boolean);
      if (!off.length) return { status: 'ok' };
      problem = `round ${round + 1}: ${off.slice(0, 4).join('; ')}`;
    }
    assert.fail(`stats(): ${problem}`);
  });
  await a.check(t, 'permaddr', 'permAddr()', () => {
    const c = ethtool(['-P', I]);
    const e = caught(() => nic.permAddr());
    if (c.status !== 0) { assertError(e, ethtoolErrno(c) as number, I, 'permAddr()'); return statusOf(ethtoolErrno(c)); }
    const addr = Array.from(nic.permAddr(), x => x.toString(16).padStart(2, '0')).join(':');
    assert.equal(`Permanent address: ${addr}\n`, text(c));
    return { status: 'ok' };
  });

  // ---- dumps
  const rawCompare = (argv: string[], read: () => Uint8Array, what: string): Result => {
    const first = ethtool(argv);
    if (first.status !== 0) {
      const e = caught(() => read());
      assertError(e, ethtoolErrno(first) as number, I, what);
      return statusOf(ethtoolErrno(first));
    }
    // As the CLI's dumps (common.ts bracketRead): the API's bytes must equal one of ethtool's raw
    // dumps around it, or — registers move (counters, timers, descriptor heads) — equal them in
    // every 32-bit word that held still between ethtool's two runs.
    const api = (): Capture => {
      let data: Uint8Array = new Uint8Array(0);
      const e = caught(() => { data = read(); });
      assert.equal(e, null, `${what} threw: ${e?.message}`);
      return { tool: 'ethkit', argv, ns: null, status: 0, stdout: Buffer.from(data), stderr: Buffer.alloc(0) };
    };
    const o = bracketRead(() => ethtool(argv), api, { raw: true, gotName: 'API' });
    assert.ok(o.same, `${what}: ${o.got.stdout.length} bytes, ethtool ${o.ref.stdout.length}: ${o.first}\n${o.text}`);
    return { status: 'ok', note: o.note };
  };
  await a.check(t, 'regs', 'regs()', () => rawCompare(['-d', I, 'raw', 'on'], () => nic.regs().data, 'regs()'));
  await a.check(t, 'eeprom', 'eeprom()', () => rawCompare(['-e', I, 'raw', 'on'], () => nic.eeprom().data, 'eeprom()'));
  await a.check(t, 'eeprom', 'eeprom(5, 7)', () => {
    const total = nic.driverInfo().eedump_len;
    if (total === 0) {
      const c = ethtool(['-e', I, 'raw', 'on', 'offset', '0', 'length', '0']);
      // Nothing to read: the API refuses a range beyond the (empty) EEPROM before any ioctl.
      assert.throws(() => nic.eeprom(5, 7), /out of bounds/);
      return statusOf(ethtoolErrno(c));
    }
    return rawCompare(['-e', I, 'raw', 'on', 'offset', '5', 'length', '7'], () => nic.eeprom(5, 7).data, 'eeprom(5, 7)');
  });

  // ---- fec
  await a.check(t, 'fec', 'fec()', () => {
    const c = ethtool(['--show-fec', I]);
    const e = caught(() => nic.fec());
    const errno = ethtoolErrno(c);
    if (errno !== null) { assertError(e, errno, I, 'fec()'); return statusOf(errno); }
    assert.equal(e, null, `fec() threw: ${e?.message}`);
    const f = nic.fec();
    const names: [number, string][] = [[1, 'None'], [2, 'Auto'], [4, 'Off'], [8, 'RS'], [16, 'BaseR'], [32, 'LLRS']];
    const cfg = names.filter(([b]) => f.fec & b).map(([, n]) => n).join(' ');
    const act = names.filter(([b]) => f.active_fec & b).map(([, n]) => n).join(' ');
    assert.match(text(c), new RegExp(`Configured FEC encodings: ${cfg}\\s*\\n`), 'configured FEC');
    assert.match(text(c), new RegExp(`Active FEC encoding: ${act}\\s*\\n`), 'active FEC');
    return { status: 'ok' };
  });

  // ---- actions (may reset the link)
  await a.check(t, 'nway', 'restartAutoneg()', () => {
    const c = ethtool(['-r', I]);
    a.settle();
    const e = caught(() => nic.restartAutoneg());
    a.settle();
    const errno = ethtoolErrno(c);
    if (errno !== null) assertError(e, errno, I, 'restartAutoneg()');
    else assert.equal(e, null, `restartAutoneg() threw: ${e?.message}`);
    return statusOf(errno);
  });
  await a.check(t, 'identify', 'identify(1)', () => {
    const c = ethtool(['-p', I, '1']);
    const t0 = Date.now();
    const e = caught(() => nic.identify(1));
    const ms = Date.now() - t0;
    const errno = ethtoolErrno(c);
    if (errno !== null) { assertError(e, errno, I, 'identify(1)'); return statusOf(errno); }
    assert.equal(e, null, `identify(1) threw: ${e?.message}`);
    assert.ok(ms >= 900, `identify(1) returned after ${ms} ms`);
    return { status: 'ok' };
  });
  await a.check(t, 'test-online', "selfTest('online')", () => {
    const run = (): { c: Capture; r: ReturnType<Nic['selfTest']> | EthtoolError | null } => {
      const c = ethtool(['-t', I, 'online']);
      let r: ReturnType<Nic['selfTest']> | EthtoolError | null = null;
      try { r = nic.selfTest('online'); } catch (e) { if (e instanceof EthtoolError) r = e; else throw e; }
      return { c, r };
    };
    a.settle();
    let { c, r } = run();
    const same = (): boolean => {
      const p = selfTestOf(text(c));
      if (!p || !r || r instanceof EthtoolError) return false;
      return p.failed === r.failed && JSON.stringify(p.results) === JSON.stringify(r.results.map(x => ({ name: x.name, value: Number(BigInt.asIntN(32, x.value)) })));
    };
    if (selfTestOf(text(c)) && !same()) { a.settle(); ({ c, r } = run()); } // a link test may race the link
    a.settle();
    const p = selfTestOf(text(c));
    if (!p) {
      // No self-test: ethtool says so; the API must throw the same errno.
      const errno = ethtoolErrno(c) as number;
      assertError(r instanceof EthtoolError ? r : null, errno, I, "selfTest('online')");
      return statusOf(errno);
    }
    assert.ok(r && !(r instanceof EthtoolError), `selfTest threw: ${(r as EthtoolError | null)?.message}`);
    assert.equal(r.failed, p.failed, `result ${r.failed ? 'FAIL' : 'PASS'}, ethtool ${p.failed ? 'FAIL' : 'PASS'}`);
    assert.deepEqual(r.results.map(x => ({ name: x.name, value: Number(BigInt.asIntN(32, x.value)) })), p.results);
    return { status: 'ok', note: p.failed ? 'test result FAIL (exit 2)' : undefined };
  });
}

// ---- netdevsim: injected errnos, lowered maxima ------------------------------------------------

function nsimDir(): string {
  const base = '/sys/kernel/debug/netdevsim';
  for (const dev of readdirSync(base)) {
    const ports = `${base}/${dev}/ports`;
    if (!existsSync(ports)) continue;
    for (const p of readdirSync(ports)) if (existsSync(`${ports}/${p}/ethtool/get_err`)) return `${ports}/${p}/ethtool`;
  }
  throw new Error(`no netdevsim port with ethtool/get_err under ${base}`);
}

async function nsimChecks(t: import('node:test').TestContext, a: Api): Promise<void> {
  const { I, nic } = a;
  const dir = nsimDir();
  const put = (f: string, v: number): void => writeFileSync(`${dir}/${f}`, `${v}\n`);
  const kinds: [number, string][] = [[5, 'other'], [16, 'busy'], [22, 'invalid'], [95, 'unsupported'], [1, 'permission'], [34, 'range']];
  for (const [errno, kind] of kinds) {
    await a.check(t, 'inject-fec', `get_err=${errno}: fec() throws kind ${kind}`, () => {
      put('get_err', errno);
      try {
        const c = ethtool(['--show-fec', I]);
        assert.equal(ethtoolErrno(c), errno, `ethtool: ${c.stderr.toString().trim()}`);
        const e = caught(() => nic.fec());
        assertError(e, errno, I, 'fec()');
        assert.equal(e?.kind, kind);
        assert.equal(e?.op, 'GFECPARAM');
        // get_err touches only the FEC op in 6.1.
        assert.equal(caught(() => nic.ring()), null, 'ring() with get_err set');
      } finally { put('get_err', 0); }
      assert.equal(caught(() => nic.fec()), null, 'fec() after clearing get_err');
      return { status: 'ok' };
    });
  }
  await a.check(t, 'inject-ring', 'lowered ring maxima: ring() shows them, setRing beyond is invalid', () => {
    const names = ['rx_max_pending', 'tx_max_pending', 'rx_mini_max_pending', 'rx_jumbo_max_pending'];
    const orig = Object.fromEntries(names.map(n => [n, Number(readFileSync(`${dir}/ring/${n}`, 'utf8'))]));
    const r0 = nic.ring();
    try {
      put('ring/rx_max_pending', 512);
      put('ring/tx_max_pending', 256);
      const r = nic.ring();
      assert.deepEqual({ ...r }, ringOf(text(ethtool(['-g', I]))));
      assert.equal(r.rx_max_pending, 512);
      assert.equal(r.tx_max_pending, 256);
      const e = caught(() => nic.setRing({ rx_pending: 513 }));
      const c = ethtool(['-G', I, 'rx', '513']);
      assertError(e, ethtoolErrno(c) as number, I, 'setRing(513)');
      assert.equal(e?.kind, 'invalid');
      nic.setRing({ rx_pending: 512, tx_pending: 256 });
      assert.equal(nic.ring().rx_pending, 512);
      assert.equal(nic.ring().tx_pending, 256);
    } finally {
      for (const n of names) put(`ring/${n}`, orig[n]);
      nic.setRing({ rx_pending: r0.rx_pending, tx_pending: r0.tx_pending });
    }
    assert.deepEqual(nic.ring(), r0);
    return { status: 'ok' };
  });
}

for (const rn of nics) {
  test(`${rn.driver} (${rn.ifname}): Nic API over KoffiTransport`, async t => {
    const t0 = Date.now();
    const a = new Api(rn);
    await driverChecks(t, a);
    if (rn.driver === 'netdevsim') await nsimChecks(t, a);
    process.stderr.write(`[rig] ${rn.driver}: api done in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
      `(link waits ${SETTLE.n} ${(SETTLE.ms / 1000).toFixed(1)} s so far)\n`);
  });
}
