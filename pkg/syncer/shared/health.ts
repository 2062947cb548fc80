// How resource sync is doing, for the SyncTarget condition `ResourcesSynced` that the
// heartbeat reports: the physical cluster unreachable (the last downstream call failed for a
// transient reason and none has succeeded since), objects held back by a downstream object of
// the same name the syncer did not make, or True.
import { formatTime } from '../../../apis/meta/v1/time.ts';

export const RESOURCES_SYNCED = 'ResourcesSynced';

export interface SyncCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: 'Error' | 'Warning';
  reason?: string;
  message?: string;
}

/** Conflicts named in the message (the count is always complete). */
const MAX_NAMED = 5;

export class SyncHealth {
  private unreachable: { since: number; error: string } | undefined;
  private readonly conflicts = new Map<string, string>();
  /** Called whenever the condition may have changed (the heartbeat re-reads it). */
  onChange: () => void = () => {};

  downstreamOk(): void {
    if (!this.unreachable) return;
    this.unreachable = undefined;
    this.onChange();
  }

  downstreamFailed(error: string, now: number): void {
    const first = !this.unreachable;
    this.unreachable = { since: this.unreachable?.since ?? now, error };
    if (first) this.onChange();
  }

  conflict(key: string, message: string): void {
    if (this.conflicts.get(key) === message) return;
    this.conflicts.set(key, message);
    this.onChange();
  }

  resolved(key: string): void {
    if (this.conflicts.delete(key)) this.onChange();
  }

  condition(): SyncCondition {
    if (this.unreachable) {
      return { type: RESOURCES_SYNCED, status: 'False', severity: 'Error', reason: 'PhysicalClusterUnreachable', message: `the physical cluster has not answered since ${formatTime(new Date(this.unreachable.since))}: ${this.unreachable.error}; retrying with backoff` };
    }
    if (this.conflicts.size > 0) {
      const named = [...this.conflicts.values()].sort().slice(0, MAX_NAMED);
      const more = this.conflicts.size > MAX_NAMED ? ` (and ${this.conflicts.size - MAX_NAMED} more)` : '';
      return { type: RESOURCES_SYNCED, status: 'False', severity: 'Warning', reason: 'DownstreamConflict', message: `${this.conflicts.size} object(s) not synced: ${named.join('; ')}${more}` };
    }
    return { type: RESOURCES_SYNCED, status: 'True', reason: 'Synced' };
  }
}
