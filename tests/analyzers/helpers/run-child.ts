// A child process for the crash test: one analysis run over argv[3..] on the SQLite store argv[2],
// printing a line after each input so the parent can SIGKILL it half way.
import type { Kysely } from 'kysely';
import { openStore, type AnalysisDb } from '../../../core/index.js';
import { analyzersSchema } from '../../../analyzers/config.js';
import { runAnalysis } from '../../../analyzers/run/runner.js';

const [url, ...inputs] = process.argv.slice(2);
const store = await openStore(url!);
await runAnalysis({
  db: store.db as Kysely<AnalysisDb>,
  config: analyzersSchema.parse({}),
  inputs,
  onInputRead: (_p, i, total) => process.stdout.write(`read ${i + 1}/${total}\n`),
});
process.stdout.write('done\n');
await store.close();
