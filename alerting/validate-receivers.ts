import type { IssueReporter } from '../core/index.js';
import type { AlertmanagerConfig, GlobalConfig, ReceiverConfig } from './am-schema.js';
import type { AmHttpConfig } from './am-http-config.js';
import { checkNewReceivers } from './am-schema-receivers.js';

type Path = (string | number)[];

/**
 * Alertmanager refuses a secret given both inline and as a file (config/config.go and
 * config/notifiers.go, "at most one of X & X_file must be configured"); the `_file` key is where
 * the second one was written, so that is where the problem is reported.
 */
function atMostOne(obj: object, pairs: readonly [string, string][], path: Path, report: IssueReporter): void {
  const o = obj as Record<string, unknown>;
  for (const [inline, file] of pairs) {
    if (o[inline] !== undefined && o[file] !== undefined) {
      report([...path, file], `at most one of ${inline} & ${file} must be configured`);
    }
  }
}

const GLOBAL_PAIRS: [string, string][] = [
  ['smtp_auth_password', 'smtp_auth_password_file'],
  ['slack_api_url', 'slack_api_url_file'],
  ['opsgenie_api_key', 'opsgenie_api_key_file'],
  ['victorops_api_key', 'victorops_api_key_file'],
];

/**
 * The checks of Prometheus' common HTTP client config (`HTTPClientConfig.Validate`, as vendored by
 * Alertmanager 0.25), with its messages.
 */
export function checkHttpConfig(h: AmHttpConfig | undefined, path: Path, report: IssueReporter): void {
  if (!h) return;
  const at = [...path, 'http_config'];
  atMostOne(h, [['bearer_token', 'bearer_token_file']], at, report);
  if (h.basic_auth) {
    if (h.basic_auth.password !== undefined && h.basic_auth.password_file !== undefined)
      report(
        [...at, 'basic_auth', 'password_file'],
        'at most one of basic_auth password & password_file must be configured',
      );
  }
  const bearer = h.bearer_token !== undefined || h.bearer_token_file !== undefined;
  if ([h.basic_auth, h.oauth2, bearer || undefined].filter((x) => x).length > 1)
    report(at, 'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured');
  if (h.authorization) {
    const a = h.authorization;
    if (bearer) report(at, 'authorization is not compatible with bearer_token & bearer_token_file');
    if (a.credentials !== undefined && a.credentials_file !== undefined)
      report(
        [...at, 'authorization', 'credentials_file'],
        'at most one of authorization credentials & credentials_file must be configured',
      );
    if (a.type?.toLowerCase() === 'basic')
      report(
        [...at, 'authorization', 'type'],
        'authorization type cannot be set to "basic", use "basic_auth" instead',
      );
    if (h.basic_auth || h.oauth2)
      report(at, 'at most one of basic_auth, oauth2 & authorization must be configured');
  }
  if (h.oauth2) {
    const o = h.oauth2;
    if (o.client_id === undefined) report([...at, 'oauth2'], 'oauth2 client_id must be configured');
    if (o.client_secret === undefined && o.client_secret_file === undefined)
      report([...at, 'oauth2'], 'either oauth2 client_secret or client_secret_file must be configured');
    if (o.token_url === undefined) report([...at, 'oauth2'], 'oauth2 token_url must be configured');
    atMostOne(o, [['client_secret', 'client_secret_file']], [...at, 'oauth2'], report);
  }
  if (h.proxy_connect_header && Object.keys(h.proxy_connect_header).length > 0 && !h.proxy_url)
    report(
      [...at, 'proxy_connect_header'],
      'if proxy_connect_header is configured proxy_url must also be configured',
    );
}

/** The `global:` checks of Alertmanager's loader. */
export function checkGlobal(g: GlobalConfig | undefined, path: Path, report: IssueReporter): void {
  if (!g) return;
  atMostOne(g, GLOBAL_PAIRS, path, report);
  checkHttpConfig(g.http_config, path, report);
}

/**
 * A receiver's checks as Alertmanager's loader makes them: required settings present (inline,
 * as a file, or from `global:`), and no secret given twice. Messages are Alertmanager's.
 */
export function checkReceiver(
  cfg: AlertmanagerConfig,
  r: ReceiverConfig,
  path: Path,
  report: IssueReporter,
): void {
  const g = cfg.global ?? {};
  for (const kind of ['webhook_configs', 'pagerduty_configs', 'opsgenie_configs', 'slack_configs'] as const) {
    (r[kind] ?? []).forEach((c, i) => checkHttpConfig(c.http_config, [...path, kind, i], report));
  }
  (r.webhook_configs ?? []).forEach((w, i) => {
    const at = [...path, 'webhook_configs', i];
    if (!w.url && !w.url_file) report(at, 'one of url or url_file must be configured');
    atMostOne(w, [['url', 'url_file']], at, report);
  });
  (r.pagerduty_configs ?? []).forEach((p, i) => {
    const at = [...path, 'pagerduty_configs', i];
    if (!p.routing_key && !p.routing_key_file && !p.service_key && !p.service_key_file) {
      report(at, 'missing service or routing key in PagerDuty config');
    }
    atMostOne(
      p,
      [
        ['routing_key', 'routing_key_file'],
        ['service_key', 'service_key_file'],
      ],
      at,
      report,
    );
  });
  (r.opsgenie_configs ?? []).forEach((o, i) => {
    const at = [...path, 'opsgenie_configs', i];
    if (!o.api_key && !o.api_key_file && !g.opsgenie_api_key && !g.opsgenie_api_key_file) {
      report(at, 'no global OpsGenie API Key set either inline or in a file');
    }
    atMostOne(o, [['api_key', 'api_key_file']], at, report);
  });
  (r.slack_configs ?? []).forEach((s, i) => {
    const at = [...path, 'slack_configs', i];
    if (!s.api_url && !s.api_url_file && !g.slack_api_url && !g.slack_api_url_file) {
      report(at, 'no global Slack API URL set either inline or in a file');
    }
    atMostOne(s, [['api_url', 'api_url_file']], at, report);
  });
  (r.email_configs ?? []).forEach((e, i) => {
    const at = [...path, 'email_configs', i];
    if (!e.to) report([...at, 'to'], 'missing to address in email config');
    if (!e.smarthost && !g.smtp_smarthost) report(at, 'no global SMTP smarthost set');
    if (!e.from && !g.smtp_from) report(at, 'no global SMTP from set');
    atMostOne(e, [['auth_password', 'auth_password_file']], at, report);
  });
  // The kinds added later (telegram, discord, msteams, webex, victorops, pushover, sns, wechat).
  checkNewReceivers(g, r, path, report);
}
