/**
 * -m / --module-info: ethkit against ethtool 6.1 on both paths, byte for byte, over emulated
 * transceiver modules (native/modeeprom.so on a veth in a fresh namespace: the same image
 * answers both tools' GMODULEINFO/GMODULEEEPROM ioctls and MODULE_EEPROM_GET page reads);
 * the exact page-read requests over the scripted netlink fake; the typed Nic API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Netns, requireTool } from './helpers/netns';
import { MODULE_IMAGES, FIXTURE_DIR, sfpDom, qsfp28, cmisDd } from './helpers/module-images';
import { ethkitNl, FAM, msg, ackOf } from './helpers/nl-cli';
import { errorOf, NlStep } from './helpers/nl-scripted';
import * as B from './helpers/nl-bytes';

const ROOT = path.join(__dirname, '..', '..');
const SHIM = path.join(ROOT, 'native', 'build', 'modeeprom.so');
const NONETLINK = path.join(ROOT, 'native', 'build', 'nonetlink.so');
const ETHKIT = path.join(ROOT, 'bin', 'ethkit');

test('the committed module images are the ones the builders make', () => {
  for (const m of MODULE_IMAGES) {
    const file = path.join(FIXTURE_DIR, m.file);
    assert.ok(fs.existsSync(file), `${file} is missing (node dist/test/helpers/module-images.js write)`);
    assert.deepEqual(new Uint8Array(fs.readFileSync(file)), m.make(), m.file);
  }
});

test("the decoders' %.Nf is C's: exact value, ties to even, inf", () => {
  const { cfixed } = require('../src/cli/module/sff') as typeof import('../src/cli/module/sff');
  assert.equal(cfixed(0.125, 2), '0.12'); // toFixed says 0.13
  assert.equal(cfixed(0.375, 2), '0.38');
  assert.equal(cfixed(2.5, 0), '2');
  assert.equal(cfixed(1.005, 2), '1.00'); // 1.00499999999999989…
  assert.equal(cfixed(9.9995, 3), '9.999'); // 9.99949999…
  assert.equal(cfixed(-0.0001, 2), '-0.00');
  assert.equal(cfixed(-Infinity, 2), '-inf');
  assert.equal(cfixed(36.5 * 1.8 + 32, 2), '97.70');
});

// ---- differential: ethtool vs ethkit over the shim ------------------------------------------

/** Option lines for every image, on both paths (those one path refuses are compared too). */
const COMMON = [
  '', 'hex on', 'raw on', 'hex off', 'raw off', 'hex on raw on', 'offset 16 length 32', 'length 8', 'offset 0x60',
  'offset 1000', 'length 100000', 'length 0', 'page 3', 'page 3 offset 200 length 16', 'page 1 hex on',
  'i2c 0x51', 'i2c 0x51 raw on', 'i2c 0x51 length 16 offset 96', 'bank 1', 'length 200', 'offset 300',
  'offset 127 length 2', 'i2c 0x80', 'i2c 0x150 page 1', 'page 256', 'page 0x11', 'page 0x11 raw on',
  'offset', 'foo bar', 'hex maybe', 'offset -1', 'page 2 bank 0 i2c 0x50 length 128',
];
/** Fewer lines for the broken images. */
const BROKEN = ['', 'hex on', 'raw on', 'offset 16 length 32', 'i2c 0x51', 'page 3'];

interface Run { status: number | null; stdout: Buffer; stderr: Buffer }

function runIn(ns: Netns, tool: string, argv: string[], env: Record<string, string>): Run {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const r = spawnSync('ip', ['netns', 'exec', ns.name, 'env', ...vars, tool, ...argv], { encoding: 'buffer', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('ethkit -m = ethtool -m over emulated modules, both paths, every option line', { timeout: 900_000 }, t => {
  requireTool('ethtool');
  assert.ok(fs.existsSync(SHIM), `${SHIM} is missing: make -C native`);
  const ns = Netns.create('mod');
  try {
    ns.veth('va', 'vb');
    let compared = 0, decoded = 0;
    const failures: string[] = [];
    MODULE_IMAGES.forEach((m, i) => {
      const lines = i < 6 ? COMMON : BROKEN;
      for (const column of ['netlink', 'ioctl'] as const) {
        for (const line of lines) {
          const argv = ['-m', 'va', ...(line ? line.split(' ') : [])];
          const env = {
            ETHKIT_MODULE_IFNAME: 'va', ETHKIT_MODULE_IMAGE: path.join(FIXTURE_DIR, m.file), ...(m.env ?? {}),
            LD_PRELOAD: column === 'ioctl' ? `${NONETLINK}:${SHIM}` : SHIM,
          };
          const ref = runIn(ns, 'ethtool', argv, env);
          const got = runIn(ns, ETHKIT, argv, env);
          compared++;
          if (ref.stdout.includes('Identifier')) decoded++;
          const same = ref.status === got.status && ref.stdout.equals(got.stdout) && ref.stderr.equals(got.stderr);
          if (!same) {
            failures.push(`${m.file}${m.env ? ' ' + JSON.stringify(m.env) : ''} (${column}) -m va ${line}: exit ${ref.status}/${got.status}\n` +
              `  ethtool: ${JSON.stringify(ref.stdout.toString('latin1').slice(0, 400))} ${JSON.stringify(ref.stderr.toString())}\n` +
              `  ethkit:  ${JSON.stringify(got.stdout.toString('latin1').slice(0, 400))} ${JSON.stringify(got.stderr.toString())}`);
          }
        }
      }
    });
    t.diagnostic(`${MODULE_IMAGES.length} images, ${compared} command lines compared (${decoded} decoded), ${compared - failures.length} identical`);
    // The shim must really be answering: the good images decode on both paths.
    assert.ok(decoded >= 20, `only ${decoded} runs printed a decode: is the shim interposing?`);
    assert.deepEqual(failures, []);

    // Devices without a module: the kernel's own answers.
    for (const [argv, env] of [
      [['-m', 'nosuch0'], {}], [['-m', 'vb'], {}], [['-m', 'nosuch0'], { LD_PRELOAD: NONETLINK }],
      [['-m', 'vb', 'hex', 'on'], {}], [['-m', 'vb'], { LD_PRELOAD: NONETLINK }],
    ] as [string[], Record<string, string>][]) {
      const ref = runIn(ns, 'ethtool', argv, env);
      const got = runIn(ns, ETHKIT, argv, env);
      assert.equal(got.status, ref.status, argv.join(' '));
      assert.equal(got.stderr.toString(), ref.stderr.toString(), argv.join(' '));
      assert.equal(got.stdout.toString(), ref.stdout.toString(), argv.join(' '));
      assert.equal(ref.status, 1);
    }

    // --json: one document; a decode lists its lines, a dump its bytes.
    const env = { ETHKIT_MODULE_IFNAME: 'va', ETHKIT_MODULE_IMAGE: path.join(FIXTURE_DIR, 'sfp-dom.bin'), LD_PRELOAD: SHIM };
    const j = runIn(ns, ETHKIT, ['--json', '-m', 'va'], env);
    assert.equal(j.status, 0, j.stderr.toString());
    const doc = JSON.parse(j.stdout.toString()) as { ifname: string; fields: { name: string; value: string }[] }[];
    assert.equal(doc[0].ifname, 'va');
    assert.deepEqual(doc[0].fields.find(f => f.name === 'Vendor PN'), { name: 'Vendor PN', value: 'FTLX8571D3BCL' });
    assert.deepEqual(doc[0].fields.find(f => f.name === 'Laser rx power low alarm'), { name: 'Laser rx power low alarm', value: 'On' });
    const h = runIn(ns, ETHKIT, ['--json', '-m', 'va', 'i2c', '0x51', 'length', '16', 'offset', '96'], env);
    assert.equal(h.status, 0, h.stderr.toString());
    const hd = JSON.parse(h.stdout.toString()) as { offset: number; length: number; i2c: number; data: string }[];
    assert.deepEqual({ offset: hd[0].offset, length: hd[0].length, i2c: hd[0].i2c }, { offset: 96, length: 16, i2c: 0x51 });
    assert.equal(hd[0].data, Buffer.from(sfpDom().subarray(256 + 96, 256 + 112)).toString('hex'));

    // The typed API over the same shim (koffi's ioctl is libc's, so the preload answers it too).
    const child = path.join(__dirname, 'helpers', 'nic-child.js');
    const api = runIn(ns, process.execPath, [child, 'va', JSON.stringify([
      { call: 'moduleInfo' }, { call: 'moduleEeprom', args: [0, 4] }, { call: 'moduleEeprom', args: [600, 100] },
    ])], { ETHKIT_MODULE_IFNAME: 'va', ETHKIT_MODULE_IMAGE: path.join(FIXTURE_DIR, 'qsfp28.bin'), LD_PRELOAD: SHIM });
    assert.equal(api.status, 0, api.stderr.toString());
    const res = JSON.parse(api.stdout.toString()) as [{ ok: unknown }, { ok: { data: number[] } }, { error: { message: string } }];
    assert.deepEqual(res[0].ok, { type: 3, eeprom_len: 640 });
    assert.deepEqual(res[1].ok.data, [...qsfp28().subarray(0, 4)]);
    assert.match(res[2].error.message, /out of bounds/);
  } finally {
    ns.destroy();
  }
});

// ---- the exact page reads (scripted netlink) ------------------------------------------------

/** The MODULE_EEPROM_GET ethtool sends: header, length, offset, page, bank, i2c address. */
function pageRequest(dev: string, offset: number, length: number, page = 0, bank = 0, i2c = 0x50): Uint8Array {
  return B.nlmsg({ type: FAM, flags: 5 }, B.genl(31, 1, B.nest(1, B.str(2, dev)), B.u32(3, length), B.u32(2, offset),
    B.u8(4, page), B.u8(5, bank), B.u8(6, i2c)));
}

function pageStep(note: string, dev: string, image: Uint8Array, at: number, offset: number, length: number, page = 0, bank = 0, i2c = 0x50): NlStep {
  return { note, request: pageRequest(dev, offset, length, page, bank, i2c), replies: [msg(32, dev, B.bin(7, image.subarray(at, at + length))), ackOf] };
}

test('netlink -m on an SFP: the identifier byte, A0h, then A2h (0x51)', async () => {
  const img = sfpDom();
  const r = await ethkitNl(['-m', 'eth9'], [
    pageStep('id', 'eth9', img, 0, 0, 1), pageStep('A0h', 'eth9', img, 0, 0, 128), pageStep('A2h', 'eth9', img, 256, 0, 128, 0, 0, 0x51),
  ]);
  r.t.assertDone();
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^\tIdentifier +: 0x03 \(SFP\)\n/);
  assert.match(r.out, /\tOptical diagnostics support +: Yes\n/);
  assert.match(r.out, /\tLaser rx power low alarm +: On\n/);
});

test('netlink -m on an SFP without diagnostics reads no A2h page', async () => {
  const img = sfpDom();
  img[92] = 0;
  const r = await ethkitNl(['-m', 'eth9'], [pageStep('id', 'eth9', img, 0, 0, 1), pageStep('A0h', 'eth9', img, 0, 0, 128)]);
  r.t.assertDone();
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /Optical diagnostics/);
});

test('netlink -m on a QSFP28: lower memory, page 00h upper, page 03h upper', async () => {
  const img = qsfp28();
  const r = await ethkitNl(['-m', 'eth9'], [
    pageStep('id', 'eth9', img, 0, 0, 1), pageStep('lower', 'eth9', img, 0, 0, 128),
    pageStep('page 0', 'eth9', img, 128, 128, 128), pageStep('page 3', 'eth9', img, 512, 128, 128, 3),
  ]);
  r.t.assertDone();
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\tLaser tx bias current \(Channel 4\) +: 6\.880 mA\n/);
  assert.match(r.out, /\tLaser bias current high alarm threshold +: 10\.000 mA\n/);
});

test('netlink -m on CMIS: pages 00h 01h 02h, then page 11h of each advertised bank', async () => {
  const img = cmisDd();
  const big = new Uint8Array(128 + 128 * (0x11 + 256 + 1));
  big.set(img);
  big[256 + 0x8e - 128] = 0x01; // banks 0 and 1
  big.set(img.subarray(128 + 128 * 0x11 - 128 + 128, 128 + 128 * 0x12), 128 + 128 * (0x11 + 256));
  const p11 = (bank: number): number => 128 + 128 * (0x11 + 256 * bank);
  const r = await ethkitNl(['-m', 'eth9'], [
    pageStep('id', 'eth9', big, 0, 0, 1), pageStep('lower', 'eth9', big, 0, 0, 128), pageStep('page 0', 'eth9', big, 128, 128, 128),
    pageStep('page 1', 'eth9', big, 256, 128, 128, 1), pageStep('page 2', 'eth9', big, 384, 128, 128, 2),
    pageStep('page 11h bank 0', 'eth9', big, p11(0), 128, 128, 0x11, 0), pageStep('page 11h bank 1', 'eth9', big, p11(1), 128, 128, 0x11, 1),
  ]);
  r.t.assertDone();
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\tLaser tx bias current \(Channel 9\) +: 15\.000 mA\n/);
  assert.match(r.out, /\tTransmit avg optical power \(Channel 16\) +: 0\.0000 mW \/ -inf dBm\n/);
});

test('netlink -m page/bank/i2c/offset/length: one read, dumped in hex or raw', async () => {
  const img = qsfp28();
  let r = await ethkitNl(['-m', 'eth9', 'page', '3'], [pageStep('page 3', 'eth9', img, 512, 128, 128, 3)]);
  r.t.assertDone();
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Offset\t\tValues\n------\t\t------\n0x0080:\t\t4b 00 fb 00 /);
  r = await ethkitNl(['-m', 'eth9', 'i2c', '0x51', 'raw', 'on', 'offset', '4', 'length', '2'], [pageStep('a2', 'eth9', img, 4, 4, 2, 0, 0, 0x51)]);
  r.t.assertDone();
  assert.equal(r.code, 0, r.err);
  assert.deepEqual([...Buffer.from(r.out, 'latin1')], [...img.subarray(4, 6)]);
  // ethtool keeps page, bank and address in bytes: 0x150 is 0x50, 0x180 is refused unsent.
  r = await ethkitNl(['-m', 'eth9', 'i2c', '0x150', 'page', '1'], [pageStep('page 1', 'eth9', img, 256, 128, 128, 1)]);
  r.t.assertDone();
  assert.equal(r.code, 0, r.err);
  r = await ethkitNl(['-m', 'eth9', 'i2c', '0x180', 'page', '1'], []);
  r.t.assertDone();
  assert.equal(r.code, 1);
  assert.equal(r.out + r.err, '');
});

test('netlink -m errors: the kernel\'s extack line, the parser\'s lines, hex+raw', async () => {
  const ext = B.str(1, 'reading cross half page boundary is illegal');
  let r = await ethkitNl(['-m', 'eth9', 'length', '200'], [{ request: pageRequest('eth9', 0, 200), replies: [errorOf(22, [ext])] }]);
  r.t.assertDone();
  assert.equal(r.code, 1);
  assert.equal(r.err, 'netlink error: reading cross half page boundary is illegal\nnetlink error: Invalid argument\n');
  r = await ethkitNl(['-m', 'eth9'], [{ request: pageRequest('eth9', 0, 1), replies: [errorOf(95)] }]);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'netlink error: Operation not supported\n');
  r = await ethkitNl(['-m', 'eth9', 'hex', 'on', 'raw', 'on'], []);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'Hex and raw dump cannot be specified together\n');
  r = await ethkitNl(['-m', 'eth9', 'offset'], []);
  assert.equal(r.code, 1);
  assert.equal(r.err, "ethtool (-m): no value for parameter 'offset'\n");
  r = await ethkitNl(['-m', 'eth9', 'page', 'x'], []);
  assert.equal(r.err, "ethtool (-m): invalid value 'x' for parameter 'page'\n");
});
