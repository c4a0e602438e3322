export { Nic, StatsReader } from './nic';
export { EthtoolError, UsageError } from './errors';
export { ERRNO, strerror, errnoName } from '../ethtool/errno';
export * from '../ethtool/types';
export type { RssConfig, RssChange, FlowHash, RuleSpec, DecodedRule, RuleAction, RuleField } from './rss';
