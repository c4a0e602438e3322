/**
 * The transceiver module images under test/fixtures/module/, built here byte by byte (the
 * committed .bin files must equal these; test/module-eeprom.test.ts checks). Layout as
 * native/modeeprom.c reads it: the ioctl blob (SFP: A0h, A2h at 256; QSFP/CMIS: lower memory,
 * upper page N at 128 + 128 * N), pages past it at 128 + 128 * (page + 256 * bank).
 *
 *   node dist/test/helpers/module-images.js write   # regenerate the files
 */
import fs from 'node:fs';
import path from 'node:path';

class Image {
  readonly b: Uint8Array;
  constructor(size: number) { this.b = new Uint8Array(size); }
  u8(at: number, ...v: number[]): this { v.forEach((x, i) => { this.b[at + i] = x & 0xff; }); return this; }
  u16(at: number, ...v: number[]): this { v.forEach((x, i) => { this.b[at + 2 * i] = (x >> 8) & 0xff; this.b[at + 2 * i + 1] = x & 0xff; }); return this; }
  /** A space-padded ASCII field of `len` bytes. */
  str(at: number, len: number, s: string): this {
    for (let i = 0; i < len; i++) this.b[at + i] = i < s.length ? s.charCodeAt(i) : 0x20;
    return this;
  }
  f32(at: number, v: number): this { new DataView(this.b.buffer).setFloat32(at, v, false); return this; }
  /** The low byte of the sum of bytes from..to, stored at `to + 1` (SFF check codes). */
  cc(from: number, to: number): this {
    let s = 0;
    for (let i = from; i <= to; i++) s += this.b[i];
    this.b[to + 1] = s & 0xff;
    return this;
  }
}

const s16 = (v: number): number => v & 0xffff;
const t = (c: number): number => s16(Math.round(c * 256)); // temperature in 1/256 degC
const mv = (v: number): number => Math.round(v * 10000); // 100 uV units
const ua = (ma: number): number => Math.round(ma * 500); // 2 uA units
const mw = (m: number): number => Math.round(m * 10000); // 0.1 uW units

/** An SFP+ 10GBASE-SR A0h page. */
function sfpA0(img: Image, dom: number): void {
  img.u8(0, 0x03, 0x04, 0x07).u8(3, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00).u8(11, 0x06, 0x67, 0x00)
    .u8(14, 0, 0, 8, 3, 0, 30).str(20, 16, 'FINISAR CORP.').u8(36, 0x00).u8(37, 0x00, 0x90, 0x65)
    .str(40, 16, 'FTLX8571D3BCL').str(56, 4, 'A').u16(60, 850).cc(0, 62)
    .u8(64, 0x00, 0x1a, 0x00, 0x00).str(68, 16, 'PNJ4K2T').str(84, 8, '190315').u8(92, dom, 0xf0, 0x05).cc(64, 94);
}

/** A2h thresholds, the same for the internally and externally calibrated module. */
function sfpA2Thresholds(img: Image): void {
  const A2 = 256;
  img.u16(A2 + 0, t(75), t(-5), t(70), t(0))
    .u16(A2 + 8, mv(3.63), mv(2.97), mv(3.465), mv(3.135))
    .u16(A2 + 16, ua(11.8), ua(4), ua(10.8), ua(5))
    .u16(A2 + 24, mw(1.4125), mw(0.0891), mw(1.122), mw(0.1122))
    .u16(A2 + 32, mw(1.122), mw(0.01), mw(0.7943), mw(0.0158));
}

/** SFP+ with internally calibrated diagnostics: RX power below its low alarm, alarms flagged. */
export function sfpDom(): Uint8Array {
  const img = new Image(512);
  sfpA0(img, 0x68); // DOM, internally calibrated, average RX power
  const A2 = 256;
  sfpA2Thresholds(img);
  img.f32(A2 + 56, 0).f32(A2 + 60, 0).f32(A2 + 64, 0).f32(A2 + 68, 1).f32(A2 + 72, 0)
    .u16(A2 + 76, 0x0100, 0, 0x0100, 0, 0x0100, 0, 0x0100, 0).cc(A2 + 0, A2 + 94)
    .u16(A2 + 96, t(36.5), mv(3.3123), ua(6.75), mw(0.5012), mw(0.0081))
    .u8(A2 + 110, 0x02).u8(A2 + 112, 0x00, 0x40).u8(A2 + 116, 0x08, 0x40);
  return img.b;
}

/** SFP with externally calibrated diagnostics (slopes, offsets, the RX power polynomial). */
export function sfpExtCal(): Uint8Array {
  const img = new Image(512);
  sfpA0(img, 0x58); // DOM, externally calibrated, average RX power
  const A2 = 256;
  sfpA2Thresholds(img);
  img.f32(A2 + 56, 0).f32(A2 + 60, 0).f32(A2 + 64, 0.0000125).f32(A2 + 68, 1.25).f32(A2 + 72, 3)
    .u16(A2 + 76, 0x0100, 0, 0x0180, s16(-100), 0x0100, 0x0100, 0x0100, s16(-50)).cc(A2 + 0, A2 + 94)
    .u16(A2 + 96, t(-3.25), mv(3.301), ua(7.1), mw(0.4), mw(0.33))
    .u8(A2 + 112, 0x40, 0x00).u8(A2 + 116, 0x40, 0x00);
  return img.b;
}

/** An SFP without diagnostics, A0h only (256 bytes, SFF-8079). */
export function sfpNoDom(): Uint8Array {
  const img = new Image(256);
  sfpA0(img, 0x00);
  img.u8(6, 0x01).u8(8, 0x04).u8(60, 0x01, 0x00).u8(36, 0x0b).cc(0, 62); // passive copper, 1000BASE-SX bit
  return img.b;
}

/** A QSFP28 100GBASE-SR4 (SFF-8636, paged: 640 bytes with page 03h). */
export function qsfp28(): Uint8Array {
  const img = new Image(640);
  img.u8(0, 0x11, 0x07, 0x00).u8(9, 0x01).u8(11, 0x20)
    .u16(22, t(30.25)).u16(26, mv(3.2991))
    .u16(34, mw(0.8231), mw(0.0421), mw(0.7511), mw(0.691))
    .u16(42, ua(7.2), ua(6.98), ua(7.05), ua(6.88))
    .u16(50, mw(0.8912), mw(0.912), mw(0.87), mw(0.8851))
    .u8(93, 0x05);
  img.u8(128, 0x11, 0xcc, 0x0c, 0x80).u8(139, 0x05, 0xff, 0x00, 0x00, 35, 0, 0, 0, 0x00)
    .str(148, 16, 'Mellanox').u8(165, 0x00, 0x02, 0xc9).str(168, 16, 'MMA1B00-C100D').str(184, 2, 'B1')
    .u16(186, 17000, 2000).u8(190, 70).cc(128, 190)
    .u8(192, 0x02, 0x00, 0x07, 0xd8).str(196, 16, 'MT2052FT07421').str(212, 8, '20122801').u8(220, 0x08, 0x00, 0x00).cc(192, 222);
  const P3 = 512 - 128; // page 03h: byte N (128..255) at P3 + N
  img.u16(P3 + 0x80, t(75), t(-5), t(70), t(0)).u16(P3 + 0x90, mv(3.63), mv(2.97), mv(3.465), mv(3.135))
    .u16(P3 + 0xb0, mw(3.4673), mw(0.0407), mw(1.7378), mw(0.0813))
    .u16(P3 + 0xb8, ua(10), ua(2), ua(9), ua(3))
    .u16(P3 + 0xc0, mw(3.4673), mw(0.0813), mw(1.7378), mw(0.1622));
  return img.b;
}

/** A QSFP+ 40GBASE-CR4 passive copper cable, flat memory (256 bytes: no page 03h). */
export function qsfpFlat(): Uint8Array {
  const img = new Image(256);
  img.u8(0, 0x0d, 0x03, 0x04).u16(22, t(0)).u16(26, mv(3.31)).u8(93, 0x00);
  img.u8(128, 0x0d, 0x00, 0x23, 0x08).u8(139, 0x01, 0x67, 0x00, 0x00, 0, 0, 0, 3, 0xa0)
    .str(148, 16, 'Amphenol').u8(165, 0x78, 0xa7, 0x14).str(168, 16, 'NDAAFF-0003').str(184, 2, 'A')
    .u8(186, 0x04, 0x07, 0x0a, 0x0d).cc(128, 190)
    .str(196, 16, 'APF18040036SWP').str(212, 8, '18011500').cc(192, 222);
  return img.b;
}

/** A QSFP-DD 400G DR4 (CMIS 4.0, paged, one bank): lower, pages 00h-02h, page 11h of bank 0. */
export function cmisDd(): Uint8Array {
  const img = new Image(128 + 128 * (0x11 + 1));
  img.u8(0, 0x18, 0x40, 0x00, 0x06).u8(9, 0x04).u16(14, t(41.5), mv(3.28)).u8(26, 0x40).u8(41, 0x00);
  img.u8(128, 0x18).str(129, 16, 'INNOLIGHT').u8(145, 0x44, 0x7c, 0x7f).str(148, 16, 'T-DP4CNH-NCI')
    .str(164, 2, '1A').str(166, 16, 'INKBD0170050').str(182, 8, '210512').str(190, 10, 'WOM9A00ARA')
    .u8(200, 0xa0, 0x30, 0x00, 0x0c).u8(212, 0x06);
  const P1 = 256 - 128, P2 = 384 - 128;
  img.u8(P1 + 0x84, 0x42, 0, 0, 0, 0).u16(P1 + 0x8a, 26220, 1300).u8(P1 + 0x8e, 0x00).u8(P1 + 0x97, 0x10)
    .u8(P1 + 0xa0, 0x0f, 0x03, 0x01);
  img.u16(P2 + 0x80, t(80), t(-5), t(75), t(0)).u16(P2 + 0x88, mv(3.465), mv(3.135), mv(3.4), mv(3.2))
    .u16(P2 + 0xb0, mw(4), mw(0.1585), mw(3.1623), mw(0.2512))
    .u16(P2 + 0xb8, 10000, 3000, 9000, 4000)
    .u16(P2 + 0xc0, mw(4), mw(0.02), mw(3.1623), mw(0.04));
  const P11 = 128 + 128 * 0x11 - 128;
  img.u8(P11 + 0x91, 0x02).u8(P11 + 0x96, 0x08)
    .u16(P11 + 0x9a, mw(1.2023), mw(1.1482), mw(1.2589), mw(1.0965))
    .u16(P11 + 0xaa, 15000, 14600, 15320, 14880)
    .u16(P11 + 0xba, mw(0.9772), mw(0.0151), mw(1.0471), mw(0.8913));
  return img.b;
}

/** An identifier ethtool has no decoder for (vendor specific 0x80). */
export function unknownId(): Uint8Array {
  const img = new Image(256);
  img.u8(0, 0x80, 0x01, 0x02).str(20, 16, 'ACME OPTICS').u8(128, 0x80);
  return img.b;
}

/** An empty cage's answer: all zeros (identifier 0x00). */
export function zeros(): Uint8Array {
  return new Uint8Array(256);
}

export interface ModuleImage {
  file: string;
  /** Extra environment for native/modeeprom.so (ETHKIT_MODULE_TYPE / _LEN). */
  env?: Record<string, string>;
  make: () => Uint8Array;
  what: string;
}

export const MODULE_IMAGES: readonly ModuleImage[] = [
  { file: 'sfp-dom.bin', make: sfpDom, what: 'SFP+ 10GBASE-SR, SFF-8472 diagnostics, internal calibration, RX alarms' },
  { file: 'sfp-extcal.bin', make: sfpExtCal, what: 'SFP+ with externally calibrated diagnostics' },
  { file: 'sfp-nodom.bin', make: sfpNoDom, what: 'SFP passive copper, SFF-8079 only' },
  { file: 'qsfp28.bin', make: qsfp28, what: 'QSFP28 100GBASE-SR4, SFF-8636 pages 00h and 03h' },
  { file: 'qsfp-flat.bin', make: qsfpFlat, what: 'QSFP+ copper cable, flat memory' },
  { file: 'cmis-dd.bin', make: cmisDd, what: 'QSFP-DD 400G DR4, CMIS 4.0 with pages 01h 02h 11h' },
  // Broken ones.
  { file: 'sfp-dom.bin', env: { ETHKIT_MODULE_LEN: '768' }, make: sfpDom, what: 'SFP whose driver claims more than the module answers (EIO)' },
  { file: 'sfp-nodom.bin', env: { ETHKIT_MODULE_TYPE: '2', ETHKIT_MODULE_LEN: '512' }, make: sfpNoDom, what: 'SFF-8472 module with the A2h page missing (short)' },
  { file: 'unknown-id.bin', make: unknownId, what: 'unknown identifier 0x80' },
  { file: 'zeros.bin', make: zeros, what: 'identifier 0x00 (no module / blank EEPROM)' },
  { file: 'sfp-dom.bin', env: { ETHKIT_MODULE_TYPE: '9' }, make: sfpDom, what: 'a module type ethtool has no decoder for' },
];

export const FIXTURE_DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'module');

if (require.main === module && process.argv[2] === 'write') {
  fs.mkdirSync(FIXTURE_DIR, { recursive: true });
  const done = new Set<string>();
  for (const m of MODULE_IMAGES) {
    if (done.has(m.file)) continue;
    done.add(m.file);
    fs.writeFileSync(path.join(FIXTURE_DIR, m.file), m.make());
    console.log(m.file);
  }
}
