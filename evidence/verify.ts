import { createPublicKey } from 'node:crypto';
import {
  VigilError,
  keyIdOf,
  parsePublicKeys,
  verifyAuditChain,
  type AuditCheckpoint,
  type AuditEntry,
  type AuditPublicKey,
} from '../core/index.js';
import { SIGNATURE_FILE, SIGNER_PEM, parseManifest, sha256 } from './bagit.js';
import { STATEMENT_TYPE, derivedFiles, type BundleStatement } from './bundle.js';
import { R } from './controls.js';
import { dsseVerify, decodeBase64, type DsseEnvelope } from './dsse.js';
import { validateOscal } from './oscal.js';
import { FRAMEWORKS, type Framework } from './types.js';

/** The outcome of `evidence verify`: valid, or the first file that does not verify and why. */
export type BundleVerifyResult =
  | {
      ok: true;
      files: number;
      digest: string;
      previousBundle: string | null;
      keyFromBundle: boolean;
      period: { from: number; to: number };
    }
  | { ok: false; file: string; problem: string };

const TAG_FILES = [
  'bag-info.txt',
  'bagit.txt',
  'manifest-sha256.txt',
  SIGNATURE_FILE,
  'tagmanifest-sha256.txt',
];

class Bad extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

function need(files: ReadonlyMap<string, Buffer>, name: string): Buffer {
  const b = files.get(name);
  if (!b) throw new Bad(name, 'missing from the bundle');
  return b;
}

function parseSegment(buf: Buffer): {
  firstSeq: number;
  entries: AuditEntry[];
  checkpoints: AuditCheckpoint[];
} {
  const entries: AuditEntry[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  let firstSeq = 1;
  buf
    .toString('utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Bad(R.audit, `line ${i + 1} is not JSON`);
      }
      const { type, ...rest } = o;
      if (type === 'vigil-audit-segment') firstSeq = Number(o.firstSeq);
      else if (type === 'entry') entries.push(rest as unknown as AuditEntry);
      else if (type === 'checkpoint') checkpoints.push(rest as unknown as AuditCheckpoint);
      else throw new Bad(R.audit, `line ${i + 1} has unknown type ${JSON.stringify(type)}`);
    });
  return { firstSeq, entries, checkpoints };
}

async function check(
  files: ReadonlyMap<string, Buffer>,
  trusted: readonly AuditPublicKey[],
): Promise<BundleVerifyResult> {
  // 1. The signature over the statement, with a trusted key (or, lacking one, the bundle's own).
  let env: DsseEnvelope;
  try {
    env = JSON.parse(need(files, SIGNATURE_FILE).toString('utf8')) as DsseEnvelope;
    if (typeof env.payload !== 'string' || !Array.isArray(env.signatures)) throw new Error('not an envelope');
  } catch (err) {
    if (err instanceof Bad) throw err;
    throw new Bad(SIGNATURE_FILE, 'not a DSSE envelope');
  }
  if (env.payloadType !== STATEMENT_TYPE)
    throw new Bad(SIGNATURE_FILE, `payload type is not ${STATEMENT_TYPE}`);
  let keys = trusted;
  const keyFromBundle = keys.length === 0;
  if (keyFromBundle) keys = parsePublicKeys(need(files, SIGNER_PEM).toString('utf8'), SIGNER_PEM);
  if (!keys.some((k) => dsseVerify(env, k.key)))
    throw new Bad(SIGNATURE_FILE, 'the signature does not verify with the trusted key');
  let st: BundleStatement;
  try {
    st = JSON.parse(decodeBase64(env.payload).toString('utf8')) as BundleStatement;
  } catch {
    throw new Bad(SIGNATURE_FILE, 'the signed statement is not JSON');
  }
  // 2. The tag files the statement names.
  for (const [name, digest] of Object.entries(st.tagFiles).sort())
    if (sha256(need(files, name)) !== digest)
      throw new Bad(name, 'its SHA-256 differs from the signed statement');
  // 3. Every payload file against the manifest; nothing added, nothing removed.
  const man = parseManifest(need(files, 'manifest-sha256.txt'));
  if (typeof man === 'number') throw new Bad('manifest-sha256.txt', `line ${man} is malformed`);
  for (const [name, digest] of [...man.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const b = files.get(name);
    if (!b) throw new Bad(name, 'listed in manifest-sha256.txt but missing (removed)');
    if (sha256(b) !== digest) throw new Bad(name, 'its SHA-256 differs from manifest-sha256.txt (changed)');
  }
  for (const name of [...files.keys()].sort())
    if (!man.has(name) && !TAG_FILES.includes(name))
      throw new Bad(name, 'not listed in manifest-sha256.txt (added)');
  const tag = parseManifest(need(files, 'tagmanifest-sha256.txt'));
  if (typeof tag === 'number') throw new Bad('tagmanifest-sha256.txt', `line ${tag} is malformed`);
  for (const name of TAG_FILES.slice(0, 4))
    if (tag.get(name) !== sha256(files.get(name)!))
      throw new Bad('tagmanifest-sha256.txt', `its entry for ${name} is wrong`);
  if (tag.size !== 4) throw new Bad('tagmanifest-sha256.txt', 'it lists files other than the tag files');
  // 4. The audit segment's chain and signed checkpoints, with core's verifier.
  if (files.has(R.audit)) {
    const seg = parseSegment(files.get(R.audit)!);
    const r = await verifyAuditChain(seg.entries, seg.checkpoints, { keys, firstSeq: seg.firstSeq });
    if (!r.ok) throw new Bad(R.audit, `audit entry ${r.seq}: ${r.problem}`);
  }
  // 5. OSCAL against the vendored schema.
  const oscalFile = 'data/oscal/assessment-results.json';
  let oscal: unknown;
  try {
    oscal = JSON.parse(need(files, oscalFile).toString('utf8'));
  } catch (err) {
    if (err instanceof Bad) throw err;
    throw new Bad(oscalFile, 'not JSON');
  }
  const bad = validateOscal(oscal);
  if (bad) throw new Bad(oscalFile, `not valid against the OSCAL ${'assessment-results'} schema: ${bad}`);
  // 6. The summary, controls and OSCAL recompute from the records.
  const info = need(files, 'bag-info.txt').toString('utf8');
  const fw = (/^Vigil-Frameworks: (.*)$/m.exec(info)?.[1] ?? '')
    .split(',')
    .filter((f): f is Framework => (FRAMEWORKS as readonly string[]).includes(f));
  const records = new Map(
    [...files].filter(([p]) => p.startsWith('data/records/') || p.startsWith('data/access/')),
  );
  const again = await derivedFiles(records, st.period, st.instance, st.scope, fw);
  for (const [name, bytes] of [...again.files].sort(([a], [b]) => a.localeCompare(b)))
    if (!need(files, name).equals(bytes)) throw new Bad(name, 'does not recompute from the records');
  return {
    ok: true,
    files: files.size,
    digest: `sha256:${sha256(files.get('tagmanifest-sha256.txt')!)}`,
    previousBundle: st.previousBundle,
    keyFromBundle,
    period: st.period,
  };
}

/**
 * Verifies a bundle offline (no store): signature, tag files, every payload file's digest, no
 * file added or removed, the audit segment's chain and checkpoints, OSCAL against the schema, and
 * that controls and summary recompute from the records. Stops at, and names, the first failure.
 */
export async function verifyBundle(
  files: ReadonlyMap<string, Buffer>,
  trusted: readonly AuditPublicKey[] = [],
): Promise<BundleVerifyResult> {
  try {
    return await check(files, trusted);
  } catch (err) {
    if (err instanceof Bad) return { ok: false, file: err.file, problem: err.problem };
    if (err instanceof VigilError) return { ok: false, file: '(bundle)', problem: err.message };
    throw err;
  }
}

/** The key id of a PEM public key, as the bundle's signature names it. */
export function keyIdOfPem(pem: string): string {
  return keyIdOf(createPublicKey(pem));
}
