/**
 * `when:` conditions: a small boolean language over profile parameters.
 *
 *   mode == nat            mode != dr          mode in [dr, tun]
 *   gro                    not gro             mode == nat or forward
 *   (a and b) or !c        backlog == 4096     name == "x y"
 *
 * A bare word on the right of ==, != or in a list is a string (so `mode == nat` needs no
 * quotes); a bare word elsewhere must be a parameter. `and`/`&&`, `or`/`||`, `not`/`!`.
 */
export type Scalar = string | number | boolean;

export type Expr =
  | { t: 'lit'; v: Scalar; at: number }
  | { t: 'param'; name: string; at: number }
  | { t: 'not'; e: Expr; at: number }
  | { t: 'and' | 'or'; a: Expr; b: Expr; at: number }
  | { t: 'cmp'; op: '==' | '!='; a: Expr; b: Expr; at: number }
  | { t: 'in'; a: Expr; list: Expr[]; at: number };

/** A syntax or reference error at character `at` of the expression text. */
export class ExprError extends Error {
  constructor(message: string, readonly at: number) { super(message); this.name = 'ExprError'; }
}

interface Tok { k: 'word' | 'num' | 'str' | 'op' | 'end'; v: string; at: number }

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '&&', '||'].includes(two)) { out.push({ k: 'op', v: two, at: i }); i += 2; continue; }
    if ('()[],!'.includes(c)) { out.push({ k: 'op', v: c, at: i }); i++; continue; }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprError('unterminated string', i);
      out.push({ k: 'str', v: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const m = /^-?\d+(?![A-Za-z_.-])/.exec(src.slice(i));
    if (m) { out.push({ k: 'num', v: m[0], at: i }); i += m[0].length; continue; }
    const w = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i));
    if (w) { out.push({ k: 'word', v: w[0], at: i }); i += w[0].length; continue; }
    throw new ExprError(`unexpected character "${c}"`, i);
  }
  out.push({ k: 'end', v: '', at: src.length });
  return out;
}

export function parseExpr(src: string): Expr {
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (...vs: string[]) => (peek().k === 'op' || peek().k === 'word') && vs.includes(peek().v);
  const expect = (v: string) => {
    if (peek().v !== v || peek().k === 'str') throw new ExprError(`expected "${v}"${peek().k === 'end' ? ' at end' : `, found "${peek().v}"`}`, peek().at);
    p++;
  };

  function atom(rhs: boolean): Expr {
    const t = peek();
    if (t.k === 'op' && t.v === '(') { p++; const e = or(); expect(')'); return e; }
    if (t.k === 'num') { p++; return { t: 'lit', v: Number(t.v), at: t.at }; }
    if (t.k === 'str') { p++; return { t: 'lit', v: t.v, at: t.at }; }
    if (t.k === 'word' && !['and', 'or', 'not', 'in'].includes(t.v)) {
      p++;
      if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true', at: t.at };
      return rhs ? { t: 'lit', v: t.v, at: t.at } : { t: 'param', name: t.v, at: t.at };
    }
    throw new ExprError(t.k === 'end' ? 'expression ends too early' : `unexpected "${t.v}"`, t.at);
  }
  function cmp(): Expr {
    const a = atom(false);
    if (isOp('==', '!=')) {
      const op = toks[p++].v as '==' | '!=';
      return { t: 'cmp', op, a, b: atom(true), at: a.at };
    }
    if (isOp('in')) {
      p++;
      expect('[');
      const list: Expr[] = [atom(true)];
      while (isOp(',')) { p++; list.push(atom(true)); }
      expect(']');
      return { t: 'in', a, list, at: a.at };
    }
    return a;
  }
  function not(): Expr {
    if (isOp('not', '!')) { const at = toks[p++].at; return { t: 'not', e: not(), at }; }
    return cmp();
  }
  function and(): Expr {
    let a = not();
    while (isOp('and', '&&')) { p++; a = { t: 'and', a, b: not(), at: a.at }; }
    return a;
  }
  function or(): Expr {
    let a = and();
    while (isOp('or', '||')) { p++; a = { t: 'or', a, b: and(), at: a.at }; }
    return a;
  }
  const e = or();
  if (peek().k !== 'end') throw new ExprError(`unexpected "${peek().v}"`, peek().at);
  return e;
}

/** Every parameter reference, for checking against the profile's parameters. */
export function paramRefs(e: Expr): { name: string; at: number }[] {
  switch (e.t) {
    case 'param': return [{ name: e.name, at: e.at }];
    case 'lit': return [];
    case 'not': return paramRefs(e.e);
    case 'and': case 'or': return [...paramRefs(e.a), ...paramRefs(e.b)];
    case 'cmp': return [...paramRefs(e.a), ...paramRefs(e.b)];
    case 'in': return [...paramRefs(e.a), ...e.list.flatMap(paramRefs)];
  }
}

/** Literals compared with a parameter, for checking enum values: [param, literal]. */
export function comparisons(e: Expr): { param: string; lit: Expr & { t: 'lit' } }[] {
  switch (e.t) {
    case 'param': case 'lit': return [];
    case 'not': return comparisons(e.e);
    case 'and': case 'or': return [...comparisons(e.a), ...comparisons(e.b)];
    case 'cmp':
      if (e.a.t === 'param' && e.b.t === 'lit') return [{ param: e.a.name, lit: e.b }];
      return [...comparisons(e.a), ...comparisons(e.b)];
    case 'in':
      if (e.a.t === 'param') { const name = e.a.name; return e.list.filter((x): x is Expr & { t: 'lit' } => x.t === 'lit').map(lit => ({ param: name, lit })); }
      return [];
  }
}

function value(e: Expr, params: Record<string, Scalar>): Scalar {
  switch (e.t) {
    case 'lit': return e.v;
    case 'param': return params[e.name];
    default: return truthy(evalExpr(e, params));
  }
}

function truthy(v: Scalar): boolean {
  return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : v !== '' && v !== 'off' && v !== 'false';
}

function same(a: Scalar, b: Scalar): boolean {
  return String(a) === String(b);
}

export function evalExpr(e: Expr, params: Record<string, Scalar>): boolean {
  switch (e.t) {
    case 'lit': case 'param': return truthy(value(e, params));
    case 'not': return !evalExpr(e.e, params);
    case 'and': return evalExpr(e.a, params) && evalExpr(e.b, params);
    case 'or': return evalExpr(e.a, params) || evalExpr(e.b, params);
    case 'cmp': { const eq = same(value(e.a, params), value(e.b, params)); return e.op === '==' ? eq : !eq; }
    case 'in': { const v = value(e.a, params); return e.list.some(x => same(v, value(x, params))); }
  }
}
