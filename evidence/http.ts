import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { customerScope, errorMessage, inputIssues, type AuditPublicKey } from '../core/index.js';
import { readTar, writeTar } from './tar.js';
import { verifyBundle } from './verify.js';
import { FRAMEWORKS, type Framework, type Period } from './types.js';
import type { Bundle } from './bundle.js';

export interface EvidenceHttpOptions {
  /** Builds the bundle of a period (app/ wires the store, the key and the role matrix in). */
  exportBundle(
    period: Period,
    frameworks: readonly Framework[],
    customerId: string | undefined,
  ): Promise<Bundle>;
  /** The instance's public key(s) that bundles are verified against. */
  trustedKeys(): AuditPublicKey[];
}

const exportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()),
  /** Comma-separated framework ids. */
  frameworks: z.string().optional(),
});

const badRequest = (message: string) => ({ error: 'bad_request', message });

/**
 * `GET /api/v1/evidence/bundle?from=&to=&frameworks=` (the bundle as a ustar archive, a download)
 * and `POST /api/v1/evidence/verify` (a bundle archive → the verification result; it changes
 * nothing), both `evidence:read`, so an auditor may do both. A customer-scoped caller gets its customer's SLA
 * and incident evidence only: the scope goes into the queries. The server audits every request.
 */
export function evidenceHttp(o: EvidenceHttpOptions): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser('application/x-tar', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    app.get('/api/v1/evidence/bundle', { config: { permission: 'evidence:read' } }, async (req, reply) => {
      const parsed = exportQuery.safeParse(req.query);
      if (!parsed.success) return reply.code(400).send(badRequest(inputIssues(parsed.error).join('; ')));
      const period = { from: Date.parse(parsed.data.from), to: Date.parse(parsed.data.to) };
      if (!(period.to > period.from)) return reply.code(400).send(badRequest('to must be after from'));
      const frameworks = parsed.data.frameworks?.split(',') ?? [...FRAMEWORKS];
      const unknown = frameworks.find((f) => !(FRAMEWORKS as readonly string[]).includes(f));
      if (unknown !== undefined) return reply.code(400).send(badRequest(`unknown framework "${unknown}"`));
      const bundle = await o.exportBundle(period, frameworks as Framework[], customerScope(req));
      const name = `vigil-evidence-${parsed.data.from.slice(0, 10)}-${parsed.data.to.slice(0, 10)}.tar`;
      return reply
        .header('content-type', 'application/x-tar')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-vigil-bundle-digest', bundle.digest)
        .send(writeTar(bundle.files, period.to));
    });
    app.post(
      '/api/v1/evidence/verify',
      { config: { permission: 'evidence:read' }, bodyLimit: 1024 * 1024 * 1024 },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body))
          return reply.code(400).send(badRequest('send the bundle as application/x-tar'));
        let files;
        try {
          files = readTar(req.body);
        } catch (err) {
          return reply.code(400).send(badRequest(`cannot read the bundle: ${errorMessage(err)}`));
        }
        return verifyBundle(files, o.trustedKeys());
      },
    );
  };
}
