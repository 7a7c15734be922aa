import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, coreSections, loadConfig } from '../../core/index.js';
import { alertingSections } from '../../alerting/index.js';

const run = promisify(execFile);
const AMTOOL = '/usr/bin/amtool';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'alertmanager');
const dir = mkdtempSync(join(tmpdir(), 'vigil-amtestdata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** amtool 0.25's verdict on the file as it is. */
async function amtoolAccepts(file: string): Promise<boolean> {
  try {
    await run(AMTOOL, ['check-config', file], { timeout: 30_000 });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') throw new Error(`${AMTOOL} is missing`);
    return false;
  }
}

/** vigil's verdict on the file wrapped in `alerting:` (2 columns in, 1 line down). */
function vigilProblems(name: string): string[] {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const file = join(dir, name);
  const indented = text
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
  writeFileSync(file, `alerting:\n${indented}`);
  try {
    loadConfig(file, { sections: [...coreSections, ...alertingSections], env: {} });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
  }
}

const unsupported = (at: string, path: string, kind: string): string =>
  `${at}: alerting.${path}.${kind}: receiver kind ${kind} is not supported by vigil (webhook, pagerduty, opsgenie, slack and email are)`;

/** What vigil reports for each file amtool refuses, at its place in the wrapped file. */
const REFUSED: Record<string, string[]> = {
  'cli.conf.bad.yml': ['2:3: alerting: Invalid input: expected object, received string'],
  'conf.nil-match_re-route.yml': [
    '6:25: alerting.route.routes[0].match_re.invalid_label: Invalid input: expected string, received null',
  ],
  'conf.nil-source_match_re-inhibition.yml': [
    '8:30: alerting.inhibit_rules[0].source_match_re.invalid_source_label: Invalid input: expected string, received null',
  ],
  'conf.nil-target_match_re-inhibition.yml': [
    '10:30: alerting.inhibit_rules[0].target_match_re.invalid_target_label: Invalid input: expected string, received null',
  ],
  'conf.opsgenie-both-file-and-apikey.yml': [
    '4:28: alerting.global.opsgenie_api_key_file: at most one of opsgenie_api_key & opsgenie_api_key_file must be configured',
  ],
  'conf.opsgenie-default-apikey-old-team.yml': [
    '17:11: alerting.receivers[0].opsgenie_configs[0].teams: unknown key "teams"',
  ],
  'conf.opsgenie-no-apikey.yml': [
    '15:11: alerting.receivers[0].opsgenie_configs[0]: no global OpsGenie API Key set either inline or in a file',
  ],
  'conf.slack-both-file-and-url.yml': [
    '4:25: alerting.global.slack_api_url_file: at most one of slack_api_url & slack_api_url_file must be configured',
  ],
  'conf.slack-no-api-url.yml': [
    '8:11: alerting.receivers[0].slack_configs[0]: no global Slack API URL set either inline or in a file',
  ],
  'conf.smtp-both-password-and-file.yml': [
    '7:30: alerting.global.smtp_auth_password_file: at most one of smtp_auth_password & smtp_auth_password_file must be configured',
  ],
  // Refused by vigil for the receiver kind it lacks (README "Known differences").
  'conf.sns-invalid.yml': [unsupported('8:9', 'receivers[0]', 'sns_configs')],
  'conf.victorops-both-file-and-apikey.yml': [
    unsupported('18:9', 'receivers[0]', 'victorops_configs'),
    unsupported('21:9', 'receivers[1]', 'victorops_configs'),
  ],
  'conf.victorops-no-apikey.yml': [unsupported('15:9', 'receivers[0]', 'victorops_configs')],
};

/** Files amtool accepts that vigil refuses only for a receiver kind it lacks (README). */
const KNOWN_UNSUPPORTED: Record<string, string[]> = {
  'conf.good.yml': [
    unsupported('106:9', 'receivers[5]', 'victorops_configs'),
    unsupported('113:9', 'receivers[7]', 'pushover_configs'),
  ],
  'conf.sns-topic-arn.yml': [unsupported('8:9', 'receivers[0]', 'sns_configs')],
  'conf.victorops-default-apikey.yml': [
    unsupported('17:9', 'receivers[0]', 'victorops_configs'),
    unsupported('20:9', 'receivers[1]', 'victorops_configs'),
  ],
  'conf.victorops-default-apikey-file.yml': [
    unsupported('17:9', 'receivers[0]', 'victorops_configs'),
    unsupported('20:9', 'receivers[1]', 'victorops_configs'),
  ],
};

const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yml'))
  .sort();

describe("Alertmanager 0.25's own test configurations, wrapped in alerting:", () => {
  it('covers every fixture file', () => {
    expect(files).toHaveLength(28);
    for (const f of [...Object.keys(REFUSED), ...Object.keys(KNOWN_UNSUPPORTED)]) expect(files).toContain(f);
  });

  it.each(files)('%s: vigil agrees with amtool check-config', async (name) => {
    const accepts = await amtoolAccepts(join(FIXTURES, name));
    expect(accepts).toBe(!(name in REFUSED));
    const problems = vigilProblems(name);
    expect(problems).toEqual(REFUSED[name] ?? KNOWN_UNSUPPORTED[name] ?? []);
  });
});
