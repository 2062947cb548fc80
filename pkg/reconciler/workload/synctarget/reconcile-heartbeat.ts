// Step "heartbeat" → condition HeartbeatHealthy. A fresh beat requeues the key exactly when
// it would turn stale, so staleness is detected on time without any polling sweep (kcp's
// heartbeat controller did not requeue at all). Staleness is measured from when this
// controller observed the beat (see heartbeat-tracker.ts).
import { falseCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import { complete, retry, type Step, type StepResult } from '../../../controller/tasks.ts';
import { COND_HEARTBEAT, type StepContext } from './types.ts';

export const HEARTBEAT_REASON = 'ErrorHeartbeat';

export const checkHeartbeat: Step<StepContext> = {
  name: 'heartbeat',
  nonBlocking: true,
  run(ctx): StepResult {
    const now = ctx.deps.now();
    const beat = ctx.draft.status?.lastSyncerHeartbeatTime;
    if (!beat) {
      setCondition(ctx.conditions, falseCondition(COND_HEARTBEAT, HEARTBEAT_REASON, 'Error', 'No heartbeat yet seen'), now);
      return complete('no heartbeat yet');
    }
    const observedAt = ctx.deps.heartbeats.observe(ctx.key, beat, now);
    const staleAt = observedAt + ctx.deps.heartbeatThresholdMs;
    if (now >= staleAt) {
      setCondition(ctx.conditions, falseCondition(COND_HEARTBEAT, HEARTBEAT_REASON, 'Error', `No heartbeat since ${beat}`), now);
      return complete('stale');
    }
    setCondition(ctx.conditions, trueCondition(COND_HEARTBEAT), now);
    return retry(staleAt - now, 'fresh beat');
  },
};
