// Test helpers for code built on the controller runner: a logger that records lines and a
// bounded "settle" loop that lets promise chains run without wall-clock waits.

import { flushPromises } from '../clock/fake.ts';
import type { ControllerLogger, LogMeta } from './logger.ts';

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: LogMeta;
}

export class RecordingLogger implements ControllerLogger {
  readonly lines: LogLine[] = [];
  error(message: string, meta: LogMeta = {}): void {
    this.lines.push({ level: 'error', message, meta });
  }
  warn(message: string, meta: LogMeta = {}): void {
    this.lines.push({ level: 'warn', message, meta });
  }
  info(message: string, meta: LogMeta = {}): void {
    this.lines.push({ level: 'info', message, meta });
  }
  debug(message: string, meta: LogMeta = {}): void {
    this.lines.push({ level: 'debug', message, meta });
  }
}

/**
 * Flushes pending promise work until `condition` holds, failing after `maxRounds` event-loop
 * turns. No timers involved, so it is immune to a slow machine.
 */
export async function settleUntil(condition: () => boolean, what = 'condition', maxRounds = 1000): Promise<void> {
  for (let i = 0; i < maxRounds; i++) {
    if (condition()) return;
    await flushPromises();
  }
  throw new Error(`settleUntil: ${what} not reached after ${maxRounds} rounds`);
}
