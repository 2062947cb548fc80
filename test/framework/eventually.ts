// eventually(() => [ok, reason]) polls until ok, and on timeout fails with the last reason.
export async function eventually(
  check: () => Promise<[boolean, string]> | [boolean, string],
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let reason = 'never checked';
  for (;;) {
    try {
      const [ok, why] = await check();
      if (ok) return;
      reason = why;
    } catch (err) {
      reason = `threw: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}: ${reason}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
