import { entryHash } from './hash.js';
import { checkpointSignatureOk, type AuditPublicKey } from './keys.js';
import { GENESIS_HASH, type AuditCheckpoint, type AuditEntry } from './types.js';

/** The outcome of checking a stretch of the audit log. */
export type AuditVerifyResult =
  | {
      ok: true;
      entries: number;
      checkpoints: number;
      firstSeq: number | null;
      lastSeq: number | null;
      /** Entries after the last signed checkpoint: chained, but not yet pinned by a signature. */
      unsignedTail: number;
    }
  | {
      ok: false;
      /** The first entry that does not verify (for a missing entry: the seq it should have had). */
      seq: number;
      problem: string;
      entries: number;
    };

export interface AuditVerifyOptions {
  /** The seq the stretch must start at; a stretch starting later is missing its first entries. */
  firstSeq?: number;
  /** Trusted public keys; every checkpoint must be signed by one of them. */
  keys: readonly AuditPublicKey[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Walks entries in seq order and stops at the first one that does not verify: a gap in seq (an
 * entry deleted), a prevHash that is not the previous entry's hash (an entry deleted or
 * reordered), a hash that does not match the entry's content (an entry altered), a checkpoint
 * whose signature does not verify or whose hash differs from the entry it names, or a signed
 * checkpoint beyond the last entry (the tail was cut off).
 */
export async function verifyAuditChain(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  checkpoints: readonly AuditCheckpoint[],
  opts: AuditVerifyOptions,
): Promise<AuditVerifyResult> {
  const cps = [...checkpoints].sort((a, b) => a.seq - b.seq || a.at - b.at);
  const keys = new Map(opts.keys.map((k) => [k.keyId, k]));
  let ci = 0;
  let prev: AuditEntry | undefined;
  let first: number | null = null;
  let count = 0;
  let lastSigned = 0;
  const fail = (seq: number, problem: string): AuditVerifyResult => ({
    ok: false,
    seq,
    problem,
    entries: count,
  });

  const checkpointProblem = (cp: AuditCheckpoint, entry: AuditEntry | undefined): string | undefined => {
    const key = keys.get(cp.keyId);
    const label = `the checkpoint signed at ${iso(cp.at)} (up to entry ${cp.seq})`;
    if (!key) return `${label} is signed by a key that is not trusted (key id ${cp.keyId.slice(0, 16)}…)`;
    if (!checkpointSignatureOk(cp, key)) return `${label}: its signature does not verify`;
    const want = entry ? entry.hash : GENESIS_HASH;
    if (cp.hash !== want)
      return `${label} names hash ${cp.hash.slice(0, 16)}…, but the entry has ${want.slice(0, 16)}…`;
    return undefined;
  };

  // Checkpoints before the stretch (seq 0 on an empty log) only need a good signature.
  const start = opts.firstSeq ?? 1;
  while (ci < cps.length && cps[ci]!.seq < start) {
    const cp = cps[ci++]!;
    const key = keys.get(cp.keyId);
    if (!key || !checkpointSignatureOk(cp, key))
      return fail(
        cp.seq,
        `the checkpoint signed at ${iso(cp.at)} (up to entry ${cp.seq}): its signature does not verify`,
      );
  }

  for await (const e of entries) {
    if (!prev) {
      first = e.seq;
      if (opts.firstSeq !== undefined && e.seq !== opts.firstSeq)
        return fail(opts.firstSeq, `entry ${opts.firstSeq} is missing: the log starts at entry ${e.seq}`);
      if (e.seq === 1 && e.prevHash !== GENESIS_HASH)
        return fail(1, 'entry 1 does not start the chain (its prevHash is not the genesis hash)');
    } else {
      if (e.seq !== prev.seq + 1)
        return fail(
          prev.seq + 1,
          `entry ${prev.seq + 1} is missing: entry ${prev.seq} is followed by entry ${e.seq}`,
        );
      if (e.prevHash !== prev.hash)
        return fail(e.seq, `entry ${e.seq}: its prevHash does not match the hash of entry ${prev.seq}`);
    }
    if (entryHash(e) !== e.hash)
      return fail(e.seq, `entry ${e.seq}: its content does not match its hash (the entry was altered)`);
    count++;
    // A checkpoint naming a seq inside a gap was handled by the gap check above.
    while (ci < cps.length && cps[ci]!.seq <= e.seq) {
      const cp = cps[ci++]!;
      const problem = checkpointProblem(cp, cp.seq === e.seq ? e : undefined);
      if (problem) return fail(cp.seq, problem);
      lastSigned = cp.seq;
    }
    prev = e;
  }
  if (ci < cps.length) {
    const cp = cps[ci]!;
    const key = keys.get(cp.keyId);
    const end = prev?.seq ?? (opts.firstSeq ?? 1) - 1;
    if (key && checkpointSignatureOk(cp, key))
      return fail(
        end + 1,
        `the log ends at entry ${end}, but the checkpoint signed at ${iso(cp.at)} covers entries up to ${cp.seq}: the tail was removed`,
      );
    return fail(
      cp.seq,
      `the checkpoint signed at ${iso(cp.at)} (up to entry ${cp.seq}): its signature does not verify`,
    );
  }
  return {
    ok: true,
    entries: count,
    checkpoints: cps.length,
    firstSeq: first,
    lastSeq: prev?.seq ?? null,
    unsignedTail: prev ? prev.seq - Math.max(lastSigned, (first ?? 1) - 1) : 0,
  };
}
