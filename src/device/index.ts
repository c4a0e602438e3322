export { Nic, StatsReader } from './nic';
export { EthtoolError, UsageError, ERRNO, strerror, errnoName } from './errors';
export * from './types';
