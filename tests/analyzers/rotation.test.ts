import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { listCheckpoints, type AnalysisDb } from '../../core/index.js';
import { analyzersSchema } from '../../analyzers/config.js';
import { runAnalysis } from '../../analyzers/run/runner.js';
import { describeStores } from '../helpers/stores.js';
import { CORPUS } from './corpus.js';

const SRC = `${CORPUS}zeek-tsv/rita-missing-host/2024-04-19/ssh.10:00:00-11:00:00.log.gz`;

describeStores('zeekctl rotation', (getStore) => {
  it.each([
    ['after half the records', 0.5],
    ['when the live file was still shorter than the identifying head', 0],
  ])(
    'a live current/ssh.log read %s resumes in its rotated dated .gz, nothing read twice or skipped',
    async (_name, share) => {
      const text = gunzipSync(readFileSync(SRC)).toString('utf8');
      const lines = text.split('\n');
      const headerEnd = lines.findIndex((l) => !l.startsWith('#'));
      const records = lines.filter((l) => l !== '' && !l.startsWith('#')).length;
      const cut = share === 0 ? headerEnd + 1 : headerEnd + Math.floor(records * share);
      const dir = mkdtempSync(join(tmpdir(), 'vigil-rotate-'));
      mkdirSync(join(dir, 'current'));
      const live = join(dir, 'current', 'ssh.log');
      const partial = `${lines.slice(0, cut).join('\n')}\n`;
      writeFileSync(live, partial);
      if (share === 0) expect(Buffer.byteLength(partial)).toBeLessThan(1024);
      const db = getStore().db as Kysely<AnalysisDb>;
      const config = analyzersSchema.parse({
        zeek: { paths: [`${dir}/current/*.log`, `${dir}/2*/*.log.gz`] },
        settle: '1h',
      });
      const first = await runAnalysis({ db, config });
      expect(first.run.inputs).toHaveLength(1);
      const firstRecords = first.run.inputs[0]!.records;
      expect(firstRecords).toBe(cut - headerEnd);
      // zeekctl: the finished file is compressed into the dated folder and the live one removed
      mkdirSync(join(dir, '2024-04-19'));
      writeFileSync(join(dir, '2024-04-19', 'ssh.10:00:00-11:00:00.log.gz'), gzipSync(text));
      rmSync(live);
      const second = await runAnalysis({ db, config });
      expect(second.run.inputs).toHaveLength(1);
      expect(second.run.inputs[0]!.fromOffset).toBe(Buffer.byteLength(partial));
      expect(second.run.inputs[0]!.records).toBe(records - firstRecords);
      expect(second.run.status).toBe('ok');
      // a third run has nothing left to read
      const third = await runAnalysis({ db, config });
      expect(third.run.inputs).toHaveLength(0);
      expect(
        (await listCheckpoints(db, 'ids')).some(
          (c) => c.path.endsWith('.log.gz') && c.state?.complete === true,
        ),
      ).toBe(true);
    },
  );
});
