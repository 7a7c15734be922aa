import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLog,
  auditKeyPath,
  createRun,
  finishRun,
  insertPlannedDowntime,
  insertProbeResults,
  keyIdOf,
  loadOrCreateAuditKey,
  reviewRun,
  silentLogger,
  upsertRollups,
  type ProbeResult,
  type Store,
} from '../../core/index.js';
import type { BundleSigner, EvidenceInputs } from '../../evidence/index.js';
import { authServer, enrolledUser, FakeClock } from '../server/helpers/auth-server.js';

/** The period of the scenario: one UTC day. */
export const DAY_FROM = Date.UTC(2026, 5, 1);
export const DAY_TO = Date.UTC(2026, 5, 2);
const H = 3_600_000;

function sample(targetId: string, at: number, ok: boolean, tls = false): ProbeResult {
  return {
    targetId,
    location: 'local',
    startedAt: new Date(at).toISOString(),
    ok,
    ...(ok
      ? { status: 200 }
      : { error: { kind: 'connect_refused' as const, message: 'connection refused' } }),
    totalMs: 12,
    phases: { resolve: 1, connect: 2, tls: tls ? 3 : 0, processing: 4, transfer: 2 },
    ...(tls ? { tls: { daysLeft: 40 } as unknown as NonNullable<ProbeResult['tls']> } : {}),
    loopDelayMs: 0,
  };
}

/**
 * A day of vigil on `store`, written through the real repositories and services: probe samples
 * with a 10-minute outage of shop/http, a planned downtime, 4 analysis runs (one reviewed), one
 * malware scan run (`withScan`), users through the real sign-in with TOTP (alice enrolled, bob
 * not), and audit entries with a signed checkpoint under the instance key in `dataDir`.
 */
export async function dayOfVigil(
  store: Store,
  opts: { withScan?: boolean } = {},
): Promise<{ dataDir: string; signer: BundleSigner }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-evidence-'));
  const db = store.db as never;
  const samples: ProbeResult[] = [];
  for (let m = 0; m < 60; m++) {
    const at = DAY_FROM + 10 * H + m * 60_000;
    samples.push(sample('shop/http', at, !(m >= 20 && m < 30)));
  }
  samples.push(sample('shop/tls', DAY_FROM + 11 * H, true, true));
  await insertProbeResults(db, samples);
  await upsertRollups(db, samples);
  await insertPlannedDowntime(
    db,
    {
      serviceId: 'shop',
      start: new Date(DAY_FROM + 10 * H + 25 * 60_000).toISOString(),
      end: new Date(DAY_FROM + 10 * H + 35 * 60_000).toISOString(),
      reason: 'database upgrade',
    },
    DAY_FROM - 3 * 24 * H,
  );
  const input = readFileSync(new URL('./scenario.ts', import.meta.url));
  const sha = createHash('sha256').update(input).digest('hex');
  for (let i = 0; i < 4; i++) {
    const at = DAY_FROM + (1 + i * 6) * H;
    const run = await createRun(db, {
      analyzer: 'zeek-tail',
      scheduledFor: new Date(at),
      startedAt: new Date(at),
    });
    await finishRun(db, run.id, {
      status: 'ok',
      inputs: [
        {
          path: '/var/log/zeek/conn.log',
          sha256: sha,
          fromOffset: i * 100,
          toOffset: (i + 1) * 100,
          records: 10,
          badRecords: i === 2 ? 1 : 0,
        },
      ],
      finishedAt: new Date(at + 60_000),
    });
    if (i === 1)
      await reviewRun(db, run.id, { by: 'alice', note: 'looked at, nothing to do', at: new Date(at + H) });
  }
  if (opts.withScan) {
    const at = DAY_FROM + 3 * H;
    const run = await createRun(db, {
      analyzer: 'scanner.adhoc',
      scheduledFor: new Date(at),
      startedAt: new Date(at),
    });
    await finishRun(db, run.id, { status: 'ok', inputs: [], finishedAt: new Date(at + 5 * 60_000) });
  }
  const clock = new FakeClock(DAY_FROM + 8 * H);
  const f = await authServer(store, { clock });
  await enrolledUser(f, 'alice', 'auditor');
  await f.service.accounts.add(
    'bob',
    { role: 'ops', reason: 'on call', until: DAY_TO + 30 * 24 * H, grantedBy: 'alice' },
    clock.now(),
  );
  await f.service.tokens.create({ name: 'ci', scopes: ['sla:read'], createdBy: 'alice' }, clock.now());
  await f.server.close();

  const signerKey = loadOrCreateAuditKey(auditKeyPath(dataDir));
  const log = new AuditLog({ store, log: silentLogger(), clock, signer: signerKey, checkpointIntervalMs: 0 });
  for (let i = 0; i < 5; i++) {
    clock.advance(60_000);
    log.append({
      at: clock.now(),
      actor: { kind: 'user', name: 'alice' },
      source: '127.0.0.1',
      action: 'GET /api/v1/sla',
      object: `/api/v1/sla?i=${i}`,
      result: '200',
    });
  }
  await log.flush();
  clock.advance(60_000);
  await log.checkpoint();
  const key = createPrivateKey(readFileSync(auditKeyPath(dataDir), 'utf8'));
  const pub = createPublicKey(key);
  return {
    dataDir,
    signer: { key, keyId: keyIdOf(pub), publicPem: pub.export({ type: 'spki', format: 'pem' }).toString() },
  };
}

/** The inputs app/ would pass for the scenario. */
export function scenarioInputs(extra: Partial<EvidenceInputs> = {}): EvidenceInputs {
  return {
    period: { from: DAY_FROM, to: DAY_TO },
    frameworks: ['pci-dss-4.0.1', 'iso27001-2022'],
    roleMatrix: [
      { method: 'GET', url: '/api/v1/sla', permission: 'sla:read', roles: ['admin', 'auditor', 'ops'] },
      {
        method: 'POST',
        url: '/api/v1/evidence/export',
        permission: 'evidence:read',
        roles: ['admin', 'auditor'],
      },
    ],
    targets: [
      { id: 'shop/http', serviceId: 'shop', kind: 'http', customerId: 'acme' },
      { id: 'shop/tls', serviceId: 'shop', kind: 'tls', customerId: 'acme' },
    ],
    instance: 'vigil-test',
    ...extra,
  };
}
