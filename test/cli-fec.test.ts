/**
 * --show-fec / --set-fec and the -e allocation failure, against the simulated NIC. Expected
 * bytes are ethtool 6.1's ioctl path as captured on netdevsim and e1000 (rig/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethkit, newSim, BAD_ARGS } from './cli-helpers';
import { ETHTOOL } from '../src/ethtool/constants';
import { memory } from '../src/cli/cmd/dump';

const show = (config: string, active: string): string =>
  `FEC parameters for sim0:\nSupported/Configured FEC encodings:${config}\nActive FEC encoding:${active}\n`;

function fecSim() {
  const s = newSim();
  s.dev.fec = { fec: 1, active_fec: 1 };
  return s;
}

test('--show-fec: the two lines of encodings, in ethtool order', async () => {
  const { t, dev } = fecSim();
  let r = await ethkit(['--show-fec', 'sim0'], t);
  assert.deepEqual([r.code, r.out, r.err], [0, show(' None', ' None'), '']);
  dev.fec = { fec: 0x3f, active_fec: 0 };
  r = await ethkit(['--show-fec', 'sim0'], t);
  assert.equal(r.out, show(' None Auto Off BaseR RS LLRS', ''));
  r = await ethkit(['--json', '--show-fec', 'sim0'], t);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.out), [{ ifname: 'sim0', config: ['None', 'Auto', 'Off', 'BaseR', 'RS', 'LLRS'], active: [] }]);
});

test('--show-fec failures: perror line, exit 255; extra arguments are bad', async () => {
  const { t } = newSim(); // no FEC support
  let r = await ethkit(['--show-fec', 'sim0'], t);
  assert.deepEqual([r.code, r.out, r.err], [255, '', 'Cannot get FEC settings: Operation not supported\n']);
  const f = fecSim();
  f.t.injector = (_i, cmd) => (cmd === ETHTOOL.GFECPARAM ? 22 : undefined);
  r = await ethkit(['--show-fec', 'sim0'], f.t);
  assert.deepEqual([r.code, r.out, r.err], [255, '', 'Cannot get FEC settings: Invalid argument\n']);
  r = await ethkit(['--json', '--show-fec', 'sim0'], f.t);
  assert.equal(r.code, 255);
  assert.equal(r.out, '');
  assert.deepEqual(JSON.parse(r.err), { error: 'Cannot get FEC settings: Invalid argument', exit: 255 });
  r = await ethkit(['--show-fec', 'sim0', 'extra'], fecSim().t);
  assert.deepEqual([r.code, r.err], [1, BAD_ARGS]);
});

test('--set-fec: modes accumulate, case-insensitive, one SET, then --show-fec reflects it', async () => {
  const cases: [string[], string, string][] = [
    [['encoding', 'rs', 'baser'], ' BaseR RS', ' BaseR'],
    [['encoding', 'AUTO'], ' Auto', ' Off'],
    [['encoding', 'off'], ' Off', ' Off'],
    [['encoding', 'llrs', 'encoding', 'Rs'], ' RS LLRS', ' LLRS'],
    [['encoding', 'rs', 'encoding'], ' RS', ' RS'],
  ];
  for (const [args, config, active] of cases) {
    const { t } = fecSim();
    const before = t.log.length;
    const r = await ethkit(['--set-fec', 'sim0', ...args], t);
    assert.deepEqual([r.code, r.out, r.err], [0, '', ''], args.join(' '));
    assert.deepEqual(t.log.slice(before).map(l => l.cmd), [ETHTOOL.SFECPARAM]);
    assert.equal((await ethkit(['--show-fec', 'sim0'], t)).out, show(config, active), args.join(' '));
  }
  const { t } = fecSim();
  const r = await ethkit(['--json', '--set-fec', 'sim0', 'encoding', 'rs', 'baser'], t);
  assert.deepEqual(JSON.parse(r.out), [{ ifname: 'sim0', encoding: ['BaseR', 'RS'] }]);
});

test('--set-fec: bad arguments before any ioctl; SET failure is exit 255', async () => {
  for (const args of [[], ['encoding'], ['encoding', 'bogus'], ['bogus', 'rs'], ['rs'], ['encoding', 'none'], ['encoding', 'rs', 'x'], ['ENCODING', 'rs']]) {
    const { t } = fecSim();
    const r = await ethkit(['--set-fec', 'sim0', ...args], t);
    assert.deepEqual([r.code, r.out, r.err], [1, '', BAD_ARGS], args.join(' '));
    assert.equal(t.log.length, 0, args.join(' '));
  }
  let r = await ethkit(['--set-fec', 'sim0', 'encoding', 'rs'], newSim().t);
  assert.deepEqual([r.code, r.err], [255, 'Cannot set FEC settings: Operation not supported\n']);
  const f = fecSim();
  f.t.injector = (_i, cmd) => (cmd === ETHTOOL.SFECPARAM ? 95 : undefined);
  r = await ethkit(['--set-fec', 'sim0', 'encoding', 'auto'], f.t);
  assert.deepEqual([r.code, r.out, r.err], [255, '', 'Cannot set FEC settings: Operation not supported\n']);
});

test('-e with a length that wraps: the allocation fails as in ethtool (75) when memory is short', async () => {
  const saved = memory.callocFails;
  const asked: number[] = [];
  try {
    memory.callocFails = (size: number) => { asked.push(size); return size > 1e9; };
    const { t, dev } = newSim();
    dev.eeprom = new Uint8Array(128).map((_, i) => i);
    const before = t.log.length;
    let r = await ethkit(['-e', 'sim0', 'offset', '200'], t);
    assert.deepEqual([r.code, r.out, r.err], [75, '', 'Cannot allocate memory for EEPROM data: Cannot allocate memory\n']);
    assert.equal(asked.at(-1), 16 + ((128 - 200) >>> 0));
    assert.deepEqual(t.log.slice(before).map(l => l.cmd), [ETHTOOL.GDRVINFO]);
    r = await ethkit(['-e', 'sim0', 'offset', '10', 'length', '4294967290'], t);
    assert.equal(r.code, 75);
    r = await ethkit(['--json', '-e', 'sim0', 'offset', '200'], t);
    assert.deepEqual(JSON.parse(r.err), { error: 'Cannot allocate memory for EEPROM data: Cannot allocate memory', exit: 75 });
    // Enough memory: the request reaches the kernel, which refuses it.
    memory.callocFails = () => false;
    r = await ethkit(['-e', 'sim0', 'offset', '200'], t);
    assert.deepEqual([r.code, r.err], [74, 'Cannot get EEPROM data: Invalid argument\n']);
    // Ordinary reads still work.
    memory.callocFails = saved;
    r = await ethkit(['-e', 'sim0', 'offset', '127', 'length', '1'], t);
    assert.deepEqual([r.code, r.out], [0, 'Offset\t\tValues\n------\t\t------\n0x007f:\t\t7f \n']);
  } finally {
    memory.callocFails = saved;
  }
});

test('memory.callocFails follows this machine\'s overcommit policy', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const mode = fs.readFileSync('/proc/sys/vm/overcommit_memory', 'utf8').trim();
  const info = fs.readFileSync('/proc/meminfo', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(info)![1]) * 1024;
  assert.equal(memory.callocFails(4096), false);
  if (mode === '0') {
    const limit = kb('MemTotal') + kb('SwapTotal');
    assert.equal(memory.callocFails(limit + (1 << 20)), true);
    assert.equal(memory.callocFails(limit - (1 << 20)), false);
  } else if (mode === '1') {
    assert.equal(memory.callocFails(2 ** 40), false);
  }
});
