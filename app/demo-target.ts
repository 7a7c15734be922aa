import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import { listenAddress, type ConfigSection, type Component, type Logger } from '../core/index.js';
import { parseListen } from '../server/index.js';

/**
 * A small demo service for `npm start`: something real to probe on a fresh machine. It answers
 * `/` with a short page after a configurable delay, and `/down` toggles an outage so the whole
 * chain (probe → SLA → alert) can be seen working.
 */
export const demoSection: ConfigSection = {
  key: 'demo',
  optional: true,
  schema: z.strictObject({
    listen: listenAddress().default('127.0.0.1:8081'),
    delay_ms: z.number().int().min(0).max(10_000).default(5),
  }),
};

export interface DemoConfig {
  listen: string;
  delay_ms: number;
}

/** The demo target as a component of `vigil start`. */
export function demoTarget(cfg: DemoConfig, log: Logger): Component {
  let server: Server | undefined;
  let down = false;
  return {
    name: 'demo-target',
    async start() {
      const { host, port } = parseListen(cfg.listen);
      server = createServer((req, res) => {
        if (req.url === '/down') {
          down = !down;
          log.warn({ down }, 'demo target outage toggled');
          res.end(down ? 'demo target is now down\n' : 'demo target is up again\n');
          return;
        }
        setTimeout(() => {
          res.writeHead(down ? 503 : 200, { 'content-type': 'text/html' });
          res.end(
            down ? 'down for the demo\n' : '<!doctype html><title>demo</title><p>vigil demo target</p>\n',
          );
        }, cfg.delay_ms);
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
      log.info({ listen: cfg.listen }, 'demo target listening');
    },
    async stop() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
