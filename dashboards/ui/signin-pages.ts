import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { callApi, apiError } from './api.js';
import { CSRF_COOKIE, pageCtx, type PageCtx, type UiOptions } from './context.js';
import { html, raw, type Html } from './html.js';
import { csrfField, layout } from './layout.js';

const SESSION_COOKIE = 'vigil_session';
type Form = Record<string, string | undefined>;
const form = (req: FastifyRequest): Form => (req.body ?? {}) as Form;

function send(reply: FastifyReply, page: string, code = 200) {
  return reply.code(code).type('text/html; charset=utf-8').send(page);
}

function signInForm(c: PageCtx, error?: string): string {
  return layout(
    c,
    c.t('Sign in'),
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/ui/signin">
        <label>${c.t('User name')} <input name="username" autocomplete="username" required /></label>
        <label
          >${c.t('Password')} <input name="password" type="password" autocomplete="current-password" required
        /></label>
        <label
          >${c.t('Authenticator code (or recovery code)')}
          <input name="totp" inputmode="numeric" autocomplete="one-time-code"
        /></label>
        <button type="submit">${c.t('Sign in')}</button>
      </form>`,
  );
}

function passwordForm(c: PageCtx, askCurrent: boolean, error?: string): string {
  return layout(
    c,
    c.t('Choose a new password'),
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/ui/password">
        ${csrfField(c)}
        ${askCurrent ? html`<label>${c.t('Current password')} <input name="password" type="password" autocomplete="current-password" required /></label>` : ''}
        <label
          >${c.t('New password')}
          <input name="newPassword" type="password" autocomplete="new-password" required minlength="12"
        /></label>
        <button type="submit">${c.t('Change password')}</button>
      </form>`,
  );
}

/** Copies the session cookie the API set onto the page's answer, with the CSRF token cookie beside it. */
function adoptSession(reply: FastifyReply, res: { headers: Record<string, unknown> }, csrf: string) {
  const set = res.headers['set-cookie'];
  const cookies = (Array.isArray(set) ? set : set ? [set] : []).map(String);
  const session = cookies.find((s) => s.startsWith(`${SESSION_COOKIE}=`));
  if (!session) return;
  // Same attributes as the session cookie (HttpOnly, SameSite=Strict, Secure as configured).
  const attrs = session.slice(session.indexOf(';'));
  reply.header('set-cookie', [session, `${CSRF_COOKIE}=${csrf}${attrs}`]);
}

/**
 * Sign-in, TOTP enrolment, password change and sign-out as HTML forms. Each posts to the same
 * JSON route a client of the API uses (`/api/v1/session*`), so lockout, rate limits, TOTP replay
 * protection and session states are exactly the API's.
 */
export function signInPages(app: FastifyInstance, o: UiOptions): void {
  app.get('/ui/signin', { config: { permission: 'public' } }, async (req, reply) =>
    send(reply, signInForm(pageCtx(o, req))),
  );

  app.post('/ui/signin', { config: { permission: 'public' } }, async (req, reply) => {
    const f = form(req);
    const c = pageCtx(o, req);
    const res = await callApi(app, req, 'POST', '/api/v1/session', {
      username: f.username ?? '',
      password: f.password ?? '',
      ...(f.totp ? { totp: f.totp } : {}),
    });
    if (res.statusCode !== 200)
      return send(reply, signInForm(c, c.t('Invalid credentials.')), res.statusCode);
    const body = res.json() as {
      csrfToken: string;
      mustChangePassword?: boolean;
      enrol?: { secret: string; qrSvg: string };
    };
    adoptSession(reply, res, body.csrfToken);
    if (body.enrol) return send(reply, enrolPage({ ...c, csrf: body.csrfToken }, body.enrol));
    return reply.redirect(body.mustChangePassword ? '/ui/password' : '/ui/', 303);
  });

  app.post('/ui/enrol', { config: { permission: 'session:enrol' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const res = await callApi(
      app,
      req,
      'POST',
      '/api/v1/session/totp',
      { code: form(req).code ?? '' },
      c.csrf,
    );
    if (res.statusCode !== 200)
      return send(
        reply,
        layout(c, c.t('Set up two-factor sign-in'), html`<p class="error" role="alert">${apiError(res)}</p>`),
        400,
      );
    const r = res.json() as { recoveryCodes: string[]; mustChangePassword: boolean };
    return send(
      reply,
      layout(
        c,
        c.t('Recovery codes'),
        html`<p>${c.t('Keep these codes somewhere safe; each works once instead of a code from the app.')}</p>
          <ul id="recovery-codes">
            ${r.recoveryCodes.map((x) => html`<li><code>${x}</code></li>`)}
          </ul>
          <p><a href="${r.mustChangePassword ? '/ui/password' : '/ui/'}">${c.t('Continue')}</a></p>`,
      ),
    );
  });

  app.get('/ui/password', { config: { permission: 'session:password' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    return send(reply, passwordForm(c, !mustChange(o, req)));
  });

  app.post('/ui/password', { config: { permission: 'session:password' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const f = form(req);
    const res = await callApi(
      app,
      req,
      'POST',
      '/api/v1/session/password',
      { newPassword: f.newPassword ?? '', ...(f.password ? { password: f.password } : {}) },
      c.csrf,
    );
    if (res.statusCode !== 200) return send(reply, passwordForm(c, !mustChange(o, req), apiError(res)), 400);
    return reply.redirect('/ui/', 303);
  });

  app.post('/ui/signout', { config: { permission: 'authenticated' } }, async (req, reply) => {
    await callApi(app, req, 'DELETE', '/api/v1/session', undefined, pageCtx(o, req).csrf);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.redirect('/ui/signin', 303);
  });
}

/** A session still in the forced password change (one-time password) is not asked the current one. */
const mustChange = (o: UiOptions, req: FastifyRequest): boolean => o.session(req)?.state === 'password';

function enrolPage(c: PageCtx, e: { secret: string; qrSvg: string }): string {
  // The QR SVG is generated by the qrcode library from our own otpauth URI: trusted markup.
  const qr: Html = raw(e.qrSvg);
  return layout(
    c,
    c.t('Set up two-factor sign-in'),
    html`<p>
        ${c.t('Scan this code with an authenticator app, or type the key below, then enter the code it shows.')}
      </p>
      <div class="qr" role="img" aria-label="QR code">${qr}</div>
      <p>${c.t('Key')}: <code id="totp-secret">${e.secret}</code></p>
      <form method="post" action="/ui/enrol">
        ${csrfField(c)}
        <label
          >${c.t('Code')} <input name="code" inputmode="numeric" autocomplete="one-time-code" required
        /></label>
        <button type="submit">${c.t('Confirm')}</button>
      </form>`,
  );
}
