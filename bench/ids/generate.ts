import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import fg from 'fast-glob';

/**
 * Makes a large conn.log (TSV) by replaying the real conn records of the corpus
 * (rita-missing-host, 105,918 records with the `_node_name` column) with times shifted by whole
 * 3-day periods and uids made unique, so the file has the corpus's shape at any size.
 */
export async function generateConnLog(
  corpus: string,
  outDir: string,
  records: number,
): Promise<{ plain: string; gz: string; records: number }> {
  mkdirSync(outDir, { recursive: true });
  const plain = join(outDir, `conn-${records}.log`);
  const gz = `${plain}.gz`;
  if (existsSync(plain) && existsSync(gz)) return { plain, gz, records };
  const files = fg.sync(`${corpus}/zeek-tsv/rita-missing-host/*/conn.*.log.gz`).sort();
  let header: string[] = [];
  const rows: string[] = [];
  for (const f of files) {
    const rl = createInterface({ input: createReadStream(f).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of rl) {
      if (line.startsWith('#')) {
        if (header.length < 8 && !line.startsWith('#close')) header.push(line);
        continue;
      }
      rows.push(line);
    }
  }
  header = header.slice(0, 8);
  // written under temporary names and renamed when complete, so an interrupted run is not reused
  const out = createWriteStream(`${plain}.part`);
  const zout = createGzip({ level: 6 });
  const zfile = createWriteStream(`${gz}.part`);
  zout.pipe(zfile);
  const write = async (s: string): Promise<void> => {
    const a = out.write(s);
    const b = zout.write(s);
    if (!a) await once(out, 'drain');
    if (!b) await once(zout, 'drain');
  };
  await write(`${header.join('\n')}\n`);
  const PERIOD = 3 * 86_400;
  let n = 0;
  let buf: string[] = [];
  for (let k = 0; n < records; k++) {
    for (const row of rows) {
      if (n >= records) break;
      const cols = row.split('\t');
      // _node_name, ts, uid, …
      cols[1] = (Number(cols[1]) + k * PERIOD).toFixed(6);
      cols[2] = `${cols[2]}${k.toString(36)}`;
      buf.push(cols.join('\t'));
      n++;
      if (buf.length >= 5000) {
        await write(`${buf.join('\n')}\n`);
        buf = [];
      }
    }
  }
  if (buf.length > 0) await write(`${buf.join('\n')}\n`);
  await write('#close\t2024-05-01-00-00-00\n');
  out.end();
  zout.end();
  await Promise.all([once(out, 'finish'), once(zfile, 'finish')]);
  renameSync(`${plain}.part`, plain);
  renameSync(`${gz}.part`, gz);
  return { plain, gz, records: n };
}
