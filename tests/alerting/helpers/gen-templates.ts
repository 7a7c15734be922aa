// A seeded generator of Go templates over Alertmanager's data model, and of template data, for
// the differential test against `amtool template render`. It combines the constructs real
// Alertmanager templates use: define/template/block, range (with `$i, $e :=`, else, break),
// if/else if/else, with, variables, pipelines, comparisons, printf verbs, trim markers, comments,
// raw strings, Alertmanager's functions and the KV methods.
import type { TemplateData } from '../../../alerting/template/index.js';
import { rng } from './gen-configs.js';

type R = () => number;
const pick = <T>(r: R, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const chance = (r: R, p: number) => r() < p;

const LABEL_KEYS = ['alertname', 'instance', 'severity', 'job', 'team', 'nope'];
const REGEXES = ['^web', 'web-(\\d)', '(?i)CRIT', '[a-z]+', '.*', 'x*', '(\\w+)-(\\w+)', '^$', '\\.'];
const REPLS = ['$1', '${1}x', '[$0]', '$2_$1', '$$', '-', '$name'];
const LITERALS = [
  '"web-1"',
  '`raw\\n`',
  '"Hello wORLD"',
  '"a<b>&\'c\\"d"',
  '"ünï cødé"',
  '"foo-bar_baz.qux"',
  '""',
];
const FORMATS = ['"%s"', '"%q"', '"%10s|"', '"%-8s|"', '"%.3s"', '"%v"', '"%x"', '"[%5.5s]"'];
const TIME_LAYOUTS = [
  '"2006-01-02T15:04:05Z07:00"',
  '"Mon Jan _2 15:04:05 MST 2006"',
  '"15:04:05.000"',
  '"02.01.2006 3:04PM"',
  '"2006-01-02 15:04:05.999999999 -0700"',
];

/** A string-valued expression over a `template.Data` dot (or `$` inside other contexts). */
function str(r: R, d: number, root = '.'): string {
  const p = root === '.' ? '.' : `${root}.`;
  const leaves = [
    `${p}Status`,
    `${p}Receiver`,
    `${p}ExternalURL`,
    `${p}CommonLabels.${pick(r, LABEL_KEYS)}`,
    `${p}GroupLabels.${pick(r, LABEL_KEYS)}`,
    `${p}CommonAnnotations.summary`,
    `(index ${p}CommonLabels "${pick(r, LABEL_KEYS)}")`,
    pick(r, LITERALS),
  ];
  if (d <= 0 || chance(r, 0.4)) return pick(r, leaves);
  const s = () => str(r, d - 1, root);
  const forms = [
    () => `(toUpper ${s()})`,
    () => `(toLower ${s()})`,
    () => `(title ${s()})`,
    () => `(${s()})`,
    () => `(join "${pick(r, [',', ' ', ' | '])}" ${list(r, d - 1, root)})`,
    () => `(reReplaceAll \`${pick(r, REGEXES)}\` "${pick(r, REPLS)}" ${s()})`,
    () => `(printf ${pick(r, FORMATS)} ${s()})`,
    () => `(printf "%d-%s" ${int(r, d - 1, root)} ${s()})`,
    () => `(html ${s()})`,
    () => `(js ${s()})`,
    () => `(urlquery ${s()})`,
    () => `(print ${s()} ${int(r, 0, root)} ${int(r, 0, root)})`,
    () => `(${s()} | toUpper | printf "%q")`,
  ];
  return pick(r, forms)();
}

function int(r: R, d: number, root = '.'): string {
  const p = root === '.' ? '.' : `${root}.`;
  const leaves = [
    `(len ${p}Alerts)`,
    `(len ${p}Alerts.Firing)`,
    `(len ${p}Alerts.Resolved)`,
    '0',
    '1',
    '2',
    "'a'",
  ];
  if (d <= 0 || chance(r, 0.5)) return pick(r, leaves);
  return pick(r, [
    () => `(len ${list(r, d - 1, root)})`,
    () => `(len ${p}CommonLabels)`,
    () => `(len ${str(r, d - 1, root)})`,
  ])();
}

function list(r: R, d: number, root = '.'): string {
  const p = root === '.' ? '.' : `${root}.`;
  const forms = [
    `${p}CommonLabels.Names`,
    `${p}CommonLabels.Values`,
    `${p}GroupLabels.SortedPairs.Values`,
    `${p}CommonAnnotations.SortedPairs.Names`,
    `(${p}CommonLabels.Remove ${p}GroupLabels.Names).Values`,
    `(stringSlice ${d > 0 ? str(r, d - 1, root) : '"a"'} "b" "c")`,
    `(stringSlice)`,
  ];
  return pick(r, forms);
}

function bool(r: R, d: number, root = '.'): string {
  const forms = [
    () => `(eq ${str(r, d - 1, root)} ${str(r, d - 1, root)})`,
    () => `(eq ${root}${root === '.' ? '' : '.'}Status "firing" "resolved")`,
    () => `(ne ${str(r, d - 1, root)} "x")`,
    () => `(${pick(r, ['lt', 'le', 'gt', 'ge'])} ${int(r, d - 1, root)} ${int(r, d - 1, root)})`,
    () => `(${pick(r, ['lt', 'ge'])} ${str(r, d - 1, root)} ${str(r, d - 1, root)})`,
    () => `(not ${str(r, d - 1, root)})`,
    () => `(and ${str(r, d - 1, root)} ${int(r, d - 1, root)})`,
    () => `(or ${str(r, d - 1, root)} ${list(r, d - 1, root)})`,
    () => `(match \`${pick(r, REGEXES)}\` ${str(r, d - 1, root)})`,
    () => pick(r, ['true', 'false', `${root}${root === '.' ? '' : '.'}Alerts.Firing`]),
  ];
  return pick(r, forms)();
}

/** Statements with an Alert as dot (inside `range .Alerts`). */
function alertStmt(r: R): string {
  const forms = [
    () => `{{ .Labels.${pick(r, LABEL_KEYS)} }}`,
    () => `{{ .Annotations.summary | toUpper }}`,
    () => `{{ .Status }}/{{ .Fingerprint }}/{{ .GeneratorURL }}`,
    () => `{{ .StartsAt.Format ${pick(r, TIME_LAYOUTS)} }}`,
    () => `{{ .EndsAt }}|{{ .StartsAt.UTC }}|{{ .StartsAt.Unix }}`,
    () => `{{ .StartsAt.Local }} {{ .EndsAt.Local.Format "Jan 2 15:04 MST" }}`,
    () => `{{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}`,
    () => `{{ .Labels.Remove (stringSlice "alertname") }}`,
    () => `{{ if .Annotations.summary }}S:{{ .Annotations.summary }}{{ else }}no summary{{ end }}`,
    () => `{{ $.Status }}-{{ $.Receiver }}`,
    () => `{{ printf "%-10s|%5.1f|%t" .Labels.instance 3.14159 (eq .Status "firing") }}`,
    () => `{{ with .Labels.team }}team={{ . }}{{ else }}no team{{ end }}`,
    () => `{{ .Labels }}`,
  ];
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, forms)()).join(
    pick(r, [' ', '\n', '']),
  );
}

/** One statement with a template.Data dot. */
function stmt(r: R, d: number): string {
  const forms = [
    () => `{{ ${str(r, 2)} }}`,
    () => `{{- ${str(r, 2)} -}}`,
    () => `{{ ${bool(r, 2)} }}`,
    () => `{{ ${int(r, 2)} }}`,
    () => `{{ ${list(r, 2)} }}`,
    () => `{{ if ${bool(r, 2)} }}yes{{ else if ${bool(r, 1)} }}maybe{{ else }}no{{ end }}`,
    () => `{{ range $i, $a := .Alerts }}{{ $i }}: ${alertStmt(r)}\n{{ end }}`,
    () => `{{ range .Alerts.${pick(r, ['Firing', 'Resolved'])} }}${alertStmt(r)}{{ else }}none{{ end }}`,
    () =>
      `{{ range $k, $v := .CommonLabels }}{{ if eq $k "severity" }}{{ break }}{{ end }}{{ $k }}={{ $v }} {{ end }}`,
    () =>
      `{{ range .GroupLabels.SortedPairs.Values }}{{ if eq . "" }}{{ continue }}{{ end }}<{{ . }}>{{ end }}`,
    () => `{{ with ${str(r, 1)} }}[{{ . }}]{{ else }}empty{{ end }}`,
    () => `{{ $x := ${str(r, 2)} }}{{ $x }}{{ $x = "re" }}/{{ $x }}`,
    () =>
      `{{ template "${pick(r, ['__subject', '__alertmanagerURL', 'slack.default.title', 'pagerduty.default.description', 'opsgenie.default.description', 'wechat.default.message', 'victorops.default.state_message', 'pushover.default.message', 'sns.default.message', 'telegram.default.message', 'discord.default.message', 'webex.default.message', 'email.default.subject'])}" . }}`,
    () => `{{ template "__text_alert_list" .Alerts.${pick(r, ['Firing', 'Resolved'])} }}`,
    () => `{{/* a comment */}}${pick(r, ['x', ' x ', '\n'])}{{- /* trimmed */ -}}  y`,
    () => `{{ .CommonLabels }} {{ .GroupLabels.SortedPairs }}`,
    () =>
      `{{ printf "%s %d %v %q %5.2f %x %08.3f %+d" .Status (len .Alerts) .CommonLabels .Receiver 2.5 255 3.14159 7 }}`,
    () => `{{ println .Status (len .Alerts) }}{{ print 1 2 "a" "b" 3 }}`,
    () => `{{ index .Alerts ${pick(r, ['0', '1', '9'])} | printf "%v" | len }}`,
    () => `{{ (index .Alerts 0).Labels.alertname }} {{ len (index .Alerts 0).Annotations }}`,
    () => (d > 0 ? `{{ if ${bool(r, 1)} }}${stmt(r, d - 1)}{{ end }}` : 'plain'),
  ];
  return pick(r, forms)();
}

/** One whole template text: optional defines, then statements separated by text. */
export function genTemplate(r: R): string {
  const parts: string[] = [];
  const useDefine = chance(r, 0.25);
  if (useDefine) parts.push(`{{ define "mine" }}<{{ ${str(r, 1)} }}>{{ end }}`);
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    parts.push(stmt(r, 1));
    if (useDefine && chance(r, 0.5)) parts.push('{{ template "mine" . }}');
    parts.push(pick(r, ['', ' ', '\n', ' | ', '\n\n']));
  }
  if (chance(r, 0.1)) parts.push(`{{ block "blk" .Status }}block:{{ . }}{{ end }}`);
  return parts.join('');
}

const TIMES = [
  '2026-01-05T10:00:00Z',
  '2026-01-05T10:00:00.123456789Z',
  '2026-03-29T01:59:59.5+02:00',
  '2025-12-31T23:59:59-05:30',
  '0001-01-01T00:00:00Z',
  '2026-07-01T12:00:00+00:00',
];

/** Template data in Alertmanager's JSON layout, with the awkward values templates meet. */
export function genData(seed: number): TemplateData {
  const r = rng(seed);
  const n = 1 + Math.floor(r() * 3);
  const names = ['SiteDown', 'HighLatency', 'Disk<Full>'];
  const alertname = pick(r, names);
  const alerts = Array.from({ length: n }, (_, i) => ({
    status: i === 0 || chance(r, 0.5) ? 'firing' : 'resolved',
    labels: {
      alertname,
      instance: pick(r, ['web-1', 'db-2:9100', 'ünï"quoted"']),
      severity: 'critical',
      ...(chance(r, 0.5) ? { team: pick(r, ['ops', 'sec & ops']) } : {}),
    },
    annotations: {
      summary: pick(r, ['down <b>now</b>', 'it\'s "down"', 'line1\nline2']),
      ...(chance(r, 0.5) ? { runbook: 'https://runbooks.example/x?a=1&b=2' } : {}),
    },
    startsAt: pick(r, TIMES),
    endsAt: pick(r, TIMES),
    generatorURL: pick(r, ['', 'http://prom:9090/graph?g0.expr=up%3D%3D0']),
    fingerprint: `${i}f${Math.floor(r() * 1e8).toString(16)}`,
  }));
  const firing = alerts.some((a) => a.status === 'firing');
  const common: Record<string, string> = { alertname, severity: 'critical' };
  return {
    receiver: pick(r, ['team-x', 'ops\\.pager', 'wëb']),
    status: firing ? 'firing' : 'resolved',
    alerts,
    groupLabels: chance(r, 0.5) ? { alertname } : { alertname, severity: 'critical' },
    commonLabels: common,
    commonAnnotations: chance(r, 0.5) ? { summary: alerts[0]!.annotations.summary } : {},
    externalURL: pick(r, ['http://am.example:9093', 'https://alerts.example/am']),
  };
}
