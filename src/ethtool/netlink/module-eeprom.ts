/**
 * MODULE_EEPROM_GET: one page read of a transceiver module's EEPROM (at most 128 bytes of one
 * half page: lower memory, or the upper half of page/bank at an I2C address). The request is
 * built here and its reply's data decoded here, for the CLI and the typed device API alike.
 */
import type { Attrs } from './attrs';

/** I2C address of the module's main memory map (A0h as the 8-bit address). */
export const MODULE_I2C_ADDRESS_LOW = 0x50;
/** I2C address of SFF-8472's diagnostics page (A2h). */
export const MODULE_I2C_ADDRESS_HIGH = 0x51;
/** The largest 7-bit I2C address; ethtool refuses a request beyond it before sending (EINVAL). */
export const MODULE_I2C_MAX_ADDRESS = 0x7f;
/** Bytes in one half page. */
export const MODULE_PAGE_SIZE = 0x80;

export interface EepromPageRequest {
  offset: number;
  length: number;
  page: number;
  bank: number;
  i2c_address: number;
}

/** The request's attributes, in ethtool's order (length, offset, page, bank, i2c address). */
export function eepromPageAttrs(r: EepromPageRequest): Attrs {
  return {
    length: r.length >>> 0, offset: r.offset >>> 0, page: r.page & 0xff, bank: r.bank & 0xff,
    i2c_address: r.i2c_address & 0xff,
  };
}

/**
 * The page bytes of a MODULE_EEPROM_GET_REPLY: `length` bytes (what was asked; a shorter data
 * attribute is padded with zeros), or null when the reply has no data attribute.
 */
export function eepromPageData(attrs: Attrs, length: number): Uint8Array | null {
  const d = attrs.data;
  if (!(d instanceof Uint8Array)) return null;
  const out = new Uint8Array(length);
  out.set(d.subarray(0, Math.min(d.length, length)));
  return out;
}
