// Lines written without winston's per-line machinery, for the one line the API server writes
// for every request. Each winston line passes a Transform stream, a format pipeline (logform's
// json format configures a new safe-stable-stringify on every call) and a piped transport
// stream; under wrk that was ~20 % of the API server's CPU per status patch, more than any
// other single part of the request. A line written here has the same shape as winston's for
// the same logger: the JSON format's top-level keys sorted (safe-stable-stringify's order), the
// text format's `<timestamp> <LEVEL> <message> <fields as JSON>`; it goes into the same stream,
// and is dropped when the logger's level is off.
import { CoalescingStream } from './coalesce.ts';
import type { Logger, LogFormat, LogLevel } from './types.ts';

/** Writes one line at level with message and flat fields (strings, numbers, booleans). */
export type LineWriter = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

const LINE_WRITER = Symbol('kplane.log.lineWriter');

interface WithLineWriter {
  [LINE_WRITER]?: LineWriter;
}

/**
 * The fast writer of a logger made by newLogger, or undefined for any other logger. Only the
 * logger itself carries one, not its children: a child's fields (winston's defaultMeta) would
 * be missing from the fast path's lines, so children log through winston.
 */
export function lineWriterOf(logger: Logger): LineWriter | undefined {
  return Object.hasOwn(logger, LINE_WRITER) ? (logger as WithLineWriter)[LINE_WRITER] : undefined;
}

export function attachLineWriter(logger: Logger, writer: LineWriter): void {
  Object.defineProperty(logger, LINE_WRITER, { value: writer, enumerable: false });
}

/**
 * The text format's line (without its newline): logger.ts's winston format calls this too, so
 * the two paths cannot drift apart.
 */
export function textLine(timestamp: string, level: string, message: string, fields: Record<string, unknown>): string {
  const extra = Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
  return `${timestamp} ${level.toUpperCase().padEnd(5)} ${message}${extra}`;
}

/** The line winston's format would produce for these fields. */
export function formatLine(format: LogFormat, level: LogLevel, message: string, fields: Record<string, unknown>, timestamp: string): string {
  if (format === 'text') return textLine(timestamp, level, message, fields) + '\n';
  const all: Record<string, unknown> = { ...fields, level, message, timestamp };
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(all).sort()) sorted[k] = all[k];
  return JSON.stringify(sorted) + '\n';
}

/** A LineWriter into stream, honouring isEnabled (winston's level, read on every line). */
export function newLineWriter(format: LogFormat, stream: NodeJS.WritableStream, isEnabled: (level: LogLevel) => boolean): LineWriter {
  // The server's own stream queues the line directly (coalesce.ts append); any other stream
  // (tests) gets an ordinary write.
  const write = stream instanceof CoalescingStream ? (line: string) => stream.append(line) : (line: string) => void stream.write(line);
  return (level, message, fields) => {
    if (!isEnabled(level)) return;
    write(formatLine(format, level, message, fields, new Date().toISOString()));
  };
}
