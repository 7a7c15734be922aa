import { createServer as createHttp, type RequestListener, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer as createNet, type AddressInfo } from 'node:net';
import type { SecureVersion } from 'node:tls';
import type { Pem } from './certs.js';

export interface Running {
  server: Server | ReturnType<typeof createNet>;
  port: number;
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server | ReturnType<typeof createNet>, proto: string): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    server,
    port,
    url: `${proto}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A plain HTTP server on 127.0.0.1, port 0. */
export function httpServer(handler: RequestListener): Promise<Running> {
  return listen(createHttp(handler), 'http');
}

/** An HTTPS server on 127.0.0.1 with the given certificate. */
export function httpsServer(
  pem: Pem,
  handler: RequestListener,
  opts: { maxVersion?: SecureVersion; minVersion?: SecureVersion } = {},
): Promise<Running> {
  return listen(createHttps({ cert: pem.cert, key: pem.key, ...opts }, handler), 'https');
}

/** A raw TCP server: `onSocket` decides what happens to each connection (reset, hang, ...). */
export function tcpServer(onSocket: (s: import('node:net').Socket) => void): Promise<Running> {
  return listen(createNet(onSocket), 'tcp');
}

/** A port on 127.0.0.1 where nothing listens (bound, read and released). */
export async function closedPort(): Promise<number> {
  const s = createNet();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
