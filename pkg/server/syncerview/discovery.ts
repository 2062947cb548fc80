// Discovery as seen through the syncer view: the same groups and resources, with the verbs the
// view serves (get, list, watch, update, patch) and only the status subresource, so that a
// client library (kubectl, client-go's discovery) offers nothing the view would refuse.
// Resources left with no verb (the create-only reviews, TokenRequest) are not listed.
const VIEW_VERBS = ['get', 'list', 'watch', 'update', 'patch'];

type Doc = Record<string, unknown>;

function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A resource entry's verbs narrowed to the view's; undefined when nothing is left. */
function narrowEntry(entry: Doc): Doc | undefined {
  if (!Array.isArray(entry.verbs)) return entry;
  const verbs = (entry.verbs as unknown[]).filter((v): v is string => typeof v === 'string' && VIEW_VERBS.includes(v));
  if (verbs.length === 0) return undefined;
  const out: Doc = { ...entry, verbs };
  if (Array.isArray(entry.subresources)) {
    const subs = (entry.subresources as unknown[]).filter((s) => isDoc(s) && s.subresource === 'status').map((s) => narrowEntry(s as Doc)).filter((s): s is Doc => s !== undefined);
    if (subs.length > 0) out.subresources = subs;
    else delete out.subresources;
  }
  return out;
}

/**
 * Narrow a discovery document of any form: a legacy APIResourceList (`resources` with
 * `name`, subresources as `x/status`), an aggregated list (`items[].versions[].resources`),
 * or a document without resources (group lists), which passes unchanged.
 */
export function narrowDiscovery(doc: object): object {
  if (!isDoc(doc)) return doc;
  if (Array.isArray(doc.resources)) {
    const resources = (doc.resources as unknown[])
      .filter((r) => isDoc(r) && (typeof r.name !== 'string' || !r.name.includes('/') || r.name.endsWith('/status')))
      .map((r) => narrowEntry(r as Doc))
      .filter((r): r is Doc => r !== undefined);
    return { ...doc, resources };
  }
  if (Array.isArray(doc.items)) {
    return {
      ...doc,
      items: (doc.items as unknown[]).map((g) => (isDoc(g) && Array.isArray(g.versions) ? { ...g, versions: (g.versions as unknown[]).map((v) => narrowDiscovery(v as object)) } : g)),
    };
  }
  return doc;
}
