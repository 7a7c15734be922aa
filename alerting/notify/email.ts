import nodemailer from 'nodemailer';
import { errorMessage } from '../../core/index.js';
import type { Templates } from '../template/index.js';
import type { Notifier, NotificationMessage, NotifyResult } from './notifier.js';
import { EMAIL_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render } from './render.js';

export interface EmailOptions {
  to: string;
  from: string;
  smarthost: string;
  hello?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  requireTls?: boolean | undefined;
  headers?: Record<string, string> | undefined;
  html?: string | undefined;
  text?: string | undefined;
  templates?: Templates | undefined;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Go's textproto.CanonicalMIMEHeaderKey, as Alertmanager normalises email headers. */
const canonical = (h: string) =>
  h.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());

/**
 * Email over SMTP with nodemailer. As Alertmanager 0.25 (notify/email): the Subject header
 * defaults to `email.default.subject`, every header, To and From are text templates, the HTML
 * part (default `email.default.html`) is rendered with html/template escaping, the text part only
 * when configured. vigil adds the acknowledgement link while firing. SMTP 4xx replies and
 * connection failures are retried, 5xx replies are not (RFC 5321 §4.2.1).
 */
export function emailNotifier(opts: EmailOptions): Notifier {
  const [host, port] = splitHostPort(opts.smarthost);
  const transport = nodemailer.createTransport({
    host,
    port,
    name: opts.hello,
    secure: port === 465,
    requireTLS: opts.requireTls ?? false,
    ignoreTLS: opts.requireTls === false,
    auth: opts.username ? { user: opts.username, pass: opts.password ?? '' } : undefined,
    connectionTimeout: 15_000,
  });
  return {
    kind: 'email',
    async notify(msg: NotificationMessage): Promise<NotifyResult> {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) headers[canonical(k)] = r.text(v);
      const subject = escalated(msg, 'Subject' in headers ? headers.Subject! : r.text(D.subject));
      delete headers.Subject;
      const to = 'To' in headers ? headers.To! : r.text(opts.to);
      const from = 'From' in headers ? headers.From! : r.text(opts.from);
      delete headers.To;
      delete headers.From;
      const ack = msg.ackURL && msg.status === 'firing' ? msg.ackURL : undefined;
      let html = r.html(opts.html ?? D.html);
      if (html && ack) {
        const link = `<p><a href="${esc(ack)}">Acknowledge</a></p>`;
        html = html.includes('</body>') ? html.replace('</body>', `${link}</body>`) : html + link;
      }
      let text = r.text(opts.text ?? D.text);
      if (text && ack) text += `\n\nAcknowledge: ${ack}`;
      const failed = r.failed('email');
      if (failed) return failed;
      try {
        await transport.sendMail({
          from,
          to,
          subject,
          text: text || undefined,
          html: html || undefined,
          headers: { ...headers, 'X-Vigil-Notification-Id': msg.id },
          messageId: `<${msg.id}@vigil>`,
        });
        return { ok: true };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        return {
          ok: false,
          retryable: code === undefined || code < 500,
          reason: `SMTP ${opts.smarthost}: ${errorMessage(err)}`,
        };
      }
    },
  };
}

function splitHostPort(hp: string): [string, number] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hp);
  return m ? [m[1]!, Number(m[2])] : [hp, 25];
}
