// Runs three probes whose patterns a backtracking engine needs 2^64 steps for, against a loopback
// server that answers the crafted text; prints one JSON line per probe. With JS RegExp this
// process never finishes (tests/probes/regex.test.ts kills it and fails).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  httpProbe,
  httpProbeSchema,
  multiStepProbe,
  multiStepProbeSchema,
  type ProbeTarget,
} from '../../../probes/index.js';

const EVIL = `${'a'.repeat(64)}!`;
const server = createServer((_req, res) => res.writeHead(200, { 'x-tag': EVIL }).end(EVIL));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const target: ProbeTarget = {
  id: 't',
  serviceId: 's',
  type: 'http',
  location: 'local',
  intervalMs: 60_000,
  timeoutMs: 30_000,
};

const probes = [
  httpProbe(httpProbeSchema.parse({ type: 'http', url, expect: { body_regex: ['(a+)+$'] } })),
  httpProbe(
    httpProbeSchema.parse({
      type: 'http',
      url,
      expect: { headers: [{ name: 'x-tag', matches: '^(a|aa)+$' }] },
    }),
  ),
  multiStepProbe(
    multiStepProbeSchema.parse({
      type: 'multi_step',
      steps: [{ url, capture: [{ name: 'v', regex: '((a+)+)b' }] }],
    }),
  ),
];
for (const p of probes) {
  const r = await p.run(target, AbortSignal.timeout(30_000));
  process.stdout.write(`${JSON.stringify({ ok: r.ok, error: r.error })}\n`);
  await p.close?.();
}
server.close();
