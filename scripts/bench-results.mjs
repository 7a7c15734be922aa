#!/usr/bin/env node
// Builds bench/RESULTS.md: the summary (bench/SUMMARY.md) followed by each area's own results
// file (bench/<area>/RESULTS.md), headings moved one level down. Run after a benchmark updates
// its area file: `node scripts/bench-results.mjs`.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = join(dirname(dirname(fileURLToPath(import.meta.url))), 'bench');
const AREAS = ['probes', 'sla', 'alerting', 'ids', 'scanning', 'audit'];

let out = readFileSync(join(BENCH, 'SUMMARY.md'), 'utf8').trimEnd() + '\n';
for (const area of AREAS) {
  const file = join(BENCH, area, 'RESULTS.md');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8').replace(/^(#+) /gm, '#$1 ');
  out += `\n---\n<!-- from bench/${area}/RESULTS.md -->\n\n${text.trimEnd()}\n`;
}
writeFileSync(join(BENCH, 'RESULTS.md'), out);
process.stdout.write(`wrote bench/RESULTS.md (${out.length} bytes)\n`);
