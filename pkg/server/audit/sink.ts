// Where audit events go: one JSON line per event, appended to a file (or stdout for `-`).
// Writes are asynchronous — a request never waits for the disk — and the file is opened in
// append mode with 0600 (it names users and workspaces). If the disk falls so far behind that
// more than MAX_BUFFERED_BYTES are queued, further events are dropped and counted rather than
// growing memory without bound; the drop is logged, once per episode.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { AuditEvent } from '../../../apis/audit/v1/types.ts';
import type { Logger } from '../../log/logger.ts';

export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface AuditSink {
  write(event: AuditEvent): void;
  /** Flush what is queued and close the file. */
  close(): Promise<void>;
}

export class LogFileAuditSink implements AuditSink {
  private readonly out: Writable;
  private readonly ownsStream: boolean;
  private readonly logger: Logger;
  private readonly maxBufferedBytes: number;
  private dropping = false;
  dropped = 0;

  /** `path` is a file, or `-` for standard output. */
  constructor(path: string, logger: Logger, maxBufferedBytes = MAX_BUFFERED_BYTES) {
    this.logger = logger;
    this.maxBufferedBytes = maxBufferedBytes;
    this.ownsStream = path !== '-';
    this.out = this.ownsStream ? createWriteStream(path, { flags: 'a', mode: 0o600 }) : process.stdout;
    this.out.on('error', (err) => logger.error('audit log write failed', { path, err: err.message }));
  }

  write(event: AuditEvent): void {
    if (this.out.writableLength > this.maxBufferedBytes) {
      this.dropped++;
      if (!this.dropping) this.logger.error('audit log is falling behind: dropping events', { bufferedBytes: this.out.writableLength });
      this.dropping = true;
      return;
    }
    if (this.dropping) this.logger.warn('audit log caught up', { droppedEvents: this.dropped });
    this.dropping = false;
    this.out.write(`${JSON.stringify(event)}\n`);
  }

  close(): Promise<void> {
    if (!this.ownsStream) return Promise.resolve();
    return new Promise((resolve) => this.out.end(resolve));
  }
}
