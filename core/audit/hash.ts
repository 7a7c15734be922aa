import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { VigilError } from '../errors.js';
import type { AuditCheckpoint, AuditEntry } from './types.js';

type Canonicalize = (input: unknown) => string | undefined;
// The package is CommonJS (`module.exports = fn`) but its typings declare an ES default export;
// depending on the loader the default import is the function or `{ default: fn }`.
const canonicalize: Canonicalize =
  (canonicalizeModule as unknown as { default?: Canonicalize }).default ??
  (canonicalizeModule as unknown as Canonicalize);

/** RFC 8785 canonical JSON: the same bytes for the same data on every machine and version. */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new VigilError('STO_AUDIT', 'value has no canonical JSON form');
  return out;
}

/** The fields an entry's hash covers: every field except the hash itself. */
export function hashedFields(e: Omit<AuditEntry, 'hash'>): Record<string, unknown> {
  const actor: Record<string, string> = { kind: e.actor.kind, name: e.actor.name };
  if (e.actor.id !== undefined) actor.id = e.actor.id;
  return {
    seq: e.seq,
    at: e.at,
    actor,
    source: e.source,
    action: e.action,
    object: e.object,
    result: e.result,
    prevHash: e.prevHash,
  };
}

/** SHA-256 (hex) over the canonical JSON of the entry without its hash. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson(hashedFields(e)))
    .digest('hex');
}

/** The bytes a checkpoint's signature covers. Version 1 of the format. */
export function checkpointPayload(c: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(canonicalJson({ v: 1, seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }));
}
