/** Every case table, by test file. */
import type { Table } from './types';
import { GLOBAL, NETLINK_ONLY, HELP } from './global';
import { SETTINGS, CHANGE } from './settings';
import { PAUSE, COALESCE, RING, CHANNELS } from './params';
import { FEATURES } from './features';
import { DRIVER, STATS, TEST, IDENTIFY, PERMADDR, NEGOTIATE, REGS, EEPROM, FEC, MODULE, TUNNELS, CABLE, MODULE_EEPROM } from './misc';
import { PRIVFLAGS, TSINFO, EEE, RESET, TUNABLE } from './privts';
import { RXFH_SHOW, RXFH_SET, NFC_SHOW, NFC_SET } from './rss';
import { REST13 } from './rest13';

export const SUITES: Readonly<Record<string, readonly Table[]>> = {
  'diff-global': [GLOBAL, NETLINK_ONLY, HELP],
  'diff-settings': [SETTINGS, CHANGE],
  'diff-params': [PAUSE, COALESCE, RING, CHANNELS],
  'diff-features': [FEATURES],
  'diff-misc': [DRIVER, STATS, TEST, IDENTIFY, PERMADDR, NEGOTIATE, REGS, EEPROM, FEC, MODULE, TUNNELS, CABLE, MODULE_EEPROM],
  'diff-privts': [PRIVFLAGS, TSINFO, EEE, RESET, TUNABLE],
  'diff-rss': [RXFH_SHOW, RXFH_SET, NFC_SHOW, NFC_SET],
  'diff-rest13': REST13,
};
