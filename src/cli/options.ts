/**
 * The command table: one row per ethtool command line form, in ethtool's -h order. A row holds
 * its handler (a function of the command's module, required only when the command runs, so a
 * run loads only its own command's code — and the compiler checks every name), what extra
 * arguments it takes, and which reason ethtool's ioctl path gives when it refuses a device name.
 */
import type { CommandInfo, Ctx, Handler } from './ctx';
import { NL_FALLBACK, NlHandler } from './ctx';

/** The command modules, each loaded on first use. */
const cmd = {
  fwdump: () => require('./cmd/fwdump') as typeof import('./cmd/fwdump'),
  flash: () => require('./cmd/flash') as typeof import('./cmd/flash'),
  seeprom: () => require('./cmd/seeprom') as typeof import('./cmd/seeprom'),
  perqueue: () => require('./cmd/perqueue') as typeof import('./cmd/perqueue'),
  settings: () => require('./cmd/settings') as typeof import('./cmd/settings'),
  params: () => require('./cmd/params') as typeof import('./cmd/params'),
  features: () => require('./cmd/features') as typeof import('./cmd/features'),
  misc: () => require('./cmd/misc') as typeof import('./cmd/misc'),
  stats: () => require('./cmd/stats') as typeof import('./cmd/stats'),
  test: () => require('./cmd/test') as typeof import('./cmd/test'),
  dump: () => require('./cmd/dump') as typeof import('./cmd/dump'),
  fec: () => require('./cmd/fec') as typeof import('./cmd/fec'),
  module: () => require('./cmd/module') as typeof import('./cmd/module'),
  help: () => require('./cmd/help') as typeof import('./cmd/help'),
  privflags: () => require('./cmd/privflags') as typeof import('./cmd/privflags'),
  tsinfo: () => require('./cmd/tsinfo') as typeof import('./cmd/tsinfo'),
  eee: () => require('./cmd/eee') as typeof import('./cmd/eee'),
  reset: () => require('./cmd/reset') as typeof import('./cmd/reset'),
  tunable: () => require('./cmd/tunable') as typeof import('./cmd/tunable'),
  rxfh: () => require('./cmd/rxfh') as typeof import('./cmd/rxfh'),
  rxclass: () => require('./cmd/rxclass') as typeof import('./cmd/rxclass'),
};

/** The netlink command modules, each loaded on first use. */
const nl = {
  params: () => require('./nl/params') as typeof import('./nl/params'),
  features: () => require('./nl/features') as typeof import('./nl/features'),
  stats: () => require('./nl/stats') as typeof import('./nl/stats'),
  fec: () => require('./nl/fec') as typeof import('./nl/fec'),
  module: () => require('./nl/module') as typeof import('./nl/module'),
  moduleEeprom: () => require('./nl/module-eeprom') as typeof import('./nl/module-eeprom'),
  tunnels: () => require('./nl/tunnels') as typeof import('./nl/tunnels'),
  cable: () => require('./nl/cable') as typeof import('./nl/cable'),
  settings: () => require('./nl/settings') as typeof import('./nl/settings'),
  permaddr: () => require('./nl/permaddr') as typeof import('./nl/permaddr'),
  privflags: () => require('./nl/privflags') as typeof import('./nl/privflags'),
  tsinfo: () => require('./nl/tsinfo') as typeof import('./nl/tsinfo'),
  eee: () => require('./nl/eee') as typeof import('./nl/eee'),
};

export interface OptionRow extends CommandInfo {
  /** The ioctl handler, or absent when there is none (netlink-only commands) or ethkit lacks it. */
  readonly run?: Handler;
  /** The netlink handler, for the commands ethtool 6.1 has a netlink version of. */
  readonly nl?: NlHandler;
  /** ethtool's check that a command line needs netlink (-S with groups); false: ioctl only. */
  readonly nlchk?: (c: Ctx) => boolean;
  /** ethtool has no ioctl version (on its ioctl path: "subcommand not supported by ioctl"). */
  readonly netlinkOnly?: boolean;
  /** Takes no arguments after the device name (any → bad arguments, on the ioctl path). */
  readonly noArgs?: boolean;
}

/**
 * A command ethtool runs over netlink that ethkit does not yet: the ioctl version where there is
 * one, else a one-line refusal.
 */
const nlTodo: NlHandler = c => {
  c.st.ioctlFallback = true;
  return NL_FALLBACK;
};

type Row = Omit<OptionRow, 'implemented'>;
const row = (r: Row): OptionRow => ({ ...r, implemented: r.run !== undefined || (r.nl !== undefined && r.nl !== nlTodo) });

export const OPTIONS: readonly OptionRow[] = [
  row({ nl: c => nl.settings().show(c), names: [], run: c => cmd.settings().show(c), noArgs: true, help: 'Display standard information about device' }),
  row({
    nl: c => nl.settings().change(c), names: ['-s', '--change'], run: c => cmd.settings().change(c), help: 'Change generic options',
    synopsis: ['[ speed %d ]', '[ duplex half|full ]', '[ port tp|aui|bnc|mii|fibre ]', '[ mdix auto|on|off ]',
      '[ autoneg on|off ]', '[ advertise %x ]', '[ phyad %d ]', '[ xcvr internal|external ]',
      '[ wol p|u|m|b|a|g|s|f|d... ]', '[ sopass %x:%x:%x:%x:%x:%x ]', '[ msglvl %d | type on|off ... ]'],
  }),
  row({ nl: c => nl.params().showPause(c), names: ['-a', '--show-pause'], run: c => cmd.params().showPause(c), noArgs: true, help: 'Show pause options' }),
  row({ nl: c => nl.params().setPause(c), names: ['-A', '--pause'], run: c => cmd.params().setPause(c), help: 'Set pause options', synopsis: ['[ autoneg on|off ]', '[ rx on|off ]', '[ tx on|off ]'] }),
  row({ nl: c => nl.params().showCoalesce(c), names: ['-c', '--show-coalesce'], run: c => cmd.params().showCoalesce(c), noArgs: true, help: 'Show coalesce options' }),
  row({ nl: c => nl.params().setCoalesce(c), names: ['-C', '--coalesce'], run: c => cmd.params().setCoalesce(c), help: 'Set coalesce options', synopsis: ['[ KEY N | adaptive-rx on|off | adaptive-tx on|off ... ]  (ethkit -h coalesce lists the keys)'] }),
  row({ nl: c => nl.params().showRing(c), names: ['-g', '--show-ring'], run: c => cmd.params().showRing(c), noArgs: true, help: 'Query RX/TX ring parameters' }),
  row({ nl: c => nl.params().setRing(c), names: ['-G', '--set-ring'], run: c => cmd.params().setRing(c), help: 'Set RX/TX ring parameters', synopsis: ['[ rx N ]', '[ rx-mini N ]', '[ rx-jumbo N ]', '[ tx N ]'] }),
  row({ nl: c => nl.features().show(c), names: ['-k', '--show-features', '--show-offload'], run: c => cmd.features().show(c), noArgs: true, help: 'Get state of protocol offload and other features' }),
  row({ nl: c => nl.features().set(c), names: ['-K', '--features', '--offload'], run: c => cmd.features().set(c), help: 'Set protocol offload and other features', synopsis: ['FEATURE on|off ...'] }),
  row({ names: ['-i', '--driver'], run: c => cmd.misc().driver(c), noArgs: true, help: 'Show driver information' }),
  row({ names: ['-d', '--register-dump'], run: c => cmd.dump().regs(c), help: 'Do a register dump', synopsis: ['[ raw on|off ]', '[ hex on|off ]', '[ file FILENAME ]'] }),
  row({ names: ['-e', '--eeprom-dump'], run: c => cmd.dump().eeprom(c), help: 'Do a EEPROM dump', synopsis: ['[ raw on|off ]', '[ offset N ]', '[ length N ]'] }),
  row({ names: ['-E', '--change-eeprom'], run: c => cmd.seeprom().change(c), help: 'Change bytes in device EEPROM', synopsis: ['[ magic N ]', '[ offset N ]', '[ length N ]', '[ value N ]'] }),
  row({ names: ['-r', '--negotiate'], run: c => cmd.misc().negotiate(c), noArgs: true, help: 'Restart N-WAY negotiation' }),
  row({ names: ['-p', '--identify'], run: c => cmd.misc().identify(c), help: 'Show visible port identification (e.g. blinking)', synopsis: ['[ TIME-IN-SECONDS ]'] }),
  row({ names: ['-t', '--test'], run: c => cmd.test().run(c), help: 'Execute adapter self test', synopsis: ['[ online | offline | external_lb ]'] }),
  row({ nl: c => nl.stats().groups(c), nlchk: c => c.args.length > 0, names: ['-S', '--statistics'], run: c => cmd.stats().nic(c), help: 'Show adapter statistics' }),
  row({ names: ['--phy-statistics'], run: c => cmd.stats().phy(c), noArgs: true, help: 'Show phy statistics' }),
  row({
    names: ['-n', '-u', '--show-nfc', '--show-ntuple'], run: c => cmd.rxclass().show(c), help: 'Show Rx network flow classification options or rules',
    synopsis: ['[ rx-flow-hash tcp4|udp4|ah4|esp4|sctp4|tcp6|udp6|ah6|esp6|sctp6 [context %d] |', '  rule %d ]'],
  }),
  row({
    names: ['-N', '-U', '--config-nfc', '--config-ntuple'], run: c => cmd.rxclass().set(c), help: 'Configure Rx network flow classification options or rules',
    synopsis: ['rx-flow-hash tcp4|udp4|ah4|esp4|sctp4|tcp6|udp6|ah6|esp6|sctp6 m|v|t|s|d|f|n|r... [context %d] |',
      'flow-type ether|ip4|tcp4|udp4|sctp4|ah4|esp4|ip6|tcp6|udp6|ah6|esp6|sctp6',
      '\t[ src %x:%x:%x:%x:%x:%x [m %x:%x:%x:%x:%x:%x] ]', '\t[ dst %x:%x:%x:%x:%x:%x [m %x:%x:%x:%x:%x:%x] ]',
      '\t[ proto %d [m %x] ]', '\t[ src-ip IP-ADDRESS [m IP-ADDRESS] ]', '\t[ dst-ip IP-ADDRESS [m IP-ADDRESS] ]',
      '\t[ tos %d [m %x] ]', '\t[ tclass %d [m %x] ]', '\t[ l4proto %d [m %x] ]', '\t[ src-port %d [m %x] ]',
      '\t[ dst-port %d [m %x] ]', '\t[ spi %d [m %x] ]', '\t[ vlan-etype %x [m %x] ]', '\t[ vlan %x [m %x] ]',
      '\t[ user-def %x [m %x] ]', '\t[ dst-mac %x:%x:%x:%x:%x:%x [m %x:%x:%x:%x:%x:%x] ]',
      '\t[ action %d ] | [ vf %d queue %d ]', '\t[ context %d ]', '\t[ loc %d]] |', 'delete %d'],
  }),
  row({ nl: c => nl.tsinfo().show(c), names: ['-T', '--show-time-stamping'], run: c => cmd.tsinfo().show(c), noArgs: true, help: 'Show time stamping capabilities' }),
  row({ names: ['-x', '--show-rxfh-indir', '--show-rxfh'], run: c => cmd.rxfh().show(c), synopsis: ['[ context %d ]'], help: 'Show Rx flow hash indirection table and/or RSS hash key' }),
  row({
    names: ['-X', '--set-rxfh-indir', '--rxfh'], run: c => cmd.rxfh().set(c), help: 'Set Rx flow hash indirection table and/or RSS hash key',
    synopsis: ['[ context %d|new ]', '[ equal N | weight W0 W1 ... | default ]', '[ hkey %x:%x:%x:%x:%x:.... ]', '[ hfunc FUNC ]', '[ delete ]'],
  }),
  row({ names: ['-f', '--flash'], run: c => cmd.flash().flash(c), help: 'Flash firmware image from the specified file to a region on the device', synopsis: ['FILENAME [ REGION-NUMBER-TO-FLASH ]'] }),
  row({ nl: c => nl.permaddr().permaddr(c), names: ['-P', '--show-permaddr'], run: c => cmd.misc().permaddr(c), help: 'Show permanent hardware address' }),
  row({ names: ['-w', '--get-dump'], run: c => cmd.fwdump().get(c), help: 'Get dump flag, data', synopsis: ['[ data FILENAME ]'] }),
  row({ names: ['-W', '--set-dump'], run: c => cmd.fwdump().set(c), help: 'Set dump flag of the device', synopsis: ['N'] }),
  row({ nl: c => nl.params().showChannels(c), names: ['-l', '--show-channels'], run: c => cmd.params().showChannels(c), noArgs: true, help: 'Query Channels' }),
  row({ nl: c => nl.params().setChannels(c), names: ['-L', '--set-channels'], run: c => cmd.params().setChannels(c), help: 'Set Channels', synopsis: ['[ rx N ]', '[ tx N ]', '[ other N ]', '[ combined N ]'] }),
  row({ nl: c => nl.privflags().show(c), names: ['--show-priv-flags'], run: c => cmd.privflags().show(c), noArgs: true, help: 'Query private flags' }),
  row({ nl: c => nl.privflags().set(c), names: ['--set-priv-flags'], run: c => cmd.privflags().set(c), synopsis: ['FLAG on|off ...'], help: 'Set private flags' }),
  row({
    nl: c => nl.moduleEeprom().getmodule(c), names: ['-m', '--dump-module-eeprom', '--module-info'], run: c => cmd.module().getmodule(c),
    help: 'Query/Decode Module EEPROM information and optical diagnostics if available',
    synopsis: ['[ raw on|off ]', '[ hex on|off ]', '[ offset N ]', '[ length N ]', '[ page N ]', '[ bank N ]', '[ i2c N ]'],
  }),
  row({ nl: c => nl.eee().show(c), names: ['--show-eee'], run: c => cmd.eee().show(c), noArgs: true, help: 'Show EEE settings' }),
  row({ nl: c => nl.eee().set(c), names: ['--set-eee'], run: c => cmd.eee().set(c), synopsis: ['[ eee on|off ]', '[ tx-lpi on|off ]', '[ tx-timer %d ]', '[ advertise %x ]'], help: 'Set EEE settings' }),
  row({ names: ['--set-phy-tunable'], run: c => cmd.tunable().setPhy(c), synopsis: ['[ downshift on|off [count N] ]', '[ fast-link-down on|off [msecs N] ]', '[ energy-detect-power-down on|off [msecs N] ]'], help: 'Set PHY tunable' }),
  row({ names: ['--get-phy-tunable'], run: c => cmd.tunable().getPhy(c), synopsis: ['[ downshift ] [ fast-link-down ] [ energy-detect-power-down ]'], help: 'Get PHY tunable' }),
  row({ names: ['--get-tunable'], run: c => cmd.tunable().get(c), synopsis: ['[ rx-copybreak ] [ tx-copybreak ] [ tx-buf-size ] [ pfc-prevention-tout ]'], help: 'Get tunable' }),
  row({ names: ['--set-tunable'], run: c => cmd.tunable().set(c), synopsis: ['[ rx-copybreak N ] [ tx-copybreak N ] [ tx-buf-size N ] [ pfc-prevention-tout N ]'], help: 'Set tunable' }),
  row({ names: ['--reset'], run: c => cmd.reset().reset(c), synopsis: ['[ flags %x ]', '[ mgmt ] [ mgmt-shared ] [ irq ] [ irq-shared ] [ dma ] [ dma-shared ] [ filter ] [ filter-shared ]', '[ offload ] [ offload-shared ] [ mac ] [ mac-shared ] [ phy ] [ phy-shared ] [ ram ] [ ram-shared ]', '[ ap ] [ ap-shared ] [ dedicated ] [ all ]'], help: 'Reset components' }),
  row({ nl: c => nl.fec().show(c), names: ['--show-fec'], run: c => cmd.fec().show(c), noArgs: true, help: 'Show FEC settings' }),
  row({ nl: c => nl.fec().set(c), names: ['--set-fec'], run: c => cmd.fec().set(c), help: 'Set FEC settings', synopsis: ['[ encoding auto|off|rs|baser|llrs [...]]'] }),
  row({ names: ['-Q', '--per-queue'], run: c => cmd.perqueue().perQueue(c), synopsis: ['[ queue_mask %x ] --show-coalesce | --coalesce [ KEY N ... ]'], help: 'Apply per-queue command.' }),
  row({ netlinkOnly: true, nl: c => nl.cable().cableTest(c), names: ['--cable-test'], help: 'Perform a cable test' }),
  row({ netlinkOnly: true, nl: c => nl.cable().cableTestTdr(c), names: ['--cable-test-tdr'], help: 'Print cable test time domain reflectrometery data' }),
  row({ netlinkOnly: true, nl: c => nl.tunnels().show(c), names: ['--show-tunnels'], help: 'Show NIC tunnel offload information' }),
  row({ netlinkOnly: true, nl: c => nl.module().show(c), names: ['--show-module'], help: 'Show transceiver module settings' }),
  row({ netlinkOnly: true, nl: c => nl.module().set(c), names: ['--set-module'], help: 'Set transceiver module settings' }),
  row({ names: ['-h', '--help'], run: c => cmd.help().help(c), noDevice: true, help: 'Show this help' }),
  row({ names: ['--version'], run: c => cmd.help().version(c), noDevice: true, help: 'Show version number' }),
];

export function findOption(arg: string): OptionRow | undefined {
  for (const row of OPTIONS) if (row.names.includes(arg)) return row;
  return undefined;
}
