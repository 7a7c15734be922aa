// evidence: signed, reproducible, offline-verifiable bundles of a period's proof for auditors.
export * from './types.js';
export {
  buildBundle,
  derivedFiles,
  STATEMENT_TYPE,
  type Bundle,
  type BundleSigner,
  type BundleStatement,
} from './bundle.js';
export { evaluateControls, R as RECORD_FILES, type ControlResult, type ControlStatus } from './controls.js';
export { pae, dsseSign, dsseVerify, type DsseEnvelope } from './dsse.js';
export { oscalAssessmentResults, validateOscal, uuidV5, OSCAL_VERSION } from './oscal.js';
export { readBundle } from './read-bundle.js';
export { verifyBundle, type BundleVerifyResult } from './verify.js';
export { writeTar, readTar } from './tar.js';
export { previousBundle, recordBundle, writeBundle, chainPath } from './store-bundle.js';
export { SIGNATURE_FILE, SIGNER_PEM } from './bagit.js';
export { evidenceHttp, type EvidenceHttpOptions } from './http.js';
