// Package log builds kplane's winston loggers: JSON lines by default (one object per line,
// easy to ship), a compact human format with --log-format text.
import winston from 'winston';
import { CoalescingStream } from './coalesce.ts';

export type LogFormat = 'json' | 'text';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The narrow logging interface libraries accept (winston's Logger satisfies it). */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
  child(meta: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  format?: LogFormat;
  level?: LogLevel;
  /** Defaults to stderr so that stdout stays free for command output. */
  stream?: NodeJS.WritableStream;
}

const textFormat = winston.format.printf((info) => {
  const { level, message, timestamp, ...rest } = info;
  const extra = Object.keys(rest).length > 0 ? ' ' + JSON.stringify(rest) : '';
  return `${String(timestamp)} ${level.toUpperCase().padEnd(5)} ${String(message)}${extra}`;
});

export function newLogger(opts: LoggerOptions = {}): Logger {
  const format = opts.format ?? 'json';
  return winston.createLogger({
    level: opts.level ?? 'info',
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      format === 'json' ? winston.format.json() : textFormat,
    ),
    // Lines of one event-loop turn go out in one write (coalesce.ts): a request line per request
    // otherwise costs a blocking write system call each.
    transports: [new winston.transports.Stream({ stream: opts.stream ?? new CoalescingStream(process.stderr) })],
  });
}

/** A logger that drops everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
