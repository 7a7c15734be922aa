import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { parsePublicKeys } from '../../core/index.js';
import {
  buildBundle,
  readTar,
  SIGNATURE_FILE,
  validateOscal,
  verifyBundle,
  writeTar,
  type Bundle,
} from '../../evidence/index.js';
import { describeStores } from '../helpers/stores.js';
import { dayOfVigil, scenarioInputs } from './scenario.js';

const recordsOf = (b: Bundle, path: string): Record<string, unknown>[] =>
  b.files
    .get(path)!
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const control = (b: Bundle, id: string) => b.controls.find((c) => c.id === id)!;

describeStores(
  'evidence export and verify',
  (getStore) => {
    let bundle: Bundle;
    let again: Bundle;
    let keyPem: string;

    it('exports a day of vigil: records, access evidence, controls computed from them', async () => {
      const { signer } = await dayOfVigil(getStore(), { withScan: true });
      keyPem = signer.publicPem;
      bundle = await buildBundle(getStore().db, scenarioInputs(), signer, null);
      again = await buildBundle(getStore().db, scenarioInputs(), signer, null);

      const sla = recordsOf(bundle, 'data/records/sla-months.jsonl').filter((r) => r.target === 'shop/http');
      expect(sla).toHaveLength(1);
      expect(sla[0]).toMatchObject({
        service: 'shop',
        target: 'shop/http',
        month: '2026-06',
        measuredMinutes: 60,
        downMinutes: 10,
      });
      expect(sla[0]!.downIntervals).toEqual([
        { from: Date.UTC(2026, 5, 1, 10, 20), to: Date.UTC(2026, 5, 1, 10, 30) },
      ]);
      expect((sla[0]!.exclusions as unknown[]).length).toBe(1);
      expect(recordsOf(bundle, 'data/records/planned-downtimes.jsonl')[0]).toMatchObject({
        serviceId: 'shop',
        noticeMs: 3 * 86_400_000 + 10 * 3_600_000 + 25 * 60_000,
      });
      const runs = recordsOf(bundle, 'data/records/analysis-runs.jsonl');
      expect(runs).toHaveLength(4);
      expect(runs[2]!.inputs).toEqual([
        expect.objectContaining({ fromOffset: 200, toOffset: 300, records: 10, badRecords: 1 }),
      ]);
      expect(recordsOf(bundle, 'data/records/run-coverage.jsonl')).toEqual([
        { windowFrom: Date.UTC(2026, 5, 1), windowTo: Date.UTC(2026, 5, 2), runs: 4, required: 4, ok: true },
      ]);
      expect(recordsOf(bundle, 'data/records/reviews.jsonl')).toEqual([
        expect.objectContaining({ reviewedBy: 'alice' }),
      ]);
      expect(recordsOf(bundle, 'data/records/scan-runs.jsonl')).toHaveLength(1);
      expect(recordsOf(bundle, 'data/records/probe-history.jsonl').map((r) => r.targetId)).toEqual([
        'shop/tls',
      ]);

      const users = recordsOf(bundle, 'data/access/users.jsonl');
      expect(users.find((u) => u.name === 'alice')).toMatchObject({
        mfaEnrolled: true,
        grants: [expect.objectContaining({ role: 'auditor' })],
      });
      expect(users.find((u) => u.name === 'bob')).toMatchObject({ mfaEnrolled: false });
      expect(recordsOf(bundle, 'data/access/tokens.jsonl')).toEqual([
        expect.objectContaining({ name: 'ci', scopes: expect.any(String) }),
      ]);
      // Never a secret: no password hash, TOTP secret or token hash anywhere in the bundle.
      const all = [...bundle.files.values()].map((b) => b.toString('latin1')).join('\n');
      expect(all).not.toMatch(/argon2id|password_hash|totp_secret|token_hash/);
      const audit = recordsOf(bundle, 'data/access/audit-segment.jsonl');
      expect(audit.filter((l) => l.type === 'entry')).toHaveLength(5);
      expect(audit.filter((l) => l.type === 'checkpoint')).toHaveLength(1);

      expect(control(bundle, '5.3.2')).toMatchObject({ status: 'satisfied', figures: { scanRuns: 1 } });
      expect(control(bundle, '8.4')).toMatchObject({
        status: 'not_satisfied',
        reason: expect.stringContaining('bob'),
      });
      expect(control(bundle, '10.3')).toMatchObject({
        status: 'satisfied',
        figures: { auditEntries: 5, signedCheckpoints: 1 },
      });
      expect(control(bundle, '11.5').status).toBe('satisfied');
      expect(control(bundle, '12.10')).toMatchObject({
        status: 'manual',
        reason: expect.stringContaining('not available'),
      });
    });

    it('two exports of the same period are byte-identical, as files and as tar', () => {
      expect([...again.files.keys()]).toEqual([...bundle.files.keys()]);
      for (const [p, b] of bundle.files) expect(again.files.get(p)!.equals(b), p).toBe(true);
      expect(again.digest).toBe(bundle.digest);
      const end = Date.UTC(2026, 5, 2);
      expect(writeTar(again.files, end).equals(writeTar(bundle.files, end))).toBe(true);
    });

    it('the OSCAL document validates against the vendored NIST schema, one TEST observation per control', () => {
      const doc = JSON.parse(bundle.files.get('data/oscal/assessment-results.json')!.toString('utf8')) as {
        'assessment-results': { results: { observations: { methods: string[]; collected: string }[] }[] };
      };
      expect(validateOscal(doc)).toBeUndefined();
      const obs = doc['assessment-results'].results[0]!.observations;
      expect(obs).toHaveLength(bundle.controls.length);
      expect(obs.every((o) => o.methods[0] === 'TEST' && o.collected === '2026-06-02T00:00:00.000Z')).toBe(
        true,
      );
      // A document that breaks the schema is caught (the validator is not a yes-machine).
      (obs[0] as { methods: unknown }).methods = [];
      expect(validateOscal(doc)).toMatch(/methods/);
    });

    it('verifies offline (through a tar round trip) with the instance public key', async () => {
      const files = readTar(writeTar(bundle.files, Date.UTC(2026, 5, 2)));
      const r = await verifyBundle(files, parsePublicKeys(keyPem, 'key'));
      expect(r).toMatchObject({
        ok: true,
        digest: bundle.digest,
        previousBundle: null,
        keyFromBundle: false,
      });
    });

    const tamper = async (change: (f: Map<string, Buffer>) => void) => {
      const files = new Map([...bundle.files].map(([p, b]) => [p, Buffer.from(b)]));
      change(files);
      return verifyBundle(files, parsePublicKeys(keyPem, 'key'));
    };

    it('one changed byte in any file fails and names that file', async () => {
      for (const path of bundle.files.keys()) {
        const r = await tamper((f) => {
          const b = f.get(path)!;
          if (b.length === 0) f.set(path, Buffer.from('\n'));
          const i = Math.floor(b.length / 2);
          b[i] = b[i]! ^ 0x01;
        });
        expect(r.ok, path).toBe(false);
        if (!r.ok) expect(r.file, `${path}: ${r.problem}`).toBe(path);
      }
    });

    it('a removed file, an added file, a swapped audit entry and a replaced signature each fail, naming the file', async () => {
      const removed = await tamper((f) => void f.delete('data/records/reviews.jsonl'));
      expect(removed).toMatchObject({
        ok: false,
        file: 'data/records/reviews.jsonl',
        problem: expect.stringContaining('removed'),
      });
      const added = await tamper((f) => void f.set('data/records/extra.jsonl', Buffer.from('{}\n')));
      expect(added).toMatchObject({
        ok: false,
        file: 'data/records/extra.jsonl',
        problem: expect.stringContaining('added'),
      });
      const swapped = await tamper((f) => {
        const lines = f.get('data/access/audit-segment.jsonl')!.toString('utf8').split('\n');
        [lines[2], lines[3]] = [lines[3]!, lines[2]!];
        f.set('data/access/audit-segment.jsonl', Buffer.from(lines.join('\n')));
      });
      expect(swapped).toMatchObject({ ok: false, file: 'data/access/audit-segment.jsonl' });
      const other = generateKeyPairSync('ed25519');
      const resigned = await buildBundle(
        getStore().db,
        scenarioInputs(),
        {
          key: other.privateKey,
          keyId: 'other',
          publicPem: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
        null,
      );
      const replaced = await tamper((f) => void f.set(SIGNATURE_FILE, resigned.files.get(SIGNATURE_FILE)!));
      expect(replaced).toMatchObject({
        ok: false,
        file: SIGNATURE_FILE,
        problem: expect.stringContaining('signature'),
      });
    });

    it('a bundle re-signed by another key verifies only against its own key, and names the previous bundle', async () => {
      const other = generateKeyPairSync('ed25519');
      const pem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const next = await buildBundle(
        getStore().db,
        scenarioInputs(),
        { key: other.privateKey, keyId: 'x', publicPem: pem },
        bundle.digest,
      );
      // The audit checkpoints inside are signed by the instance key, not this one: the chain check fails.
      const mine = await verifyBundle(next.files, parsePublicKeys(pem, 'k'));
      expect(mine).toMatchObject({ ok: false, file: 'data/access/audit-segment.jsonl' });
      const theirs = await verifyBundle(next.files, parsePublicKeys(keyPem, 'k'));
      expect(theirs).toMatchObject({ ok: false, file: SIGNATURE_FILE });
      expect(next.files.get('bag-info.txt')!.toString()).toContain(`Vigil-Previous-Bundle: ${bundle.digest}`);
    });
  },
  { fresh: 'suite' },
);

describeStores('evidence: missing evidence is never satisfied', (getStore) => {
  it('no scan in the period: 5.3.2 not satisfied with the reason; an empty store satisfies nothing', async () => {
    const { signer } = await dayOfVigil(getStore());
    const b = await buildBundle(getStore().db, scenarioInputs(), signer, null);
    expect(control(b, '5.3.2')).toMatchObject({
      status: 'not_satisfied',
      reason: 'no malware scan ran in the period',
    });
    const empty = await buildBundle(
      getStore().db,
      scenarioInputs({ period: { from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 0, 2) } }),
      signer,
      null,
    );
    expect(empty.controls.filter((c) => c.status === 'satisfied')).toEqual([]);
    expect(empty.controls.every((c) => c.status === 'manual' || c.reason)).toBe(true);
  });

  it('a customer-scoped export holds only that customer’s SLA and incident records', async () => {
    const { signer } = await dayOfVigil(getStore());
    const other = await buildBundle(getStore().db, scenarioInputs({ customerId: 'globex' }), signer, null);
    expect(other.files.get('data/records/sla-months.jsonl')!.length).toBe(0);
    expect(other.files.has('data/access/users.jsonl')).toBe(false);
    const own = await buildBundle(getStore().db, scenarioInputs({ customerId: 'acme' }), signer, null);
    expect(own.files.get('data/records/sla-months.jsonl')!.toString()).toContain('"shop/http"');
    expect(own.files.has('data/records/analysis-runs.jsonl')).toBe(false);
    expect((await verifyBundle(own.files, parsePublicKeys(signer.publicPem, 'k'))).ok).toBe(true);
  });
});
