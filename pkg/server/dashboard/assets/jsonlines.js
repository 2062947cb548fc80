// @ts-check
// A watch response is one JSON object per line, streamed. readJSONLines turns a fetch() body
// into those objects as they arrive, however the bytes are cut into chunks (a line may span
// several chunks, a chunk may hold several lines). Shared by the browser and the unit tests.

/**
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<unknown>}
 */
export async function* readJSONLines(body) {
  // The cast: lib.dom types TextDecoderStream's input as any BufferSource, wider than a body.
  const decoder = /** @type {ReadableWritablePair<string, Uint8Array>} */ (/** @type {unknown} */ (new TextDecoderStream()));
  const reader = body.pipeThrough(decoder).getReader();
  let pending = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) yield JSON.parse(line);
      }
    }
    // A final object without a newline still counts (servers need not end with one).
    if (pending.trim()) yield JSON.parse(pending);
  } finally {
    reader.releaseLock();
  }
}
