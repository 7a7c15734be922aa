import type { KeyObject } from 'node:crypto';
import { BAGIT_TXT, SIGNATURE_FILE, SIGNER_PEM, bagInfo, manifest, sha256 } from './bagit.js';
import { collectRecords, parseRecords } from './collect.js';
import { evaluateControls, type ControlResult } from './controls.js';
import { dsseSign } from './dsse.js';
import { byCodeUnit, canonical, toJsonl } from './jsonl.js';
import { oscalAssessmentResults } from './oscal.js';
import { summaryFigures, summaryHtml, summaryPdf, type SummaryFigures } from './summary.js';
import type { AnyDb } from './records-ops.js';
import type { EvidenceInputs, Period } from './types.js';

/** The DSSE payload type of a bundle statement. */
export const STATEMENT_TYPE = 'application/vnd.vigil.evidence-bundle+json';

/** What the signature covers: the period, the previous bundle and the digests of the bag's tag files. */
export interface BundleStatement {
  type: 'vigil-evidence-bundle';
  version: 1;
  instance: string;
  period: { from: number; to: number };
  scope: string;
  /** `sha256:<hex>` of the previous bundle's tag manifest, or null for the first. */
  previousBundle: string | null;
  /** SHA-256 of `bagit.txt`, `bag-info.txt` and `manifest-sha256.txt`. */
  tagFiles: Record<string, string>;
}

/** A finished bundle: path → bytes, and its digest (`sha256:` of its tag manifest). */
export interface Bundle {
  files: Map<string, Buffer>;
  digest: string;
  controls: ControlResult[];
}

/** The signing key: an Ed25519 private key and its key id (SHA-256 of the SPKI DER, as the audit log's). */
export interface BundleSigner {
  key: KeyObject;
  keyId: string;
  publicPem: string;
}

/** Files of the payload derived from the records: controls, OSCAL, summary (JSON, HTML, PDF). */
export async function derivedFiles(
  records: Map<string, Buffer>,
  period: Period,
  instance: string,
  scope: string,
  frameworks: EvidenceInputs['frameworks'],
): Promise<{ files: Map<string, Buffer>; controls: ControlResult[]; summary: SummaryFigures }> {
  const rows = parseRecords(records);
  const controls = evaluateControls(rows, frameworks);
  const counts = Object.fromEntries(
    [...rows.entries()].sort(([a], [b]) => byCodeUnit(a, b)).map(([p, r]) => [p, r.length]),
  );
  const summary = summaryFigures(period, instance, scope, frameworks, counts, controls);
  const files = new Map<string, Buffer>();
  files.set('data/controls.jsonl', toJsonl(controls as unknown as Record<string, unknown>[]));
  files.set(
    'data/oscal/assessment-results.json',
    Buffer.from(`${JSON.stringify(oscalAssessmentResults(period, controls, instance), null, 2)}\n`),
  );
  files.set('data/summary.json', Buffer.from(`${canonical(summary)}\n`));
  files.set('data/summary.html', summaryHtml(summary, controls));
  files.set('data/summary.pdf', await summaryPdf(summary, controls));
  return { files, controls, summary };
}

/**
 * Builds the signed bag for the period (RFC 8493 layout; docs/evidence.md). Everything in it is a
 * function of the store's rows for the period, the inputs and the previous bundle's digest, so the
 * same period exported twice gives the same bytes.
 */
export async function buildBundle(
  db: AnyDb,
  inputs: EvidenceInputs,
  signer: BundleSigner,
  previousBundle: string | null,
): Promise<Bundle> {
  const scope =
    inputs.customerId === undefined
      ? 'whole instance'
      : `customer ${inputs.customerId} (SLA and incident evidence only)`;
  const records = await collectRecords(db, inputs, [signer.publicPem]);
  const derived = await derivedFiles(records, inputs.period, inputs.instance, scope, inputs.frameworks);
  const files = new Map<string, Buffer>([...records, ...derived.files]);
  files.set(SIGNER_PEM, Buffer.from(signer.publicPem, 'utf8'));
  const payloadPaths = [...files.keys()];
  const total = payloadPaths.reduce((n, p) => n + files.get(p)!.length, 0);
  files.set('bagit.txt', BAGIT_TXT);
  files.set('manifest-sha256.txt', manifest(files, payloadPaths));
  files.set(
    'bag-info.txt',
    bagInfo([
      ['Source-Organization', inputs.instance],
      ['Bagging-Date', new Date(inputs.period.to).toISOString().slice(0, 10)],
      [
        'External-Description',
        `vigil evidence ${new Date(inputs.period.from).toISOString()} to ${new Date(inputs.period.to).toISOString()}; ${scope}`,
      ],
      ['Payload-Oxum', `${total}.${payloadPaths.length}`],
      ['Vigil-Frameworks', inputs.frameworks.join(',')],
      ['Vigil-Previous-Bundle', previousBundle ?? 'none'],
    ]),
  );
  const statement: BundleStatement = {
    type: 'vigil-evidence-bundle',
    version: 1,
    instance: inputs.instance,
    period: { from: inputs.period.from, to: inputs.period.to },
    scope,
    previousBundle,
    tagFiles: Object.fromEntries(
      ['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt'].map((p) => [p, sha256(files.get(p)!)]),
    ),
  };
  const env = dsseSign(STATEMENT_TYPE, Buffer.from(canonical(statement), 'utf8'), signer.key, signer.keyId);
  files.set(SIGNATURE_FILE, Buffer.from(`${JSON.stringify(env, null, 2)}\n`));
  const tagManifest = manifest(files, ['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt', SIGNATURE_FILE]);
  files.set('tagmanifest-sha256.txt', tagManifest);
  return { files, digest: `sha256:${sha256(tagManifest)}`, controls: derived.controls };
}
