// The annotation in which kplane records who created a Placement, set by the API server
// (never taken from the client) and kept on every update. The Placement controller checks
// access to a Location workspace as this user.
export const PLACEMENT_CREATOR_ANNOTATION = 'internal.scheduling.kcp.io/creator';

export interface PlacementCreator {
  username: string;
  uid?: string;
  groups: string[];
}

/** The recorded creator, or undefined when absent or unreadable. */
export function parsePlacementCreator(annotations: Record<string, string> | undefined): PlacementCreator | undefined {
  const raw = annotations?.[PLACEMENT_CREATOR_ANNOTATION];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as { username?: unknown; uid?: unknown; groups?: unknown };
    if (typeof v.username !== 'string' || v.username === '') return undefined;
    const groups = Array.isArray(v.groups) ? v.groups.filter((g): g is string => typeof g === 'string') : [];
    return { username: v.username, ...(typeof v.uid === 'string' && v.uid ? { uid: v.uid } : {}), groups };
  } catch {
    // An unparseable value is no creator: the controller then refuses other workspaces.
    return undefined;
  }
}
