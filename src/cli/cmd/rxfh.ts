/**
 * -x / -X: the RSS indirection table, hash key and hash function, over the ioctl as ethtool 6.1
 * does it everywhere: GRXRINGS, then GRSSH (GRXFHINDIR/SRXFHINDIR where the driver lacks it
 * and nothing but the table is asked for), SRSSH; the function names from ETH_SS_RSS_HASH_FUNCS.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import { ETH_SS, ETH_RXFH_CONTEXT_ALLOC, ETH_RXFH_INDIR_NO_CHANGE } from '../../ethtool/constants';
import { ERRNO } from '../../ethtool/errno';
import * as ops from '../../ethtool/ops';
import * as rss from '../../ethtool/rss';
import { strtoint } from '../../common/numbers';
import type { JsonValue } from '../json';

const INT_MAX = 0x7fffffff;

/** get_int_range(s, 0, min, max): strtoll base 0, the whole string, in range; null: bad arguments. */
function intRange(s: string | undefined, min: number, max: number): number | null {
  if (s === undefined) return null;
  const v = strtoint(s, 0, false);
  return v === null || v < BigInt(min) || v > BigInt(max) ? null : Number(v);
}

/** get_u32(s, 0): strtoull base 0 within 32 bits. */
function u32(s: string | undefined): number | null {
  if (s === undefined) return null;
  const v = strtoint(s, 0, true);
  return v === null || v > 0xffffffffn ? null : Number(v);
}

/** print_indir_table */
function indirText(dev: string, rings: bigint, indir: readonly number[]): string {
  let s = `RX flow hash indirection table for ${dev} with ${rings} RX ring(s):\n`;
  if (indir.length === 0) s += 'Operation not supported\n';
  indir.forEach((q, i) => {
    if (i % 8 === 0) s += `${String(i).padStart(5)}: `;
    s += ` ${String(q >>> 0).padStart(5)}`;
    if (i % 8 === 7 || i === indir.length - 1) s += '\n';
  });
  return s;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
export const keyText = (key: Uint8Array): string => Array.from(key, hex2).join(':');

/** The hash function names (ETH_SS_RSS_HASH_FUNCS, cut at byte 31), or the errno. */
function hfuncNames(ctx: Ctx): ops.Res<string[]> {
  return ops.stringSet(ctx.dev, ETH_SS.RSS_HASH_FUNCS, { fallback: null, nulTerminate: true });
}

/** -x [context N] */
export function show(ctx: Ctx): number {
  const a = ctx.args;
  let context = 0;
  for (let i = 0; i < a.length;) {
    if (a[i] !== 'context') return badArgs(ctx.out);
    const n = intRange(a[i + 1], 1, ETH_RXFH_CONTEXT_ALLOC - 1);
    if (n === null) return badArgs(ctx.out);
    context = n;
    i += 2;
  }
  const rings = rss.getRxRings(ctx.dev);
  if (!rings.ok) {
    ctx.out.perror('Cannot get RX ring count', rings.errno);
    return 1;
  }
  const head = rss.getRxfhHead(ctx.dev, context);
  if (!head.ok && head.errno === ERRNO.EOPNOTSUPP && context === 0) return showIndirOnly(ctx, rings.v);
  if (!head.ok) {
    ctx.out.perror('Cannot get RX flow hash indir size and/or key size', head.errno);
    return 1;
  }
  const got = rss.getRxfh(ctx.dev, head.v);
  if (!got.ok) {
    ctx.out.perror('Cannot get RX flow hash configuration', got.errno);
    return 1;
  }
  const r = got.v;
  let text = indirText(ctx.devname, rings.v, r.indir) + 'RSS hash key:\n';
  text += r.key_size === 0 ? 'Operation not supported\n' : keyText(r.key) + '\n';
  text += 'RSS hash function:\n';
  const doc: Record<string, JsonValue> = {
    ifname: ctx.devname, 'rx-rings': rings.v, 'rss-context': context, 'indir-size': r.indir_size, indir: r.indir,
    'hkey': r.key_size === 0 ? null : keyText(r.key), hfunc: null,
  };
  if (r.hfunc === 0) {
    ctx.out.print(text + '    Operation not supported\n');
    ctx.out.object(doc);
    return 0;
  }
  const names = hfuncNames(ctx);
  if (!names.ok) {
    ctx.out.print(text);
    ctx.out.perror('Cannot get hash functions names', names.errno);
    return 1;
  }
  const hf: Record<string, JsonValue> = {};
  names.v.forEach((n, i) => {
    const on = i < 32 && ((r.hfunc >>> i) & 1) === 1;
    text += `    ${n}: ${on ? 'on' : 'off'}\n`;
    hf[n] = on;
  });
  doc.hfunc = hf;
  ctx.out.print(text);
  ctx.out.object(doc);
  return 0;
}

/** GRXFHINDIR's table size, or null after ethtool's message. */
function indirSize(ctx: Ctx): number | null {
  const size = rss.getIndirSize(ctx.dev);
  if (size.ok) return size.v;
  ctx.out.perror('Cannot get RX flow hash indirection table size', size.errno);
  return null;
}

/** do_grxfhindir: the table alone, from GRXFHINDIR. */
function showIndirOnly(ctx: Ctx, rings: bigint): number {
  const size = indirSize(ctx);
  if (size === null) return 1;
  const t = rss.getIndir(ctx.dev, size);
  if (!t.ok) {
    ctx.out.perror('Cannot get RX flow hash indirection table', t.errno);
    return 1;
  }
  ctx.out.print(indirText(ctx.devname, rings, t.v));
  ctx.out.object({ ifname: ctx.devname, 'rx-rings': rings, 'rss-context': 0, 'indir-size': t.v.length, indir: t.v, hkey: null, hfunc: null });
  return 0;
}

/** What -X asks for, as parsed. */
interface SetRequest {
  equal: number; start: number; dflt: boolean; del: boolean;
  /** Where the weights start in the arguments, and how many were counted. */
  weightAt: number; nWeights: number;
  hkey: string | null; hfunc: string | null; context: number;
}

/** convert_string_to_hashkey: the key bytes, or ethtool's message (exit 2). */
export function parseHkey(s: string, keySize: number): Uint8Array | string {
  const out = new Uint8Array(keySize);
  let i = 0, p = 0;
  do {
    if (i > keySize - 1) return `Key is too long for device (${i + 1} > ${keySize})`;
    // sscanf("%2x%n") consuming exactly two characters: two digits, or a space or sign and one.
    const tok = s.slice(p, p + 2);
    let m: RegExpExecArray | null;
    let b: number;
    if (/^[0-9a-fA-F]{2}$/.test(tok)) b = parseInt(tok, 16);
    else if ((m = /^([ \t\n\v\f\r+-])([0-9a-fA-F])$/.exec(tok))) b = m[1] === '-' ? (-parseInt(m[2], 16)) & 0xff : parseInt(m[2], 16);
    else return 'Invalid RSS hash key format';
    out[i++] = b;
    p += 2;
    if (s[p] === ':') p++;
    else if (p < s.length) return 'Invalid RSS hash key format';
  } while (p < s.length);
  if (i !== keySize) return `Key is too short for device (${i} < ${keySize})`;
  return out;
}

function parseSet(a: readonly string[]): SetRequest | null {
  const q: SetRequest = { equal: 0, start: 0, dflt: false, del: false, weightAt: -1, nWeights: 0, hkey: null, hfunc: null, context: 0 };
  for (let i = 0; i < a.length;) {
    const w = a[i++];
    if (w === 'equal') {
      const n = intRange(a[i++], 1, INT_MAX);
      if (n === null) return null;
      q.equal = n;
    } else if (w === 'start') {
      const n = intRange(a[i++], 0, INT_MAX);
      if (n === null) return null;
      q.start = n;
    } else if (w === 'weight') {
      // ethtool keeps the last list's start and counts the weights of every list.
      q.weightAt = i;
      let n = 0;
      while (i < a.length && /^[0-9]/.test(a[i])) { i++; n++; }
      if (n === 0) return null;
      q.nWeights += n;
    } else if (w === 'hkey') {
      if (a[i] === undefined) return null;
      q.hkey = a[i++];
    } else if (w === 'default') q.dflt = true;
    else if (w === 'hfunc') {
      if (a[i] === undefined) return null;
      q.hfunc = a[i++];
    } else if (w === 'context') {
      // ethtool 6.1 reads past the end here (and crashes): a bad command line.
      if (a[i] === undefined) return null;
      if (a[i] === 'new') { q.context = ETH_RXFH_CONTEXT_ALLOC; i++; } else {
        const n = intRange(a[i++], 1, ETH_RXFH_CONTEXT_ALLOC - 1);
        if (n === null) return null;
        q.context = n;
      }
    } else if (w === 'delete') q.del = true;
    else return null;
  }
  return q;
}

/** The exclusive options ethtool refuses together, in its order. */
function conflict(q: SetRequest): string | null {
  const weight = q.weightAt >= 0;
  if (q.equal && weight) return 'Equal and weight options are mutually exclusive';
  if (q.equal && q.dflt) return 'Equal and default options are mutually exclusive';
  if (weight && q.dflt) return 'Weight and default options are mutually exclusive';
  if (q.start && q.dflt) return 'Start and default options are mutually exclusive';
  if (q.start && !(q.equal || weight)) return 'Start must be used with equal or weight options';
  if (q.dflt && q.context) return 'Default and context options are mutually exclusive';
  if (q.del && !q.context) return 'Delete option requires context option';
  if (q.del && weight) return 'Delete and weight options are mutually exclusive';
  if (q.del && q.equal) return 'Delete and equal options are mutually exclusive';
  if (q.del && q.dflt) return 'Delete and default options are mutually exclusive';
  if (q.del && q.hkey !== null) return 'Delete and hkey options are mutually exclusive';
  return null;
}

/** fill_indir_table: the table to send and its size field, or ethtool's message, or 'bad' (bad arguments). */
function fillTable(ctx: Ctx, q: SetRequest, size: number): { size: number; table: number[] } | string | 'bad' {
  if (q.equal) return { size, table: rss.indirEqual(size, q.equal, q.start) };
  if (q.weightAt >= 0) {
    const weights: number[] = [];
    for (let j = 0; j < q.nWeights; j++) {
      const w = u32(ctx.args[q.weightAt + j]);
      if (w === null) return 'bad';
      weights.push(w);
    }
    const t = rss.indirWeights(size, weights, q.start);
    if (t === 'zero') return 'At least one weight must be non-zero';
    if (t === 'too-big') return 'Total weight exceeds the size of the indirection table';
    return { size, table: t };
  }
  if (q.dflt) return { size: 0, table: [] };
  return { size: ETH_RXFH_INDIR_NO_CHANGE, table: [] };
}

/** -X: equal N | weight W… | default, start N, hkey K, hfunc NAME, context new|N, delete */
export function set(ctx: Ctx): number {
  if (ctx.args.length < 1) return badArgs(ctx.out);
  const q = parseSet(ctx.args);
  if (!q) return badArgs(ctx.out);
  const c = conflict(q);
  if (c) {
    ctx.out.error(c);
    return 1;
  }
  const rings = rss.getRxRings(ctx.dev);
  if (!rings.ok) {
    ctx.out.perror('Cannot get RX ring count', rings.errno);
    return 1;
  }
  const head = rss.getRxfhHead(ctx.dev, 0);
  if (!head.ok && head.errno === ERRNO.EOPNOTSUPP && q.hkey === null && q.hfunc === null && !q.context) return setIndirOnly(ctx, q);
  if (!head.ok) {
    ctx.out.perror('Cannot get RX flow hash indir size and key size', head.errno);
    return 1;
  }
  const h = head.v;
  let key: Uint8Array | null = null;
  if (q.hkey !== null) {
    if (!h.key_size) {
      ctx.out.error('Cannot set RX flow hash configuration: Hash key setting not supported', 'Cannot set RX flow hash configuration:\n Hash key setting not supported\n');
      return 1;
    }
    const k = parseHkey(q.hkey, h.key_size);
    if (typeof k === 'string') {
      ctx.out.error(k);
      return 2;
    }
    key = k;
  }
  let hfunc = 0;
  if (h.hfunc && q.hfunc !== null) {
    const names = hfuncNames(ctx);
    if (!names.ok) {
      ctx.out.perror('Cannot get hash functions names', names.errno);
      return 1;
    }
    // strncmp over 32 bytes of a name cut at 31: the request must equal the name.
    const i = names.v.findIndex(n => n === q.hfunc!.slice(0, 32) && q.hfunc!.length <= 31);
    if (i < 0 || i >= 32) {
      ctx.out.error(`Unknown hash function: ${q.hfunc}`);
      return 1;
    }
    hfunc = (1 << i) >>> 0;
  }
  let indirSize = 0, table: number[] = [];
  if (!q.del) {
    const t = fillTable(ctx, q, h.indir_size);
    if (t === 'bad') return badArgs(ctx.out);
    if (typeof t === 'string') {
      ctx.out.error(t);
      return 1;
    }
    indirSize = t.size;
    table = t.table;
  }
  const keySize = q.del || !key ? 0 : h.key_size;
  const r = rss.setRxfh(ctx.dev, { rss_context: q.context, indir_size: indirSize, key_size: keySize, hfunc }, table, key ?? new Uint8Array(0), key ? key.length : h.key_size);
  if (r.r < 0) {
    ctx.out.perror('Cannot set RX flow hash configuration', -r.r);
    return 1;
  }
  const doc: Record<string, JsonValue> = { ifname: ctx.devname, 'rss-context': q.context === ETH_RXFH_CONTEXT_ALLOC ? r.rss_context : q.context };
  if (q.context === ETH_RXFH_CONTEXT_ALLOC) {
    ctx.out.print(`New RSS context is ${r.rss_context | 0}\n`);
    doc['new-context'] = true;
  }
  if (q.del) doc.deleted = true;
  ctx.out.object(doc);
  return 0;
}

/** do_srxfhindir: the table alone, with SRXFHINDIR. */
function setIndirOnly(ctx: Ctx, q: SetRequest): number {
  const size = indirSize(ctx);
  if (size === null) return 1;
  const t = fillTable(ctx, q, size);
  if (t === 'bad') return badArgs(ctx.out);
  if (typeof t === 'string') {
    ctx.out.error(t);
    return 1;
  }
  const r = rss.setIndir(ctx.dev, t.size, t.table, size);
  if (r < 0) {
    ctx.out.perror('Cannot set RX flow hash indirection table', -r);
    return 1;
  }
  ctx.out.object({ ifname: ctx.devname, 'rss-context': 0 });
  return 0;
}
