/**
 * ethtool over generic netlink: framing, attribute tables, bitsets, family resolution and
 * the client. See docs/netlink.md.
 */
export * from './constants';
export * from './tlv';
export * from './bitset';
export * from './attrs';
export * from './catalog';
export * from './message';
export * from './conn';
export * from './family';
export * from './client';
export * from './policy';
export * from './rtnl';
export * from './module-eeprom';
