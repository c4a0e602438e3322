/** --show-priv-flags/--set-priv-flags, -T, --show-eee/--set-eee. */
import type { Table } from './types';

const N16 = 'abcdefghijklmnop';

export const PRIVFLAGS: Table = {
  family: '--show-priv-flags/--set-priv-flags',
  rows: [
    ['--show-priv-flags va', 1, { err: 'No private flags defined', nlExit: 1, nlErr: 'Operation not supported' }],
    ['--show-priv-flags eth0', 1, { nlExit: 1 }],
    ['--show-priv-flags tp0', 1],
    ['--show-priv-flags tn0', 1],
    ['--show-priv-flags nosuch0', 1, { err: 'Cannot get private flag names: No such device', nlExit: 1, nlErr: 'no device matches name' }],
    [`--show-priv-flags ${N16}`, 1, { nlExit: 1 }],
    ['--show-priv-flags va x', 1, { nlExit: 1, nlErr: "unexpected parameter 'x'" }],
    ['--show-priv-flags *', 1, { nlExit: 0 }],
    ['--show-priv-flags', 1],
    ['--set-priv-flags va foo on', 1, { nlExit: 1 }],
    ['--set-priv-flags va foo', 1, { nlExit: 1, nlErr: "flag 'foo' for parameter '(null)' is not followed by 'on' or 'off'" }],
    ['--set-priv-flags va foo maybe', 1, { nlExit: 1 }],
    ['--set-priv-flags va foo on bar', 1, { nlExit: 1 }],
    ['--set-priv-flags va 0x1/0x1', 1, { nlExit: 1 }],
    ['--set-priv-flags va 0x1/zz', 1, { nlExit: 1, nlErr: "invalid value '1/zz'" }],
    ['--set-priv-flags va', 1, { nlExit: 1 }],
    ['--set-priv-flags tp0 foo off', 1, { nlExit: 1 }],
    ['--set-priv-flags tn0 foo on', 1, { nlExit: 1 }],
    ['--set-priv-flags nosuch0 foo on', 1, { nlExit: 1 }],
    ['--set-priv-flags * foo on', 1, { nlExit: 1 }],
    ['--set-priv-flags', 1],
  ],
};

export const TSINFO: Table = {
  family: '-T',
  rows: [
    ['-T va', 0, { out: 'software-transmit' }],
    ['-T vb', 0],
    ['--show-time-stamping eth0', 0],
    ['-T eth0', 0, { out: 'PTP Hardware Clock: none' }],
    ['-T tp0', 0],
    ['-T tn0', 0],
    ['-T nosuch0', 255, { err: 'Cannot get device time stamping settings: No such device', nlExit: 1, nlErr: 'no device matches name' }],
    [`-T ${N16}`, 1, { nlExit: 1 }],
    ['-T va x', 1, { nlExit: 1, nlErr: "unexpected parameter 'x'" }],
    ['-T *', 1, { nlExit: 0 }],
    ['-T', 1],
  ],
};

export const EEE: Table = {
  family: '--show-eee/--set-eee',
  rows: [
    ['--show-eee va', 1, { err: 'Cannot get EEE settings: Operation not supported', nlExit: 1, nlErr: 'Operation not supported' }],
    ['--show-eee eth0', 1, { nlExit: 1 }],
    ['--show-eee tp0', 1],
    ['--show-eee tn0', 1],
    ['--show-eee nosuch0', 1, { nlExit: 1, nlErr: 'no device matches name' }],
    ['--show-eee va x', 1, { nlExit: 1 }],
    ['--show-eee *', 1, { nlExit: 0 }],
    ['--show-eee', 1],
    ['--set-eee va eee on', 1, { nlExit: 76 }],
    ['--set-eee va eee off tx-lpi on tx-timer 100', 1, { nlExit: 76 }],
    ['--set-eee va advertise 0x20', 1, { nlExit: 76 }],
    ['--set-eee va advertise foo', 1, { nlExit: 1 }],
    ['--set-eee va', 1, { nlExit: 1, nlErr: 'parameters missing' }],
    ['--set-eee va eee', 1, { nlExit: 1, nlErr: "no value for parameter 'eee'" }],
    ['--set-eee va eee maybe', 1, { nlExit: 1 }],
    ['--set-eee va tx-timer 99999999999', 1, { nlExit: 1 }],
    ['--set-eee va tx-timer -1', 1, { nlExit: 1 }],
    ['--set-eee va bogus 1', 1, { nlExit: 1, nlErr: "unknown parameter 'bogus'" }],
    ['--set-eee va eee on eee off', 1, { nlExit: 1 }],
    ['--set-eee tp0 eee on', 1, { nlExit: 76 }],
    ['--set-eee tn0 tx-lpi off', 1, { nlExit: 76 }],
    ['--set-eee nosuch0 eee on', 1, { nlExit: 76 }],
    ['--set-eee', 1],
  ],
};

export const RESET: Table = {
  family: '--reset',
  rows: [
    ['--reset va all', 1, { out: 'ETHTOOL_RESET 0xffffffff', err: 'Cannot issue ETHTOOL_RESET: Operation not supported' }],
    ['--reset va mac phy-shared dedicated', 1],
    ['--reset va ap-shared ram irq-shared', 1],
    ['--reset va flags 0x30', 1],
    ['--reset va flags 010', 1],
    ['--reset va flags 5x', 1],
    ['--reset va flags -1', 1],
    ['--reset va flags 0x1ffffffff', 1],
    ['--reset va flags 0', 1, { err: 'bad command line argument(s)' }],
    ['--reset va flags abc', 1],
    ['--reset va flags', 1],
    ['--reset va macx', 1],
    ['--reset va mac-sharedx', 1],
    ['--reset va', 1],
    ['--reset tp0 dma', 1],
    ['--reset tn0 filter offload', 1],
    ['--reset nosuch0 irq', 1, { err: 'No such device' }],
    ['--reset', 1],
  ],
};
