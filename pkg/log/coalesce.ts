// Log lines written in one turn of the event loop reach the output in ONE write. stderr on a
// pipe or file is synchronous in Node, so a busy server (one request line per request) paid a
// blocking write system call per line; now it pays one per turn. Pending lines are written
// before the process exits (the 'exit' hook), so a fatal error's last line is never lost;
// only a kill -9 can lose the lines of the current turn.
import { Writable } from 'node:stream';

/** Every open stream, flushed by one 'exit' hook (one listener however many loggers exist). */
const open = new Set<CoalescingStream>();
let hooked = false;

export class CoalescingStream extends Writable {
  readonly #target: NodeJS.WritableStream;
  #pending: Buffer[] = [];
  #scheduled = false;

  constructor(target: NodeJS.WritableStream) {
    super({ decodeStrings: true });
    this.#target = target;
    open.add(this);
    if (!hooked) {
      hooked = true;
      process.once('exit', () => {
        for (const s of open) s.flush();
      });
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.#add(chunk);
    // Accepted: winston never waits for the disk, as with the plain stream.
    done();
  }

  /**
   * A line from the request log's fast path (lines.ts), queued without the Writable machinery
   * (its buffering and callbacks are most of what a write through it costs). Lines appended
   * after the stream ended go straight to the target: nothing is lost.
   */
  append(line: string): void {
    if (this.writableEnded) this.#target.write(line);
    else this.#add(Buffer.from(line, 'utf8'));
  }

  #add(chunk: Buffer): void {
    this.#pending.push(chunk);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Write what is pending now, in one write. */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const data = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#target.write(data);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.flush();
    open.delete(this);
    done();
  }
}
