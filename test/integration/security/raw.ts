// Raw TLS requests for the fuzz test: bytes Node's HTTP client would refuse to send
// (broken request lines, invalid headers, conflicting framing). Returns the status code
// and the parsed JSON body of the first response.
import { connect } from 'node:tls';

export interface RawReply {
  status: number;
  json: { kind?: string; status?: string; code?: number } | undefined;
  text: string;
}

export function rawRequest(url: string, ca: string, payload: Buffer | string): Promise<RawReply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port), ca, servername: 'localhost' }, () => socket.end(payload));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (err) => (chunks.length > 0 ? done() : reject(err)));
    socket.on('close', () => done());
    let finished = false;
    function done(): void {
      if (finished) return;
      finished = true;
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const body = text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let json: RawReply['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      resolve({ status, json, text });
    }
  });
}
