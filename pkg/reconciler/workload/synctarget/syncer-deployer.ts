// The real SyncerDeployer: render the syncer manifests (pkg/syncer/manifests) and apply them
// to the physical cluster (pkg/syncer/deploy). Applies only when the rendered manifests
// changed since the last successful apply for that SyncTarget — heartbeats trigger reconciles
// every few seconds and must not turn into a stream of writes to the physical cluster.
import { createHash } from 'node:crypto';
import { applySyncerManifests, deleteSyncerManifests, syncerDeploymentAvailable } from '../../../syncer/deploy/index.ts';
import { renderSyncerManifests } from '../../../syncer/manifests/render.ts';
import type { DeployRequest, DeployStatus, SyncerDeployer } from './deployer.ts';

export interface ManifestDeployerOptions {
  /** kplane's URL as the syncer should reach it. */
  kplaneURL: string;
  caPem: string;
  /** Used when spec.syncer.image is not set. */
  defaultImage: string;
}

export class ManifestDeployer implements SyncerDeployer {
  private readonly opts: ManifestDeployerOptions;
  private readonly lastApplied = new Map<string, string>();

  constructor(opts: ManifestDeployerOptions) {
    this.opts = opts;
  }

  private render(req: DeployRequest) {
    const st = req.syncTarget;
    return renderSyncerManifests({
      syncTarget: st,
      workspace: req.cluster,
      kplaneURL: this.opts.kplaneURL,
      caPem: this.opts.caPem,
      token: req.token,
      image: st.spec?.syncer?.image ?? this.opts.defaultImage,
      heartbeatPeriod: st.spec?.syncer?.heartbeatPeriod,
      heartbeatLease: st.spec?.syncer?.heartbeatLease,
      capacity: st.spec?.capacity as Record<string, string> | undefined,
    });
  }

  async deploy(req: DeployRequest): Promise<DeployStatus> {
    const objects = this.render(req);
    const key = `${req.cluster}|${req.syncTarget.metadata.uid}`;
    const hash = createHash('sha256').update(req.physicalKubeconfig).update(JSON.stringify(objects)).digest('hex');
    if (this.lastApplied.get(key) !== hash) {
      await applySyncerManifests(req.physicalKubeconfig, objects, callOptions(req));
      this.lastApplied.set(key, hash);
    }
    const a = await syncerDeploymentAvailable(req.physicalKubeconfig, objects, callOptions(req));
    if (a.error) {
      // The physical cluster may have lost our objects; apply again next time.
      this.lastApplied.delete(key);
      throw a.error;
    }
    if (a.reason === 'DeploymentNotFound') this.lastApplied.delete(key);
    return { available: a.available, reason: a.reason, message: a.message };
  }

  async undeploy(req: Omit<DeployRequest, 'token'>): Promise<void> {
    // Names do not depend on the token; render with a placeholder to know what to delete.
    const objects = this.render({ ...req, token: 'unused-for-deletion' });
    await deleteSyncerManifests(req.physicalKubeconfig, objects, callOptions(req));
    this.lastApplied.delete(`${req.cluster}|${req.syncTarget.metadata.uid}`);
  }
}

function callOptions(req: Pick<DeployRequest, 'signal'>): { signal?: AbortSignal } {
  return req.signal ? { signal: req.signal } : {};
}
