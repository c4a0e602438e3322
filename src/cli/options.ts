/**
 * The command table: one row per ethtool command line form, in ethtool's -h order. A row
 * names the handler ("module:function", loaded on demand so a run only loads the code of
 * its own command), what extra arguments it takes, and which reason ethtool's ioctl path
 * gives when it refuses a device name.
 */

/** Why ethtool's netlink layer steps aside for the command (used in device-name errors). */
export type NlReason = 'nlfail' | 'missing' | 'ioctl-only';

export interface OptionRow {
  /** Every spelling, matched exactly and case-sensitively. */
  readonly names: readonly string[];
  /** "module:function" under ./cmd, or null when ethkit does not implement the command. */
  readonly handler: string | null;
  readonly nl: NlReason;
  /** Only ethtool's netlink interface has it (refused on the ioctl path). */
  readonly netlinkOnly?: boolean;
  /** -h / --version: no device name, any further arguments ignored. */
  readonly noDevice?: boolean;
  /** Takes no arguments after the device name (any → bad arguments). */
  readonly noArgs?: boolean;
  /** For -h: argument synopsis lines and a one-line description. */
  readonly help: string;
  readonly synopsis?: readonly string[];
}

export const OPTIONS: readonly OptionRow[] = [
  { names: [], handler: 'settings:show', nl: 'nlfail', noArgs: true, help: 'Display standard information about device' },
  {
    names: ['-s', '--change'], handler: 'settings:change', nl: 'nlfail', help: 'Change generic options',
    synopsis: ['[ speed %d ]', '[ duplex half|full ]', '[ port tp|aui|bnc|mii|fibre ]', '[ mdix auto|on|off ]',
      '[ autoneg on|off ]', '[ advertise %x ]', '[ phyad %d ]', '[ xcvr internal|external ]',
      '[ wol p|u|m|b|a|g|s|f|d... ]', '[ sopass %x:%x:%x:%x:%x:%x ]', '[ msglvl %d | type on|off ... ]'],
  },
  { names: ['-a', '--show-pause'], handler: 'params:showPause', nl: 'nlfail', noArgs: true, help: 'Show pause options' },
  { names: ['-A', '--pause'], handler: 'params:setPause', nl: 'nlfail', help: 'Set pause options', synopsis: ['[ autoneg on|off ]', '[ rx on|off ]', '[ tx on|off ]'] },
  { names: ['-c', '--show-coalesce'], handler: 'params:showCoalesce', nl: 'nlfail', noArgs: true, help: 'Show coalesce options' },
  { names: ['-C', '--coalesce'], handler: 'params:setCoalesce', nl: 'nlfail', help: 'Set coalesce options', synopsis: ['[ KEY N | adaptive-rx on|off | adaptive-tx on|off ... ]  (ethkit -h coalesce lists the keys)'] },
  { names: ['-g', '--show-ring'], handler: 'params:showRing', nl: 'nlfail', noArgs: true, help: 'Query RX/TX ring parameters' },
  { names: ['-G', '--set-ring'], handler: 'params:setRing', nl: 'nlfail', help: 'Set RX/TX ring parameters', synopsis: ['[ rx N ]', '[ rx-mini N ]', '[ rx-jumbo N ]', '[ tx N ]'] },
  { names: ['-k', '--show-features', '--show-offload'], handler: 'features:show', nl: 'nlfail', noArgs: true, help: 'Get state of protocol offload and other features' },
  { names: ['-K', '--features', '--offload'], handler: 'features:set', nl: 'nlfail', help: 'Set protocol offload and other features', synopsis: ['FEATURE on|off ...'] },
  { names: ['-i', '--driver'], handler: 'misc:driver', nl: 'missing', noArgs: true, help: 'Show driver information' },
  { names: ['-d', '--register-dump'], handler: 'dump:regs', nl: 'missing', help: 'Do a register dump', synopsis: ['[ raw on|off ]', '[ hex on|off ]', '[ file FILENAME ]'] },
  { names: ['-e', '--eeprom-dump'], handler: 'dump:eeprom', nl: 'missing', help: 'Do a EEPROM dump', synopsis: ['[ raw on|off ]', '[ offset N ]', '[ length N ]'] },
  { names: ['-E', '--change-eeprom'], handler: null, nl: 'missing', help: 'Change bytes in device EEPROM' },
  { names: ['-r', '--negotiate'], handler: 'misc:negotiate', nl: 'missing', noArgs: true, help: 'Restart N-WAY negotiation' },
  { names: ['-p', '--identify'], handler: 'misc:identify', nl: 'missing', help: 'Show visible port identification (e.g. blinking)', synopsis: ['[ TIME-IN-SECONDS ]'] },
  { names: ['-t', '--test'], handler: 'test:run', nl: 'missing', help: 'Execute adapter self test', synopsis: ['[ online | offline | external_lb ]'] },
  { names: ['-S', '--statistics'], handler: 'stats:nic', nl: 'ioctl-only', help: 'Show adapter statistics' },
  { names: ['--phy-statistics'], handler: 'stats:phy', nl: 'missing', noArgs: true, help: 'Show phy statistics' },
  { names: ['-n', '-u', '--show-nfc', '--show-ntuple'], handler: null, nl: 'missing', help: 'Show Rx network flow classification options or rules' },
  { names: ['-N', '-U', '--config-nfc', '--config-ntuple'], handler: null, nl: 'missing', help: 'Configure Rx network flow classification options or rules' },
  { names: ['-T', '--show-time-stamping'], handler: null, nl: 'nlfail', noArgs: true, help: 'Show time stamping capabilities' },
  { names: ['-x', '--show-rxfh-indir', '--show-rxfh'], handler: null, nl: 'missing', help: 'Show Rx flow hash indirection table and/or RSS hash key' },
  { names: ['-X', '--set-rxfh-indir', '--rxfh'], handler: null, nl: 'missing', help: 'Set Rx flow hash indirection table and/or RSS hash key' },
  { names: ['-f', '--flash'], handler: null, nl: 'missing', help: 'Flash firmware image from the specified file to a region on the device' },
  { names: ['-P', '--show-permaddr'], handler: 'misc:permaddr', nl: 'nlfail', help: 'Show permanent hardware address' },
  { names: ['-w', '--get-dump'], handler: null, nl: 'missing', help: 'Get dump flag, data' },
  { names: ['-W', '--set-dump'], handler: null, nl: 'missing', help: 'Set dump flag of the device' },
  { names: ['-l', '--show-channels'], handler: 'params:showChannels', nl: 'nlfail', noArgs: true, help: 'Query Channels' },
  { names: ['-L', '--set-channels'], handler: 'params:setChannels', nl: 'nlfail', help: 'Set Channels', synopsis: ['[ rx N ]', '[ tx N ]', '[ other N ]', '[ combined N ]'] },
  { names: ['--show-priv-flags'], handler: null, nl: 'nlfail', noArgs: true, help: 'Query private flags' },
  { names: ['--set-priv-flags'], handler: null, nl: 'nlfail', help: 'Set private flags' },
  { names: ['-m', '--dump-module-eeprom', '--module-info'], handler: null, nl: 'nlfail', help: 'Query/Decode Module EEPROM information and optical diagnostics if available' },
  { names: ['--show-eee'], handler: null, nl: 'nlfail', noArgs: true, help: 'Show EEE settings' },
  { names: ['--set-eee'], handler: null, nl: 'nlfail', help: 'Set EEE settings' },
  { names: ['--set-phy-tunable'], handler: null, nl: 'missing', help: 'Set PHY tunable' },
  { names: ['--get-phy-tunable'], handler: null, nl: 'missing', help: 'Get PHY tunable' },
  { names: ['--get-tunable'], handler: null, nl: 'missing', help: 'Get tunable' },
  { names: ['--set-tunable'], handler: null, nl: 'missing', help: 'Set tunable' },
  { names: ['--reset'], handler: null, nl: 'missing', help: 'Reset components' },
  { names: ['--show-fec'], handler: 'fec:show', nl: 'nlfail', noArgs: true, help: 'Show FEC settings' },
  { names: ['--set-fec'], handler: 'fec:set', nl: 'nlfail', help: 'Set FEC settings', synopsis: ['[ encoding auto|off|rs|baser|llrs [...]]'] },
  { names: ['-Q', '--per-queue'], handler: null, nl: 'missing', help: 'Apply per-queue command.' },
  { names: ['--cable-test'], handler: null, nl: 'nlfail', netlinkOnly: true, help: 'Perform a cable test' },
  { names: ['--cable-test-tdr'], handler: null, nl: 'nlfail', netlinkOnly: true, help: 'Print cable test time domain reflectrometery data' },
  { names: ['--show-tunnels'], handler: null, nl: 'nlfail', netlinkOnly: true, help: 'Show NIC tunnel offload information' },
  { names: ['--show-module'], handler: null, nl: 'nlfail', netlinkOnly: true, help: 'Show transceiver module settings' },
  { names: ['--set-module'], handler: null, nl: 'nlfail', netlinkOnly: true, help: 'Set transceiver module settings' },
  { names: ['-h', '--help'], handler: 'help:help', nl: 'missing', noDevice: true, help: 'Show this help' },
  { names: ['--version'], handler: 'help:version', nl: 'missing', noDevice: true, help: 'Show version number' },
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
