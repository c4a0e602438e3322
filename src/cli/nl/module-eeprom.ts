/**
 * -m on the netlink path (ethtool 6.1's netlink/module-eeprom.c): MODULE_EEPROM_GET page
 * reads. A whole-EEPROM hex or raw dump goes back to the ioctl command (netlink reads pages
 * only); page/bank/i2c/offset/length ask for one read dumped in hex (or raw); otherwise the
 * identifier byte picks the decoder, which reads the pages it needs, in ethtool's order.
 */
import {
  EepromPageRequest, MODULE_I2C_ADDRESS_HIGH, MODULE_I2C_ADDRESS_LOW, MODULE_I2C_MAX_ADDRESS, MODULE_PAGE_SIZE,
  eepromPageAttrs, eepromPageData,
} from '../../ethtool/netlink/module-eeprom';
import { ERRNO } from '../../ethtool/errno';
import type { JsonValue } from '../json';
import { hexDump } from '../cmd/dump';
import { NL_FALLBACK, NlCtx, cmdCheck, reportAck } from './cmd';
import { Param, directU32, parse, u8bool } from './parser';

const PARAMS: readonly Param[] = [
  { arg: 'hex', handler: u8bool, minArgc: 1 },
  { arg: 'raw', handler: u8bool, minArgc: 1 },
  { arg: 'offset', handler: directU32, minArgc: 1 },
  { arg: 'length', handler: directU32, minArgc: 1 },
  { arg: 'page', handler: directU32, minArgc: 1 },
  { arg: 'bank', handler: directU32, minArgc: 1 },
  { arg: 'i2c', handler: directU32, minArgc: 1 },
];

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** A failed page read: ethtool's status (its netlink error lines are printed). */
class ReadFailed {
  constructor(readonly code: number) {}
}

/** nl_get_eeprom_page: one read, or a ReadFailed thrown after the error is reported. */
function readPage(c: NlCtx, req: EepromPageRequest): Uint8Array {
  // ethtool holds page, bank and address in u8 members; an address past 7 bits is refused unsent.
  const r8: EepromPageRequest = { ...req, page: req.page & 0xff, bank: req.bank & 0xff, i2c_address: req.i2c_address & 0xff };
  if (r8.i2c_address > MODULE_I2C_MAX_ADDRESS) {
    c.out.fail(`i2c address 0x${r8.i2c_address.toString(16)} is beyond 7 bits`);
    throw new ReadFailed(1);
  }
  const r = c.nl.get('MODULE_EEPROM_GET', c.devname, eepromPageAttrs(r8));
  if (!r.ok) {
    reportAck(c, r);
    if (r.source === 'socket') c.out.fail(`module EEPROM read failed: errno ${r.errno}`);
    throw new ReadFailed(1);
  }
  const data = r.replies[0] ? eepromPageData(r.replies[0].attrs, r8.length) : null;
  if (!data) {
    c.out.fail('module EEPROM reply without data');
    throw new ReadFailed(1);
  }
  return data;
}

const page = (offset: number, pg = 0, bank = 0, i2c = MODULE_I2C_ADDRESS_LOW): EepromPageRequest =>
  ({ offset, length: MODULE_PAGE_SIZE, page: pg, bank, i2c_address: i2c });

/** A 256-byte view of a page whose upper half was read (ethtool's page pointer minus 128). */
function upper(data: Uint8Array): Uint8Array {
  const b = new Uint8Array(256);
  b.set(data, 128);
  return b;
}

export function getmodule(c: NlCtx): number {
  if (cmdCheck(c, 'MODULE_EEPROM_GET', false)) return NL_FALLBACK;
  const parsed = parse(c, '-m', PARAMS);
  if (!parsed) return 1;
  const d = parsed.dest as { hex?: boolean; raw?: boolean; offset?: number; length?: number; page?: number; bank?: number; i2c?: number };
  if (d.hex && d.raw) {
    c.out.err('Hex and raw dump cannot be specified together\n');
    c.out.fail('Hex and raw dump cannot be specified together');
    return 1;
  }
  if ((d.hex || d.raw) && !d.page && !d.bank && !d.i2c) {
    c.st.ioctlFallback = true;
    return -ERRNO.EOPNOTSUPP;
  }
  const dumpHex = d.hex === true || !!d.page || !!d.bank || !!d.offset || !!d.length;
  const req: EepromPageRequest = {
    offset: d.offset ?? 0, length: d.length || MODULE_PAGE_SIZE, page: (d.page ?? 0) & 0xff, bank: (d.bank ?? 0) & 0xff,
    i2c_address: (d.i2c || MODULE_I2C_ADDRESS_LOW) & 0xff,
  };
  if (req.page && !req.offset) req.offset = MODULE_PAGE_SIZE;
  try {
    if (dumpHex || d.raw) {
      const data = readPage(c, req);
      if (d.raw) c.out.print(data);
      else c.out.print(hexDump(data, req.offset));
      c.out.object({ ifname: c.devname, offset: req.offset, length: data.length, page: req.page, bank: req.bank, i2c: req.i2c_address, data: hex(data) });
      return 0;
    }
    return decode(c);
  } catch (e) {
    if (e instanceof ReadFailed) return e.code;
    throw e;
  }
}

/** eeprom_parse: the identifier byte, then the standard's decoder (or 128 bytes in hex). */
function decode(c: NlCtx): number {
  const M = require('../module') as typeof import('../module');
  const id = readPage(c, { offset: 0, length: 1, page: 0, bank: 0, i2c_address: MODULE_I2C_ADDRESS_LOW })[0];
  const s = new M.Sink();
  const json = (): Record<string, JsonValue> => ({ ifname: c.devname, fields: s.fields().map(f => ({ name: f.name, value: f.value })) });
  const flushOnFail = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      c.out.print(s.toString());
      throw e;
    }
  };
  switch (id) {
    case M.ID.SFP: {
      const buf = new Uint8Array(512);
      buf.set(readPage(c, page(0)), 0);
      M.showSff8079(s, buf);
      if (buf[92] & (1 << 6)) {
        flushOnFail(() => buf.set(readPage(c, page(0, 0, 0, MODULE_I2C_ADDRESS_HIGH)), 256));
        M.showSff8472(s, buf);
      }
      break;
    }
    case M.ID.QSFP: case M.ID.QSFP28: case M.ID.QSFP_PLUS: {
      const lower = readPage(c, page(0));
      const page00 = upper(readPage(c, page(MODULE_PAGE_SIZE)));
      const page03 = M.sff8636HasPage3(lower) ? upper(readPage(c, page(MODULE_PAGE_SIZE, 3))) : null;
      M.showSff8636(s, { lower, page00, page03 });
      break;
    }
    case M.ID.QSFP_DD: case M.ID.OSFP: case M.ID.DSFP: {
      const lower = readPage(c, page(0));
      const page00 = upper(readPage(c, page(MODULE_PAGE_SIZE)));
      const map: import('../module').CmisMap = { lower, page00, page01: null, page02: null, page11: [null, null, null, null] };
      if (M.cmisPaged(lower)) {
        map.page01 = upper(readPage(c, page(MODULE_PAGE_SIZE, 1)));
        map.page02 = upper(readPage(c, page(MODULE_PAGE_SIZE, 2)));
        const banks = M.cmisBanks(map.page01);
        if (banks === null) {
          c.out.fail('page 01h advertises a reserved number of banks');
          return 1;
        }
        for (let b = 0; b < banks; b++) map.page11[b] = upper(readPage(c, page(MODULE_PAGE_SIZE, 0x11, b)));
      }
      M.showCmis(s, map);
      break;
    }
    default: {
      const data = readPage(c, page(0));
      c.out.print(hexDump(data, 0));
      c.out.object({ ifname: c.devname, offset: 0, length: data.length, page: 0, bank: 0, i2c: MODULE_I2C_ADDRESS_LOW, data: hex(data) });
      return 0;
    }
  }
  c.out.print(s.toString());
  c.out.object(json());
  return 0;
}
