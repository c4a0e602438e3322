export { Transport, IFNAMSIZ, ifnameProblem } from './transport';
export { strerror } from './strerror';
export type { NetlinkTransport } from './netlink';
