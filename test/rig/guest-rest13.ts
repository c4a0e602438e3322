/**
 * Rig rows (called from guest-cli.ts, per driver, on both of ethtool's paths) for the firmware
 * dump (-w, -W), EEPROM writes (-E: a byte changed, read back with -e and restored; the same
 * bytes written back from stdin; a wrong magic), flashing (-f of a file the firmware loader
 * lacks), per-queue coalescing (-Q) and --set-phy-tunable. Every set is restored.
 */
import type { Driver, SetCase } from './guest-cli';
import { ethtool } from './common';

export async function restCases(d: Driver, sub: (name: string, fn: () => void) => Promise<void>): Promise<void> {
  const I = d.I;
  const set = (c: SetCase): Promise<void> => sub(c.argv.join(' '), () => { d.set(c); });

  // -w / -W
  await sub(`-w ${I}`, () => { d.read('dump-get', ['-w', I]); });
  await sub(`-w ${I} data FILE`, () => { d.read('dump-get', ['-w', I, 'data', `${process.env.TMPDIR || '/tmp'}/ethkit-rig-dump.bin`]); });
  const flag = /^flag: (\d+),/.exec(ethtool(['-w', I]).stdout.toString())?.[1];
  await set({ op: 'dump-set', argv: ['-W', I, '0'], show: ['-w', I], restore: flag !== undefined ? [['-W', I, flag]] : [] });

  // -E: where the driver has an EEPROM, one byte flipped and restored; its own bytes from stdin.
  const ee = ethtool(['-e', I, 'offset', '80', 'length', '2', 'raw', 'on']);
  if (ee.status === 0 && ee.stdout.length === 2) {
    const [b0, b1] = [ee.stdout[0], ee.stdout[1]];
    const magic = eepromMagic(I);
    const show = ['-e', I, 'offset', '80', 'length', '2'];
    await set({ op: 'eeprom-set', argv: ['-E', I, 'magic', magic, 'offset', '80', 'value', String(b0 ^ 0xff)], show, restore: [['-E', I, 'magic', magic, 'offset', '80', 'value', String(b0)]] });
    await set({ op: 'eeprom-set', argv: ['-E', I, 'magic', magic, 'offset', '80', 'length', '2'], show, restore: [], stdin: Uint8Array.of(b0, b1) });
    await set({ op: 'eeprom-set', argv: ['-E', I, 'magic', '0x1', 'offset', '80', 'value', String(b0)], show, restore: [] });
  } else {
    await set({ op: 'eeprom-set', argv: ['-E', I, 'value', '1'], show: null, restore: [] });
    await set({ op: 'eeprom-set', argv: ['-E', I, 'length', '1'], show: null, restore: [], stdin: Uint8Array.of(1) });
  }

  // -f: a file the kernel's firmware loader does not find.
  await set({ op: 'flash', argv: ['-f', I, 'ethkit-rig-no-such-image.bin'], show: null, restore: [] });

  // -Q: per-queue coalescing of queue 0.
  const q = ethtool(['-Q', I, 'queue_mask', '0x1', '-c']);
  const rxu = q.status === 0 ? /^rx-usecs: (\d+)$/m.exec(q.stdout.toString())?.[1] : undefined;
  await sub(`-Q ${I} -c`, () => { d.read('perqueue', ['-Q', I, '-c']); });
  await set({
    op: 'perqueue', argv: ['-Q', I, 'queue_mask', '0x1', '-C', 'rx-usecs', String(Number(rxu ?? 0) + 5)], show: ['-Q', I, 'queue_mask', '0x1', '-c'],
    restore: rxu !== undefined ? [['-Q', I, 'queue_mask', '0x1', '-C', 'rx-usecs', rxu]] : [],
  });

  // --set-phy-tunable downshift off, restored from --get-phy-tunable.
  const g = ethtool(['--get-phy-tunable', I, 'downshift']);
  const cnt = /^Downshift count: (\d+)$/m.exec(g.stdout.toString())?.[1];
  const restore = g.status !== 0 ? [] : cnt ? [['--set-phy-tunable', I, 'downshift', 'on', 'count', cnt]] : [['--set-phy-tunable', I, 'downshift', 'off']];
  await set({ op: 'phy-tunable-set', argv: ['--set-phy-tunable', I, 'downshift', 'off'], show: ['--get-phy-tunable', I, 'downshift'], restore });
}

/** What e1000/e1000e/e100 check -E's magic against: PCI vendor | device << 16 (0 without a PCI device). */
function eepromMagic(ifname: string): string {
  const fs = require('node:fs') as typeof import('node:fs');
  try {
    const id = (f: string): number => parseInt(fs.readFileSync(`/sys/class/net/${ifname}/device/${f}`, 'utf8').trim(), 16);
    return `0x${((id('vendor') | (id('device') << 16)) >>> 0).toString(16)}`;
  } catch {
    return '0';
  }
}
