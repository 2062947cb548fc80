// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a signed decimal
// number followed by a binary-SI suffix (Ki…Ei), a decimal-SI suffix (n, u, m, "", k, M…E)
// or a decimal exponent (e3, E-2). We keep the value as a float: enough for capacity
// comparisons and printing, which is all kplane does with quantities.
import { z } from 'zod';

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** The value in base units (cores, bytes, …); `100m` is 0.1. */
  value: number;
  format: QuantityFormat;
}

export class QuantityParseError extends Error {
  override name = 'QuantityParseError';
}

const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const DECIMAL_SUFFIXES: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

// Number part as apimachinery accepts it: optional sign, digits, optional fraction ("5.", ".5" allowed).
const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(.*)$/;
const EXPONENT_RE = /^[eE]([+-]?\d+)$/;

export function parseQuantity(input: string): Quantity {
  const text = input.trim();
  if (text !== input || text.length === 0) throw new QuantityParseError('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
  const m = QUANTITY_RE.exec(text);
  if (!m) throw new QuantityParseError('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
  const number = Number(m[1]);
  const suffix = m[2] ?? '';
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { value: number * binary, format: 'BinarySI' };
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { value: number * decimal, format: 'DecimalSI' };
  const exp = EXPONENT_RE.exec(suffix);
  if (exp) return { value: number * 10 ** Number(exp[1]), format: 'DecimalExponent' };
  throw new QuantityParseError(`unable to parse quantity's suffix "${suffix}"`);
}

/** Like parseQuantity but returns undefined instead of throwing. */
export function tryParseQuantity(input: string): Quantity | undefined {
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

/** A quantity string, e.g. `100m`, `8Gi`, `1e3`. */
export const QuantitySchema = z.string().superRefine((text, ctx) => {
  try {
    parseQuantity(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
}).describe('Quantity is a fixed-point representation of a number, e.g. "100m", "2", "1.5", "8Gi", "1e3", "32M".');

/** A quantity that must not be negative (capacities, allocatable). */
export const NonNegativeQuantitySchema = QuantitySchema.refine(
  (text) => (tryParseQuantity(text)?.value ?? 0) >= 0,
  { message: 'must be greater than or equal to 0', abort: true },
);

/** resource name → quantity, as corev1.ResourceList. */
export const ResourceListSchema = z.record(z.string(), NonNegativeQuantitySchema);
