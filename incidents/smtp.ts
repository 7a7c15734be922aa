import nodemailer from 'nodemailer';
import { errorMessage } from '../core/index.js';
import type { MailTransport } from './outbox.js';

/** SMTP settings of customer mail (incidents.email). */
export interface SmtpSettings {
  smarthost: string;
  from: string;
  require_tls: boolean;
}

/**
 * Customer mail over real SMTP with nodemailer. SMTP 5xx replies are permanent (RFC 5321
 * §4.2.1), anything else (4xx, connection failures) is retried by the outbox.
 */
export function smtpTransport(s: SmtpSettings): MailTransport {
  const i = s.smarthost.lastIndexOf(':');
  const host = s.smarthost.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(s.smarthost.slice(i + 1));
  const transport = nodemailer.createTransport({
    host,
    port,
    secure: port === 465,
    requireTLS: s.require_tls,
    ignoreTLS: !s.require_tls,
    connectionTimeout: 15_000,
  });
  return async (m) => {
    try {
      await transport.sendMail({
        from: s.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        attachments: m.attachments,
      });
      return { ok: true };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      return {
        ok: false,
        retryable: code === undefined || code < 500,
        reason: `SMTP ${s.smarthost}: ${errorMessage(err)}`,
      };
    }
  };
}
