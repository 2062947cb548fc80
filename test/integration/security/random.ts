// Deterministic randomness for the fuzz test: mulberry32 (tiny, seedable, good enough to
// spread inputs; not for cryptography), and random protobuf-ish byte soup.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Field tags, varints and length prefixes that lie about their sizes. */
export function encodeVarintFor(r: () => number): Buffer {
  const out: number[] = [];
  const n = 1 + Math.floor(r() * 30);
  for (let i = 0; i < n; i++) {
    const field = 1 + Math.floor(r() * 6);
    const wire = [0, 1, 2, 5, 3, 7][Math.floor(r() * 6)]!;
    out.push((field << 3) | wire);
    if (wire === 2) out.push(Math.floor(r() * 256) | 0x80, Math.floor(r() * 128)); // often longer than what follows
    else out.push(Math.floor(r() * 256));
  }
  return Buffer.from(out);
}
