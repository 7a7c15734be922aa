import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.js';
import { loadAlertingFile } from '../../alerting/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-alertcfg-'));
let n = 0;
function load(yaml: string) {
  const file = join(dir, `c${n++}.yml`);
  writeFileSync(file, yaml);
  return loadAlertingFile(file);
}
function problems(yaml: string): string[] {
  try {
    load(yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.line}: ${i.message}`);
    throw err;
  }
  return [];
}

const OK = `
global:
  resolve_timeout: 2m
  smtp_smarthost: 127.0.0.1:25
  smtp_from: am@example.org
route:
  receiver: web
  group_by: ['...']
  routes:
    - { matchers: ['sev=~"crit|page"'], receiver: pd, mute_time_intervals: [weekend] }
receivers:
  - name: web
    webhook_configs: [{ url: http://127.0.0.1:9/hook, send_resolved: false }]
  - name: pd
    pagerduty_configs: [{ routing_key: abc }]
    email_configs: [{ to: ops@example.org }]
inhibit_rules:
  - { source_matchers: [sev="crit"], target_matchers: [sev="warn"], equal: [cluster] }
time_intervals:
  - name: weekend
    time_intervals: [{ weekdays: [saturday, sunday] }]
templates: ['/etc/alertmanager/*.tmpl']
`;

describe('alerting config (Alertmanager file, strict)', () => {
  it('accepts an Alertmanager config unchanged (a templates glob that matches nothing is no error)', () => {
    const l = load(OK);
    expect(l.config.route.receiver).toBe('web');
    expect(l.warnings).toEqual([]);
  });

  it('parses the template files at load, relative to the config file, as Alertmanager', () => {
    writeFileSync(join(dir, 'good.tmpl'), '{{ define "x" }}{{ .Status }}{{ end }}');
    expect(problems(OK.replace("'/etc/alertmanager/*.tmpl'", "'good.tmpl'"))).toEqual([]);
    writeFileSync(join(dir, 'bad.tmpl'), '{{ define "y" }}{{ if .Status }}{{ end }}');
    expect(problems(OK.replace("'/etc/alertmanager/*.tmpl'", "'bad.tmpl'")).join()).toMatch(
      /templates: template: bad.tmpl:1: unexpected EOF/,
    );
  });

  it('accepts a vigil config with an alerting: section and shared time_intervals', () => {
    const yaml = `timezone: Europe/Amsterdam
time_intervals:
  - name: maint
    time_intervals: [{ weekdays: [saturday] }]
alerting:
  route: { receiver: a, routes: [ { matchers: [x="1"], mute_time_intervals: [maint] } ] }
  receivers: [{ name: a }]
`;
    const l = load(yaml);
    expect(l.sharedIntervals.map((s) => s.name)).toEqual(['maint']);
    expect(l.timezone).toBe('Europe/Amsterdam');
  });

  it.each([
    ['unknown top-level key', OK.replace('route:', 'routez: {}\nroute:'), /unknown key "routez"/],
    ['unknown route key', OK.replace('group_by:', 'group_byy: []\n  group_by:'), /unknown key "group_byy"/],
    [
      'unsupported receiver kind',
      OK.replace('- name: web', '- name: web\n    jira_configs: [{}]'),
      /jira_configs is not supported/,
    ],
    [
      'telegram without token or chat',
      OK.replace('- name: web', '- name: web\n    telegram_configs: [{}]'),
      /missing bot_token or bot_token_file on telegram_config/,
    ],
    [
      'webex without authorization',
      OK.replace('- name: web', '- name: web\n    webex_configs: [{ room_id: r }]'),
      /missing webex_configs.http_config.authorization/,
    ],
    [
      'sns with two destinations',
      OK.replace('- name: web', '- name: web\n    sns_configs: [{ topic_arn: a, phone_number: "1" }]'),
      /must provide either a Target ARN, Topic ARN, or Phone Number/,
    ],
    [
      'http_config with two authentications',
      OK.replace(
        '- name: web',
        '- name: web\n    discord_configs: [{ webhook_url: "http://x", http_config: { bearer_token: a, basic_auth: { username: b } } }]',
      ),
      /http_config: at most one of basic_auth, authorization and bearer_token/,
    ],
    [
      'http_config with an unknown key',
      OK.replace(
        '- name: web',
        '- name: web\n    discord_configs: [{ webhook_url: "http://x", http_config: { tls_confg: {} } }]',
      ),
      /tls_confg/,
    ],
    [
      'victorops without a global key',
      OK.replace('- name: web', '- name: web\n    victorops_configs: [{ routing_key: r }]'),
      /no global VictorOps API Key set/,
    ],
    ['undefined receiver', OK.replace('receiver: pd', 'receiver: nope'), /undefined receiver "nope"/],
    [
      'root with matchers',
      OK.replace("group_by: ['...']", 'group_by: [\'...\']\n  matchers: [a="b"]'),
      /root route must not have any matchers/,
    ],
    ['wildcard mixed', OK.replace("group_by: ['...']", "group_by: ['...', 'a']"), /wildcard group_by/],
    [
      'undefined interval',
      OK.replace('mute_time_intervals: [weekend]', 'mute_time_intervals: [holiday]'),
      /undefined time interval "holiday"/,
    ],
    ['duplicate receiver', OK.replace('- name: pd', '- name: web'), /not unique/],
    ['bad matcher', OK.replace(`'sev=~"crit|page"'`, `'sev=~"(?=x)"'`), /invalid regular expression/],
    [
      'zero group_interval',
      OK.replace("group_by: ['...']", "group_by: ['...']\n  group_interval: 0s"),
      /group_interval cannot be zero/,
    ],
    ['webhook without url', OK.replace('url: http://127.0.0.1:9/hook, ', ''), /url or url_file/],
    ['bad time interval', OK.replace('[saturday, sunday]', '[caturday]'), /caturday|weekday/i],
  ])('rejects %s, naming the line', (_name, yaml, message) => {
    const p = problems(yaml);
    expect(p.join('\n')).toMatch(message);
    expect(p.every((x) => Number(x.split(':')[0]) > 0)).toBe(true);
  });

  it('rejects an interval name defined both in vigil and in alerting (one namespace)', () => {
    const p = problems(`time_intervals: [{ name: w, time_intervals: [{ weekdays: [monday] }] }]
alerting:
  route: { receiver: a }
  receivers: [{ name: a }]
  time_intervals: [{ name: w, time_intervals: [{ weekdays: [monday] }] }]
`);
    expect(p.join()).toMatch(/"w" is defined more than once/);
  });

  it('accepts the vigil escalation extension and checks its receivers', () => {
    expect(
      problems(OK.replace('receiver: pd,', 'receiver: pd, escalation: [{ after: 5m, receiver: web }],')),
    ).toEqual([]);
    expect(
      problems(OK.replace('receiver: pd,', 'receiver: pd, escalation: [{ after: 5m, receiver: x }],')).join(),
    ).toMatch(/undefined receiver "x" used in escalation/);
  });
});
