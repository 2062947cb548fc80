// The order of a merged keyed or set list, as structured-merge-diff's merge produces it: items
// of the applied configuration come in the configuration's order, items only the live list has
// stay where they were relative to their neighbours. Walking both lists at once, a live item
// the configuration also names is skipped until it is the next shared item the configuration
// expects, so a reordered configuration reorders the list.
import { deepClone } from '../patch/json-value.ts';

/**
 * `keyOf` gives an item's identity (`k:…`/`v:…`), or undefined for a live item without one
 * (kept in place, merged with nothing). `mergeItem(live, config)` merges two items with the
 * same key; `live` is undefined when only the configuration has it.
 */
export function mergeListOrder(
  live: readonly unknown[],
  config: readonly unknown[],
  keyOf: (item: unknown) => string | undefined,
  mergeItem: (live: unknown, config: unknown) => unknown,
): unknown[] {
  // Live items without a key, and repeats of a key, get a private identity nothing else matches.
  const lhsKeys = live.map((item, i) => keyOf(item) ?? `#${i}`);
  const lhsByKey = new Map<string, unknown>();
  lhsKeys.forEach((k, i) => {
    if (lhsByKey.has(k)) lhsKeys[i] = `#${i}`;
    else lhsByKey.set(k, live[i]);
  });
  const rhsKeys: string[] = [];
  const rhsByKey = new Map<string, unknown>();
  for (const item of config) {
    const k = keyOf(item);
    if (k === undefined || rhsByKey.has(k)) continue;
    rhsKeys.push(k);
    rhsByKey.set(k, item);
  }
  const shared = rhsKeys.filter((k) => lhsByKey.has(k));
  let next = shared.shift();
  const done = new Set<string>();
  const out: unknown[] = [];
  let li = 0;
  let ri = 0;
  while (li < lhsKeys.length || ri < rhsKeys.length) {
    const lk = lhsKeys[li];
    const rk = rhsKeys[ri];
    if (lk !== undefined && rk !== undefined) {
      if (lk === rk) {
        done.add(rk);
        out.push(mergeItem(lhsByKey.get(lk), rhsByKey.get(rk)));
        li++;
        ri++;
        next = shared.shift();
        continue;
      }
      if (rhsByKey.has(lk) && next !== undefined && next !== lk) {
        li++;
        continue;
      }
    }
    if (lk !== undefined) {
      if (!rhsByKey.has(lk)) {
        out.push(deepClone(live[li]));
        li++;
        continue;
      }
      if (done.has(lk)) {
        li++;
        continue;
      }
    }
    if (rk !== undefined) {
      done.add(rk);
      out.push(mergeItem(lhsByKey.get(rk), rhsByKey.get(rk)));
      ri++;
      if (next === rk) next = shared.shift();
    }
  }
  return out;
}
