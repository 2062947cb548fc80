// The string form of a label selector, lexed and parsed as apimachinery's labels.Parse
// (a hand-written lexer with a one-token lookahead), so the same inputs fail with the same text.
import { LabelSelectorError, newRequirement, sortRequirements } from './selector.ts';
import type { LabelOperator, LabelRequirement, LabelSelector } from './selector.ts';

type Tok =
  | 'error'
  | 'eos'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'ident'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Item {
  tok: Tok;
  lit: string;
}

const KEYWORDS: Record<string, Tok> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos] ?? '')) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    const c = s[pos] ?? '';
    if (isSpecial(c)) {
      // Longest run of special symbols that still forms a known operator.
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] ?? '')) {
        buf += s[pos];
        const t = Object.hasOwn(KEYWORDS, buf) ? KEYWORDS[buf] : undefined;
        if (t !== undefined) {
          last = { tok: t, lit: buf };
          pos++;
        } else if (last !== undefined) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      if (last === undefined) {
        items.push({ tok: 'eos', lit: '' });
        return items;
      }
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos] ?? '') && !isWhitespace(s[pos] ?? '')) buf += s[pos++];
      const t = Object.hasOwn(KEYWORDS, buf) ? KEYWORDS[buf] : undefined;
      items.push({ tok: t ?? 'ident', lit: buf });
    }
  }
}

class Parser {
  private readonly items: Item[];
  private position = 0;
  constructor(items: Item[]) {
    this.items = items;
  }

  // In a value context `in`/`notin` are plain identifiers (a label may be called "in").
  private peek(values: boolean): Item {
    const it = this.items[Math.min(this.position, this.items.length - 1)] ?? { tok: 'eos', lit: '' };
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'ident', lit: it.lit } : it;
  }

  private next(values: boolean): Item {
    const it = this.peek(values);
    if (this.position < this.items.length - 1) this.position++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === 'eos') return reqs;
      if (tok !== 'ident' && tok !== '!') throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (err) {
        if (err instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const after = this.next(true);
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new LabelSelectorError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek(true);
      if (following.tok !== 'ident' && following.tok !== '!') {
        throw new LabelSelectorError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let notExists = false;
    let key = this.next(true);
    if (key.tok === '!') {
      notExists = true;
      key = this.next(true);
    }
    if (key.tok !== 'ident') throw new LabelSelectorError(`found '${key.lit}', expected: identifier`);
    const following = this.peek(true).tok;
    if (notExists || following === 'eos' || following === ',') {
      // Go validates the key here with a nil field path, which prints as "<nil>". For `!a=b`
      // the requirement ends at the key and the caller then rejects the stray `=`.
      return newRequirement(key.lit, notExists ? '!' : 'exists', [], '<nil>');
    }
    newRequirement(key.lit, 'exists', [], '<nil>'); // key syntax first, as parseKeyAndInferOperator
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    return newRequirement(key.lit, op, values);
  }

  private operator(): LabelOperator {
    const { tok, lit } = this.next(false);
    switch (tok) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new LabelSelectorError(`found '${lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private valueSet(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw new LabelSelectorError(`found '${open.lit}' expected: '('`);
    const first = this.peek(true);
    if (first.tok === ')') {
      this.next(true);
      return [''];
    }
    if (first.tok !== 'ident' && first.tok !== ',') {
      throw new LabelSelectorError(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const set = this.identifierList();
    if (this.next(true).tok !== ')') throw new LabelSelectorError(`found '${first.lit}', expected: ')'`);
    return set;
  }

  private identifierList(): string[] {
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = this.next(true);
      if (tok === 'ident') {
        set.add(lit);
        const after = this.peek(true);
        if (after.tok === ',') continue;
        if (after.tok === ')') return [...set];
        throw new LabelSelectorError(`found '${after.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        // Empty values between commas count as "" (`(,a)`, `(a,)`, `(a,,b)`).
        if (set.size === 0) set.add('');
        const after = this.peek(true).tok;
        if (after === ')') {
          set.add('');
          return [...set];
        }
        if (after === ',') set.add('');
      } else {
        throw new LabelSelectorError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const ahead = this.peek(true).tok;
    if (ahead === 'eos' || ahead === ',') return [''];
    const { tok, lit } = this.next(true);
    if (tok === 'ident') return [lit];
    throw new LabelSelectorError(`found '${lit}', expected: identifier`);
  }
}

/** Parses the `labelSelector` query string form; '' selects everything. Throws LabelSelectorError. */
export function parseLabelSelector(selector: string): LabelSelector {
  const reqs = new Parser(lex(selector)).parse();
  return { requirements: sortRequirements(reqs) };
}
