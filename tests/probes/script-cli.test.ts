import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { httpServer, type Running } from './helpers/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-script-cli-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

let app: Running;
let hits = 0;
beforeAll(async () => {
  app = await httpServer((req, res) => {
    hits++;
    res.writeHead(req.url === '/down' ? 503 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ hits }));
  });
});
afterAll(async () => {
  await app.close();
});

const journey = `import http from 'k6/http';
import { check } from 'k6';
export function setup() { return { base: __ENV.BASE }; }
export default function (data) {
  const res = http.get(\`\${data.base}\${__ENV.PATH}\`);
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`;

describe('vigil probe script FILE', () => {
  it('--json: one object with the probe result and the run by k6 and SM metric names; --iterations runs default N times', async () => {
    const script = file('ok.js', journey);
    const { code, stdout, stderr } = await runCli([
      'probe',
      'script',
      script,
      '--json',
      '--iterations',
      '3',
      '-e',
      `BASE=${app.url}`,
      '-e',
      'PATH=/ok',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      target: string;
      ok: boolean;
      status: number;
      phases: Record<string, number>;
      script: {
        probe_checks_total: { pass: number; fail: number };
        probe_http_requests_total: number;
        requests: { url: string; metrics: Record<string, number> }[];
      };
    };
    expect(out).toMatchObject({ target: 'ok.js', ok: true, status: 200 });
    expect(out.script.probe_checks_total).toEqual({ pass: 3, fail: 0 });
    expect(out.script.probe_http_requests_total).toBe(3);
    expect(Object.keys(out.script.requests[0]!.metrics).sort()).toEqual([
      'http_req_blocked',
      'http_req_connecting',
      'http_req_duration',
      'http_req_receiving',
      'http_req_sending',
      'http_req_tls_handshaking',
      'http_req_waiting',
    ]);
  });

  it('exit 1 when a check fails, with the check named; the text output lists checks and requests', async () => {
    const script = file('down.js', journey);
    const { code, stdout } = await runCli([
      'probe',
      'script',
      script,
      '-e',
      `BASE=${app.url}`,
      '-e',
      'PATH=/down',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL status=503');
    expect(stdout).toContain('error=http_status: check "status is 200" (line 6) failed after GET');
    expect(stdout).toMatch(/✗ status is 200 \(0 passed, 1 failed\)/);
    expect(stdout).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/down 503 http_req_duration=/);
  });

  it('exit 2 with file:line:col for an import outside the subset; the script does not run', async () => {
    const script = file(
      'bad.js',
      "import http from 'k6/http';\nimport ws from 'k6/ws';\nexport default function () { http.get('x'); }\n",
    );
    const { code, stdout, stderr } = await runCli(['probe', 'script', script]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${script}:2:1: import of "k6/ws" is outside vigil's k6 subset`);
  });
});

describe('vigil config check with script probes', () => {
  const config = (scriptPath: string): string =>
    file(
      `vigil-${Math.random().toString(36).slice(2)}.yaml`,
      [
        'customers:',
        '  - id: acme',
        '    name: ACME',
        'services:',
        '  - id: web',
        '    customer: acme',
        '    probes:',
        '      - type: script',
        `        file: ${scriptPath}`,
        '        env: { BASE: "http://127.0.0.1:9" }',
        '',
      ].join('\n'),
    );

  it("names the script file and line of a call outside the subset, at the probe's place in the config (exit 2)", async () => {
    const script = file(
      'outside.js',
      "import http from 'k6/http';\n\nexport default function () {\n  http.asyncRequest('GET', __ENV.BASE);\n}\n",
    );
    const cfg = config(script);
    const { code, stdout } = await runCli(['config', 'check', '--config', cfg]);
    expect(code).toBe(2);
    expect(stdout.trim()).toBe(
      `${cfg}:9:15: services[0].probes[0].file: ${script}:4:3: k6/http asyncRequest is outside vigil's k6 subset; k6/http provides get, head, post, put, patch, del, options, request, batch, cookieJar, CookieJar`,
    );
  });

  it(
    'type-checks against @types/k6: an error in a // @ts-check script fails the check, in others it is a warning',
    { timeout: 90_000 },
    async () => {
      const body =
        "import http from 'k6/http';\nexport default function () {\n  const r = http.get(__ENV.BASE);\n  return r.statuss;\n}\n";
      const strict = file('strict.js', `// @ts-check\n${body}`);
      const failed = await runCli(['config', 'check', '--config', config(strict)]);
      expect(failed.code).toBe(2);
      expect(failed.stdout).toContain(
        `${strict}:5:12: error: TS2551: Property 'statuss' does not exist on type`,
      );
      const loose = file('loose.js', body);
      const cfg = config(loose);
      const warned = await runCli(['config', 'check', '--config', cfg]);
      expect(warned.code).toBe(0);
      expect(warned.stderr).toContain(`${loose}:4:12: warning: TS2551`);
      expect(warned.stdout).toBe(`${cfg}: configuration is valid\n`);
    },
  );
});
