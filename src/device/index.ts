export { Nic, StatsReader } from './nic';
export { EthtoolError, UsageError } from './errors';
export { ERRNO, strerror, errnoName } from '../ethtool/errno';
export * from '../ethtool/types';
