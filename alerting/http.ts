import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { VigilError, errorMessage, inputIssues, parseRfc3339, type Alert } from '../core/index.js';
import { ALERT_LIMITS, parsePostableAlerts, postableSilence, queryTime } from './http-input.js';
import { parseMatchers, matchesAll, newMatcher } from './matchers.js';
import { silenceState, type Silence } from './silences.js';
import { ackLinkParams, checkAckLink, consumeAckLink } from './ack-links.js';
import { notificationLog } from './notification-log.js';
import type { AlertRouter } from './router.js';
import type { AlertingDb } from './repo.js';

export interface AlertingHttpOptions {
  router: AlertRouter;
  db: AlertingDb;
  /** Secret of signed acknowledgement links; without it such links are refused. */
  ackSecret?: string | undefined;
}

const escHtml = (t: string): string => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A refused acknowledgement link: the status (403 forged, 410 expired/used/ended) and a page saying why. */
function linkRefused(reply: FastifyReply, status: number, reason: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><title>Acknowledgement link refused</title><p>${escHtml(reason)}</p>`);
}

function bad(reply: FastifyReply, message: string, code = 400) {
  return reply.code(code).type('application/json').send(JSON.stringify(message));
}

const silenceJson = (s: Silence, now: number) => ({
  id: s.id,
  matchers: s.matchers,
  startsAt: new Date(s.startsAt).toISOString(),
  endsAt: new Date(s.endsAt).toISOString(),
  updatedAt: new Date(s.updatedAt).toISOString(),
  createdBy: s.createdBy,
  comment: s.comment,
  status: { state: silenceState(s, now) },
});

/**
 * The alerting HTTP routes: Alertmanager's API v2 for alerts and silences (so Prometheus can
 * send to vigil as to Alertmanager), and vigil's acknowledgement and notification-log routes.
 */
export const alertingHttp =
  (opts: AlertingHttpOptions): FastifyPluginAsync =>
  async (app) => {
    const { router, db } = opts;
    const read = { config: { permission: 'alerting:read' } };
    const write = { config: { permission: 'alerting:write' }, bodyLimit: ALERT_LIMITS.smallBodyBytes };

    app.post('/api/v2/alerts', { ...write, bodyLimit: ALERT_LIMITS.alertsBodyBytes }, async (req, reply) => {
      const parsed = parsePostableAlerts(req.body);
      if (!parsed.ok) return bad(reply, parsed.problems.join('; '));
      await router.ingest(
        parsed.alerts.map(
          (a) => ({ ...a, annotations: a.annotations ?? {}, startsAt: a.startsAt ?? '' }) as Alert,
        ),
      );
      return reply.code(200).send();
    });

    app.get('/api/v2/alerts', read, async (req, reply) => {
      const q = req.query as Record<string, string | string[] | undefined>;
      let matchers;
      let receiverRe;
      try {
        matchers = ([] as string[]).concat(q.filter ?? []).flatMap((f) => parseMatchers(f));
      } catch (err) {
        return bad(reply, `filter: ${errorMessage(err)}`);
      }
      try {
        // An invalid receiver regex is the caller's error (400), not the server's (it was a 500).
        receiverRe = typeof q.receiver === 'string' ? newMatcher('=~', 'receiver', q.receiver) : undefined;
      } catch (err) {
        return bad(reply, `receiver: ${errorMessage(err)}`);
      }
      const flag = (k: string) => (q[k] === undefined ? true : q[k] !== 'false');
      return router.listAlerts().filter((a) => {
        const st = a.status;
        if (!flag('silenced') && st.silencedBy.length > 0) return false;
        if (!flag('inhibited') && st.inhibitedBy.length > 0) return false;
        if (!flag('active') && st.state === 'active') return false;
        if (receiverRe && !a.receivers.some((r) => receiverRe.matches(r.name))) return false;
        return matchesAll(matchers, a.labels);
      });
    });

    app.get('/api/v2/silences', read, async () => {
      const now = Date.now();
      return router.silences.list().map((s) => silenceJson(s, now));
    });

    app.get('/api/v2/silence/:id', read, async (req, reply) => {
      const s = router.silences.get((req.params as { id: string }).id);
      return s ? silenceJson(s, Date.now()) : reply.code(404).send();
    });

    app.post('/api/v2/silences', write, async (req, reply) => {
      const parsed = postableSilence.safeParse(req.body);
      if (!parsed.success) return bad(reply, inputIssues(parsed.error).join('; '));
      const b = parsed.data;
      try {
        const id = await router.setSilence({
          ...(b.id ? { id: b.id } : {}),
          matchers: b.matchers.map((m) => ({ ...m, isEqual: m.isEqual ?? true })),
          startsAt: parseRfc3339(b.startsAt)!,
          endsAt: parseRfc3339(b.endsAt)!,
          createdBy: b.createdBy,
          comment: b.comment,
        });
        return { silenceID: id };
      } catch (err) {
        if (err instanceof VigilError && err.code === 'ALR_SILENCE_NOT_FOUND')
          return bad(reply, err.message, 404);
        if (err instanceof VigilError) return bad(reply, err.message);
        throw err;
      }
    });

    app.delete('/api/v2/silence/:id', write, async (req, reply) => {
      try {
        await router.expireSilence((req.params as { id: string }).id);
        return reply.code(200).send();
      } catch (err) {
        if (err instanceof VigilError) return bad(reply, err.message, 404);
        throw err;
      }
    });

    app.post('/api/v1/alert-groups/:id/ack', write, async (req, reply) => {
      const by = (req.body as { by?: unknown } | undefined)?.by;
      if (typeof by !== 'string' || by === '' || by.length > 256)
        return bad(reply, 'by: must be a name of 1 to 256 characters (body {"by": "name"})');
      return ack(reply, (req.params as { id: string }).id, by, 'api');
    });

    // A signed link from a notification. GET only shows a button (mail scanners and chat link
    // previews fetch links); the POST it sends acknowledges.
    const linkRoute = { config: { permission: 'public' }, bodyLimit: ALERT_LIMITS.smallBodyBytes };
    app.get('/api/v1/alert-groups/:id/ack', linkRoute, async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const q = req.query as Record<string, unknown>;
      const check = await checkAckLink(db, opts.ackSecret, id, ackLinkParams(q), Date.now());
      if (!check.ok) return linkRefused(reply, check.status, check.reason);
      const hidden = (name: string) =>
        `<input type="hidden" name="${name}" value="${String(q[name]).replace(/[^A-Za-z0-9_-]/g, '')}">`;
      return reply
        .type('text/html')
        .send(
          `<!doctype html><form method="post" action="ack-link">${hidden('sig')}${hidden('e')}${hidden('exp')}<label>Your name <input name="by" required></label> <button>Acknowledge ${escHtml(id)}</button></form>`,
        );
    });
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    app.post('/api/v1/alert-groups/:id/ack-link', linkRoute, async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const now = Date.now();
      const check = await checkAckLink(db, opts.ackSecret, id, ackLinkParams(body), now);
      if (!check.ok) return linkRefused(reply, check.status, check.reason);
      const by = `${typeof body.by === 'string' && body.by ? body.by.slice(0, 200) : 'unknown'} (link)`;
      if (!(await consumeAckLink(db, check.linkId, id, by, now)))
        return linkRefused(reply, 410, 'This acknowledgement link was already used; a link works once.');
      return ack(reply, id, by, 'link');
    });

    app.get('/api/v1/alert-groups', read, async () =>
      [...router.dispatcher.groups.values()].map((g) => ({
        id: g.id,
        groupKey: g.key,
        receiver: g.route.opts.receiver,
        labels: g.labels,
        alerts: g.alerts.size,
        pagedAt: g.pagedAt === undefined ? null : new Date(g.pagedAt).toISOString(),
        acknowledgedAt: g.ackedAt === undefined ? null : new Date(g.ackedAt).toISOString(),
        acknowledgedBy: g.ackedBy ?? null,
        escalationLevel: g.level,
      })),
    );

    app.get('/api/v1/notifications', read, async (req, reply) => {
      const q = req.query as { group?: string; from?: string; to?: string };
      const from = queryTime('from', q.from);
      const to = queryTime('to', q.to);
      if (!from.ok) return bad(reply, from.problem);
      if (!to.ok) return bad(reply, to.problem);
      return notificationLog(db, { groupId: q.group, fromMs: from.ms, toMs: to.ms });
    });

    async function ack(reply: FastifyReply, id: string, by: string, via: string) {
      try {
        const groupId = await router.acknowledge(id, by, via);
        return { groupId, acknowledgedBy: by };
      } catch (err) {
        if (err instanceof VigilError && err.code === 'ALR_NOT_FOUND') return bad(reply, err.message, 404);
        throw err;
      }
    }
  };
