export {
  readLog,
  pathFromFileName,
  type LogFormat,
  type ReadState,
  type ReadResult,
  type ReadLogOptions,
} from './log-reader.js';
export { readLines, headHash, isGzip, type LineBatch, type LineSourceResult } from './line-source.js';
export { ZeekTsvParser, compileHeader, type ZeekTsvHeader } from './zeek-tsv.js';
export { parseZeekJsonLine } from './zeek-json.js';
export { parseEveLine } from './suricata-eve.js';
export { unescapeZeek, decodeUtf8Lenient } from './zeek-escape.js';
export { parseIsoSeconds, formatIsoMicros, looksIso } from './zeek-time.js';
export { normaliseRecord, recordToNdjson } from './normalise.js';
