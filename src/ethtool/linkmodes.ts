/**
 * Link-mode bits (ETHTOOL_LINK_MODE_*_BIT) as ethtool's settings page names and orders them.
 * Each row: bit, name, and whether it may share a line with the row before it.
 */
export interface LinkModeRow { readonly bit: number; readonly name: string; readonly sameLine: boolean }

// "bit:name" with a leading "+" when it shares the previous line. Print order = this order.
const TABLE = (
  '0:10baseT/Half +1:10baseT/Full 2:100baseT/Half +3:100baseT/Full 4:1000baseT/Half +5:1000baseT/Full ' +
  '12:10000baseT/Full 15:2500baseX/Full 17:1000baseKX/Full 18:10000baseKX4/Full 19:10000baseKR/Full ' +
  '20:10000baseR_FEC 21:20000baseMLD2/Full 22:20000baseKR2/Full 23:40000baseKR4/Full 24:40000baseCR4/Full ' +
  '25:40000baseSR4/Full 26:40000baseLR4/Full 27:56000baseKR4/Full 28:56000baseCR4/Full 29:56000baseSR4/Full ' +
  '30:56000baseLR4/Full 31:25000baseCR/Full 32:25000baseKR/Full 33:25000baseSR/Full 34:50000baseCR2/Full ' +
  '35:50000baseKR2/Full 36:100000baseKR4/Full 37:100000baseSR4/Full 38:100000baseCR4/Full ' +
  '39:100000baseLR4_ER4/Full 40:50000baseSR2/Full 41:1000baseX/Full 42:10000baseCR/Full 43:10000baseSR/Full ' +
  '44:10000baseLR/Full 45:10000baseLRM/Full 46:10000baseER/Full 47:2500baseT/Full 48:5000baseT/Full ' +
  '52:50000baseKR/Full 53:50000baseSR/Full 54:50000baseCR/Full 55:50000baseLR_ER_FR/Full 56:50000baseDR/Full ' +
  '57:100000baseKR2/Full 58:100000baseSR2/Full 59:100000baseCR2/Full 60:100000baseLR2_ER2_FR2/Full ' +
  '61:100000baseDR2/Full 62:200000baseKR4/Full 63:200000baseSR4/Full 64:200000baseLR4_ER4_FR4/Full ' +
  '65:200000baseDR4/Full 66:200000baseCR4/Full 67:100baseT1/Full 68:1000baseT1/Full 69:400000baseKR8/Full ' +
  '70:400000baseSR8/Full 71:400000baseLR8_ER8_FR8/Full 72:400000baseDR8/Full 73:400000baseCR8/Full ' +
  '75:100000baseKR/Full 76:100000baseSR/Full 77:100000baseLR_ER_FR/Full 79:100000baseDR/Full ' +
  '78:100000baseCR/Full 80:200000baseKR2/Full 81:200000baseSR2/Full 82:200000baseLR2_ER2_FR2/Full ' +
  '83:200000baseDR2/Full 84:200000baseCR2/Full 85:400000baseKR4/Full 86:400000baseSR4/Full ' +
  '87:400000baseLR4_ER4_FR4/Full 88:400000baseDR4/Full 89:400000baseCR4/Full 90:100baseFX/Half ' +
  '+91:100baseFX/Full 92:10baseT1L/Full'
);

export const LINK_MODES: readonly LinkModeRow[] = TABLE.split(' ').map(tok => {
  const same = tok.startsWith('+');
  const [bit, name] = (same ? tok.slice(1) : tok).split(':');
  return { bit: Number(bit), name, sameLine: same };
});

/** Bits that are not speeds: autoneg, ports, pause, FEC. */
export const BIT = {
  Autoneg: 6, TP: 7, AUI: 8, MII: 9, FIBRE: 10, BNC: 11, Pause: 13, Asym_Pause: 14, Backplane: 16,
  FEC_NONE: 49, FEC_RS: 50, FEC_BASER: 51, FEC_LLRS: 74,
} as const;

/** "Supported ports" in ethtool's print order. */
export const PORT_BITS: readonly [number, string][] = [
  [BIT.TP, 'TP'], [BIT.AUI, 'AUI'], [BIT.BNC, 'BNC'], [BIT.MII, 'MII'], [BIT.FIBRE, 'FIBRE'], [BIT.Backplane, 'Backplane'],
];

/** FEC modes in ethtool's print order. */
export const FEC_BITS: readonly [number, string][] = [
  [BIT.FEC_NONE, 'None'], [BIT.FEC_BASER, 'BaseR'], [BIT.FEC_RS, 'RS'], [BIT.FEC_LLRS, 'LLRS'],
];

/** Highest bit number ethtool 6.1 knows (speed modes and flags). */
export const KNOWN_BITS = 93;

export function testBit(words: readonly number[], b: number): boolean {
  const w = words[b >> 5];
  return w !== undefined && ((w >>> (b & 31)) & 1) === 1;
}

/**
 * What ethtool's netlink printer (netlink/settings.c) makes of a link-mode bit: a speed mode
 * ('real', listed under "link modes"), the autoneg flag, a port, a pause flag or a FEC mode.
 * Bits past the ones ethtool 6.1 knows count as speed modes, as there.
 */
export type LinkModeClass = 'real' | 'autoneg' | 'port' | 'pause' | 'fec';

const SPECIAL_CLASS: ReadonlyMap<number, LinkModeClass> = new Map<number, LinkModeClass>([
  [BIT.Autoneg, 'autoneg'],
  [BIT.TP, 'port'], [BIT.AUI, 'port'], [BIT.MII, 'port'], [BIT.FIBRE, 'port'], [BIT.BNC, 'port'], [BIT.Backplane, 'port'],
  [BIT.Pause, 'pause'], [BIT.Asym_Pause, 'pause'],
  [BIT.FEC_NONE, 'fec'], [BIT.FEC_RS, 'fec'], [BIT.FEC_BASER, 'fec'], [BIT.FEC_LLRS, 'fec'],
]);

export function linkModeClass(bit: number): LinkModeClass {
  return SPECIAL_CLASS.get(bit) ?? 'real';
}

/**
 * The half-duplex speed modes (10baseT/Half, 100baseT/Half, 1000baseT/Half, 100baseFX/Half):
 * in ethtool's netlink lists the mode right after one of them shares its line.
 */
export const HALF_DUPLEX_BITS: ReadonlySet<number> = new Set([0, 2, 4, 90]);
