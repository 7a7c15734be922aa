// @ts-check
// A user journey of 24Office as a vigil script probe (docs/probes.md, "script"): log in, prove the
// dossier stays closed until the second factor (S5), pass TOTP 2FA, open a dossier. It is plain k6:
// `k6 run` runs it too (with the jslib TOTP import instead of k6/x/totp).
import http from 'k6/http';
import { check, fail, group } from 'k6';
import { totp } from 'k6/x/totp';

export const options = {
  thresholds: { checks: ['rate==1'] }, // up only when every check passed (vigil's rule anyway)
};

const BASE = 'https://office.acme.example';

export default function () {
  group('login', function () {
    const res = http.post(`${BASE}/login`, { username: 'monitor', password: __ENV.PASSWORD });
    if (!check(res, { 'password accepted': (r) => r.status === 200 })) fail('login refused');
    check(http.get(`${BASE}/dossiers`), { '2FA demanded first': (r) => r.status === 401 });
    const code = totp(__ENV.TOTP_SECRET);
    const second = http.post(`${BASE}/login/totp`, JSON.stringify({ code }), {
      headers: { 'Content-Type': 'application/json' },
    });
    check(second, { 'TOTP code accepted': (r) => r.status === 200 });
  });
  group('dossier', function () {
    const res = http.get(`${BASE}/dossiers/demo`, { tags: { name: 'dossier' } });
    check(res, { 'dossier opens': (r) => r.status === 200 && r.json('id') === 'demo' });
  });
}
