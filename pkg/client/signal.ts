// Combining abort signals: a call aborts when the caller's signal or the client's fires.
// AbortSignal.any keeps listeners on its sources until it is collected, so the common
// cases (none or one signal) return the signal itself without creating a combined one.
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return AbortSignal.any(present);
}
