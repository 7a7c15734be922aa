import { html, type Html } from './html.js';
import type { PageCtx } from './context.js';
import { CSRF_FIELD } from './context.js';

/** A navigation entry and the permission its page's route declares. */
interface NavItem {
  href: string;
  label: string;
  permission: string;
}

/** Every page the navigation can show; an entry appears only when the caller may open it. */
export const NAV: readonly NavItem[] = [
  { href: '/ui/', label: 'Home', permission: 'authenticated' },
  { href: '/ui/services', label: 'Services', permission: 'sla:read' },
  { href: '/ui/alerts', label: 'Alerts', permission: 'alerting:read' },
  { href: '/ui/downtime', label: 'Planned downtime', permission: 'sla:read' },
  { href: '/ui/runs', label: 'Runs', permission: 'analyzers:read' },
  { href: '/ui/findings', label: 'Findings', permission: 'findings:read' },
  { href: '/ui/audit', label: 'Audit log', permission: 'audit:read' },
];

/** The hidden CSRF field every state-changing form carries. */
export const csrfField = (c: PageCtx): Html =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${c.csrf ?? ''}" />`;

/** The page frame: header with navigation (only what the role may use), session and language, then the body. */
export function layout(c: PageCtx, title: string, body: Html): string {
  const signedIn = c.principal.kind !== 'anonymous';
  const nav = signedIn
    ? html`<nav aria-label="main">
        <ul>
          ${NAV.filter((n) => c.may(n.permission)).map(
            (n) =>
              html`<li>
                <a href="${n.href}" ${c.path === n.href ? html` aria-current="page"` : ''}>${c.t(n.label)}</a>
              </li>`,
          )}
        </ul>
      </nav>`
    : '';
  const who = signedIn
    ? html`<div class="who">
        <span>${c.t('Signed in as')} <strong>${c.principal.name}</strong></span>
        ${c.session ? html`<span>${c.t('Session ends at')} ${c.time(c.session.expiresAt)} ${c.t('or after idle until')} ${c.time(c.session.idleUntil)}</span>` : ''}
        <form method="post" action="/ui/signout">
          ${csrfField(c)}<button type="submit">${c.t('Sign out')}</button>
        </form>
      </div>`
    : '';
  const other = c.lang === 'nl' ? 'en' : 'nl';
  return html`<!doctype html>
    <html lang="${c.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · vigil</title>
        <link rel="stylesheet" href="/ui/style.css" />
      </head>
      <body>
        <header>
          <a class="brand" href="/ui/">vigil</a>${nav}${who}
          <a class="lang" href="/ui/lang?to=${other}&amp;back=${encodeURIComponent(c.path)}" lang="${other}"
            >${other === 'nl' ? 'Nederlands' : 'English'}</a
          >
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
        <footer>${c.t('Times in')} ${c.timeZone}</footer>
      </body>
    </html> `.value;
}

/** Pagination over a list: `?page=` (1-based), a fixed page size. */
export function paginate<T>(
  items: readonly T[],
  page: unknown,
  size = 50,
): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const n = Math.min(pages, Math.max(1, Number.parseInt(String(page ?? '1'), 10) || 1));
  return { rows: items.slice((n - 1) * size, n * size), page: n, pages };
}

/** Previous/next links keeping the other query parameters (filters). */
export function pager(c: PageCtx, p: { page: number; pages: number }, query: Record<string, string>): Html {
  const link = (n: number) => `${c.path}?${new URLSearchParams({ ...query, page: String(n) }).toString()}`;
  return html`<nav class="pager" aria-label="${c.t('Page')}">
    ${p.page > 1 ? html`<a href="${link(p.page - 1)}">${c.t('Previous')}</a>` : ''}
    <span>${c.t('Page')} ${p.page} ${c.t('of')} ${p.pages}</span
    >${p.page < p.pages ? html`<a href="${link(p.page + 1)}">${c.t('Next')}</a>` : ''}
  </nav>`;
}
