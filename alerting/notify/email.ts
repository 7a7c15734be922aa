import nodemailer from 'nodemailer';
import { errorMessage } from '../../core/index.js';
import type { Notifier, NotificationMessage, NotifyResult } from './notifier.js';
import { summaryLine } from './notifier.js';

export interface EmailOptions {
  to: string;
  from: string;
  smarthost: string;
  hello?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  requireTls?: boolean | undefined;
  headers?: Record<string, string> | undefined;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * Email over SMTP with nodemailer, an HTML and a text part. SMTP 4xx replies and connection
 * failures are retried, 5xx replies are not (RFC 5321 §4.2.1: 5yz is a permanent failure).
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
      const subject = summaryLine(msg);
      const text = [
        subject,
        '',
        ...msg.alerts.map(
          (a) => `${a.status.toUpperCase()} ${JSON.stringify(a.labels)}\n  ${a.annotations.summary ?? ''}`,
        ),
      ];
      if (msg.ackURL && msg.status === 'firing') text.push('', `Acknowledge: ${msg.ackURL}`);
      const rows = msg.alerts
        .map(
          (a) =>
            `<tr><td>${esc(a.status)}</td><td>${esc(JSON.stringify(a.labels))}</td><td>${esc(a.annotations.summary ?? '')}</td></tr>`,
        )
        .join('');
      const ack =
        msg.ackURL && msg.status === 'firing' ? `<p><a href="${esc(msg.ackURL)}">Acknowledge</a></p>` : '';
      const html = `<!doctype html><html><body><h2>${esc(subject)}</h2><table>${rows}</table>${ack}</body></html>`;
      try {
        await transport.sendMail({
          from: opts.from,
          to: opts.to,
          subject,
          text: text.join('\n'),
          html,
          headers: { ...opts.headers, 'X-Vigil-Notification-Id': msg.id },
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
