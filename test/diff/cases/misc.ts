/**
 * -i, -S/--phy-statistics, -t, -p, -P, -r, -d, -e (ethtool-facts §3.1, §3.7-3.13).
 * eth0 gets only read-only commands (never -t, -p, -r); its counters move, so -S on eth0 is
 * compared in 'counters' mode.
 */
import type { Table } from './types';

export const DRIVER: Table = {
  family: '-i',
  rows: [
    ['-i eth0', 0, { out: 'driver: virtio_net' }],
    ['-i va', 0, { out: 'driver: veth' }],
    ['-i tp0', 0, { out: 'bus-info: tap' }],
    ['-i tn0', 0],
    ['--driver vb', 0],
    ['--driver eth0', 0],
    ['-i nosuch0', 71, { err: 'Cannot get driver information: No such device' }],
    ['-i va x', 1],
    ['-i eth0 x', 1],
    ['--driver', 1],
  ],
};

export const STATS: Table = {
  family: '-S',
  rows: [
    ['-S eth0', 0, { mode: 'counters', out: 'NIC statistics:' }],
    ['--statistics eth0', 0, { mode: 'counters' }],
    ['-S va', 0, { out: 'peer_ifindex' }],
    ['-S vb', 0],
    ['-S tp0', 94, { err: 'no stats available' }],
    ['-S tn0', 94],
    ['-S nosuch0', 96, { err: 'Cannot get stats strings information: No such device' }],
    ['-S va x', 1],
    ['-S va --all-groups', 1],
    ['-S va --groups eth-mac', 1],
    ['-S eth0 --all-groups', 1],
    ['--phy-statistics eth0', 94],
    ['--phy-statistics va', 94, { err: 'no stats available' }],
    ['--phy-statistics tp0', 94],
    ['--phy-statistics nosuch0', 96],
    ['--phy-statistics va x', 1],
    ['-S', 1],
    ['--phy-statistics', 1],
  ],
};

export const TEST: Table = {
  family: '-t',
  rows: [
    ['-t va', 74, { err: 'Cannot test: Operation not supported' }],
    ['-t va offline', 74],
    ['-t va online', 74],
    ['-t va external_lb', 74],
    ['--test tp0', 74],
    ['-t tn0 online', 74],
    ['-t nosuch0', 74],
    ['-t va foo', 1],
    ['-t va OFFLINE', 1],
    ['-t va online offline', 1],
    ['-t nosuch0 foo', 1],
    ['-t', 1],
  ],
};

export const IDENTIFY: Table = {
  family: '-p',
  rows: [
    ['-p va', 255, { err: 'Cannot identify NIC: Operation not supported' }],
    ['-p va 1', 255],
    ['-p va 0x1', 255],
    ['-p va 010', 255],
    ['-p va -3', 255],
    ['--identify tp0 2', 255],
    ['-p nosuch0', 255, { err: 'No such device' }],
    ['-p va x', 1],
    ['-p va 08', 1],
    ['-p va 1 2', 1],
    ['-p va 2147483648', 1],
    ['-p va 1x', 1],
    ['-p', 1],
  ],
};

export const PERMADDR: Table = {
  family: '-P',
  rows: [
    ['-P eth0', 0, { out: 'Permanent address: ', nlExit: 0 }],
    ['-P va', 0, { out: 'Permanent address: 00:00:00:00:00:00', nlExit: 0 }],
    ['-P tp0', 0],
    ['-P tn0', 0],
    ['--show-permaddr vb', 0],
    ['-P va x y', 0, { nlExit: 0 }],
    ['-P eth0 junk', 0],
    ['-P nosuch0', 255, { err: 'Cannot read permanent address: No such device', nlExit: 1, nlErr: 'netlink error: No such device' }],
    ['-P', 1],
    // netlink (rtnetlink RTM_GETLINK): "*" lists the devices that have a permanent address (none
    // in the suite's namespaces); 16-127-byte names go to the kernel as IFLA_ALT_IFNAME
    ['-P lo', 0, { nlExit: 0 }],
    ['-P *', 1, { err: 'wildcard dump not supported', nlExit: 0 }],
    ['-P * x', 1, { nlExit: 0 }],
    ['-P abcdefghijklmnop', 1, { err: 'device name longer than 15 not supported', nlExit: 1, nlErr: 'netlink error: No such device' }],
    [`-P ${'x'.repeat(127)}`, 1, { nlExit: 1 }],
    [`-P ${'y'.repeat(128)}`, 1, { nlExit: 1, nlErr: 'longer than 127 characters' }],
  ],
};

export const NEGOTIATE: Table = {
  family: '-r',
  rows: [
    ['-r va', 255, { err: 'Cannot restart autonegotiation: Operation not supported' }],
    ['-r tp0', 255],
    ['--negotiate tn0', 255],
    ['-r nosuch0', 255],
    ['-r va x', 1],
    ['-r', 1],
  ],
};

export const REGS: Table = {
  family: '-d',
  rows: [
    ['-d eth0', 74, { err: 'Cannot get register dump: Operation not supported' }],
    ['-d va', 74],
    ['-d tp0', 74],
    ['--register-dump tn0', 74],
    ['-d nosuch0', 72, { err: 'Cannot get driver information: No such device' }],
    ['-d va raw on', 74],
    ['-d va raw off', 74],
    ['-d va hex on', 74],
    ['-d va hex off raw off', 74],
    ['-d va file /nonexistent/regs', 74],
    ['-d va raw on hex on file /etc/hostname', 74],
    ['-d eth0 raw on', 74],
    ['-d eth0 file /etc/hostname', 74],
    ['-d eth0 hex on', 74],
    ['-d va raw maybe', 1],
    ['-d va raw', 1],
    ['-d va hex 1', 1],
    ['-d va file', 1],
    ['-d va bogus on', 1],
    ['-d nosuch0 raw x', 1],
    ['-d va raw on raw off', 74],
    ['-d', 1],
  ],
};

export const EEPROM: Table = {
  family: '-e',
  rows: [
    ['-e eth0', 74, { err: 'Cannot get EEPROM data: Operation not supported' }],
    ['-e va', 74],
    ['--eeprom-dump tp0', 74],
    ['-e nosuch0', 74, { err: 'Cannot get driver information: No such device' }],
    ['-e va raw on', 74],
    ['-e va offset 0 length 4', 74],
    ['-e va offset 0x10', 74],
    ['-e va length -0', 74],
    ['-e va offset 4294967295', 74],
    ['-e va length 0xffffffff', 74],
    ['-e va offset 1 length 0', 74],
    ['-e va length 4', 74],
    ['-e eth0 offset 0 length 16 raw off', 74],
    ['-e va offset -1', 1],
    ['-e va offset 4294967296', 1],
    ['-e va length x', 1],
    ['-e va offset', 1],
    ['-e va raw 1', 1],
    ['-e va bogus 1', 1],
    ['-e va magic 1', 1],
    ['-e nosuch0 length x', 1],
    ['-e va offset 1 offset 2', 74],
    ['-e', 1],
  ],
};
