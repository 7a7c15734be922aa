import { describe, expect, it } from 'vitest';
import { checkCadence, scannersConfigSections, scannersSchema } from '../../../analyzers/scanners/index.js';

const section = scannersConfigSections[0]!;

function problems(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  const parsed = { ...config, scanners: scannersSchema.parse(config.scanners) };
  section.check?.(parsed, (path, message) => out.push(`${path.join('.')}: ${message}`));
  return out;
}

describe('scanners config', () => {
  it('fills the defaults', () => {
    expect(scannersSchema.parse({ paths: ['/srv/uploads'] })).toEqual({
      schedule: '30 */5 * * *',
      grace: 1_800_000,
      full_rescan: 7 * 86_400_000,
      paths: ['/srv/uploads'],
      exclude: [],
      max_file_size: 256 * 1024 * 1024,
      follow_symlinks: false,
      concurrency: 4,
      severity: 'high',
      clamav: {
        enabled: true,
        manage: true,
        timeout: 300_000,
        start_timeout: 120_000,
        system_database_dir: '/var/lib/clamav',
        max_signature_age: 7 * 86_400_000,
      },
      yara: { rules: [], externals: {} },
      hash_lists: [],
      file_logs: [],
    });
  });

  it.each([
    ['100MB', 100_000_000],
    ['256MiB', 268_435_456],
    ['1GB', 1_000_000_000],
    [4096, 4096],
    ['1.5kb', 1500],
  ])('max_file_size %s', (v, want) => {
    expect(scannersSchema.parse({ paths: ['/x'], max_file_size: v }).max_file_size).toBe(want);
  });

  it.each([
    [{ paths: [] }, /paths/],
    [{ paths: ['/x'], unknown_key: 1 }, /unknown_key/],
    [{ paths: ['/x'], clamav: { sockett: '/x' } }, /sockett/],
    [{ paths: ['/x'], max_file_size: 'big' }, /not a size/],
    [{ paths: ['/x'], schedule: 'every day' }, /not a cron pattern/],
    [{ paths: ['/x'], grace: '5 minutes' }, /not a duration/],
  ])('rejects %j', (raw, message) => {
    const r = scannersSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  it.each([
    [
      { paths: ['/x'], clamav: { manage: false } },
      'scanners.clamav.socket: is required when clamav.manage is false',
    ],
    [
      { paths: ['/x'], clamav: { socket: '/run/clamd.ctl' } },
      'scanners.clamav.socket: must not be set with clamav.manage: true',
    ],
    [{ paths: ['/x'], clamav: { enabled: false } }, 'scanners: no engine'],
  ])('cross-checks %j', (scanners, message) => {
    expect(problems({ scanners }).join('\n')).toContain(message);
  });

  it('proves the cadence at config check: DST makes "every 6 h" in Amsterdam fail, the default passes', () => {
    const bad = problems({
      timezone: 'Europe/Amsterdam',
      scanners: { paths: ['/x'], schedule: '30 0,6,12,18 * * *' },
    });
    expect(bad).toEqual([
      expect.stringMatching(
        /^scanners\.schedule: "30 0,6,12,18 \* \* \*" gives only 3 run\(s\) in the 24 h from 20\d\d-10-\d\dT.*needs at least 4/,
      ),
    ]);
    expect(problems({ timezone: 'Europe/Amsterdam', scanners: { paths: ['/x'] } })).toEqual([]);
    expect(
      problems({ timezone: 'UTC', scanners: { paths: ['/x'], schedule: '30 0,6,12,18 * * *' } }),
    ).toEqual([]);
  });
});

describe('checkCadence', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['0 0,6,12,18 * * *', 'UTC', true, 4],
    ['0 0 * * *', 'UTC', false, 1],
    ['0 1,2,3,4 * * *', 'Europe/Amsterdam', false, 3], // 02:00 does not exist on the last Sunday of March
    ['0 1,2,3,4 * * *', 'UTC', true, 4],
    ['0 0,6,12,18 * * 1-5', 'UTC', false, 0], // weekends empty
    ['30 */5 * * *', 'Europe/Amsterdam', true, 4],
  ])('%s in %s', (pattern, timezone, ok, minRuns) => {
    expect(checkCadence(pattern, { timezone, from })).toMatchObject({ ok, minRuns });
  });
});
