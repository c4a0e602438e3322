/**
 * The command table: one row per ethtool command line form, in ethtool's -h order. A row holds
 * its handler (a function of the command's module, required only when the command runs, so a
 * run loads only its own command's code — and the compiler checks every name), what extra
 * arguments it takes, and which reason ethtool's ioctl path gives when it refuses a device name.
 */
import type { CommandInfo, Handler } from './ctx';

/** The command modules, each loaded on first use. */
const cmd = {
  settings: () => require('./cmd/settings') as typeof import('./cmd/settings'),
  params: () => require('./cmd/params') as typeof import('./cmd/params'),
  features: () => require('./cmd/features') as typeof import('./cmd/features'),
  misc: () => require('./cmd/misc') as typeof import('./cmd/misc'),
  stats: () => require('./cmd/stats') as typeof import('./cmd/stats'),
  test: () => require('./cmd/test') as typeof import('./cmd/test'),
  dump: () => require('./cmd/dump') as typeof import('./cmd/dump'),
  fec: () => require('./cmd/fec') as typeof import('./cmd/fec'),
  help: () => require('./cmd/help') as typeof import('./cmd/help'),
};

/** Why ethtool's netlink layer steps aside for the command (used in device-name errors). */
export type NlReason = 'nlfail' | 'missing' | 'ioctl-only';

export interface OptionRow extends CommandInfo {
  /** The handler, or absent when ethkit does not implement the command. */
  readonly run?: Handler;
  readonly nl: NlReason;
  /** Only ethtool's netlink interface has it (refused on the ioctl path). */
  readonly netlinkOnly?: boolean;
  /** Takes no arguments after the device name (any → bad arguments). */
  readonly noArgs?: boolean;
}

type Row = Omit<OptionRow, 'implemented'>;
const row = (r: Row): OptionRow => ({ ...r, implemented: r.run !== undefined });

export const OPTIONS: readonly OptionRow[] = [
  row({ names: [], run: c => cmd.settings().show(c), nl: 'nlfail', noArgs: true, help: 'Display standard information about device' }),
  row({
    names: ['-s', '--change'], run: c => cmd.settings().change(c), nl: 'nlfail', help: 'Change generic options',
    synopsis: ['[ speed %d ]', '[ duplex half|full ]', '[ port tp|aui|bnc|mii|fibre ]', '[ mdix auto|on|off ]',
      '[ autoneg on|off ]', '[ advertise %x ]', '[ phyad %d ]', '[ xcvr internal|external ]',
      '[ wol p|u|m|b|a|g|s|f|d... ]', '[ sopass %x:%x:%x:%x:%x:%x ]', '[ msglvl %d | type on|off ... ]'],
  }),
  row({ names: ['-a', '--show-pause'], run: c => cmd.params().showPause(c), nl: 'nlfail', noArgs: true, help: 'Show pause options' }),
  row({ names: ['-A', '--pause'], run: c => cmd.params().setPause(c), nl: 'nlfail', help: 'Set pause options', synopsis: ['[ autoneg on|off ]', '[ rx on|off ]', '[ tx on|off ]'] }),
  row({ names: ['-c', '--show-coalesce'], run: c => cmd.params().showCoalesce(c), nl: 'nlfail', noArgs: true, help: 'Show coalesce options' }),
  row({ names: ['-C', '--coalesce'], run: c => cmd.params().setCoalesce(c), nl: 'nlfail', help: 'Set coalesce options', synopsis: ['[ KEY N | adaptive-rx on|off | adaptive-tx on|off ... ]  (ethkit -h coalesce lists the keys)'] }),
  row({ names: ['-g', '--show-ring'], run: c => cmd.params().showRing(c), nl: 'nlfail', noArgs: true, help: 'Query RX/TX ring parameters' }),
  row({ names: ['-G', '--set-ring'], run: c => cmd.params().setRing(c), nl: 'nlfail', help: 'Set RX/TX ring parameters', synopsis: ['[ rx N ]', '[ rx-mini N ]', '[ rx-jumbo N ]', '[ tx N ]'] }),
  row({ names: ['-k', '--show-features', '--show-offload'], run: c => cmd.features().show(c), nl: 'nlfail', noArgs: true, help: 'Get state of protocol offload and other features' }),
  row({ names: ['-K', '--features', '--offload'], run: c => cmd.features().set(c), nl: 'nlfail', help: 'Set protocol offload and other features', synopsis: ['FEATURE on|off ...'] }),
  row({ names: ['-i', '--driver'], run: c => cmd.misc().driver(c), nl: 'missing', noArgs: true, help: 'Show driver information' }),
  row({ names: ['-d', '--register-dump'], run: c => cmd.dump().regs(c), nl: 'missing', help: 'Do a register dump', synopsis: ['[ raw on|off ]', '[ hex on|off ]', '[ file FILENAME ]'] }),
  row({ names: ['-e', '--eeprom-dump'], run: c => cmd.dump().eeprom(c), nl: 'missing', help: 'Do a EEPROM dump', synopsis: ['[ raw on|off ]', '[ offset N ]', '[ length N ]'] }),
  row({ names: ['-E', '--change-eeprom'], nl: 'missing', help: 'Change bytes in device EEPROM' }),
  row({ names: ['-r', '--negotiate'], run: c => cmd.misc().negotiate(c), nl: 'missing', noArgs: true, help: 'Restart N-WAY negotiation' }),
  row({ names: ['-p', '--identify'], run: c => cmd.misc().identify(c), nl: 'missing', help: 'Show visible port identification (e.g. blinking)', synopsis: ['[ TIME-IN-SECONDS ]'] }),
  row({ names: ['-t', '--test'], run: c => cmd.test().run(c), nl: 'missing', help: 'Execute adapter self test', synopsis: ['[ online | offline | external_lb ]'] }),
  row({ names: ['-S', '--statistics'], run: c => cmd.stats().nic(c), nl: 'ioctl-only', help: 'Show adapter statistics' }),
  row({ names: ['--phy-statistics'], run: c => cmd.stats().phy(c), nl: 'missing', noArgs: true, help: 'Show phy statistics' }),
  row({ names: ['-n', '-u', '--show-nfc', '--show-ntuple'], nl: 'missing', help: 'Show Rx network flow classification options or rules' }),
  row({ names: ['-N', '-U', '--config-nfc', '--config-ntuple'], nl: 'missing', help: 'Configure Rx network flow classification options or rules' }),
  row({ names: ['-T', '--show-time-stamping'], nl: 'nlfail', noArgs: true, help: 'Show time stamping capabilities' }),
  row({ names: ['-x', '--show-rxfh-indir', '--show-rxfh'], nl: 'missing', help: 'Show Rx flow hash indirection table and/or RSS hash key' }),
  row({ names: ['-X', '--set-rxfh-indir', '--rxfh'], nl: 'missing', help: 'Set Rx flow hash indirection table and/or RSS hash key' }),
  row({ names: ['-f', '--flash'], nl: 'missing', help: 'Flash firmware image from the specified file to a region on the device' }),
  row({ names: ['-P', '--show-permaddr'], run: c => cmd.misc().permaddr(c), nl: 'nlfail', help: 'Show permanent hardware address' }),
  row({ names: ['-w', '--get-dump'], nl: 'missing', help: 'Get dump flag, data' }),
  row({ names: ['-W', '--set-dump'], nl: 'missing', help: 'Set dump flag of the device' }),
  row({ names: ['-l', '--show-channels'], run: c => cmd.params().showChannels(c), nl: 'nlfail', noArgs: true, help: 'Query Channels' }),
  row({ names: ['-L', '--set-channels'], run: c => cmd.params().setChannels(c), nl: 'nlfail', help: 'Set Channels', synopsis: ['[ rx N ]', '[ tx N ]', '[ other N ]', '[ combined N ]'] }),
  row({ names: ['--show-priv-flags'], nl: 'nlfail', noArgs: true, help: 'Query private flags' }),
  row({ names: ['--set-priv-flags'], nl: 'nlfail', help: 'Set private flags' }),
  row({ names: ['-m', '--dump-module-eeprom', '--module-info'], nl: 'nlfail', help: 'Query/Decode Module EEPROM information and optical diagnostics if available' }),
  row({ names: ['--show-eee'], nl: 'nlfail', noArgs: true, help: 'Show EEE settings' }),
  row({ names: ['--set-eee'], nl: 'nlfail', help: 'Set EEE settings' }),
  row({ names: ['--set-phy-tunable'], nl: 'missing', help: 'Set PHY tunable' }),
  row({ names: ['--get-phy-tunable'], nl: 'missing', help: 'Get PHY tunable' }),
  row({ names: ['--get-tunable'], nl: 'missing', help: 'Get tunable' }),
  row({ names: ['--set-tunable'], nl: 'missing', help: 'Set tunable' }),
  row({ names: ['--reset'], nl: 'missing', help: 'Reset components' }),
  row({ names: ['--show-fec'], run: c => cmd.fec().show(c), nl: 'nlfail', noArgs: true, help: 'Show FEC settings' }),
  row({ names: ['--set-fec'], run: c => cmd.fec().set(c), nl: 'nlfail', help: 'Set FEC settings', synopsis: ['[ encoding auto|off|rs|baser|llrs [...]]'] }),
  row({ names: ['-Q', '--per-queue'], nl: 'missing', help: 'Apply per-queue command.' }),
  row({ names: ['--cable-test'], nl: 'nlfail', netlinkOnly: true, help: 'Perform a cable test' }),
  row({ names: ['--cable-test-tdr'], nl: 'nlfail', netlinkOnly: true, help: 'Print cable test time domain reflectrometery data' }),
  row({ names: ['--show-tunnels'], nl: 'nlfail', netlinkOnly: true, help: 'Show NIC tunnel offload information' }),
  row({ names: ['--show-module'], nl: 'nlfail', netlinkOnly: true, help: 'Show transceiver module settings' }),
  row({ names: ['--set-module'], nl: 'nlfail', netlinkOnly: true, help: 'Set transceiver module settings' }),
  row({ names: ['-h', '--help'], run: c => cmd.help().help(c), nl: 'missing', noDevice: true, help: 'Show this help' }),
  row({ names: ['--version'], run: c => cmd.help().version(c), nl: 'missing', noDevice: true, help: 'Show version number' }),
];

export function findOption(arg: string): OptionRow | undefined {
  for (const row of OPTIONS) if (row.names.includes(arg)) return row;
  return undefined;
}

export const REASON: Record<NlReason, string> = {
  'nlfail': 'netlink interface initialization failed',
  'missing': 'ethtool netlink support for subcommand missing',
  'ioctl-only': 'ioctl-only request',
};
