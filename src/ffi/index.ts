export { Transport, IFNAMSIZ, ifnameProblem } from './transport';
export type { NetlinkTransport } from './netlink';
