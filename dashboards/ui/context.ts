import type { FastifyRequest } from 'fastify';
import type { AuditPublicKey, Clock, Principal } from '../../core/index.js';
import type { OverviewOptions } from '../overview-data.js';
import { pickLang, translator, type Lang } from './i18n.js';
import type { StatusPageAccess } from './status-access.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** The cookie holding the page language the user chose. */
export const LANG_COOKIE = 'vigil_lang';
/** The cookie holding the session's CSRF token for the pages' forms (HttpOnly, SameSite=Strict). */
export const CSRF_COOKIE = 'vigil_csrf';
/** The form field the auth hook reads the CSRF token from. */
export const CSRF_FIELD = '_csrf';

/** What app/ hands the pages: the hook's own decisions and the domains' data. */
export interface UiOptions {
  clock: Clock;
  /** IANA zone every time on a page is shown in (top-level `timezone`). */
  timeZone: string;
  /** Whether the caller may use a route needing `permission`: the auth hook's decision (mayCall). */
  may: (req: FastifyRequest, permission: string) => boolean;
  /** The caller's session: when it ends at the latest and when it ends if idle. */
  session: (req: FastifyRequest) => { expiresAt: number; idleUntil: number; state: string } | undefined;
  /** The services and their month-to-date figures (as the overview). */
  overview: OverviewOptions;
  /** Customer id → display name. */
  customerNames: ReadonlyMap<string, string>;
  /** Customer id → how its status page is reached (`customers[].status_page`). */
  statusPages: ReadonlyMap<string, StatusPageAccess>;
  /** The trusted public keys of the audit log's checkpoints; without it there is no audit page. */
  auditKeys?: () => AuditPublicKey[];
}

/** Everything a page needs to render for one request. */
export interface PageCtx {
  lang: Lang;
  t: (s: string) => string;
  principal: Principal;
  may: (permission: string) => boolean;
  /** The CSRF token for forms, if the caller has a page session. */
  csrf: string | undefined;
  session: { expiresAt: number; idleUntil: number } | undefined;
  timeZone: string;
  /** A time (epoch ms or ISO string) as local date and time in the configured zone. */
  time: (t: number | string | null | undefined) => string;
  customerName: (id: string) => string;
  /** The request path, for the language switch. */
  path: string;
}

/** The page context of a request. */
export function pageCtx(o: UiOptions, req: FastifyRequest): PageCtx {
  const q = req.query as { lang?: string } | undefined;
  const lang = pickLang(q?.lang, req.cookies?.[LANG_COOKIE], req.headers['accept-language']);
  const fmt = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone: o.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return {
    lang,
    t: translator(lang),
    principal: req.principal,
    may: (p) => o.may(req, p),
    csrf: req.cookies?.[CSRF_COOKIE],
    session: o.session(req),
    timeZone: o.timeZone,
    time: (t) => {
      if (t === null || t === undefined || t === '') return '–';
      const d = new Date(t);
      return Number.isNaN(d.getTime()) ? '–' : fmt.format(d);
    },
    customerName: (id) => o.customerNames.get(id) ?? id,
    path: req.url.split('?')[0]!,
  };
}
