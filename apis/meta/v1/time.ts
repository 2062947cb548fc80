// metav1.Time and metav1.MicroTime travel as RFC 3339 strings. We accept any RFC 3339
// timestamp (with a zone) and leave the text unchanged, as the stored bytes matter for
// "no-op writes change nothing".
import { z } from 'zod';

export const TimeSchema = z.iso.datetime({ offset: true });
export const MicroTimeSchema = z.iso.datetime({ offset: true });

/** metav1.Time string for `date` (seconds precision, UTC), as the apiserver serialises it. */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** metav1.MicroTime string (microsecond precision, UTC). */
export function formatMicroTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}
