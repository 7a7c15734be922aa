#!/usr/bin/env node
// Builds bench/RESULTS.md: the summary (bench/SUMMARY.md) followed by each area's own results
// files (bench/<area>/RESULTS.md, then bench/<area>/RESULTS-<topic>.md), headings moved one level
// down. Run after a benchmark updates its area file: `node scripts/bench-results.mjs`.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = join(dirname(dirname(fileURLToPath(import.meta.url))), 'bench');
const AREAS = ['probes', 'sla', 'alerting', 'ids', 'scanning', 'audit'];

let out = readFileSync(join(BENCH, 'SUMMARY.md'), 'utf8').trimEnd() + '\n';
for (const area of AREAS) {
  // An area's RESULTS.md first, then its topic files (RESULTS-<topic>.md) in name order.
  const dir = join(BENCH, area);
  if (!existsSync(dir)) continue;
  const topics = readdirSync(dir)
    .filter((f) => /^RESULTS-[a-z0-9-]+\.md$/.test(f))
    .sort();
  for (const name of ['RESULTS.md', ...topics]) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8').replace(/^(#+) /gm, '#$1 ');
    out += `\n---\n<!-- from bench/${area}/${name} -->\n\n${text.trimEnd()}\n`;
  }
}
writeFileSync(join(BENCH, 'RESULTS.md'), out);
process.stdout.write(`wrote bench/RESULTS.md (${out.length} bytes)\n`);
