// The narrow logger the controller machinery accepts. winston's Logger and pkg/log's Logger
// both satisfy it, and a test can pass an object literal that records lines.

export type LogMeta = Record<string, unknown>;

export interface ControllerLogger {
  error(message: string, meta?: LogMeta): unknown;
  warn(message: string, meta?: LogMeta): unknown;
  info(message: string, meta?: LogMeta): unknown;
  debug(message: string, meta?: LogMeta): unknown;
}

/** A logger that adds `fields` to every line (without needing winston's child()). */
export function withFields(logger: ControllerLogger, fields: LogMeta): ControllerLogger {
  return {
    error: (message, meta) => logger.error(message, { ...fields, ...meta }),
    warn: (message, meta) => logger.warn(message, { ...fields, ...meta }),
    info: (message, meta) => logger.info(message, { ...fields, ...meta }),
    debug: (message, meta) => logger.debug(message, { ...fields, ...meta }),
  };
}

export const discardLogger: ControllerLogger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
};
