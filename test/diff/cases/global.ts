/**
 * Command-line handling shared by every command: global flags, option lookup, device-name
 * checks, netlink-only commands, -h and --version. (ethtool-facts §1, §9.)
 */
import type { Table } from './types';

const N16 = 'abcdefghijklmnop';
const N15 = 'abcdefghijklmno';
const N127 = 'x'.repeat(127);
const N128 = 'x'.repeat(128);
/** Only netlink has messages for --debug to show (the ioctl path prints the command's output alone). */
const NL = ['netlink'] as const;

export const GLOBAL: Table = {
  family: 'global',
  rows: [
    ['', 1, { err: 'bad command line argument(s)' }],
    ['--debug', 1],
    ['--debug 1', 1],
    ['--debug x va', 1],
    ["--debug '' va", 1],
    ['--debug 1x -i va', 1],
    ['--debug -1 -i va', 0],
    ['--debug 0x10 -I -i va', 0],
    ['-I -i va', 0],
    ['--include-statistics -P va', 0],
    ['-I -I --debug 3 va', 0],
    ['-I', 1],
    ['--monitor', 1, { err: 'option --monitor not supported', columns: ['ioctl'] }], // netlink: test/cli-nl-monitor
    ['--monitor va', 1, { columns: ['ioctl'] }],
    ['--debug 1 --monitor', 1, { columns: ['ioctl'] }],
    ['-Z va', 1],
    ['-', 1],
    ['--', 1],
    ['-- va', 1],
    ['--foo va', 1],
    ['--DRIVER va', 1],
    ['-i', 1],
    ['-i -k', 71, { err: 'No such device' }],
    ["-i ''", 71],
    ['-i va:1', 0],
    ['-k va:x', 0],
    ['-i a/b', 71],
    ['-i éééééééé', 1, { err: 'device name longer than 15 not supported' }],
    ['-i ééééééé', 71],
    ['--driver=va', 1],
    ['-i va -k', 1],
    ['--debug 0xffffffffffffffff -i va', 0],
    ['--debug 18446744073709551616 -i va', 0],
    ['--debug 1 --debug 2 -P va', 0],
    // --debug 0x2: every netlink datagram summarized on stdout, in order with the output
    ['--debug 2 -g va', 0, { columns: NL }],
    ['--debug 2 -k va', 0, { columns: NL }],
    ['--debug 2 -S va --all-groups', 0, { columns: NL }],
    ['--debug 2 -K va gro off', 0, { columns: NL }],
    ['--debug 2 -s va msglvl 1', 75, { columns: NL }],
    ['--debug 2 -k nosuch0', 1, { columns: NL }],
    ['--debug 2 -a va', 0, { columns: NL }],
    ['va extra', 1],
    // device-name checks (§1.4), before any ioctl
    [N16, 1, { err: 'netlink interface initialization failed, device name longer than 15 not supported' }],
    [`-i ${N16}`, 1, { err: 'ethtool netlink support for subcommand missing, device name longer than 15' }],
    [`-S ${N16}`, 1, { err: 'ioctl-only request, device name longer than 15' }],
    [`-S ${N16} x`, 1, { err: 'netlink interface initialization failed, device name longer than 15' }],
    [`-k ${N16}`, 1],
    [`-t ${N16}`, 1, { err: 'ethtool netlink support for subcommand missing' }],
    [`-d ${N16}`, 1],
    [`-s ${N16} speed 10`, 1],
    [`-K ${N16} gro on`, 1],
    [`-C ${N16} bogus 1`, 1],
    [`-T ${N16}`, 1],
    [`--show-fec ${N16}`, 1],
    [N15, 75, { err: 'Cannot get device settings: No such device' }],
    [`-i ${N15}`, 71],
    [N127, 1, { err: 'device name longer than 15 not supported' }],
    [N128, 1, { err: `device name '${N128}' longer than 127 characters` }],
    [`-i ${N128}`, 1],
    [`--cable-test ${N128}`, 1, { err: 'longer than 127 characters' }],
    ['*', 1, { err: 'netlink interface initialization failed, wildcard dump not supported' }],
    ['-i *', 1, { err: 'ethtool netlink support for subcommand missing, wildcard dump not supported' }],
    ['-S *', 1, { err: 'ioctl-only request, wildcard dump not supported' }],
    ['-s * speed 10', 1],
  ],
};

export const NETLINK_ONLY: Table = {
  family: 'netlink-only',
  rows: [
    ['--cable-test va', 1, { err: 'netlink interface initialization failed, subcommand not supported by ioctl' }],
    ['--cable-test-tdr va', 1],
    ['--show-tunnels va', 1],
    ['--show-module va', 1],
    ['--set-module va power-mode-policy auto', 1],
    ['--show-tunnels nosuch0', 1],
    [`--show-module ${N16}`, 1, { err: 'subcommand not supported by ioctl' }],
    ['--cable-test *', 1, { err: 'subcommand not supported by ioctl' }],
    ['--cable-test', 1, { err: 'bad command line argument(s)' }],
  ],
};

export const HELP: Table = {
  family: '-h/--version',
  rows: [
    ['-h', 0, { out: 'Usage:', mode: 'help' }],
    ['--help', 0, { mode: 'help' }],
    ['-h extra junk', 0, { mode: 'help' }],
    ['--help va', 0, { mode: 'help' }],
    ['-I -h', 0, { mode: 'help' }],
    ['--debug 1 --help', 0, { mode: 'help' }],
    ['--version', 0, { out: 'ethtool version 6.1' }],
    ['--version x', 0],
    ['-I --version', 0],
    ['--debug 0 --version va', 0],
    ['-H', 1],
    ['-v', 1],
    ['--Version', 1],
  ],
};
