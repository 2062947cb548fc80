// Content negotiation for the few media types kubectl asks for.

export interface AcceptedForm {
  /** kubectl's human output asks for meta.k8s.io Table. */
  table: boolean;
  /** Aggregated discovery (apidiscovery.k8s.io v2 or v2beta1), with the version asked. */
  aggregatedDiscovery: 'v2' | 'v2beta1' | undefined;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const eq = kv.indexOf('=');
      if (eq > 0) p[kv.slice(0, eq).trim().toLowerCase()] = kv.slice(eq + 1).trim();
    }
    return { type: (type ?? '').toLowerCase(), params: p };
  });
}

export function acceptedForm(accept: string | undefined): AcceptedForm {
  const ranges = parseAccept(accept);
  let table = false;
  let aggregatedDiscovery: AcceptedForm['aggregatedDiscovery'];
  for (const r of ranges) {
    if (r.type !== 'application/json') continue;
    if (r.params.as === 'Table' && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1')) table = true;
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io' && aggregatedDiscovery === undefined) {
      if (r.params.v === 'v2' || r.params.v === 'v2beta1') aggregatedDiscovery = r.params.v;
    }
  }
  return { table, aggregatedDiscovery };
}
