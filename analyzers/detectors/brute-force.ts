import type { Severity } from '../../core/index.js';
import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, dayOf, endpoints, num, opt, str, upsert } from './util.js';

/**
 * Brute force / password guessing (attempted unauthorised access, contract S11). Counts failed
 * authentications per source, target and UTC day:
 * - SSH (`ssh.log`): `auth_success = F`, weighted by `auth_attempts` (Zeek's estimate, ≥ 1);
 * - HTTP (`http.log`, EVE `http`): status 401 (and 403 on login-like URIs);
 * - FTP (`ftp.log`): reply 530; RDP (`rdp.log`): result other than Success after a cookie;
 * - Suricata EVE `ssh`: Suricata sees only the session, not whether the login failed, so SSH
 *   sessions are counted per source, target and day (kind `ssh-sessions`, severity medium).
 * A group over `threshold` failures is a finding (high; critical when the same source then
 * succeeded: a guessed password). Sources in `allow_sources` are skipped.
 */
export function bruteForce(options: Record<string, unknown>): Detector {
  const threshold = opt(options, 'threshold', 10);
  const allow = new Set(opt(options, 'allow_sources', [] as string[]));
  const groups = new Map<string, { t: Tally; kind: string; src: string; dst: string; successes: number }>();
  const fail = (r: LogRecord, kind: string, n: number, success = false): void => {
    const { src, dst } = endpoints(r);
    if (!src || !dst || allow.has(src)) return;
    const g = upsert(groups, `${kind}|${src}|${dst}|${dayOf(r.ts)}`, () => ({
      t: new Tally(),
      kind,
      src,
      dst,
      successes: 0,
    }));
    if (success) {
      if (g.t.count > 0) g.successes++;
      return;
    }
    g.t.add(r, n);
  };
  return {
    name: 'brute-force',
    paths: ['ssh', 'http', 'eve.http', 'ftp', 'rdp', 'eve.ssh'],
    observe(r: LogRecord) {
      if (r.path === 'ssh') {
        const ok = r.fields.auth_success;
        if (ok === false) fail(r, 'ssh', Math.max(1, num(r, 'auth_attempts') ?? 1));
        else if (ok === true) fail(r, 'ssh', 0, true);
      } else if (r.path === 'http' || r.path === 'eve.http') {
        const status =
          r.source === 'zeek'
            ? num(r, 'status_code')
            : Number((r.fields.http as Record<string, unknown> | undefined)?.status);
        const uri =
          r.source === 'zeek'
            ? (str(r, 'uri') ?? '')
            : String((r.fields.http as Record<string, unknown> | undefined)?.url ?? '');
        if (status === 401 || (status === 403 && /login|signin|auth|wp-login|admin/i.test(uri)))
          fail(r, 'http', 1);
      } else if (r.path === 'ftp') {
        if (num(r, 'reply_code') === 530) fail(r, 'ftp', 1);
        else if (num(r, 'reply_code') === 230) fail(r, 'ftp', 0, true);
      } else if (r.path === 'eve.ssh') {
        fail(r, 'ssh-sessions', 1);
      } else if (r.path === 'rdp') {
        const res = str(r, 'result');
        if (res && res !== 'Success' && str(r, 'cookie')) fail(r, 'rdp', 1);
      }
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, g] of groups) {
        if (g.t.count < threshold) continue;
        const sev: Severity = g.successes > 0 ? 'critical' : g.kind === 'ssh-sessions' ? 'medium' : 'high';
        out.push({
          detector: 'brute-force',
          key,
          severity: sev,
          title:
            g.kind === 'ssh-sessions'
              ? `Possible SSH password guessing from ${g.src} against ${g.dst}: ${g.t.count} SSH sessions in a day (Suricata cannot see whether logins failed)`
              : `${g.kind.toUpperCase()} password guessing from ${g.src} against ${g.dst}: ${g.t.count} failed attempts${g.successes > 0 ? `, then ${g.successes} successful login(s)` : ''}`,
          src: g.src,
          dst: g.dst,
          ...g.t.span(),
          details: {
            protocol: g.kind,
            failures: g.t.count,
            successesAfterFailures: g.successes,
            attemptedUnauthorisedAccess: true,
          },
        });
      }
      return out;
    },
  };
}
