// The syncer view's URL: `/services/syncer/<workspace>/<synctarget>/<uid>` (syncerViewPath in
// apis/workload/v1alpha1/sync-contract.ts, kcp's syncer virtual workspace shape) followed by
// the usual tree. This file only splits the root off; the rest is parsed like any request.
//
//   /services/syncer/root:org/edge-1/5e1f…/clusters/*/api/v1/configmaps
//   └─ root ────────┘└ ws ───┘└ name ┘└uid┘└─ the usual tree ──────────┘
//
// A path under /services/syncer/ that does not name a view (missing or invalid segments) is a
// 404 as kcp answers a virtual workspace root it does not accept; so is a view path whose rest
// is neither `/clusters/<path|*>/…` nor discovery at the view root.
import { isDNS1123Subdomain } from '../../../apis/meta/v1/validation.ts';
import { StatusError } from '../../apierrors/errors.ts';
import { isValidPath } from '../../logicalcluster/path.ts';
import type { SyncerViewRef } from '../request/requestinfo.ts';

export const SYNCER_VIEW_ROOT = '/services/syncer/';

/** Non-resource paths served at the view root itself (no /clusters/…): discovery, so clients work. */
const ROOT_PATHS = /^\/(api|apis)(\/[^/]+){0,2}\/?$/;

function noSuchView(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource', {});
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Whether a request path is under the syncer view root at all (then only this module parses it). */
export function isSyncerViewPath(pathname: string): boolean {
  return pathname.startsWith(SYNCER_VIEW_ROOT) || pathname === SYNCER_VIEW_ROOT.slice(0, -1);
}

/**
 * Split a syncer view path into the view it names and the rest (`/clusters/…`, or discovery at
 * the view root). Throws 404 for anything else under /services/syncer.
 */
export function splitSyncerViewPath(pathname: string): { view: SyncerViewRef; rest: string } {
  if (!isSyncerViewPath(pathname)) throw noSuchView();
  const parts = pathname.slice(SYNCER_VIEW_ROOT.length).split('/');
  if (parts.length < 3) throw noSuchView();
  const [ws, name, uid] = parts.slice(0, 3).map(decoded);
  if (ws === undefined || name === undefined || uid === undefined) throw noSuchView();
  if (!isValidPath(ws) || isDNS1123Subdomain(name).length > 0 || uid === '' || uid.length > 128 || /[^A-Za-z0-9-]/.test(uid)) throw noSuchView();
  const rest = `/${parts.slice(3).join('/')}`;
  if (!rest.startsWith('/clusters/') && !ROOT_PATHS.test(rest)) throw noSuchView();
  return { view: { workspace: ws, syncTarget: name, uid }, rest };
}
