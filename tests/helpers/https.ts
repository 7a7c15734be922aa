import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';

/** GET over HTTPS trusting only `ca`; resolves with status, headers and the server's certificate fingerprint. */
export function httpsGet(url: string, ca: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; fingerprint: string; body: string }>(
    (resolve, reject) => {
      const req = request(url, { ca, timeout: 10_000, agent: false }, (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            fingerprint,
            body,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}
