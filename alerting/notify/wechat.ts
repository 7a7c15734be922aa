import type { Templates } from '../template/index.js';
import { plainSender, type HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage, NotifyResult } from './notifier.js';
import { redactUrl } from './notifier.js';
import { WECHAT_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, Render } from './render.js';

export interface WechatOptions {
  apiUrl?: string | undefined;
  apiSecret: string;
  corpId: string;
  message?: string | undefined;
  messageType?: 'text' | 'markdown' | undefined;
  toUser?: string | undefined;
  toParty?: string | undefined;
  toTag?: string | undefined;
  agentId?: string | undefined;
  templates?: Templates | undefined;
  http?: HttpSender | undefined;
  now?: () => number;
}

/**
 * WeChat Work (WeCom) application messages (https://developer.work.weixin.qq.com/document/path/90236)
 * as Alertmanager 0.25 sends them: an access token from `gettoken` (cached two hours, refreshed
 * on errcode 42001), then `message/send?access_token=`. WeChat answers 200 with `errcode`: 0 is
 * success, 42001 (token expired) is retried, any other code is not; a non-200 status is retried.
 */
export function wechatNotifier(opts: WechatOptions): Notifier {
  const base = (opts.apiUrl ?? 'https://qyapi.weixin.qq.com/cgi-bin/').replace(/\/?$/, '/');
  const now = opts.now ?? Date.now;
  let token = '';
  let tokenAt = 0;
  const http = opts.http ?? plainSender;
  return {
    kind: 'wechat',
    async notify(msg: NotificationMessage, signal?: AbortSignal): Promise<NotifyResult> {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const t = r.text;
      if (!token || now() - tokenAt > 2 * 3600_000) {
        const q = new URLSearchParams({ corpid: t(opts.corpId), corpsecret: t(opts.apiSecret) });
        const failed = r.failed('wechat');
        if (failed) return failed;
        const a = await http.send(`${base}gettoken?${q.toString()}`, { method: 'GET', headers: {} }, signal);
        if ('error' in a) return { ok: false, retryable: true, reason: `wechat gettoken failed: ${a.error}` };
        let parsed: { access_token?: string };
        try {
          parsed = JSON.parse(a.body) as { access_token?: string };
        } catch {
          return { ok: false, retryable: false, reason: `wechat gettoken: HTTP ${a.status}, not JSON` };
        }
        if (!parsed.access_token)
          return {
            ok: false,
            retryable: false,
            reason: `wechat: invalid APISecret for CorpID: ${opts.corpId}`,
          };
        token = parsed.access_token;
        tokenAt = now();
      }
      const type = opts.messageType ?? 'text';
      let content = t(opts.message ?? D.message);
      if (msg.ackURL && msg.status === 'firing') content += `\nAcknowledge: ${msg.ackURL}`;
      const body: Record<string, unknown> = {
        touser: t(opts.toUser ?? D.toUser) || undefined,
        toparty: t(opts.toParty ?? D.toParty) || undefined,
        totag: t(opts.toTag ?? D.toTag) || undefined,
        agentid: t(opts.agentId ?? D.agentId) || undefined,
        safe: '0',
        msgtype: type,
        [type]: { content },
      };
      const failed = r.failed('wechat');
      if (failed) return failed;
      const url = `${base}message/send?access_token=${encodeURIComponent(token)}`;
      const a = await http.send(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        signal,
      );
      if ('error' in a)
        return { ok: false, retryable: true, reason: `request to ${redactUrl(url)} failed: ${a.error}` };
      // Alertmanager retries any status but 200.
      if (a.status !== 200) return { ok: false, retryable: true, reason: `wechat: HTTP ${a.status}` };
      const ans = a.body;
      let code = 0;
      let error = '';
      try {
        const p = JSON.parse(ans || '{}') as {
          errcode?: number;
          code?: number;
          errmsg?: string;
          error?: string;
        };
        code = p.errcode ?? p.code ?? 0;
        error = p.errmsg ?? p.error ?? '';
      } catch {
        return { ok: false, retryable: true, reason: 'wechat: answer is not JSON' };
      }
      if (code === 0) return { ok: true };
      if (code === 42001) {
        token = '';
        return { ok: false, retryable: true, reason: `wechat: ${error || 'access token expired'}` };
      }
      return { ok: false, retryable: false, reason: `wechat: errcode ${code}: ${error}` };
    },
  };
}
