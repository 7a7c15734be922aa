/**
 * IDS reader + detectors throughput against `awk -F'\t'` (plain) and `zcat | awk -F'\t'` (gzip)
 * splitting the same file in the same run, on a generated conn.log of ≥ 10 M records.
 *
 *   nice node --import tsx bench/ids/bench.ts [--records 10000000] [--reader-only]
 *
 * Each measurement runs in its own child process, so its peak RSS (maxRSS) is its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { generateConnLog } from './generate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = join(ROOT, '../shared/corpus');
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const records = Number(arg('--records', '10000000'));

if (process.argv[2] === '--child') {
  // child: node bench.ts --child <mode> <file>
  const [, , , mode, file] = process.argv;
  const { readLog } = await import('../../analyzers/readers/index.js');
  const { analyzersSchema } = await import('../../analyzers/config.js');
  const { buildDetectors, DetectorFanout } = await import('../../analyzers/run/build-detectors.js');
  const { AssetMap } = await import('../../analyzers/assets.js');
  const assets = new AssetMap([{ id: 'bench', networks: ['64.225.56.0/24'] }]);
  const detectors =
    mode === 'detectors'
      ? buildDetectors(
          analyzersSchema.parse({}),
          { customerOf: assets.customerOf },
          process.env.BENCH_DETECTORS?.split(','),
        )
      : [];
  const fan = new DetectorFanout(detectors);
  const t0 = process.hrtime.bigint();
  const it = readLog(file!);
  let n = 0;
  let bad = 0;
  for (;;) {
    const r = await it.next();
    if (r.done) {
      bad = r.value.badRecords;
      break;
    }
    n += r.value.length;
    if (mode === 'detectors')
      for (const rec of r.value) for (const d of fan.forPath(rec.path)) d.observe(rec);
  }
  let findings = 0;
  for (const d of detectors) findings += d.finish().length;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(
    JSON.stringify({
      records: n,
      bad,
      findings,
      seconds: s,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
  process.exit(0);
}

function timeShell(cmd: string): { seconds: number; out: string; maxRssMiB: number } {
  const t0 = process.hrtime.bigint();
  // GNU time is not installed everywhere; bash's own timing plus the output is enough here.
  const out = execFileSync('bash', ['-c', cmd], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, out, maxRssMiB: NaN };
}

function timeVigil(
  mode: string,
  file: string,
): { records: number; bad: number; findings: number; seconds: number; maxRssMiB: number } {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=4096', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, file],
    { encoding: 'utf8', cwd: ROOT },
  );
  if (r.status !== 0) throw new Error(`child ${mode} ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    records: number;
    bad: number;
    findings: number;
    seconds: number;
    maxRssMiB: number;
  };
}

const gen0 = Date.now();
const { plain, gz, records: made } = await generateConnLog(CORPUS, join(ROOT, 'bench/.work'), records);
process.stderr.write(
  `input: ${made} records (${plain}, .gz), generated/reused in ${((Date.now() - gen0) / 1000).toFixed(1)} s\n`,
);

const AWK = `awk -F'\\t' '!/^#/ { n++; f += NF } END { print n, f }'`;
const rows: string[] = [];
const line = (name: string, recs: number, s: number, rss: number | string, note = ''): void => {
  rows.push(
    `| ${name} | ${recs.toLocaleString('en')} | ${s.toFixed(1)} | ${Math.round(recs / s).toLocaleString('en')} | ${typeof rss === 'number' ? (Number.isNaN(rss) ? '–' : rss.toFixed(0)) : rss} | ${note} |`,
  );
};

const awkPlain = timeShell(`${AWK} ${plain}`);
line(
  'awk -F\\t (plain)',
  Number(awkPlain.out.split(' ')[0]),
  awkPlain.seconds,
  NaN,
  'mawk, counts records and fields',
);
const awkGz = timeShell(`zcat ${gz} | ${AWK}`);
line('zcat | awk -F\\t (gzip)', Number(awkGz.out.split(' ')[0]), awkGz.seconds, NaN, '');
const modes = process.argv.includes('--reader-only') ? ['reader'] : ['reader', 'detectors'];
const results: Record<string, { seconds: number; records: number }> = {};
for (const m of modes) {
  for (const [kind, f] of [
    ['plain', plain],
    ['gzip', gz],
  ] as const) {
    const v = timeVigil(m, f);
    results[`${m}-${kind}`] = v;
    line(
      `vigil ${m === 'reader' ? 'reader only' : 'reader + all detectors'} (${kind})`,
      v.records,
      v.seconds,
      v.maxRssMiB,
      `${v.bad} bad, ${v.findings} findings`,
    );
  }
}
process.stdout.write(
  `| what | records | seconds | records/s | peak RSS MiB | note |\n|---|---:|---:|---:|---:|---|\n${rows.join('\n')}\n`,
);
for (const m of modes) {
  process.stdout.write(
    `\nratio vigil ${m} / awk: plain ${(awkPlain.seconds / results[`${m}-plain`]!.seconds).toFixed(2)}×, gzip ${(awkGz.seconds / results[`${m}-gzip`]!.seconds).toFixed(2)}× (>1 = vigil faster)\n`,
  );
}
