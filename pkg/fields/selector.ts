// Field selectors as apimachinery parses them (k8s.io/apimachinery/pkg/fields/selector.go):
// comma-separated terms `field=value`, `field==value`, `field!=value`; in values `\,`, `\=`
// and `\\` escape the three special characters. Terms are ANDed. Which field labels a
// resource supports is the caller's business; `requireSupported` produces kube's 400 text.

export type FieldSelectorErrorKind = 'BadRequest';

/** Maps to HTTP 400 BadRequest with `message` as the Status message. */
export class FieldSelectorError extends Error {
  readonly kind: FieldSelectorErrorKind = 'BadRequest';
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'FieldSelectorError';
    this.field = field;
  }
}

export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  field: string;
  /** `==` parses to `=`: apimachinery treats them alike. */
  operator: FieldOperator;
  value: string;
}

export interface FieldSelector {
  /** Sorted by term text, as apimachinery sorts them; empty means "everything". */
  readonly requirements: readonly FieldRequirement[];
}

/** Objects are seen through a field-label → value accessor (undefined = field absent, i.e. ""). */
export type FieldGetter = (field: string) => string | undefined;

// Longer operators first: `a!=b` must not parse as field `a!`.
const TERM_OPERATORS = ['!=', '==', '='] as const;

export function parseFieldSelector(selector: string): FieldSelector {
  const terms = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (split === undefined) {
      throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    }
    requirements.push({
      field: split.field,
      operator: split.op === '!=' ? '!=' : '=',
      value: unescapeFieldValue(split.rhs),
    });
  }
  return { requirements };
}

export function everythingFields(): FieldSelector {
  return { requirements: [] };
}

export function fieldsMatch(selector: FieldSelector, get: FieldGetter): boolean {
  for (const r of selector.requirements) {
    const actual = get(r.field) ?? '';
    if (r.operator === '=' ? actual !== r.value : actual === r.value) return false;
  }
  return true;
}

/** Throws kube's 400 text for the first field label outside `supported`. */
export function requireSupported(selector: FieldSelector, supported: ReadonlySet<string>): void {
  for (const r of selector.requirements) {
    if (!supported.has(r.field)) {
      throw new FieldSelectorError(`field label not supported: ${r.field}`, r.field);
    }
  }
}

/** The name a selector pins with `metadata.name=<n>` (as RequiresExactMatch), used to narrow authz. */
export function exactName(selector: FieldSelector): string | undefined {
  return exactMatch(selector, 'metadata.name');
}

export function exactMatch(selector: FieldSelector, field: string): string | undefined {
  for (const r of selector.requirements) {
    if (r.field === field && r.operator === '=') return r.value;
  }
  return undefined;
}

export function fieldSelectorToString(selector: FieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. its code point number; kept for identical messages.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function splitTerm(term: string): { field: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}
