// Reading a log file that a running server appends to (startKplane's `log: 'file'`).
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * A log file another process appends to, read from where it stood when this was made: whole
 * lines only, a partial last line kept for the next read.
 */
export class LogFile {
  readonly path: string;
  #offset: number;
  /** Bytes after the last newline read so far (a line still being written). */
  #partial = Buffer.alloc(0);

  constructor(path: string) {
    this.path = path;
    this.#offset = fileSize(path);
  }

  readLines(): string[] {
    const size = fileSize(this.path);
    if (size <= this.#offset) return [];
    const buf = Buffer.alloc(size - this.#offset);
    const fd = openSync(this.path, 'r');
    try {
      this.#offset += readSync(fd, buf, 0, buf.length, this.#offset);
    } finally {
      closeSync(fd);
    }
    // Split on the newline byte, not on decoded text: a read may end inside a character.
    const bytes = Buffer.concat([this.#partial, buf]);
    const end = bytes.lastIndexOf(0x0a);
    this.#partial = bytes.subarray(end + 1);
    return end < 0 ? [] : bytes.subarray(0, end).toString('utf8').split('\n');
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}
