/**
 * The module EEPROM decoders' public face: a decode of the ioctl blob (GMODULEINFO's type
 * tells the layout) and the pieces the netlink path assembles page by page.
 */
import { Sink } from './sff';
import { showSff8079, showSff8472 } from './sfp';
import { showSff8636, sff8636MapFromBlob } from './qsfp';
import { showCmis, cmisMapFromBlob } from './cmis';
import { ID } from './sff';

export { Sink, ID } from './sff';
export type { ModuleField } from './sff';
export { showSff8079, showSff8472 } from './sfp';
export { showSff8636, sff8636HasPage3 } from './qsfp';
export type { Sff8636Map } from './qsfp';
export { showCmis, cmisPaged, cmisBanks } from './cmis';
export type { CmisMap } from './cmis';

/** ETH_MODULE_SFF_* of <linux/ethtool.h>: GMODULEINFO's type. */
export const ETH_MODULE = { SFF_8079: 0x1, SFF_8472: 0x2, SFF_8636: 0x3, SFF_8436: 0x4 } as const;

/**
 * The pretty print of a whole ioctl blob (do_getmodule), or null when ethtool dumps it in hex
 * (a type it has no decoder for).
 */
export function decodeBlob(type: number, data: Uint8Array, eepromLen: number): Sink | null {
  const s = new Sink();
  switch (type) {
    case ETH_MODULE.SFF_8079:
      showSff8079(s, data);
      return s;
    case ETH_MODULE.SFF_8472:
      showSff8079(s, data);
      showSff8472(s, data);
      return s;
    case ETH_MODULE.SFF_8436:
    case ETH_MODULE.SFF_8636:
      if (data[0] === ID.QSFP_DD || data[0] === ID.OSFP || data[0] === ID.DSFP) showCmis(s, cmisMapFromBlob(data));
      else showSff8636(s, sff8636MapFromBlob(data, eepromLen));
      return s;
    default:
      return null;
  }
}
