/**
 * The firmware and EEPROM-writing operations, each built and decoded here and nowhere else:
 * the firmware dump (GET_DUMP_FLAG, GET_DUMP_DATA, SET_DUMP), flashing (FLASHDEV) and EEPROM
 * writes (SEEPROM). Like ./ops.ts they answer the errno and hold no policy.
 */
import { decode, encode, request } from './layout';
import * as S from './structs';
import { ETHTOOL, ETHTOOL_FLASH_ALL_REGIONS, ETHTOOL_FLASH_MAX_FILENAME } from './constants';
import type { Port } from './transport';
import type { Res } from './ops';

/** What GET_DUMP_FLAG answers: the dump level set, the dump's version and its length in bytes. */
export interface DumpFlag { flag: number; version: number; len: number }

const failed = (errno: number): { ok: false; errno: number } => ({ ok: false, errno });

/** GET_DUMP_FLAG: the current dump level, version and length. */
export function getDumpFlag(p: Port): Res<DumpFlag> {
  const buf = request(S.ethtool_dump, ETHTOOL.GET_DUMP_FLAG);
  const r = p.ioctl(buf);
  if (r < 0) return failed(-r);
  const d = decode(S.ethtool_dump, buf) as Record<string, number>;
  return { ok: true, v: { flag: d.flag, version: d.version, len: d.len } };
}

/**
 * GET_DUMP_DATA with room for `len` bytes (the length GET_DUMP_FLAG gave): the header as the
 * kernel filled it and the data (as long as the kernel says, at most `len`).
 */
export function getDumpData(p: Port, len: number): Res<DumpFlag & { data: Uint8Array }> {
  const buf = request(S.ethtool_dump, ETHTOOL.GET_DUMP_DATA, len);
  encode(S.ethtool_dump, { len }, buf);
  const r = p.ioctl(buf);
  if (r < 0) return failed(-r);
  const d = decode(S.ethtool_dump, buf) as Record<string, number>;
  const at = S.ethtool_dump.flex!.offset;
  return { ok: true, v: { flag: d.flag, version: d.version, len: d.len, data: buf.slice(at, at + Math.min(d.len, len)) } };
}

/** SET_DUMP: the dump level (driver-defined; ETH_FW_DUMP_DISABLE is 0). The kernel's answer or -errno. */
export function setDump(p: Port, flag: number): number {
  const buf = request(S.ethtool_dump, ETHTOOL.SET_DUMP);
  encode(S.ethtool_dump, { flag: flag >>> 0 }, buf);
  return p.ioctl(buf);
}

/** The longest file name FLASHDEV carries (the kernel cuts the name at its last byte). */
export const FLASH_NAME_MAX = ETHTOOL_FLASH_MAX_FILENAME - 1;

/**
 * FLASHDEV: flash `file` (a name the kernel's firmware loader looks up, relative to its
 * firmware directory) to `region` (null: every region, ETHTOOL_FLASH_ALL_REGIONS). The name
 * must fit (FLASH_NAME_MAX bytes): callers check it. The kernel's answer or -errno.
 */
export function flash(p: Port, file: string, region: number | null): number {
  if (Buffer.byteLength(file) > FLASH_NAME_MAX) throw new RangeError(`flash file name longer than ${FLASH_NAME_MAX} bytes`);
  const buf = request(S.ethtool_flash, ETHTOOL.FLASHDEV);
  encode(S.ethtool_flash, { region: region === null ? ETHTOOL_FLASH_ALL_REGIONS : region >>> 0, data: file }, buf);
  return p.ioctl(buf);
}

/**
 * SEEPROM: write `data` at `offset` of the device EEPROM. `magic` is the driver's check that
 * the caller knows the device (e1000/e1000e/e100: PCI vendor | device << 16; see -e --json).
 * `len` (default: the data's length) may say more than `data` holds only for a request the
 * kernel refuses before copying (offset + len wrapping around). The kernel's answer or -errno.
 */
export function setEeprom(p: Port, magic: number, offset: number, data: Uint8Array, len = data.length): number {
  const buf = request(S.ethtool_eeprom, ETHTOOL.SEEPROM, data.length);
  encode(S.ethtool_eeprom, { magic: magic >>> 0, offset: offset >>> 0, len: len >>> 0 }, buf);
  buf.set(data, S.ethtool_eeprom.flex!.offset);
  return p.ioctl(buf);
}
