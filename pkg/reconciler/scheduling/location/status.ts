// Location status write: PUT to /status with the resourceVersion read (a concurrent write is a
// 409 and a retry), and nothing at all when the counts are what is stored.
import { isDeepStrictEqual } from 'node:util';
import type { Location, LocationStatus } from '../../../client/index.ts';
import type { LocationDeps } from './types.ts';

export async function commitLocationStatus(deps: LocationDeps, cluster: string, location: Location, status: LocationStatus, signal: AbortSignal): Promise<boolean> {
  if (isDeepStrictEqual(location.status ?? {}, status)) return false;
  await deps.clusterClient.cluster(cluster).locations().updateStatus({ ...location, status }, { signal });
  return true;
}
