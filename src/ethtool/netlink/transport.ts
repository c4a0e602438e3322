/**
 * The netlink side's door to the FFI module: the socket transport's type and its opener, as
 * ../transport.ts is for the ioctl side. Nothing else under src/ethtool/netlink imports src/ffi.
 */
export type { NetlinkTransport, OpenOptions } from '../../ffi/netlink';
export { openNetlink, NetlinkSocketError } from '../../ffi/netlink';
