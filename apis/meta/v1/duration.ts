// Go duration strings (time.ParseDuration): "20s", "1m30s", "1.5h", "300ms". Used by
// metav1.Duration fields such as SyncTarget spec.syncer.heartbeatPeriod.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};
const PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

export class DurationParseError extends Error {
  override name = 'DurationParseError';
}

/** Parse a Go duration into milliseconds; throws DurationParseError. */
export function parseDuration(input: string): number {
  let rest = input;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest.length === 0) throw new DurationParseError(`time: invalid duration "${input}"`);
  let total = 0;
  PART_RE.lastIndex = 0;
  while (PART_RE.lastIndex < rest.length) {
    const m = PART_RE.exec(rest);
    if (!m) throw new DurationParseError(`time: invalid duration "${input}"`);
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  }
  return sign * total;
}

export function isDuration(input: string): boolean {
  try {
    parseDuration(input);
    return true;
  } catch {
    return false;
  }
}
