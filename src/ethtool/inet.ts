/**
 * IP addresses as the C library reads and prints them (inet_pton / inet_ntop): ethtool's flow
 * rules take and show them so, and a rule's text depends on the exact spelling (the longest
 * run of zero groups compressed, embedded IPv4 for ::a.b.c.d and ::ffff:a.b.c.d).
 */

/** inet_pton(AF_INET): four decimal octets, no leading zeros; null when it would answer 0. */
export function ipv4Parse(s: string): Uint8Array | null {
  const out = new Uint8Array(4);
  let octets = 0, sawDigit = false, cur = 0;
  for (const ch of s) {
    if (ch >= '0' && ch <= '9') {
      if (sawDigit && cur === 0) return null;
      cur = cur * 10 + (ch.charCodeAt(0) - 48);
      if (cur > 255) return null;
      if (!sawDigit) {
        if (++octets > 4) return null;
        sawDigit = true;
      }
      out[octets - 1] = cur;
    } else if (ch === '.' && sawDigit) {
      if (octets === 4) return null;
      cur = 0;
      sawDigit = false;
    } else return null;
  }
  return octets === 4 ? out : null;
}

const hexVal = (c: string): number => {
  const x = c.toLowerCase().charCodeAt(0);
  return x >= 48 && x <= 57 ? x - 48 : x >= 97 && x <= 102 ? x - 87 : -1;
};

/** inet_pton(AF_INET6), glibc's rules (groups of 1–4 hex digits, one "::", a trailing IPv4). */
export function ipv6Parse(s: string): Uint8Array | null {
  const out = new Uint8Array(16);
  let tp = 0, colonp = -1, i = 0, sawXdigit = false, val = 0, curtok = 0;
  if (s.startsWith(':')) {
    if (s[1] !== ':') return null;
    i = 1;
  }
  curtok = i;
  let digits = 0;
  while (i < s.length) {
    const ch = s[i++];
    const d = hexVal(ch);
    if (d >= 0) {
      if (++digits > 4) return null;
      val = (val << 4) | d;
      sawXdigit = true;
      continue;
    }
    if (ch === ':') {
      curtok = i;
      if (!sawXdigit) {
        if (colonp >= 0) return null;
        colonp = tp;
        continue;
      } else if (i >= s.length) return null;
      if (tp + 2 > 16) return null;
      out[tp++] = (val >> 8) & 0xff;
      out[tp++] = val & 0xff;
      sawXdigit = false;
      digits = 0;
      val = 0;
      continue;
    }
    if (ch === '.' && tp + 4 <= 16) {
      const v4 = ipv4Parse(s.slice(curtok));
      if (!v4) return null;
      out.set(v4, tp);
      tp += 4;
      sawXdigit = false;
      break;
    }
    return null;
  }
  if (sawXdigit) {
    if (tp + 2 > 16) return null;
    out[tp++] = (val >> 8) & 0xff;
    out[tp++] = val & 0xff;
  }
  if (colonp >= 0) {
    if (tp === 16) return null;
    const n = tp - colonp;
    for (let k = 1; k <= n; k++) {
      out[16 - k] = out[colonp + n - k];
      out[colonp + n - k] = 0;
    }
    tp = 16;
  }
  return tp === 16 ? out : null;
}

export function ipv4Text(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** inet_ntop(AF_INET6) as glibc writes it. */
export function ipv6Text(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[2 * i] << 8) | b[2 * i + 1]);
  let best = { base: -1, len: 0 }, cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      s += ipv4Text(b.subarray(12, 16));
      break;
    }
    s += words[i].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) s += ':';
  return s;
}
