// --capacity cpu=8,memory=32Gi → { cpu: '8', memory: '32Gi' }, validated as kube quantities
// (non-negative), so that a typo fails at start-up instead of in every heartbeat.
import { z } from 'zod';

export type ResourceList = Record<string, string>;

// A kube quantity: sign-less decimal with an optional binary/decimal SI suffix or exponent.
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const RESOURCE_NAME = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

export function parseCapacity(text: string): ResourceList {
  const out: ResourceList = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`"${part}" is not name=quantity`);
    const name = part.slice(0, eq).trim();
    const qty = part.slice(eq + 1).trim();
    if (!RESOURCE_NAME.test(name)) throw new Error(`"${name}" is not a resource name`);
    if (!QUANTITY.test(qty)) throw new Error(`"${qty}" is not a non-negative quantity (for ${name})`);
    if (name in out) throw new Error(`${name} given twice`);
    out[name] = qty;
  }
  if (Object.keys(out).length === 0) throw new Error('empty capacity');
  return out;
}

/** A zod refinement for flag schemas. */
export const capacityFlag = z.string().transform((s, ctx) => {
  try {
    return parseCapacity(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});
