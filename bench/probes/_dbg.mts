import { ProbeRunner, httpProbeSchema, probesSectionSchema } from '../../probes/index.js';
import { createLogger, createMetricsRegistry } from '../../core/index.js';
import { createServer } from 'node:http';
const srv = createServer((q, s) => s.end('ok')); await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
const port = (srv.address() as any).port;
let n = 0;
const runner = new ProbeRunner({ probes: [{ targetId: 'a/http', serviceId: 'a', customer: 'c', probeId: 'http', sla: true, intervalMs: 1000, timeoutMs: 1000, locations: ['local'], config: httpProbeSchema.parse({ type: 'http', url: `http://127.0.0.1:${port}/` }) }],
  settings: probesSectionSchema.parse({}), log: createLogger({ level: 'debug' }), metrics: createMetricsRegistry(), sink: async (r) => { n += r.length; console.log('got', r[0]); }, flushIntervalMs: 100 });
await runner.start();
await new Promise((r) => setTimeout(r, 2500));
await runner.stop(1000);
console.log('n', n, runner.scheduler.stats); srv.close();
