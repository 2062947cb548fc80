// A small JSONPath evaluator for printer columns (the subset CRD additionalPrinterColumns
// use): `.a.b`, `.a[0]`, `.a[*].b`, `.a['x.y']`, `.a[?(@.type=="Ready")].status`,
// optionally wrapped in `{...}` and/or starting with `$`.

export class JSONPathError extends Error {
  override name = 'JSONPathError';
}

type Literal = string | number | boolean | null;
type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op?: '==' | '!=' | '<' | '>' | '<=' | '>='; value?: Literal };

const cache = new Map<string, Step[]>();

/** All values the expression selects in `root`, in document order (empty if none). */
export function evaluateJSONPath(expression: string, root: unknown): unknown[] {
  let steps = cache.get(expression);
  if (!steps) {
    steps = parseJSONPath(expression);
    cache.set(expression, steps);
  }
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) applyStep(step, value, next);
    current = next;
  }
  return current.filter((v) => v !== undefined);
}

function applyStep(step: Step, value: unknown, out: unknown[]): void {
  if (value === null || typeof value !== 'object') return;
  switch (step.kind) {
    case 'field': {
      if (Array.isArray(value)) return;
      const v = (value as Record<string, unknown>)[step.name];
      if (v !== undefined) out.push(v);
      return;
    }
    case 'index': {
      if (!Array.isArray(value)) return;
      const i = step.index < 0 ? value.length + step.index : step.index;
      if (i >= 0 && i < value.length) out.push(value[i]);
      return;
    }
    case 'wildcard':
      out.push(...(Array.isArray(value) ? value : Object.values(value)));
      return;
    case 'filter': {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) if (matches(step, item)) out.push(item);
      return;
    }
  }
}

function matches(step: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  let v: unknown = item;
  for (const name of step.path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
    v = (v as Record<string, unknown>)[name];
  }
  if (step.op === undefined) return v !== undefined && v !== null && v !== false;
  const want = step.value;
  switch (step.op) {
    case '==': return v === want;
    case '!=': return v !== want;
    case '<': return typeof v === 'number' && typeof want === 'number' && v < want;
    case '>': return typeof v === 'number' && typeof want === 'number' && v > want;
    case '<=': return typeof v === 'number' && typeof want === 'number' && v <= want;
    case '>=': return typeof v === 'number' && typeof want === 'number' && v >= want;
  }
}

export function parseJSONPath(expression: string): Step[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      i++;
      if (text[i] === '*') {
        steps.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      const start = i;
      while (i < text.length && text[i] !== '.' && text[i] !== '[') i++;
      const name = text.slice(start, i);
      if (name === '') throw new JSONPathError(`invalid JSONPath ${JSON.stringify(expression)}: empty field name at ${start}`);
      steps.push({ kind: 'field', name });
    } else if (ch === '[') {
      const end = findClosingBracket(text, i, expression);
      steps.push(parseBracket(text.slice(i + 1, end).trim(), expression));
      i = end + 1;
    } else {
      throw new JSONPathError(`invalid JSONPath ${JSON.stringify(expression)}: unexpected ${JSON.stringify(ch)} at ${i}`);
    }
  }
  return steps;
}

function findClosingBracket(text: string, open: number, expression: string): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '[' || ch === '(') {
      depth++;
    } else if (ch === ']' || ch === ')') {
      depth--;
      if (depth === 0 && ch === ']') return i;
    }
  }
  throw new JSONPathError(`invalid JSONPath ${JSON.stringify(expression)}: unclosed '['`);
}

const FILTER_RE = /^\?\(\s*@((?:\.[^.=!<>\s)]+)+)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\)$/;

function parseBracket(inner: string, expression: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] ?? '' };
  const filter = FILTER_RE.exec(inner);
  if (filter) {
    const path = (filter[1] ?? '').slice(1).split('.');
    if (filter[2] === undefined) return { kind: 'filter', path };
    return { kind: 'filter', path, op: filter[2] as '==', value: parseLiteral(filter[3] ?? '', expression) };
  }
  throw new JSONPathError(`invalid JSONPath ${JSON.stringify(expression)}: unsupported [${inner}]`);
}

function parseLiteral(text: string, expression: string): Literal {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return quoted[2] ?? '';
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  const n = Number(text);
  if (text !== '' && !Number.isNaN(n)) return n;
  throw new JSONPathError(`invalid JSONPath ${JSON.stringify(expression)}: bad literal ${text}`);
}
