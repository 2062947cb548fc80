// Package log builds kplane's winston loggers: JSON lines by default (one object per line,
// easy to ship), a compact human format with --log-format text.
import winston from 'winston';
import { CoalescingStream } from './coalesce.ts';
import { attachLineWriter, newLineWriter, textLine } from './lines.ts';

export type { Logger, LogFormat, LogLevel } from './types.ts';
import type { Logger, LogFormat, LogLevel } from './types.ts';

export interface LoggerOptions {
  format?: LogFormat;
  level?: LogLevel;
  /** Defaults to stderr so that stdout stays free for command output. */
  stream?: NodeJS.WritableStream;
}

const textFormat = winston.format.printf((info) => {
  const { level, message, timestamp, ...rest } = info;
  return textLine(String(timestamp), level, String(message), rest);
});

export function newLogger(opts: LoggerOptions = {}): Logger {
  const format = opts.format ?? 'json';
  // Lines of one event-loop turn go out in one write (coalesce.ts): a request line per request
  // otherwise costs a blocking write system call each.
  const stream = opts.stream ?? new CoalescingStream(process.stderr);
  const logger = skipDisabledLevels(winston.createLogger({
    level: opts.level ?? 'info',
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      format === 'json' ? winston.format.json() : textFormat,
    ),
    transports: [new winston.transports.Stream({ stream })],
  }));
  // The request log's fast path (lines.ts): same stream, same format, same level.
  attachLineWriter(logger, newLineWriter(format, stream, (level) => logger.isLevelEnabled(level)));
  return logger;
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/**
 * winston builds, timestamps and JSON-encodes every line before its transport drops the levels
 * it does not log: at the default level each of the controllers' debug lines (one per
 * reconcile) cost that work for nothing, a tenth of their thread under a stream of heartbeats.
 * Each level's method now asks first. The check is made on every call (a lookup), so a level
 * changed at run time is honoured, and child loggers inherit the methods through their
 * prototype.
 */
function skipDisabledLevels(logger: winston.Logger): winston.Logger {
  for (const level of LEVELS) {
    const write = logger[level] as (this: winston.Logger, ...args: unknown[]) => winston.Logger;
    logger[level] = function (this: winston.Logger, ...args: unknown[]): winston.Logger {
      return this.isLevelEnabled(level) ? write.apply(this, args) : this;
    } as winston.LeveledLogMethod;
  }
  return logger;
}

/** A logger that drops everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
