// metav1.Time and metav1.MicroTime travel as RFC 3339 strings. Time is accepted as any
// RFC 3339 timestamp (with a zone) and its text kept. MicroTime (Lease acquireTime and
// renewTime, Event eventTime) is normalised on write to what kube-apiserver stores: UTC with
// exactly six fractional digits. client-go parses it with the fixed layout
// 2006-01-02T15:04:05.000000Z07:00, so "…:05Z" or "…:05.5+02:00" would break its readers.
// The same input always gives the same text, so a no-op write stays a no-op.
import { z } from 'zod';

export const TimeSchema = z.iso.datetime({ offset: true });
export const MicroTimeSchema = z.iso.datetime({ offset: true }).transform((s) => normalizeMicroTime(s));

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2})?)$/;

/**
 * An RFC 3339 timestamp as metav1.MicroTime serialises it: converted to UTC, fraction cut
 * (not rounded, as Go's Truncate) or padded to microseconds. Text that is not RFC 3339 is
 * returned unchanged (the schema has already rejected it).
 */
export function normalizeMicroTime(text: string): string {
  const m = RFC3339.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, sec, frac = '', zulu, sign, oh = '0', om = '0'] = m;
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const utcMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)) - offsetMinutes * 60_000;
  const micros = frac.slice(0, 6).padEnd(6, '0');
  return `${new Date(utcMs).toISOString().slice(0, 19)}.${micros}Z`;
}

/** The last second formatTime formatted: nearly every call asks for the current one again. */
let lastSecond = NaN;
let lastText = '';

/** metav1.Time string for `date` (seconds precision, UTC), as the apiserver serialises it. */
export function formatTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    // An invalid date throws here, as toISOString always did, and caches nothing.
    lastText = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** metav1.MicroTime string (microsecond precision, UTC). */
export function formatMicroTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}
