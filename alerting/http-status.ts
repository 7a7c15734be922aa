import type { FastifyPluginAsync } from 'fastify';
import { stringify } from 'yaml';
import { errorMessage } from '../core/index.js';
import type { AlertmanagerConfig } from './am-schema.js';
import { matchesAll, newMatcher, parseMatchers } from './matchers.js';
import type { AlertRouter } from './router.js';

export interface AlertmanagerStatusOptions {
  router: AlertRouter;
  config: AlertmanagerConfig;
  /** When this process started (`uptime` in the status). */
  startedAt: Date;
  version: string;
}

// Keys whose parsed values are milliseconds; shown again as Prometheus durations.
const DURATION_KEYS = new Set([
  'resolve_timeout',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'after',
  'retry',
  'expire',
  'retry_initial',
  'retry_max',
]);

/** Milliseconds as a Prometheus duration (`1h30m`, `30s`, `0s`), as Alertmanager prints them. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const units: [string, number][] = [
    ['y', 365 * 86_400_000],
    ['w', 7 * 86_400_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = ms;
  let out = '';
  for (const [u, n] of units) {
    if (rest >= n) {
      out += `${Math.floor(rest / n)}${u}`;
      rest %= n;
    }
  }
  return out;
}

/** The running configuration as YAML: secrets as `<secret>`, durations as durations. */
export function configYaml(config: AlertmanagerConfig): string {
  const plain = JSON.parse(JSON.stringify(config)) as unknown;
  const fix = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => fix(x));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x, k)]));
    return key && DURATION_KEYS.has(key) && typeof v === 'number' ? formatDuration(v) : v;
  };
  return stringify(fix(plain));
}

/**
 * The rest of Alertmanager's API v2 that clients such as `amtool` read (api/v2/openapi.yaml of
 * 0.25): `GET /api/v2/status` (`amtool config show`, `cluster show`), `GET /api/v2/receivers`,
 * `GET /api/v2/alerts/groups`.
 */
export const alertmanagerStatusHttp =
  (opts: AlertmanagerStatusOptions): FastifyPluginAsync =>
  async (app) => {
    const read = { config: { permission: 'alerting:read' } };
    const original = configYaml(opts.config);

    app.get('/api/v2/status', read, async () => ({
      cluster: { status: 'disabled', peers: [] },
      config: { original },
      uptime: opts.startedAt.toISOString(),
      versionInfo: {
        branch: 'vigil',
        buildDate: '',
        buildUser: 'vigil',
        goVersion: `node${process.versions.node}`,
        revision: '',
        version: opts.version,
      },
    }));

    app.get('/api/v2/receivers', read, async () =>
      (opts.config.receivers ?? []).map((r) => ({ name: r.name })),
    );

    app.get('/api/v2/alerts/groups', read, async (req, reply) => {
      const q = req.query as Record<string, string | string[] | undefined>;
      let matchers;
      try {
        matchers = ([] as string[]).concat(q.filter ?? []).flatMap((f) => parseMatchers(f));
      } catch (err) {
        return reply
          .code(400)
          .type('application/json')
          .send(JSON.stringify(errorMessage(err)));
      }
      const flag = (k: string) => (q[k] === undefined ? true : q[k] !== 'false');
      const receiverRe =
        typeof q.receiver === 'string' ? newMatcher('=~', 'receiver', q.receiver) : undefined;
      const byFp = new Map(opts.router.listAlerts().map((a) => [a.fingerprint, a]));
      const out = [];
      for (const g of opts.router.dispatcher.groups.values()) {
        const receiver = g.route.opts.receiver;
        if (receiverRe && !receiverRe.matches(receiver)) continue;
        const alerts = [...g.alerts.keys()].flatMap((fp) => {
          const a = byFp.get(fp);
          if (!a || !matchesAll(matchers, a.labels)) return [];
          const st = a.status;
          if (!flag('silenced') && st.silencedBy.length > 0) return [];
          if (!flag('inhibited') && st.inhibitedBy.length > 0) return [];
          if (!flag('active') && st.state === 'active') return [];
          return [a];
        });
        if (alerts.length > 0) out.push({ labels: g.labels, receiver: { name: receiver }, alerts });
      }
      return out;
    });
  };
