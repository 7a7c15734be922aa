import { createHash } from 'node:crypto';
import { request } from 'undici';
import { errorMessage } from '../../core/index.js';
import type { Alert } from '../../core/index.js';
import type { HttpSender } from './http-client.js';
import { PostWorker } from './post-worker.js';

export type ApiAlert = Alert & { status: 'firing' | 'resolved'; fingerprint: string };

/** What a notifier is asked to deliver: one group's state, or an acknowledgement. */
export interface NotificationMessage {
  /** Stable across retries and restarts: the receiver's deduplication handle. */
  id: string;
  kind: 'notify' | 'escalation' | 'ack' | 'failing';
  receiver: string;
  groupKey: string;
  groupId: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: ApiAlert[];
  externalURL: string;
  ackURL?: string;
  ackedBy?: string;
}

export type NotifyResult = { ok: true } | { ok: false; retryable: boolean; reason: string };

/** The one interface every channel implements (DESIGN.md §2). */
export interface Notifier {
  readonly kind: string;
  notify(msg: NotificationMessage, signal?: AbortSignal): Promise<NotifyResult>;
}

/** Alertmanager's hashKey: sha256 of the group key, the dedup key PagerDuty and Opsgenie see. */
export function hashKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/** Alertmanager's retry rule: 2xx ok; 429 and 5xx retried; other statuses not. */
export function classifyStatus(status: number, body: string): NotifyResult {
  if (status >= 200 && status < 300) return { ok: true };
  const reason = `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  return { ok: false, retryable: status === 429 || status >= 500, reason };
}

/** The process's HTTP sending thread, shared by every notifier (started on first use). */
const worker = new PostWorker();

/** Starts the HTTP sending thread ahead of the first send (the delivery queue does at start). */
export function warmHttpSender(): void {
  worker.warm();
}

/**
 * POSTs JSON and classifies the answer; network errors are retryable. Sent from the HTTP worker
 * thread (post-worker.ts); a call with an abort signal, which cannot cross threads, is sent from
 * this thread.
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
  http?: HttpSender,
): Promise<NotifyResult> {
  return postBody(
    url,
    JSON.stringify(body),
    { 'content-type': 'application/json', ...headers },
    signal,
    http,
  );
}

/**
 * POSTs a body (its content type in `headers`) and classifies the answer. With an `http` sender
 * (a receiver's http_config) the request goes through it on this thread.
 */
export async function postBody(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
  http?: HttpSender,
): Promise<NotifyResult> {
  const all = { 'user-agent': 'vigil-alerting', ...headers };
  const failed = (why: string): NotifyResult => ({
    ok: false,
    retryable: true,
    reason: `request to ${redactUrl(url)} failed: ${why}`,
  });
  if (http) {
    const a = await http.send(url, { method: 'POST', headers: all, body }, signal);
    return 'error' in a ? failed(a.error) : classifyStatus(a.status, a.body);
  }
  if (!signal) {
    const a = await worker.post(url, all, body);
    return 'error' in a ? failed(a.error) : classifyStatus(a.status, a.body);
  }
  try {
    const res = await request(url, {
      method: 'POST',
      headers: all,
      body,
      signal,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    return classifyStatus(res.statusCode, text);
  } catch (err) {
    return failed(errorMessage(err));
  }
}

/** URLs of Slack webhooks carry their secret in the path: never log more than the origin. */
export function redactUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '<url>';
  }
}

/** A one-line summary: `[FIRING:2] HighLatency (service=web)`, as Alertmanager's default title. */
export function summaryLine(msg: NotificationMessage): string {
  const firing = msg.alerts.filter((a) => a.status === 'firing').length;
  const status = msg.status === 'firing' ? `FIRING:${firing}` : 'RESOLVED';
  const name = msg.commonLabels.alertname ?? msg.groupLabels.alertname ?? '';
  const rest = Object.entries(msg.groupLabels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const tag = msg.kind === 'escalation' ? '[ESCALATED] ' : '';
  return `${tag}[${status}] ${name}${rest ? ` (${rest})` : ''}`.trim();
}
