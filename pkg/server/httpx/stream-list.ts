// Writing a list reply without building it as one string. A list of many large objects can be
// bigger than V8's maximum string length (~512 MiB), so JSON.stringify of the whole list would
// throw and the list would be unreadable for everyone. The envelope is encoded once, each item
// on its own, and the pieces are written in chunks that honour the socket's backpressure.
// A small list still goes out in one piece with a Content-Length, as before.
import type { ServerResponse } from 'node:http';

/** Bytes (UTF-16 units) gathered before a chunk is written. */
const CHUNK = 256 * 1024;

/**
 * Write `{...envelope, [itemsKey]: items}` as JSON. `encodeItem` maps an item to the value
 * that goes on the wire (e.g. adding apiVersion/kind), called once per item as it is written.
 */
export async function writeJSONList<T>(
  res: ServerResponse,
  code: number,
  envelope: Record<string, unknown>,
  itemsKey: string,
  items: readonly T[],
  encodeItem: (item: T) => unknown = (item) => item,
  contentType = 'application/json',
): Promise<void> {
  const head = JSON.stringify(envelope);
  const open = head === '{}' ? `{${JSON.stringify(itemsKey)}:[` : `${head.slice(0, -1)},${JSON.stringify(itemsKey)}:[`;
  const parts: string[] = [open];
  let pending = open.length;
  let streaming = false;
  for (let i = 0; i < items.length; i++) {
    const text = (i === 0 ? '' : ',') + JSON.stringify(encodeItem(items[i]!));
    parts.push(text);
    pending += text.length;
    if (pending < CHUNK) continue;
    if (!streaming) {
      streaming = true;
      res.statusCode = code;
      res.setHeader('Content-Type', contentType);
    }
    const ok = res.write(parts.join(''));
    parts.length = 0;
    pending = 0;
    // A client that went away gets nothing more; its socket is already gone.
    if (!ok && !(await drained(res))) return;
  }
  parts.push(']}');
  const rest = parts.join('');
  if (streaming) {
    res.end(rest);
    return;
  }
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(rest));
  res.end(rest);
}

/** Resolves true when `res` can take more, false when the client went away first. */
export function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      resolve(false);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
