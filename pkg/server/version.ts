// /version. kubectl's dispatcher picks its binary from `minor`, so kplane reports the
// Kubernetes API level it implements (1.32), with its own version in gitVersion.
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';
import { KPLANE_VERSION } from '../version/version.ts';
export { KPLANE_VERSION };

export function versionInfo(): Record<string, string> {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.0+kplane-${KPLANE_VERSION}`,
    gitCommit: 'unknown',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
