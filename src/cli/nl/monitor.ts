/**
 * --monitor [OPTION] [DEV|*]: ethtool's netlink event listener. Joins the family's "monitor"
 * group and prints each notification of the chosen kinds with the printer of the command that
 * shows the same message (in its monitor mode), until the process is interrupted — as ethtool,
 * whose Ctrl-C ends it with the signal's status and whatever stdout still held unwritten.
 */
import type { Out } from '../out';
import type { EthtoolNetlink, Reply } from '../../ethtool/netlink/client';
import { Dev } from '../dev';
import { NlCtx, NlState, WILDCARD } from '../ctx';
import { Printer } from './print';
import { reportAck } from './cmd';

type NtfPrinter = (c: NlCtx, r: Reply) => boolean;

/** The notifications ethtool 6.1 prints, each with its printer (loaded on first use). */
const PRINTERS: Readonly<Record<string, () => NtfPrinter | undefined>> = {
  RINGS_NTF: () => (require('./params') as typeof import('./params')).printRings,
  CHANNELS_NTF: () => (require('./params') as typeof import('./params')).printChannels,
  COALESCE_NTF: () => (require('./params') as typeof import('./params')).printCoalesce,
  PAUSE_NTF: () => (c, r) => (require('./params') as typeof import('./params')).printPause(c, r),
  FEATURES_NTF: () => (require('./features') as typeof import('./features')).featuresReply,
  PRIVFLAGS_NTF: () => (require('./privflags') as typeof import('./privflags')).privflagsReply,
  EEE_NTF: () => (require('./eee') as typeof import('./eee')).eeeReply,
  FEC_NTF: () => (require('./fec') as typeof import('./fec')).fecReply,
  MODULE_NTF: () => (require('./module') as typeof import('./module')).moduleReply,
  CABLE_TEST_NTF: () => (c, n) => (require('./cable') as typeof import('./cable')).cableTestReply(c, n as never).ok,
  CABLE_TEST_TDR_NTF: () => (c, n) => (require('./cable') as typeof import('./cable')).cableTestTdrReply(c, n as never).ok,
  LINKINFO_NTF: () => settings('LINKINFO_NTF'),
  LINKMODES_NTF: () => settings('LINKMODES_NTF'),
  WOL_NTF: () => settings('WOL_NTF'),
  DEBUG_NTF: () => settings('DEBUG_NTF'),
};

/** The settings page's printers, given the preloaded global string sets (notifications carry compact bitsets). */
function settings(message: string): NtfPrinter {
  const s = (require('./settings') as typeof import('./settings')).SETTINGS_NOTIFICATIONS[message];
  return (c, r) => s({ p: c.p, st: c.st, strings: id => c.nl.globalStringSet(id) }, r, true);
}

/** The notification kinds in ethtool's order of its option table (the kinds "--all" selects). */
const ALL = ['LINKMODES_NTF', 'LINKINFO_NTF', 'WOL_NTF', 'DEBUG_NTF', 'FEATURES_NTF', 'PRIVFLAGS_NTF', 'RINGS_NTF',
  'CHANNELS_NTF', 'COALESCE_NTF', 'PAUSE_NTF', 'EEE_NTF', 'CABLE_TEST_NTF', 'CABLE_TEST_TDR_NTF', 'FEC_NTF', 'MODULE_NTF'];

/** --monitor's options: every spelling → the notifications it selects. */
const OPTIONS: readonly [readonly string[], readonly string[]][] = [
  [['', '--all'], ALL],
  [['-s', '--change'], ['LINKINFO_NTF', 'LINKMODES_NTF', 'WOL_NTF', 'DEBUG_NTF']],
  [['-k', '--show-features', '--show-offload', '-K', '--features', '--offload'], ['FEATURES_NTF']],
  [['--show-priv-flags', '--set-priv-flags'], ['PRIVFLAGS_NTF']],
  [['-g', '--show-ring', '-G', '--set-ring'], ['RINGS_NTF']],
  [['-l', '--show-channels', '-L', '--set-channels'], ['CHANNELS_NTF']],
  [['-c', '--show-coalesce', '-C', '--coalesce'], ['COALESCE_NTF']],
  [['-a', '--show-pause', '-A', '--pause'], ['PAUSE_NTF']],
  [['--show-eee', '--set-eee'], ['EEE_NTF']],
  [['--cable-test'], ['CABLE_TEST_NTF']],
  [['--cable-test-tdr'], ['CABLE_TEST_TDR_NTF']],
  [['--show-module', '--set-module'], ['MODULE_NTF']],
];

/** The printer of a notification (a command family that prints notifications has its entry in PRINTERS). */
export function monitorPrinter(message: string): NtfPrinter | undefined {
  return PRINTERS[message]?.();
}

export async function monitor(args: readonly string[], out: Out, nl: EthtoolNetlink): Promise<number> {
  if (nl.monitorGroup === undefined) {
    out.error("multicast group 'monitor' not found", "multicast group 'monitor' not found\n");
    return 1;
  }
  let i = 0;
  let opt = '';
  if (args[0]?.startsWith('-')) opt = args[i++];
  const kinds = new Set(OPTIONS.filter(([names]) => names.includes(opt)).flatMap(([, k]) => k));
  if (kinds.size === 0) {
    const word = args[i] ?? '(null)';
    out.error(`monitoring for option '${word}' not supported`, `monitoring for option '${word}' not supported\n`);
    return 1;
  }
  const dev = args[i] !== undefined && args[i] !== WILDCARD ? args[i] : null;

  const st = new NlState();
  st.isMonitor = true;
  st.filterDev = dev;
  const c: NlCtx = {
    opt: '--monitor', devname: dev ?? '', args: [], out, json: out.json, dev: new Dev(dev ?? '', () => { throw new Error('no ioctl in --monitor'); }),
    options: [], nl, p: new Printer(out), st,
  };
  // ethtool loads every global string set first (notifications carry compact bitsets), and the device's.
  try {
    nl.preloadGlobalStringSets();
  } catch (e) {
    const x = e as { errno?: number; extack?: import('../../ethtool/netlink/message').Extack | null };
    reportAck(c, { ok: false, errno: x.errno ?? 5, source: 'kernel', extack: x.extack ?? null, offending: [], missing: [], replies: [], done: false });
    return 1;
  }
  const mon = nl.monitor(dev ? { dev } : {});
  if (dev) reportAck(c, nl.request('STRSET_GET', { header: { dev_name: dev } }));
  out.print('listening...\n');
  out.flushStdout();
  try {
    for await (const n of mon) {
      if (!kinds.has(n.message)) continue;
      const print = monitorPrinter(n.message);
      if (!print) continue;
      // Written as stdout is (by line on a terminal, by block into a pipe), as ethtool's stdio does.
      print(c, n as unknown as Reply);
    }
  } finally {
    mon.close();
  }
  return 0;
}
