/** --monitor: ethtool's netlink event listener. */
import type { Out } from '../out';
import type { EthtoolNetlink } from '../../ethtool/netlink/client';

export async function monitor(_args: readonly string[], out: Out, _nl: EthtoolNetlink): Promise<number> {
  out.error('--monitor is not implemented by ethkit', 'ethkit: --monitor is not implemented (ethtool 6.1 has it; ethkit does not yet)\n');
  return 1;
}
