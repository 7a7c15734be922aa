import { errorMessage } from '../../core/index.js';
import { dataValue, Templates, type TemplateData } from '../template/index.js';
import type { NotificationMessage, NotifyResult } from './notifier.js';

let defaults: Templates | undefined;
/** Alertmanager's default templates alone, for notifiers built without a config's `templates:`. */
export function defaultTemplates(): Templates {
  defaults ??= Templates.fromGlobs([]);
  return defaults;
}

/** Go's regexp.QuoteMeta: Alertmanager quotes the receiver name in template data (template.Data). */
const quoteMeta = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/** The template data of a notification, as Alertmanager's template.Data. */
export function templateData(msg: NotificationMessage): TemplateData {
  return {
    receiver: quoteMeta(msg.receiver),
    status: msg.status,
    alerts: msg.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: a.generatorURL ?? '',
      fingerprint: a.fingerprint,
    })),
    groupLabels: msg.groupLabels,
    commonLabels: msg.commonLabels,
    commonAnnotations: msg.commonAnnotations,
    externalURL: msg.externalURL,
  };
}

/**
 * Renders a notifier's templated fields for one message, as Alertmanager's notify.TmplText: the
 * first error sticks and later fields render empty, so a notifier checks `failed()` once before
 * sending.
 */
export class Render {
  #err: string | undefined;
  readonly #data: ReturnType<typeof dataValue>;

  constructor(
    readonly templates: Templates,
    msg: NotificationMessage,
  ) {
    // Converted to Go values once for all the fields of this message.
    this.#data = dataValue(templateData(msg));
  }

  text = (s: string | undefined): string => this.#run(s, false);
  html = (s: string | undefined): string => this.#run(s, true);

  #run(s: string | undefined, html: boolean): string {
    if (this.#err !== undefined || !s) return '';
    try {
      return html ? this.templates.executeHtml(s, this.#data) : this.templates.executeText(s, this.#data);
    } catch (err) {
      this.#err = errorMessage(err);
      return '';
    }
  }

  /** A template error is a configuration problem: not retried (Alertmanager returns false, err). */
  failed(kind: string): NotifyResult | undefined {
    return this.#err === undefined
      ? undefined
      : { ok: false, retryable: false, reason: `${kind}: template failed: ${this.#err}` };
  }
}

/** Alertmanager's notify.TruncateInRunes: at most n runes, the last one "…" when cut. */
export function truncateRunes(s: string, n: number): string {
  const r = [...s];
  return r.length <= n ? s : `${r.slice(0, n - 1).join('')}…`;
}

/** Alertmanager's notify.TruncateInBytes: at most n UTF-8 bytes, ending in "…" when cut. */
export function truncateBytes(s: string, n: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= n) return s;
  if (n <= 3) return b.subarray(0, n).toString('utf8');
  return `${b.subarray(0, n - 3).toString('utf8')}…`;
}

/** vigil's escalation marker in front of a title, so a re-page is told apart from the first. */
export const escalated = (msg: NotificationMessage, title: string) =>
  msg.kind === 'escalation' ? `[ESCALATED] ${title}` : title;
