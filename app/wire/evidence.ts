import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  auditKeyPath,
  keyIdOf,
  loadOrCreateAuditKey,
  parsePublicKeys,
  systemClock,
  type Store,
} from '../../core/index.js';
import {
  FRAMEWORKS,
  buildBundle,
  evidenceHttp,
  previousBundle,
  recordBundle,
  type Bundle,
  type BundleSigner,
  type Framework,
  type Period,
  type RoleMatrixRow,
} from '../../evidence/index.js';
import { resolveProbes, type ServicesConfig } from '../../probes/index.js';
import { openAuth } from '../auth.js';
import { computeRbacMatrix } from '../commands/rbac.js';
import type { DomainWiring, LoadedConfig, WireContext } from './types.js';

/** The instance key (the audit log's Ed25519 key) as a bundle signer; created on first use like start does. */
export function evidenceSigner(dataDir: string): BundleSigner {
  const file = auditKeyPath(dataDir);
  loadOrCreateAuditKey(file);
  const key = createPrivateKey(readFileSync(file, 'utf8'));
  const pub = createPublicKey(key);
  return { key, keyId: keyIdOf(pub), publicPem: pub.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Parses `--frameworks a,b` (default: all). */
export function parseFrameworks(text: string | undefined): Framework[] | string {
  if (!text) return [...FRAMEWORKS];
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.find((f) => !(FRAMEWORKS as readonly string[]).includes(f));
  return bad ? `unknown framework "${bad}" (known: ${FRAMEWORKS.join(', ')})` : (list as Framework[]);
}

/** What an export needs from the rest of vigil, passed into the evidence domain as data. */
export interface EvidenceExportRequest {
  config: LoadedConfig;
  store: Store;
  dataDir: string;
  period: Period;
  frameworks: readonly Framework[];
  /** A customer-scoped caller: only that customer's SLA and incident evidence. */
  customerId?: string;
}

/**
 * Exports the evidence bundle of a period: the role matrix from server/'s wiring, probe targets
 * from the config, the instance key, and the previous bundle's digest from `<data>/evidence/`.
 * The new bundle's digest is recorded there for the next one.
 */
export async function exportEvidence(req: EvidenceExportRequest): Promise<Bundle> {
  const auth = openAuth(req.config, req.store, req.dataDir, systemClock);
  const matrix = await computeRbacMatrix(req.config, req.dataDir, auth.service.roles);
  const roleMatrix: RoleMatrixRow[] = matrix.map((r) => ({
    method: r.method,
    url: r.url,
    permission: r.permission,
    roles: Object.entries(r.allowed)
      .filter(([, ok]) => ok)
      .map(([role]) => role),
  }));
  const services = (req.config.services as ServicesConfig | undefined) ?? [];
  const targets = resolveProbes(services, 'local').map((p) => ({
    id: p.targetId,
    serviceId: p.serviceId,
    kind: p.config.type,
    customerId: p.customer,
  }));
  const prev = previousBundle(req.dataDir, req.period);
  const bundle = await buildBundle(
    req.store.db,
    {
      period: req.period,
      frameworks: req.frameworks,
      roleMatrix,
      targets,
      ...(req.customerId !== undefined ? { customerId: req.customerId } : {}),
      instance: hostname(),
    },
    evidenceSigner(req.dataDir),
    prev,
  );
  // Customer-scoped bundles are partial views; only whole-instance bundles form the chain.
  if (req.customerId === undefined) recordBundle(req.dataDir, req.period, bundle.digest);
  return bundle;
}

/**
 * The evidence routes in `vigil start`: exports built from the running store and config, verified
 * against the instance key. No long-running parts.
 */
export async function wireEvidence(ctx: WireContext): Promise<DomainWiring> {
  return {
    components: [],
    http: evidenceHttp({
      exportBundle: (period, frameworks, customerId) =>
        exportEvidence({
          config: ctx.config,
          store: ctx.store,
          dataDir: ctx.dataDir,
          period,
          frameworks,
          ...(customerId !== undefined ? { customerId } : {}),
        }),
      trustedKeys: () => {
        const file = auditKeyPath(ctx.dataDir);
        return existsSync(file) ? parsePublicKeys(readFileSync(file, 'utf8'), file) : [];
      },
    }),
  };
}
