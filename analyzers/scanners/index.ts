export * from './types.js';
export { parseClamdReply, isLimitSignature, splitReplies, type ClamdReply } from './clamd-reply.js';
export { ClamdClient, type ClamdClientOptions, type ClamdScanCommand } from './clamd-client.js';
export { ManagedClamd, writeClamdConf, type ManagedClamdOptions } from './clamd-manager.js';
export {
  ClamavScanner,
  verdictFromReplies,
  type ClamavMode,
  type ClamavScannerOptions,
} from './clamav-scanner.js';
export { SignatureDb, type SignatureEntry, type SignatureKind } from './signature-db.js';
export {
  compileRuleDirs,
  formatRuleIssue,
  STANDARD_EXTERNALS,
  type CompiledRules,
  type RuleIssue,
} from './yara-rules.js';
export { YaraScanner, type YaraScannerOptions } from './yara-scanner.js';
export { HashLists, HashListScanner, type HashEntry, type DigestKind } from './hash-lists.js';
export { readFileLog, type FileSighting, type FileLogRead } from './file-logs.js';
export { collectFiles, factsOf, type FileSet, type FileSetOptions, type FileProblem } from './file-set.js';
export { scanFiles, scanOne, problemResult, type ScanFilesOptions } from './scan-files.js';
export { checkCadence, type CadenceCheck } from './cadence.js';
export {
  scannersConfigSections,
  scannersSchema,
  byteSize,
  type ScannersConfig,
  type ClamavConfig,
} from './config.js';
export { storeFileIndex, memoryFileIndex, type FileIndex, type ScannerDb } from './file-index.js';
export { Quarantine, quarantineKeyFile, type QuarantineRecord, type ScannedIdentity } from './quarantine.js';
export {
  findingsFromResult,
  findingFromSighting,
  scanErrorAlert,
  infectedAlert,
  type ScanFinding,
} from './findings.js';
export { scanFileLogs, type FileLogScan } from './file-log-scan.js';
export {
  runScan,
  type ScanRunDeps,
  type ScanRunOutcome,
  type ScanRunStore,
  type LogCheckpoint,
} from './scan-run.js';
export { scanRunStore, type AnalysisRepo } from './run-store.js';
export { buildEngines, databaseDirOf, type ScanEngines, type BuildEnginesOptions } from './engines.js';
export { ScannerService, type ScannerServiceDeps } from './scanner-service.js';
export { adhocScan, exitCodeOf, type AdhocScanOptions, type AdhocScanResult } from './adhoc.js';
