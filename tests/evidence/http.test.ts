import { expect, it } from 'vitest';
import { createMetricsRegistry, parsePublicKeys, silentLogger } from '../../core/index.js';
import { buildBundle, evidenceHttp, readTar, verifyBundle } from '../../evidence/index.js';
import { createServer } from '../../server/index.js';
import { describeStores } from '../helpers/stores.js';
import { testAuth } from '../helpers/test-auth.js';
import { dayOfVigil, scenarioInputs } from './scenario.js';

describeStores('evidence over HTTP', (getStore) => {
  it('exports a tar (scoped to the caller’s customer) and verifies a posted bundle', async () => {
    const store = getStore();
    const { signer } = await dayOfVigil(store);
    const full = await testAuth(store, ['evidence:read'], 'auditor-token');
    const acme = await full.auth.service.tokens.create(
      { name: 'acme', scopes: ['evidence:read'], customerId: 'acme', createdBy: 't' },
      Date.now(),
    );
    const globex = await full.auth.service.tokens.create(
      { name: 'globex', scopes: ['evidence:read'], customerId: 'globex', createdBy: 't' },
      Date.now(),
    );
    const app = await createServer({
      log: silentLogger(),
      metrics: createMetricsRegistry({ defaults: false }),
      readiness: async () => ({ ok: true, reasons: [] }),
      auth: full.auth,
      plugins: [
        evidenceHttp({
          exportBundle: (period, frameworks, customerId) =>
            buildBundle(
              store.db,
              scenarioInputs({ period, frameworks, ...(customerId ? { customerId } : {}) }),
              signer,
              null,
            ),
          trustedKeys: () => parsePublicKeys(signer.publicPem, 'instance'),
        }),
      ],
    });
    try {
      const url = '/api/v1/evidence/bundle?from=2026-06-01&to=2026-06-02';
      const res = await app.inject({ url, headers: full.headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/x-tar');
      const files = readTar(res.rawPayload);
      expect(files.has('data/access/users.jsonl')).toBe(true);
      expect(res.headers['x-vigil-bundle-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect((await verifyBundle(files, parsePublicKeys(signer.publicPem, 'k'))).ok).toBe(true);

      const ownRes = await app.inject({ url, headers: { authorization: `Bearer ${acme}` } });
      expect([ownRes.statusCode, ownRes.headers['content-type']]).toEqual([200, 'application/x-tar']);
      const own = readTar(ownRes.rawPayload);
      expect(own.has('data/access/users.jsonl')).toBe(false);
      expect(own.get('data/records/sla-months.jsonl')!.toString()).toContain('shop/http');
      const other = readTar(
        (await app.inject({ url, headers: { authorization: `Bearer ${globex}` } })).rawPayload,
      );
      expect(other.get('data/records/sla-months.jsonl')!.length).toBe(0);
      expect(other.get('data/records/planned-downtimes.jsonl')!.length).toBe(0);

      const bad = await app.inject({
        url: '/api/v1/evidence/bundle?from=2026-06-02&to=2026-06-01',
        headers: full.headers,
      });
      expect(bad.statusCode).toBe(400);

      const verify = (body: Buffer) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/evidence/verify',
          headers: { ...full.headers, 'content-type': 'application/x-tar' },
          payload: body,
        });
      const ok = await verify(res.rawPayload);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ ok: true });
      const broken = Buffer.from(res.rawPayload);
      const at = broken.indexOf('"zeek-tail"');
      broken[at + 1] = 'Z'.charCodeAt(0);
      expect((await verify(broken)).json()).toMatchObject({
        ok: false,
        file: 'data/records/analysis-runs.jsonl',
      });
    } finally {
      await app.close();
    }
  }, 120_000);
});
