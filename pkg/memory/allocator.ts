// Which malloc this process runs on. The launcher (hack/bin/launch.sh) preloads jemalloc when
// the system has it, because glibc's arenas keep a burst's freed memory resident; an operator
// reading RSS figures (the ready log line, the scale benchmark) needs to know which one was in
// effect, and a plain `node …/main.js` or an image without the library runs on glibc's.
import { readFileSync } from 'node:fs';

export type Allocator = 'jemalloc' | 'system' | 'unknown';

/** The allocator, from the shared objects mapped into the process (Linux's /proc/self/maps). */
export function detectAllocator(readMaps: () => string = () => readFileSync('/proc/self/maps', 'utf8')): Allocator {
  let maps: string;
  try {
    maps = readMaps();
  } catch {
    // Not Linux (no /proc): nothing to tell, and nothing the caller should fail over.
    return 'unknown';
  }
  return /\/libjemalloc[^/\s]*\.so/.test(maps) ? 'jemalloc' : 'system';
}
