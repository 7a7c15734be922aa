// core/audit: the append-only, hash-chained log of every access, with signed checkpoints.
export * from './types.js';
export { canonicalJson, entryHash, checkpointPayload } from './hash.js';
export {
  auditKeyPath,
  loadOrCreateAuditKey,
  parsePublicKeys,
  checkpointSignatureOk,
  keyIdOf,
  type AuditSigner,
  type AuditPublicKey,
} from './keys.js';
export { AuditLog, type AuditLogOptions } from './audit-log.js';
export {
  withChainLock,
  appendChained,
  chainHead,
  readEntries,
  type AuditDb,
  type AuditTables,
  type AuditLogTable,
  type AuditCheckpointsTable,
} from './repo.js';
export { verifyAuditChain, type AuditVerifyResult, type AuditVerifyOptions } from './verify.js';
export {
  storeSegment,
  writeSegment,
  readSegmentFile,
  type AuditSegment,
  type AuditRange,
} from './segment.js';
export { redactTarget } from './redact.js';
export { auditSection, type AuditConfig } from './config.js';
