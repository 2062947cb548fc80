// Which requests the syncer view serves, before the handlers see them (contract item 3):
// get, list and watch; update and patch of an object and of its status; nothing else on
// resources — create and delete are 405 MethodNotAllowed, other subresources (scale, token,
// finalize, …) do not exist in the view (404). Outside resources only discovery is served
// (/api, /apis and their group/version lists), so client libraries can find the resources.
import { newMethodNotAllowed, StatusError } from '../../apierrors/errors.ts';
import type { RequestInfo } from '../request/requestinfo.ts';

const VERBS = new Set(['get', 'list', 'watch', 'update', 'patch']);
const SUBRESOURCES = new Set(['', 'status']);
const DISCOVERY = /^\/(api|apis)(\/[^/]+){0,2}$/;

function notFound(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource', {});
}

/** Throws the Status a request the syncer view does not serve gets. */
export function checkSyncerViewRequest(info: RequestInfo): void {
  if (!info.isResourceRequest) {
    const p = info.path.replace(/\/+$/, '') || '/';
    if (!DISCOVERY.test(p)) throw notFound();
    return;
  }
  if (!VERBS.has(info.verb)) {
    throw newMethodNotAllowed(`the syncer view does not ${info.verb} ${info.resource}: it serves get, list, watch, update and patch`);
  }
  if (!SUBRESOURCES.has(info.subresource)) throw notFound();
}
