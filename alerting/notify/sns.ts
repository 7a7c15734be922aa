import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage, NotifyResult } from './notifier.js';
import { hashKey, postBody } from './notifier.js';
import { SNS_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render } from './render.js';
import { signV4, type AwsCredentials } from './sigv4.js';

export interface SnsOptions {
  apiUrl?: string | undefined;
  region: string;
  credentials: () => AwsCredentials;
  topicArn?: string | undefined;
  targetArn?: string | undefined;
  phoneNumber?: string | undefined;
  subject?: string | undefined;
  message?: string | undefined;
  attributes?: Record<string, string> | undefined;
  templates?: Templates | undefined;
  http?: HttpSender | undefined;
  now?: () => Date;
}

/** Cuts to n UTF-8 bytes without splitting a character (Alertmanager cuts bytes; SNS wants UTF-8). */
function cutBytes(s: string, n: number): [string, boolean] {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= n) return [s, false];
  let end = n;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return [b.subarray(0, end).toString('utf8'), true];
}

/**
 * Amazon SNS Publish (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html), the Query API
 * signed with SigV4 (service `sns`), as Alertmanager 0.25's notify/sns: topic, target or phone,
 * message cut to 256 KiB (1600 bytes for SMS) with a `truncated` attribute, subject and
 * attributes templated, FIFO topics deduplicated by the group key's hash.
 */
export function snsNotifier(opts: SnsOptions): Notifier {
  return {
    kind: 'sns',
    async notify(msg: NotificationMessage, signal?: AbortSignal): Promise<NotifyResult> {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const t = r.text;
      const form = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31' });
      let limit = 256 * 1024;
      if (opts.topicArn) {
        const arn = t(opts.topicArn);
        form.set('TopicArn', arn);
        if (arn.endsWith('.fifo')) {
          form.set('MessageDeduplicationId', hashKey(msg.groupKey));
          form.set('MessageGroupId', hashKey(msg.groupKey));
        }
      }
      if (opts.phoneNumber) {
        form.set('PhoneNumber', t(opts.phoneNumber));
        limit = 1600;
      }
      if (opts.targetArn) form.set('TargetArn', t(opts.targetArn));
      let text = t(opts.message ?? D.message);
      if (msg.ackURL && msg.status === 'firing') text += `\nAcknowledge: ${msg.ackURL}`;
      const [message, truncated] = cutBytes(text, limit);
      form.set('Message', message);
      if (opts.subject !== '') form.set('Subject', escalated(msg, t(opts.subject ?? D.subject)));
      const attrs = Object.entries(opts.attributes ?? {}).map(([k, v]) => [t(k), t(v)] as const);
      if (truncated) attrs.push(['truncated', 'true']);
      attrs
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .forEach(([k, v], i) => {
          form.set(`MessageAttributes.entry.${i + 1}.Name`, k);
          form.set(`MessageAttributes.entry.${i + 1}.Value.DataType`, 'String');
          form.set(`MessageAttributes.entry.${i + 1}.Value.StringValue`, v);
        });
      const endpoint = t(opts.apiUrl) || `https://sns.${opts.region}.amazonaws.com/`;
      const failed = r.failed('sns');
      if (failed) return failed;
      const body = form.toString();
      const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
      const signed = signV4({
        method: 'POST',
        url: new URL(endpoint),
        headers,
        body,
        region: opts.region,
        service: 'sns',
        credentials: opts.credentials(),
        now: opts.now?.(),
      });
      return postBody(endpoint, body, { ...headers, ...signed }, signal, opts.http);
    },
  };
}
