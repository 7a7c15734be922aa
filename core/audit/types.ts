/** Who did something, as the audit log records it (a subset of a Principal, stable over time). */
export interface AuditActor {
  kind: string;
  name: string;
  id?: string;
}

/** What a caller hands to the audit log; seq and the hashes are assigned when it is committed. */
export interface AuditInput {
  /** Epoch ms. */
  at: number;
  actor: AuditActor;
  /** Source address (IP) of a request, or `cli@<hostname>` for the command line. */
  source: string;
  /** e.g. `GET /api/v2/alerts` or `cli: alerts ack`. */
  action: string;
  /** The object acted on: a path (query redacted), a command's arguments. */
  object: string;
  /** HTTP status code, `ok`, or `error:<CODE>` / `exit:<N>`. */
  result: string;
}

/**
 * One committed entry (DESIGN.md §4 `AuditEvent`): `hash` is SHA-256 over the RFC 8785 canonical
 * JSON of every other field, `prevHash` included, so changing any entry breaks its own hash and
 * removing one breaks the next entry's `prevHash`.
 */
export interface AuditEntry extends AuditInput {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * A signed statement "the log had `seq` entries and the last one hashed to `hash`": it pins the
 * chain so truncating its tail or rewriting it wholesale (new hashes throughout) shows.
 */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: number;
  /** SHA-256 (hex) of the signer's public key (SPKI DER). */
  keyId: string;
  /** Ed25519 signature (base64) over the canonical JSON of `{v, seq, hash, at, keyId}`. */
  signature: string;
}

/** The hash a chain starts from (the `prevHash` of entry 1). */
export const GENESIS_HASH = '0'.repeat(64);
