import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Templates, goGlob, type TemplateData } from '../../../alerting/template/index.js';
import { DEFAULT_TMPL, EMAIL_TMPL, MSTEAMS_TMPL } from '../../../alerting/template/default-templates.js';

const data: TemplateData = {
  receiver: 'ops',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'SiteDown', instance: 'web-1', severity: 'critical' },
      annotations: { summary: 'web-1 down' },
      startsAt: '2026-01-05T10:00:00.5+01:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prom/g',
      fingerprint: 'abc',
    },
  ],
  groupLabels: { alertname: 'SiteDown' },
  commonLabels: { alertname: 'SiteDown', instance: 'web-1', severity: 'critical' },
  commonAnnotations: { summary: 'web-1 down' },
  externalURL: 'http://am:9093',
};
const t = Templates.fromGlobs([]);

describe('vendored default templates', () => {
  it.each([
    ['default.tmpl', DEFAULT_TMPL, '0cf86688dc0933c5826b9447a2202ccd3573213ee8c3a3154cecb090c361721c'],
    ['email.tmpl', EMAIL_TMPL, '0b75d6f245ca97c441fb14aab77be39efbcd99ac458b0a3226c4474e0c831529'],
    ['msteams.tmpl', MSTEAMS_TMPL, 'e3b475c2314eb6488bbc0c662d6eef66a1e7c9a8a8d2d81467a54ab77cf2973a'],
  ])('%s embedded equals the vendored file of Alertmanager', (file, text, sha) => {
    const vendored = readFileSync(
      new URL(`../../../alerting/template/vendor/${file}`, import.meta.url),
      'utf8',
    );
    expect(text).toBe(vendored);
    expect(createHash('sha256').update(text).digest('hex')).toBe(sha);
  });
});

describe('Go text/template semantics', () => {
  it.each([
    ['{{ template "__subject" . }}', '[FIRING:1] SiteDown (web-1 critical)'],
    ['{{ .Alerts.Firing | len }}', '1'],
    ['{{ reReplaceAll "a*" "-" "baaac" }}', '-b-c-'], // Go skips an empty match after a match
    ['{{ reReplaceAll "(a)(b)" "$1x" "xabx" }}', 'xx'], // $1x names group "1x": empty
    ['{{ reReplaceAll "(a)(b)" "${1}x$2" "xabx" }}', 'xaxbx'],
    ['{{ title "hELLO wORLD 1st foo-bar x_y" }}', 'Hello World 1St Foo-Bar X_y'],
    ['{{ printf "%5.2f|%-4s|%q|%x|%d" 3.14159 "ab" "a\\"b" "hi" 42 }}', ' 3.14|ab  |"a\\"b"|6869|42'],
    ['{{ printf "%.1f %d" 2.25 }}', '2.2 %!d(MISSING)'], // round half to even, as strconv
    ['{{ 1000000.0 }} {{ 100000.0 }} {{ 0.00001 }}', '1e+06 100000 1e-05'],
    ['{{ (index .Alerts 0).StartsAt }}', '2026-01-05 10:00:00.5 +0100 +0100'],
    [
      '{{ (index .Alerts 0).StartsAt.UTC.Format "Mon Jan _2 15:04:05.000 MST 2006" }}',
      'Mon Jan  5 09:00:00.500 UTC 2026',
    ],
    ['{{ (index .Alerts 0).EndsAt }}', '0001-01-01 00:00:00 +0000 UTC'],
    ['{{ .CommonLabels }}', 'map[alertname:SiteDown instance:web-1 severity:critical]'],
    ['{{ .CommonLabels.SortedPairs }}', '[{alertname SiteDown} {instance web-1} {severity critical}]'],
    ['{{ .Nope }}'.replace('.Nope', '.CommonLabels.nope'), ''],
    [
      '{{ range $i, $e := .CommonLabels.Names }}{{ if $i }},{{ end }}{{ $e }}{{ end }}',
      'alertname,instance,severity',
    ],
    ['{{ range .Alerts.Resolved }}x{{ else }}none{{ end }}', 'none'],
    ['{{ with .CommonLabels.team }}{{ . }}{{ else }}no team{{ end }}', 'no team'],
    ['a  {{- " b " -}}  c', 'a b c'],
    ['{{/* gone */}}x', 'x'],
    ['{{ and 1 0 2 }} {{ or 0 "" "y" }} {{ not "" }}', '0 y true'],
    ['{{ define "x" }}<{{ . }}>{{ end }}{{ template "x" "a" }}{{ template "x" }}', '<a><<no value>>'],
    [
      '{{ js "<a href=\'x\'>" }} {{ html "<&\'\\">" }} {{ urlquery "a b/é" }}',
      "\\u003Ca href\\u003D\\'x\\'\\u003E &lt;&amp;&#39;&#34;&gt; a+b%2F%C3%A9",
    ],
    ['{{ print 1 2 "a" 3 }}', '1 2a3'],
    ['{{ "ß" | toUpper }}', 'ß'], // Go maps per code point, unlike JavaScript's "SS"
  ])('%s', (text, want) => {
    expect(t.executeText(text, data)).toBe(want);
  });

  it.each([
    ['{{ date "x" }}', /function "date" not defined/], // not in Alertmanager 0.25
    ['{{ .Nope }}', /can't evaluate field Nope in type template.Data/],
    ['{{ index .Alerts 3 }}', /index out of range: 3/],
    ['{{ eq 1 1.0 }}', /incompatible types for comparison/],
    ['{{ template "missing" }}', /template "missing" not defined/],
    ['{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}', /multiple definition of template "a"/],
    ['{{ if .Status }}', /unexpected EOF/],
    ['{{ $x }}', /undefined variable "\$x"/],
    ['{{ break }}', /outside \{\{range\}\}/],
    ['{{ toUpper 1 }}', /expected string/],
    ['{{ match "(" "x" }}', /error calling match/],
  ])('%s fails as in Go', (text, err) => {
    expect(() => t.executeText(text, data)).toThrow(err);
  });
});

describe('templates: files (Go globs)', () => {
  it('loads files matched by a glob, later definitions replace earlier ones, a miss is no error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tmpl-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.tmpl'), '{{ define "__subject" }}custom {{ .Status }}{{ end }}');
      writeFileSync(join(dir, 'b.tmpl'), '{{ define "mine" }}mine:{{ .Receiver }}{{ end }}');
      writeFileSync(join(dir, 'sub', 'c.txt'), 'x');
      expect(goGlob(join(dir, '*.tmpl'))).toEqual([join(dir, 'a.tmpl'), join(dir, 'b.tmpl')]);
      expect(goGlob('*/c.[st]xt', dir)).toEqual([join(dir, 'sub', 'c.txt')]);
      const ft = Templates.fromGlobs(['*.tmpl', 'nothing/*.tmpl'], dir);
      expect(
        ft.executeText('{{ template "pagerduty.default.description" . }} {{ template "mine" . }}', data),
      ).toBe('custom firing mine:ops');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
