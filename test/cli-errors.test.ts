/** Bad input: ethtool's message and exit status, before any ioctl, never a stack trace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethkit, newSim, BAD_ARGS } from './cli-helpers';
import { ETHTOOL } from '../src/ethtool/constants';

test('bad command lines: ethtool\'s two lines on stderr, exit 1, no ioctl', async () => {
  const bad: string[][] = [
    [], ['-i'], ['-Z', 'sim0'], ['--', 'sim0'], ['-', 'sim0'], ['--foo', 'sim0'], ['sim0', 'extra'], ['-i', 'sim0', 'x'],
    ['-i', 'sim0', '--json'], ['--debug'], ['--debug', 'x', '-i', 'sim0'], ['--debug', '', '-i', 'sim0'],
    ['-G', 'sim0', 'rx'], ['-G', 'sim0', 'rx', '08'], ['-G', 'sim0', 'rx', '0x'], ['-G', 'sim0', 'rx', '7 '],
    ['-G', 'sim0', 'rx', '2147483648'], ['-G', 'sim0', 'rx-buf-len', '1'], ['-G', 'sim0', 'RX', '1'],
    ['-L', 'sim0', 'rx', '-2147483649'], ['-C', 'sim0', 'cqe-mode-rx', 'on'], ['-C', 'sim0', 'adaptive-rx', 'yes'],
    ['-C', 'sim0', 'rx-usecs', '4294967295'], ['-A', 'sim0', 'rx', '1'], ['-A', 'sim0', 'rx', 'ON'],
    ['-s', 'sim0', 'speed', '0x10'], ['-s', 'sim0', 'speed'], ['-s', 'sim0', 'lanes', '1'], ['-s', 'sim0', 'port', 'da'],
    ['-s', 'sim0', 'duplex', 'Full'], ['-s', 'sim0', 'advertise', '0x'], ['-s', 'sim0', 'wol', 'z'],
    ['-s', 'sim0', 'sopass', '1:2:3'], ['-s', 'sim0', 'msglvl', '-1'], ['-s', 'sim0', 'msglvl', 'drv'],
    ['-s', 'sim0', 'msglvl', 'drv', 'on', 'speed', '10'], ['-s', 'sim0', 'msglvl', '7/3'],
    ['-t', 'sim0', 'bogus'], ['-t', 'sim0', 'online', 'offline'], ['-p', 'sim0', '1', '2'], ['-p', 'sim0', 'x'],
    ['-S', 'sim0', '--all-groups'], ['-d', 'sim0', 'raw', 'yes'], ['-d', 'sim0', 'file'], ['-e', 'sim0', 'offset', '-1'],
    ['-e', 'sim0', 'length', '4294967296'], ['-K', 'sim0', 'bogus', 'on'], ['-K', 'sim0', 'gro', 'yes'], ['-K', 'sim0', 'gro'],
    ['-k', 'sim0', 'x'], ['-a', 'sim0', 'x'], ['-r', 'sim0', 'x'], ['--phy-statistics', 'sim0', 'x'],
  ];
  for (const argv of bad) {
    const { t } = newSim();
    const before = t.log.length;
    const r = await ethkit(argv, t);
    const what = JSON.stringify(argv);
    assert.equal(r.code, 1, what);
    assert.equal(r.err, BAD_ARGS, what);
    assert.equal(r.out, '', what);
    // -K has to read the device's feature names before it can tell a bad name.
    if (argv[0] !== '-K') assert.equal(t.log.length, before, `${what} issued an ioctl`);
  }
});

test('global flags: --debug MASK (any all-digit number), -I, repeated, only before the command', async () => {
  const { t } = newSim();
  for (const argv of [['--debug', '18446744073709551616', '-i', 'sim0'], ['-I', '--debug', '-1', '--include-statistics', '-i', 'sim0'], ['--debug', '0x1f', '--debug', '7', '-i', 'sim0']]) {
    const r = await ethkit(argv, t);
    assert.equal(r.code, 0, argv.join(' '));
    assert.match(r.out, /^driver: simnic\n/);
  }
});

test('bad arguments win over a missing device; -K asks the kernel first', async () => {
  const { t } = newSim();
  assert.deepEqual(Object.values(await ethkit(['-G', 'nosuch0', 'rx', 'x'], t)).slice(0, 3), [1, '', BAD_ARGS]);
  const k = await ethkit(['-K', 'nosuch0', 'bogus', 'on'], t);
  assert.deepEqual([k.code, k.err], [1, 'Cannot get device feature names: No such device\n']);
});

test('device-name and mode refusals: one line, exit 1', async () => {
  const { t } = newSim();
  const cases: [string[], string][] = [
    [['x'.repeat(128)], `device name '${'x'.repeat(128)}' longer than 127 characters\n`],
    [['-i', 'x'.repeat(200)], `device name '${'x'.repeat(200)}' longer than 127 characters\n`],
    [['abcdefghijklmnop'], 'netlink interface initialization failed, device name longer than 15 not supported\n'],
    [['-i', 'abcdefghijklmnop'], 'ethtool netlink support for subcommand missing, device name longer than 15 not supported\n'],
    [['-S', 'abcdefghijklmnop'], 'ioctl-only request, device name longer than 15 not supported\n'],
    [['-S', 'abcdefghijklmnop', 'x'], 'netlink interface initialization failed, device name longer than 15 not supported\n'],
    [['*'], 'netlink interface initialization failed, wildcard dump not supported\n'],
    [['-i', '*'], 'ethtool netlink support for subcommand missing, wildcard dump not supported\n'],
    [['--cable-test', 'sim0'], 'netlink interface initialization failed, subcommand not supported by ioctl\n'],
    [['--show-module', '*'], 'netlink interface initialization failed, subcommand not supported by ioctl\n'],
    [['--monitor'], 'Netlink interface initialization failed, option --monitor not supported.\n'],
    [['-s', 'sim0', 'master-slave', 'forced-master'], "ethtool: parameter 'master-slave' can be used only with netlink\n"],
    [['-E', 'sim0', 'length', '2', 'value', '1'], 'value requires length 1\n'],
  ];
  for (const [argv, err] of cases) {
    const r = await ethkit(argv, t);
    assert.deepEqual([r.code, r.out, r.err], [1, '', err], JSON.stringify(argv).slice(0, 80));
  }
});

test('failed ioctls: ethtool\'s perror line and its exit code per command', async () => {
  const cases: [string[], number, string, number][] = [
    [['-i', 'sim0'], ETHTOOL.GDRVINFO, 'Cannot get driver information', 71],
    [['-a', 'sim0'], ETHTOOL.GPAUSEPARAM, 'Cannot get device pause settings', 76],
    [['-A', 'sim0', 'rx', 'off'], ETHTOOL.GPAUSEPARAM, 'Cannot get device pause settings', 77],
    [['-A', 'sim0', 'rx', 'off'], ETHTOOL.SPAUSEPARAM, 'Cannot set device pause parameters', 79],
    [['-c', 'sim0'], ETHTOOL.GCOALESCE, 'Cannot get device coalesce settings', 82],
    [['-C', 'sim0', 'rx-usecs', '1'], ETHTOOL.GCOALESCE, 'Cannot get device coalesce settings', 76],
    [['-C', 'sim0', 'rx-usecs', '1'], ETHTOOL.SCOALESCE, 'Cannot set device coalesce parameters', 81],
    [['-g', 'sim0'], ETHTOOL.GRINGPARAM, 'Cannot get device ring settings', 76],
    [['-G', 'sim0', 'rx', '1'], ETHTOOL.SRINGPARAM, 'Cannot set device ring parameters', 81],
    [['-l', 'sim0'], ETHTOOL.GCHANNELS, 'Cannot get device channel parameters', 1],
    [['-L', 'sim0', 'rx', '1'], ETHTOOL.GCHANNELS, 'Cannot get device channel parameters', 1],
    [['-L', 'sim0', 'combined', '1'], ETHTOOL.SCHANNELS, 'Cannot set device channel parameters', 1],
    [['-k', 'sim0'], ETHTOOL.GSSET_INFO, 'Cannot get device feature names', 1],
    [['-K', 'sim0', 'gro', 'off'], ETHTOOL.SFEATURES, 'Cannot set device feature settings', 1],
    [['-S', 'sim0'], ETHTOOL.GSSET_INFO, 'Cannot get stats strings information', 96],
    [['-S', 'sim0'], ETHTOOL.GSTATS, 'Cannot get stats information', 97],
    [['-t', 'sim0'], ETHTOOL.GSSET_INFO, 'Cannot get strings', 74],
    [['-t', 'sim0'], ETHTOOL.TEST, 'Cannot test', 74],
    [['-p', 'sim0'], ETHTOOL.PHYS_ID, 'Cannot identify NIC', 255],
    [['-P', 'sim0'], ETHTOOL.GPERMADDR, 'Cannot read permanent address', 255],
    [['-r', 'sim0'], ETHTOOL.NWAY_RST, 'Cannot restart autonegotiation', 255],
    [['-d', 'sim0'], ETHTOOL.GDRVINFO, 'Cannot get driver information', 72],
    [['-d', 'sim0'], ETHTOOL.GREGS, 'Cannot get register dump', 74],
    [['-e', 'sim0'], ETHTOOL.GDRVINFO, 'Cannot get driver information', 74],
    [['-e', 'sim0'], ETHTOOL.GEEPROM, 'Cannot get EEPROM data', 74],
  ];
  for (const [argv, cmd, msg, code] of cases) {
    const { t, dev } = newSim();
    dev.tests = [{ name: 'a', value: 0n }];
    dev.regs = Uint8Array.of(1);
    dev.eeprom = Uint8Array.of(1);
    t.injector = (_n, c) => (c === cmd ? 5 /* EIO */ : undefined);
    const r = await ethkit(argv, t);
    assert.equal(r.code, code, argv.join(' '));
    assert.equal(r.err, `${msg}: Input/output error\n`, argv.join(' '));
  }
  const { t } = newSim();
  t.devices.get('sim0')!.stats = [];
  const none = await ethkit(['-S', 'sim0'], t);
  assert.deepEqual([none.code, none.err], [94, 'no stats available\n']);
});

test('-d file: unreadable file exits 75 with ethtool\'s line; a short read exits 75 silently', async () => {
  const { t, dev } = newSim();
  dev.regs = Uint8Array.of(1, 2);
  const missing = await ethkit(['-d', 'sim0', 'file', '/nonexistent/regs'], t);
  assert.deepEqual([missing.code, missing.out, missing.err], [75, '', "Can't open '/nonexistent/regs': No such file or directory\n"]);
  const empty = await ethkit(['-d', 'sim0', 'file', '/dev/null'], t);
  assert.deepEqual([empty.code, empty.out, empty.err], [75, '', '']);
  const dir = await ethkit(['-d', 'sim0', 'file', '/'], t);
  assert.deepEqual([dir.code, dir.err], [75, '']);
});

test('an error the CLI does not expect propagates out of run() for the top-level handler', async () => {
  const { t } = newSim();
  t.injector = () => { throw new TypeError('driver exploded'); };
  await assert.rejects(ethkit(['-i', 'sim0'], t), /driver exploded/);
});
