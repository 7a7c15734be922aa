import { readLog, recordToNdjson } from './analyzers/readers/index.js';
for (const f of process.argv.slice(2)) {
  const it = readLog(f);
  for (;;) { const n = await it.next(); if (n.done) { console.error(JSON.stringify({...n.value, errors: n.value.errors.slice(0,3), state: undefined})); break; } for (const r of n.value) console.log(recordToNdjson(r)); }
}
