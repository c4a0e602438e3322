/**
 * The planner is a pure function of (profile, parameters, state): fed plain data, it never
 * touches a kernel, and its rows say what is set, ok or skipped (with the reason). Also: CPU
 * lists and masks, and finding a NIC's queue IRQs in /proc/interrupts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadProfileFile, parseProfile, ProfileError } from '../src/profiles/load';
import { resolveParams } from '../src/profiles/cli';
import { planProfile, sysctlPaths, pending, linkResets, Plan } from '../src/profiles/plan';
import { summaryText } from '../src/profiles/format';
import { HostState, DeviceState, readHost } from '../src/profiles/state';
import { parseCpuList, formatCpuList, parseMask, formatMask, spreadCpus, parseInterrupts, queueIrqs } from '../src/profiles/cpus';
import { SimTransport, simDevice } from './doubles/sim';
import { SimHostFs } from './doubles/simhost';
import type { Transport } from '../src/ffi/transport';
import type { Ring, Channels, Coalesce, Pause } from '../src/ethtool/types';
import { ETHTOOL } from '../src/ethtool/constants';
import { ERRNO } from '../src/ethtool/errno';

const ROOT = path.resolve(__dirname, '../..');
const director = loadProfileFile(path.join(ROOT, 'profiles/director.yaml'));
const realserver = loadProfileFile(path.join(ROOT, 'profiles/realserver.yaml'));

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') { Object.values(o).forEach(deepFreeze); Object.freeze(o); }
  return o;
}

const zeroCoalesce = (): Coalesce => ({
  rx_coalesce_usecs: 0, rx_max_coalesced_frames: 0, rx_coalesce_usecs_irq: 0, rx_max_coalesced_frames_irq: 0,
  tx_coalesce_usecs: 0, tx_max_coalesced_frames: 0, tx_coalesce_usecs_irq: 0, tx_max_coalesced_frames_irq: 0,
  stats_block_coalesce_usecs: 0, use_adaptive_rx_coalesce: 0, use_adaptive_tx_coalesce: 0, pkt_rate_low: 0,
  rx_coalesce_usecs_low: 0, rx_max_coalesced_frames_low: 0, tx_coalesce_usecs_low: 0, tx_max_coalesced_frames_low: 0,
  pkt_rate_high: 0, rx_coalesce_usecs_high: 0, rx_max_coalesced_frames_high: 0, tx_coalesce_usecs_high: 0,
  tx_max_coalesced_frames_high: 0, rate_sample_interval: 0,
});

/** A hand-written state: a 4-queue NIC (max 6) on a 4-CPU host, IPVS absent, in a netns. */
function state(over: Partial<DeviceState> = {}, sysctl: Record<string, string | null> = {}): HostState {
  const ring: Ring = { rx_max_pending: 4096, rx_mini_max_pending: 0, rx_jumbo_max_pending: 0, tx_max_pending: 2048, rx_pending: 512, rx_mini_pending: 0, rx_jumbo_pending: 0, tx_pending: 512 };
  const channels: Channels = { max_rx: 0, max_tx: 0, max_other: 1, max_combined: 6, rx_count: 0, tx_count: 0, other_count: 1, combined_count: 4 };
  const pause: Pause = { autoneg: 0, rx_pause: 0, tx_pause: 0 };
  const dev: DeviceState = {
    dev: 'nic0', driver: 'ixgbe', ifindex: 3,
    features: { ok: { names: ['rx-gro', 'rx-lro', 'rx-hashing'], active: { 'rx-gro': true, 'rx-lro': true, 'rx-hashing': true }, requested: { 'rx-gro': true, 'rx-lro': true, 'rx-hashing': true }, fixed: [] } },
    ring: { ok: ring }, channels: { ok: channels }, coalesce: { ok: { ...zeroCoalesce(), use_adaptive_rx_coalesce: 1 } }, pause: { ok: pause },
    rxQueues: 4, txQueues: 4,
    irqs: [0, 1, 2, 3].map(q => ({ irq: 60 + q, name: `nic0-TxRx-${q}`, queue: q, path: `/proc/irq/${60 + q}/smp_affinity_list` })),
    files: {},
    ...over,
  };
  for (let q = 0; q < 4; q++) {
    dev.files[`/sys/class/net/nic0/queues/rx-${q}/rps_cpus`] ??= '0';
    dev.files[`/sys/class/net/nic0/queues/tx-${q}/xps_cpus`] ??= formatMask(1n << BigInt(q));
    dev.files[`/proc/irq/${60 + q}/smp_affinity_list`] ??= String(q);
  }
  const base: Record<string, string | null> = {
    '/proc/sys/net/ipv4/conf/all/send_redirects': '1', '/proc/sys/net/ipv4/conf/nic0/send_redirects': '1',
    '/proc/sys/net/ipv4/conf/all/rp_filter': '2', '/proc/sys/net/ipv4/conf/nic0/rp_filter': '2',
    '/proc/sys/net/core/netdev_max_backlog': null, '/proc/sys/net/ipv4/vs/conntrack': null,
    '/proc/sys/net/ipv4/vs/expire_nodest_conn': null, '/proc/sys/net/ipv4/vs/expire_quiescent_template': null,
    '/proc/sys/net/ipv4/ip_forward': '0',
  };
  return deepFreeze({ cpus: [0, 1, 2, 3], sysctl: { ...base, ...sysctl }, devices: [dev] });
}

function row(plan: Plan, setting: string) {
  const r = plan.rows.find(x => x.setting === setting);
  assert.ok(r, `no row ${setting} in ${plan.rows.map(x => x.setting).join(', ')}`);
  return r;
}

test('plan is a pure function of frozen plain data: same input, same plan, input untouched', () => {
  const params = resolveParams(director, []);
  const s = state();
  const before = JSON.stringify(s);
  const a = planProfile(director, params, s);
  const b = planProfile(director, params, s);
  assert.deepEqual(a, b);
  assert.equal(JSON.stringify(s), before);
  // what it wants
  assert.equal(row(a, 'feature large-receive-offload (rx-lro)').action, 'set');
  assert.equal(row(a, 'feature generic-receive-offload (rx-gro)').action, 'set');   // off for forwarding (gro=off)
  assert.deepEqual(pick(row(a, 'ring rx')), ['512', '4096', 'set', true]);
  assert.deepEqual(pick(row(a, 'ring tx')), ['512', '2048', 'set', true]);
  assert.deepEqual(pick(row(a, 'channels combined')), ['4', '4', 'ok', undefined]);   // cpus = 4 (max 6)
  assert.deepEqual(pick(row(a, 'coalesce adaptive-rx')), ['on', 'on', 'ok', undefined]);
  assert.deepEqual(pick(row(a, 'coalesce adaptive-tx')), ['off', 'on', 'set', false]);
  assert.equal(row(a, 'pause rx').action, 'ok');
  // IRQs, XPS already spread; RPS off since queues == CPUs
  for (let q = 0; q < 4; q++) {
    assert.equal(row(a, `irq ${60 + q} nic0-TxRx-${q}`).action, 'ok');
    assert.equal(row(a, `xps tx-${q}`).action, 'ok');
    assert.deepEqual(pick(row(a, `rps rx-${q}`)), ['0', '0', 'ok', undefined]);
  }
  assert.equal(row(a, 'sysctl net.ipv4.conf.all.rp_filter').action, 'ok');
  assert.deepEqual(pick(row(a, 'sysctl net.ipv4.conf.nic0.send_redirects')), ['1', '0', 'set', false]);
  // skipped, with the reason
  assert.match(row(a, 'sysctl net.core.netdev_max_backlog').reason!, /not present in this network namespace/);
  assert.equal(row(a, 'sysctl net.ipv4.vs.conntrack').reason, 'IPVS is not loaded (/proc/sys/net/ipv4/vs is missing)');
  assert.equal(row(a, 'sysctl net.ipv4.ip_forward').reason, 'only when mode == nat or forward');
  // one step per ioctl kind: features, ring (rx+tx together), coalesce, then files
  assert.deepEqual(a.steps.map(s => s.kind), ['features', 'ring', 'coalesce', 'file', 'file']);
  const ring = a.steps[1] as { change: Record<string, number>; prior: Record<string, number> };
  assert.deepEqual(ring.change, { rx_pending: 4096, tx_pending: 2048 });
  assert.deepEqual(ring.prior, { rx_pending: 512, tx_pending: 512 });
});

function pick(r: { current: string | null; target: string | null; action: string; resetsLink?: boolean }) {
  return [r.current, r.target, r.action, r.resetsLink];
}

test('parameters change the plan: mode=nat turns ip_forward on, gro=off turns GRO off', () => {
  const p = planProfile(director, resolveParams(director, ['mode=nat', 'gro=off']), state());
  assert.deepEqual(pick(row(p, 'sysctl net.ipv4.ip_forward')), ['0', '1', 'set', false]);
  assert.deepEqual(pick(row(p, 'feature generic-receive-offload (rx-gro)')), ['on', 'off', 'set', false]);
  const dr = planProfile(director, resolveParams(director, ['mode=dr', 'forward=on']), state());
  assert.equal(row(dr, 'sysctl net.ipv4.ip_forward').action, 'set');
  assert.deepEqual(sysctlPaths(director, resolveParams(director, []), ['nic0']).includes('/proc/sys/net/ipv4/ip_forward'), false);
});

test('skips: unsupported ethtool groups name the driver, fixed features, no IRQs, IPVS present', () => {
  const unsupported = { err: 'x', unsupported: true } as const;
  const s = state({
    ring: unsupported, coalesce: { err: 'nic0: get coalesce settings: Input/output error (EIO)', unsupported: false },
    channels: { ok: { max_rx: 4, max_tx: 4, max_other: 0, max_combined: 0, rx_count: 4, tx_count: 4, other_count: 0, combined_count: 0 } },
    features: { ok: { names: ['rx-gro', 'rx-lro'], active: { 'rx-gro': false, 'rx-lro': true }, requested: { 'rx-gro': false, 'rx-lro': true }, fixed: ['rx-lro'] } },
    irqs: [],
  }, { '/proc/sys/net/ipv4/vs/conntrack': '1', '/proc/sys/net/ipv4/vs/expire_nodest_conn': '1', '/proc/sys/net/ipv4/vs/expire_quiescent_template': '0' });
  const p = planProfile(director, resolveParams(director, []), s);
  assert.equal(row(p, 'ring rx').reason, 'not supported by driver ixgbe');
  assert.equal(row(p, 'coalesce adaptive-rx').reason, 'nic0: get coalesce settings: Input/output error (EIO)');
  assert.equal(row(p, 'channels combined').reason, 'driver ixgbe has no combined channels (maximum 0)');
  assert.equal(row(p, 'feature large-receive-offload (rx-lro)').reason, 'fixed by driver ixgbe');
  assert.equal(row(p, 'feature generic-receive-offload (rx-gro)').action, 'ok');   // already off
  assert.match(row(p, 'irq-affinity').reason!, /no queue IRQs found for nic0/);
  assert.deepEqual(pick(row(p, 'sysctl net.ipv4.vs.conntrack')), ['1', '0', 'set', false]);
  assert.deepEqual(pick(row(p, 'sysctl net.ipv4.vs.expire_nodest_conn')), ['1', '1', 'ok', undefined]);
  assert.deepEqual(pick(row(p, 'sysctl net.ipv4.vs.expire_quiescent_template')), ['0', '1', 'set', false]);
});

test('coalesce parameters the driver does not list (e1000e, virtio_net: no adaptive-tx) are skipped before any change; the others are set', () => {
  // e1000e's netlink COALESCE_GET: rx-usecs only; the director wants adaptive-rx and adaptive-tx.
  const s = state({ coalesce: { ok: zeroCoalesce() }, coalesceSupported: ['rx-usecs'] });
  const p = planProfile(director, resolveParams(director, []), s);
  for (const k of ['adaptive-rx', 'adaptive-tx']) {
    const r = row(p, `coalesce ${k}`);
    assert.equal(r.action, 'skip');
    assert.equal(r.reason, 'not supported by driver ixgbe (its coalesce parameters: rx-usecs)');
  }
  assert.equal(p.steps.some(x => x.kind === 'coalesce'), false, 'no SCOALESCE step');
  // A driver that lists adaptive-rx only: that one is set, adaptive-tx skipped, one step.
  const q = planProfile(director, resolveParams(director, []), state({ coalesce: { ok: zeroCoalesce() }, coalesceSupported: ['adaptive-rx', 'rx-usecs'] }));
  assert.equal(row(q, 'coalesce adaptive-rx').action, 'set');
  assert.equal(row(q, 'coalesce adaptive-tx').action, 'skip');
  const st = q.steps.filter(x => x.kind === 'coalesce');
  assert.equal(st.length, 1);
  assert.deepEqual((st[0] as { change: Record<string, number> }).change, { use_adaptive_rx_coalesce: 1 });
  // Without netlink's list, the plan asks for both (the kernel decides on set).
  const r = planProfile(director, resolveParams(director, []), state({ coalesce: { ok: zeroCoalesce() } }));
  assert.equal(row(r, 'coalesce adaptive-tx').action, 'set');
});

test('link resets are counted per operation, not per setting: rx and tx rings in one SRINGPARAM are one', () => {
  const p = planProfile(director, resolveParams(director, []), state());
  const ringRows = p.rows.filter(r => r.group === 'ring' && r.action === 'set');
  assert.equal(ringRows.length, 2, 'rx and tx both change');
  const resetting = p.steps.filter(x => 'resetsLink' in x && x.resetsLink).map(x => x.kind);
  assert.deepEqual(resetting, ['ring'], 'channels (4 of 4 CPUs) and pause (off) are as wanted');
  assert.equal(linkResets(p), 1);
  assert.match(summaryText(p), /; 1 link reset$/);
});

test('channel change: queue files are planned after it; fewer queues than CPUs turn RPS on', () => {
  const s = deepFreeze({ ...state(), cpus: [0, 1, 2, 3, 4, 5, 6, 7] });
  const p = planProfile(director, resolveParams(director, []), s);
  assert.deepEqual(pick(row(p, 'channels combined')), ['4', '6', 'set', true]);   // 8 CPUs, capped at max 6
  assert.equal(row(p, 'xps tx-0').action, 'later');
  assert.equal(row(p, 'rps rx-0').action, 'later');
  assert.ok(!p.steps.some(st => st.kind === 'file' && st.what !== 'sysctl'));
  assert.equal(pending(p).length, p.rows.filter(r => r.action === 'set' || r.action === 'later').length);
  // with channels at the maximum already, 4 queues < 8 CPUs: RPS over all CPUs, XPS 2 CPUs per queue
  const at = deepFreeze({ ...state({ channels: { ok: { max_rx: 0, max_tx: 0, max_other: 1, max_combined: 4, rx_count: 0, tx_count: 0, other_count: 1, combined_count: 4 } } }), cpus: [0, 1, 2, 3, 4, 5, 6, 7] });
  const q = planProfile(director, resolveParams(director, []), at);
  assert.deepEqual(pick(row(q, 'rps rx-0')), ['0', 'ff', 'set', false]);
  assert.deepEqual(pick(row(q, 'xps tx-1')), ['2', '22', 'set', false]);
  assert.deepEqual(pick(row(q, 'irq 61 nic0-TxRx-1')), ['1', '1,5', 'set', false]);
});

test('realserver: arp sysctls on all and the device; tunnel rp_filter only in tun mode, skipped when the tunnel is missing', () => {
  const s = state({}, {
    '/proc/sys/net/ipv4/conf/all/arp_ignore': '0', '/proc/sys/net/ipv4/conf/nic0/arp_ignore': '0',
    '/proc/sys/net/ipv4/conf/all/arp_announce': '0', '/proc/sys/net/ipv4/conf/nic0/arp_announce': '2',
    '/proc/sys/net/ipv4/conf/tunl0/rp_filter': null,
  });
  const dr = planProfile(realserver, resolveParams(realserver, []), s);
  assert.deepEqual(dr.rows.map(r => `${r.setting}=${r.action}`), [
    'sysctl net.ipv4.conf.all.arp_ignore=set', 'sysctl net.ipv4.conf.nic0.arp_ignore=set',
    'sysctl net.ipv4.conf.all.arp_announce=set', 'sysctl net.ipv4.conf.nic0.arp_announce=ok',
    'sysctl net.ipv4.conf.tunl0.rp_filter=skip',
  ]);
  const tun = planProfile(realserver, resolveParams(realserver, ['mode=tun']), s);
  assert.equal(row(tun, 'sysctl net.ipv4.conf.tunl0.rp_filter').reason, 'the tunnel device is missing (load ipip and bring tunl0 up first)');
  assert.deepEqual(sysctlPaths(realserver, resolveParams(realserver, ['mode=tun', 'tunnel=ipip1']), ['nic0']).filter(x => x.includes('rp_filter')), ['/proc/sys/net/ipv4/conf/ipip1/rp_filter']);
});

test('reading state: a get the driver refuses (EOPNOTSUPP) is a skip, not a crash', () => {
  const sim = new SimTransport([simDevice('eks0', { queues: 2 })]);
  const fs = new SimHostFs(sim, { cpus: 2, noIrqs: ['eks0'] });
  const refuse: Transport = {
    ioctl: (ifname, data) => {
      const cmd = new DataView(data.buffer, data.byteOffset).getUint32(0, true);
      return cmd === ETHTOOL.GCOALESCE || cmd === ETHTOOL.GPAUSEPARAM ? -ERRNO.EOPNOTSUPP : sim.ioctl(ifname, data);
    },
    alloc: n => new Uint8Array(n), close: () => undefined,
  };
  const params = resolveParams(director, []);
  const st = readHost({ transport: refuse, fs }, ['eks0'], sysctlPaths(director, params, ['eks0']));
  const p = planProfile(director, params, st);
  assert.equal(row(p, 'coalesce adaptive-rx').reason, 'not supported by driver simnic');
  assert.equal(row(p, 'pause tx').reason, 'not supported by driver simnic');
  assert.equal(row(p, 'ring rx').action, 'set');
  assert.match(row(p, 'irq-affinity').reason!, /no queue IRQs/);
  assert.equal(row(p, 'sysctl net.core.netdev_max_backlog').action, 'set');
});

test('CPU lists and masks in the kernel\'s forms', () => {
  assert.deepEqual(parseCpuList('0-3,8,10-11\n'), [0, 1, 2, 3, 8, 10, 11]);
  assert.equal(formatCpuList([11, 0, 1, 2, 3, 8, 10]), '0-3,8,10-11');
  assert.equal(parseCpuList('x'), null);
  assert.equal(parseMask('00000000,00000003\n'), 3n);
  assert.equal(formatMask(1n << 40n), '100,00000000');
  assert.equal(formatMask(0n), '0');
  assert.deepEqual([0, 1, 2, 3].map(q => spreadCpus(q, 4, [0, 1])), [[0], [1], [0], [1]]);
  assert.deepEqual([0, 1].map(q => spreadCpus(q, 2, [0, 1, 2, 3, 4])), [[0, 2, 4], [1, 3]]);
});

test('queue IRQs: ixgbe, virtio (msi_irqs of the parent), mlx5 names; misc vectors and other devices left out', () => {
  const text = [
    '            CPU0       CPU1       CPU2       CPU3',
    '  40:          0          0          0          0  PCI-MSIX-0000:03:00.0    0-edge      eth1-TxRx-0',
    '  41:          0          0          0          0  PCI-MSIX-0000:03:00.0    1-edge      eth1-TxRx-1',
    '  42:          5          0          0          0  PCI-MSIX-0000:03:00.0    2-edge      eth1',
    '  43:          0          0          0          0  PCI-MSIX-0000:03:00.0    3-edge      eth10-TxRx-0',
    '  50:          0          0          0          0  PCI-MSIX-0000:00:03.0    0-edge      virtio2-config',
    '  51:          0          0          0          0  PCI-MSIX-0000:00:03.0    1-edge      virtio2-input.0',
    '  52:          0          0          0          0  PCI-MSIX-0000:00:03.0    2-edge      virtio2-output.0',
    '  53:          0          0          0          0  PCI-MSIX-0000:00:03.0    3-edge      virtio2-input.1',
    '  60:          0          0          0          0  IR-PCI-MSIX-0000:5e:00.0    0-edge      mlx5_async0@pci:0000:5e:00.0',
    '  61:          0          0          0          0  IR-PCI-MSIX-0000:5e:00.0    1-edge      mlx5_comp0@pci:0000:5e:00.0',
    '  62:          0          0          0          0  IR-PCI-MSIX-0000:5e:00.0    2-edge      mlx5_comp1@pci:0000:5e:00.0',
    ' NMI:          0          0          0          0   Non-maskable interrupts',
  ].join('\n');
  const lines = parseInterrupts(text);
  assert.deepEqual(queueIrqs('eth1', lines, null).map(q => [q.irq, q.queue]), [[40, 0], [41, 1]]);
  assert.deepEqual(queueIrqs('eth0', lines, new Set([50, 51, 52, 53])).map(q => [q.irq, q.queue]), [[51, 0], [52, 0], [53, 1]]);
  assert.deepEqual(queueIrqs('ens5f0', lines, new Set([60, 61, 62])).map(q => [q.irq, q.name, q.queue]), [[61, 'mlx5_comp0@pci:0000:5e:00.0', 0], [62, 'mlx5_comp1@pci:0000:5e:00.0', 1]]);
  assert.deepEqual(queueIrqs('veth0', lines, null), []);
});

test('a sysctl that does not exist is an error at its line:col, unless its entry says absent:', () => {
  const p = parseProfile([
    'name: typo',
    'sysctl:',
    '  net.ipv4.conf.all.rp_filtr: 2',
    '  net.ipv4.conf.{dev}.send_redirect: 0',
    '  net.ipv4.vs.conntrack: {value: 0, absent: IPVS is not loaded}',
    '  net.ipv4.ip_forward: {value: 1, when: "false"}',
    '',
  ].join('\n'), 'typo.yaml');
  const s = state();
  assert.throws(() => planProfile(p, {}, s), (e: Error) => e instanceof ProfileError && e.message === [
    'typo.yaml:3:3: sysctl.net.ipv4.conf.all.rp_filtr: net.ipv4.conf.all.rp_filtr does not exist here (/proc/sys/net/ipv4/conf/all/rp_filtr is missing: not in this kernel or network namespace; add absent: REASON to the entry if it may be missing)',
    'typo.yaml:4:3: sysctl.net.ipv4.conf.{dev}.send_redirect: net.ipv4.conf.nic0.send_redirect does not exist here (/proc/sys/net/ipv4/conf/nic0/send_redirect is missing: not in this kernel or network namespace; add absent: REASON to the entry if it may be missing)',
  ].join('\n'));
  // with the two typos fixed: the absent IPVS key is skipped with its reason, the false condition too
  const ok = parseProfile('name: ok\nsysctl:\n  net.ipv4.conf.all.rp_filter: 2\n  net.ipv4.vs.conntrack: {value: 0, absent: IPVS is not loaded}\n', 'ok.yaml');
  const plan = planProfile(ok, {}, s);
  assert.equal(row(plan, 'sysctl net.ipv4.vs.conntrack').reason, 'IPVS is not loaded');
});

test('required: a setting the plan would skip fails the plan at its line, before any change; met, or not wanted (when), it plans as usual', () => {
  const p = parseProfile([
    'name: strict',
    'coalesce:',
    '  adaptive-rx: {value: on, required: true}',
    '  adaptive-tx: on',
    'sysctl:',
    '  net.ipv4.ip_forward: {value: 1, when: "false", required: true}',
    '',
  ].join('\n'), 'strict.yaml');
  const lacking = state({ coalesce: { ok: zeroCoalesce() }, coalesceSupported: ['rx-usecs'] });
  assert.throws(() => planProfile(p, {}, lacking), (e: unknown) => {
    assert.ok(e instanceof ProfileError);
    assert.equal(e.message, 'strict.yaml:3:3: coalesce.adaptive-rx: required, but nic0 cannot have it: coalesce adaptive-rx: not supported by driver ixgbe (its coalesce parameters: rx-usecs)');
    return true;
  });
  const having = state({ coalesce: { ok: zeroCoalesce() }, coalesceSupported: ['adaptive-rx', 'adaptive-tx'] });
  const plan = planProfile(p, {}, having);
  assert.equal(row(plan, 'coalesce adaptive-rx').action, 'set');
  assert.equal(row(plan, 'sysctl net.ipv4.ip_forward').action, 'skip');
  assert.throws(() => parseProfile('name: x\ncoalesce:\n  adaptive-rx: {value: on, required: 1}\n', 'x.yaml'), /x\.yaml:3:38: coalesce\.adaptive-rx\.required: must be true or false/);
});
