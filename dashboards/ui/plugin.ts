import type { FastifyPluginAsync } from 'fastify';
import formbody from '@fastify/formbody';
import { LANG_COOKIE, type UiOptions } from './context.js';
import { opsPages } from './ops-pages.js';
import { signInPages } from './signin-pages.js';
import { slaPages } from './sla-pages.js';
import { securityPages } from './security-pages.js';
import { statusPages } from './status-pages.js';
import { auditPage } from './audit-page.js';
import { PAGE_CSP, STYLE_CSS } from './style.js';

/**
 * The web pages under `/ui/`: server-rendered, no scripts, one external style sheet, a strict
 * CSP on every answer. Unauthenticated page requests are sent to the sign-in page.
 */
export function uiPlugin(o: UiOptions): FastifyPluginAsync {
  return async (app) => {
    // Form posts (application/x-www-form-urlencoded), in this plugin's scope only.
    await app.register(formbody, { bodyLimit: 64 * 1024 });
    app.addHook('onSend', async (req, reply, payload) => {
      reply.header('content-security-policy', PAGE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      // Not `no-referrer`: with it, browsers send `Origin: null` on form posts (Fetch standard,
      // "serializing a request origin"), which the auth hook rightly refuses as cross-site.
      reply.header('referrer-policy', 'same-origin');
      if (!reply.hasHeader('cache-control'))
        reply.header('cache-control', req.url === '/ui/style.css' ? 'public, max-age=3600' : 'no-store');
      // The auth hook answers 401 in JSON; a browser asking for a page is sent to sign in instead.
      if (reply.statusCode === 401 && req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) {
        reply.code(303).header('location', '/ui/signin').type('text/plain');
        return 'see /ui/signin\n';
      }
      return payload;
    });

    app.get('/ui/style.css', { config: { permission: 'public' } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').send(STYLE_CSS),
    );
    app.get('/ui/lang', { config: { permission: 'public' } }, async (req, reply) => {
      const q = req.query as { to?: string; back?: string };
      const to = q.to === 'nl' ? 'nl' : 'en';
      // Only a local page path: never an open redirect.
      const back =
        typeof q.back === 'string' && /^\/(ui|status)\/[A-Za-z0-9/_.-]*$/.test(q.back) ? q.back : '/ui/';
      reply.setCookie(LANG_COOKIE, to, {
        path: '/',
        sameSite: 'strict',
        httpOnly: true,
        maxAge: 365 * 86_400,
      });
      return reply.redirect(back, 303);
    });
    signInPages(app, o);
    opsPages(app, o);
    slaPages(app, o);
    securityPages(app, o);
    statusPages(app, o);
    auditPage(app, o);
  };
}
