// Answers requests Node's HTTP parser rejects (malformed request line or headers, oversized
// headers, header timeouts of slow clients) with a metav1.Status body instead of Node's
// bare `400 Bad Request`, so clients see the same error shape everywhere; then closes.
import type { Duplex } from 'node:stream';

const BY_CODE: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the client did not send the request in time'],
  ERR_HTTP_HEADERS_TIMEOUT: [408, 'Request Timeout', 'the client did not send the request headers in time'],
};

export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (err.code === 'ECONNRESET')) {
    socket.destroy();
    return;
  }
  const [code, text, message] = BY_CODE[err.code ?? ''] ?? [400, 'Bad Request', 'malformed HTTP request'];
  const reason = code === 408 ? 'Timeout' : 'BadRequest';
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
