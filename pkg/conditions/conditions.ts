// Condition setters with stable bytes (kcp's third_party/conditions, simplified):
//  - lastTransitionTime moves only when status changes, truncated to seconds;
//  - conditions are kept sorted: Ready first, then by type;
//  - setters report whether anything changed.
// Repeated reconciles of an unchanged world therefore produce identical objects, which is
// what lets the status commit skip writes by deep equality.
import type { Condition } from '../../apis/meta/v1/condition.ts';
import { formatTime } from '../../apis/meta/v1/time.ts';

export type { Condition };
export type Severity = 'Error' | 'Warning' | 'Info' | '';

export const READY = 'Ready';

export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  /** Only meaningful when status is False (kcp's rule). */
  severity?: Severity;
}

/**
 * A copy of `conditions` the setters may modify. A condition holds only scalar fields
 * (apis/meta/v1/condition.ts admits nothing else), so copying each entry is a deep copy, and
 * far cheaper than structuredClone: that was ~6 % of the controllers' thread under heartbeats,
 * one clone per reconcile.
 */
export function copyConditions(conditions: readonly Condition[] | undefined): Condition[] {
  return (conditions ?? []).map((c) => ({ ...c }));
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

function compare(a: Condition, b: Condition): number {
  if (a.type === b.type) return 0;
  if (a.type === READY) return -1;
  if (b.type === READY) return 1;
  return a.type < b.type ? -1 : 1;
}

/**
 * Set a condition in place. Returns true when the list changed. The transition time is
 * carried over unless the status flips.
 */
export function setCondition(conditions: Condition[], input: ConditionInput, nowMs: number): boolean {
  const next: Condition = { type: input.type, status: input.status };
  if (input.status === 'False' && input.severity) next.severity = input.severity;
  if (input.reason) next.reason = input.reason;
  if (input.message) next.message = input.message;
  const i = conditions.findIndex((c) => c.type === input.type);
  const prev = i >= 0 ? conditions[i] : undefined;
  next.lastTransitionTime = prev && prev.status === next.status && prev.lastTransitionTime ? prev.lastTransitionTime : formatTime(new Date(nowMs));
  // Key order fixed so equal conditions are byte-identical.
  const ordered: Condition = { type: next.type, status: next.status };
  if (next.severity) ordered.severity = next.severity;
  ordered.lastTransitionTime = next.lastTransitionTime;
  if (next.reason) ordered.reason = next.reason;
  if (next.message) ordered.message = next.message;
  const changed = !prev || JSON.stringify(prev) !== JSON.stringify(ordered);
  if (i >= 0) conditions[i] = ordered;
  else conditions.push(ordered);
  conditions.sort(compare);
  return changed;
}

export function trueCondition(type: string, reason?: string, message?: string): ConditionInput {
  return { type, status: 'True', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function falseCondition(type: string, reason: string, severity: Severity, message: string): ConditionInput {
  return { type, status: 'False', reason, severity, message };
}

/**
 * Ready summarises the given condition types: True when all are True, otherwise False
 * carrying the first failing condition's reason and message (kcp's SetSummary).
 */
export function summary(conditions: readonly Condition[], types: readonly string[]): ConditionInput {
  for (const t of types) {
    const c = getCondition(conditions, t);
    if (!c) return { type: READY, status: 'Unknown', reason: `${t}Unknown`, message: `${t} has not been determined yet` };
    if (c.status !== 'True') {
      return {
        type: READY,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
        ...(c.severity ? { severity: c.severity as Severity } : {}),
      };
    }
  }
  return trueCondition(READY);
}
