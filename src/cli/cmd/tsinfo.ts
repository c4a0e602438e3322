/** -T/--show-time-stamping over the ioctl: ETHTOOL_GET_TS_INFO (struct ethtool_ts_info). */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';

/** ethtool's labels, by bit: the kernel's name padded to 22 columns, then the C constant. */
const label = (name: string, constant: string): readonly [string, string] => [name, `${name.padEnd(22)}(${constant})`];

export const SO_TIMESTAMPING = [
  label('hardware-transmit', 'SOF_TIMESTAMPING_TX_HARDWARE'), label('software-transmit', 'SOF_TIMESTAMPING_TX_SOFTWARE'),
  label('hardware-receive', 'SOF_TIMESTAMPING_RX_HARDWARE'), label('software-receive', 'SOF_TIMESTAMPING_RX_SOFTWARE'),
  label('software-system-clock', 'SOF_TIMESTAMPING_SOFTWARE'), label('hardware-legacy-clock', 'SOF_TIMESTAMPING_SYS_HARDWARE'),
  label('hardware-raw-clock', 'SOF_TIMESTAMPING_RAW_HARDWARE'),
] as const;

export const TX_TYPES = [
  label('off', 'HWTSTAMP_TX_OFF'), label('on', 'HWTSTAMP_TX_ON'), label('one-step-sync', 'HWTSTAMP_TX_ONESTEP_SYNC'),
] as const;

export const RX_FILTERS = [
  label('none', 'HWTSTAMP_FILTER_NONE'), label('all', 'HWTSTAMP_FILTER_ALL'), label('some', 'HWTSTAMP_FILTER_SOME'),
  label('ptpv1-l4-event', 'HWTSTAMP_FILTER_PTP_V1_L4_EVENT'), label('ptpv1-l4-sync', 'HWTSTAMP_FILTER_PTP_V1_L4_SYNC'),
  label('ptpv1-l4-delay-req', 'HWTSTAMP_FILTER_PTP_V1_L4_DELAY_REQ'), label('ptpv2-l4-event', 'HWTSTAMP_FILTER_PTP_V2_L4_EVENT'),
  label('ptpv2-l4-sync', 'HWTSTAMP_FILTER_PTP_V2_L4_SYNC'), label('ptpv2-l4-delay-req', 'HWTSTAMP_FILTER_PTP_V2_L4_DELAY_REQ'),
  label('ptpv2-l2-event', 'HWTSTAMP_FILTER_PTP_V2_L2_EVENT'), label('ptpv2-l2-sync', 'HWTSTAMP_FILTER_PTP_V2_L2_SYNC'),
  label('ptpv2-l2-delay-req', 'HWTSTAMP_FILTER_PTP_V2_L2_DELAY_REQ'), label('ptpv2-event', 'HWTSTAMP_FILTER_PTP_V2_EVENT'),
  label('ptpv2-sync', 'HWTSTAMP_FILTER_PTP_V2_SYNC'), label('ptpv2-delay-req', 'HWTSTAMP_FILTER_PTP_V2_DELAY_REQ'),
  label('ntp-all', 'HWTSTAMP_FILTER_NTP_ALL'),
] as const;

interface TsInfo { so_timestamping: number; phc_index: number; tx_types: number; rx_filters: number }

const bits = (mask: number, table: readonly (readonly [string, string])[]): (readonly [string, string])[] =>
  table.filter((_, i) => ((mask >>> i) & 1) === 1);

export function show(ctx: Ctx): number {
  if (ctx.args.length !== 0) return badArgs(ctx.out);
  // ethtool prints the title before it asks.
  ctx.out.print(`Time stamping parameters for ${ctx.devname}:\n`);
  const got = ops.getStruct<TsInfo>(ctx.dev, S.ethtool_ts_info, ETHTOOL.GET_TS_INFO);
  if (!got.ok) {
    ctx.out.perror('Cannot get device time stamping settings', got.errno);
    return 255;
  }
  const t = got.v;
  const so = bits(t.so_timestamping, SO_TIMESTAMPING), tx = bits(t.tx_types, TX_TYPES), rx = bits(t.rx_filters, RX_FILTERS);
  const lines = (l: (readonly [string, string])[]): string => l.map(([, text]) => `\t${text}\n`).join('');
  ctx.out.print('Capabilities:\n' + lines(so) +
    `PTP Hardware Clock: ${t.phc_index < 0 ? 'none' : t.phc_index}\n` +
    `Hardware Transmit Timestamp Modes:${t.tx_types ? '\n' : ' none\n'}${lines(tx)}` +
    `Hardware Receive Filter Modes:${t.rx_filters ? '\n' : ' none\n'}${lines(rx)}`);
  ctx.out.object({
    ifname: ctx.devname, capabilities: so.map(([n]) => n), 'phc-index': t.phc_index < 0 ? null : t.phc_index,
    'tx-types': tx.map(([n]) => n), 'rx-filters': rx.map(([n]) => n),
  });
  return 0;
}
