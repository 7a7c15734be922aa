import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { errorMessage } from '../../core/index.js';
import {
  compileScript,
  probeJsonLine,
  probeTextLine,
  runScriptProbe,
  type ScriptSummary,
} from '../../probes/index.js';

interface ScriptOpts {
  json?: boolean;
  iterations: string;
  timeout?: string;
  memory: string;
  env: string[];
  host: string[];
  file: string[];
  insecure?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function pairs(list: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    if (i <= 0) throw new Error(`${what} must be NAME=VALUE, got "${item}"`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function summaryText(s: ScriptSummary): string[] {
  const lines = s.checks.map(
    (c) =>
      `  ${c.fail === 0 ? '✓' : '✗'} ${c.group ? `${c.group}::` : ''}${c.name} (${c.pass} passed, ${c.fail} failed)`,
  );
  for (const r of s.requests) {
    const m = r.metrics;
    lines.push(
      `  ${r.method} ${r.url} ${r.status || '-'} http_req_duration=${m.http_req_duration}ms blocked=${m.http_req_blocked} connecting=${m.http_req_connecting} tls_handshaking=${m.http_req_tls_handshaking} waiting=${m.http_req_waiting} receiving=${m.http_req_receiving}${r.error ? ` error: ${r.error}` : ''}`,
    );
  }
  for (const t of s.thresholds.failed) lines.push(`  threshold not met: ${t}`);
  for (const l of s.logs) lines.push(`  console.${l.level}: ${l.msg}`);
  return lines;
}

/** `vigil probe script FILE`: one run of a k6-style script as a probe (docs/probes.md). */
export function registerProbeScriptCommand(probe: Command): void {
  probe
    .command('script')
    .description('run a k6-style script once as a probe; exit 0 up, 1 down, 2 bad input')
    .argument('<file>', 'the script (k6 JavaScript)')
    .option('--json', 'one JSON object: the probe result and the run (checks, requests by k6 metric names)')
    .option('--iterations <n>', 'iterations of the default function (setup and teardown run once)', '1')
    .option('--timeout <ms>', 'time limit of the whole run, ms (default 60000)')
    .option('--memory <mb>', 'heap limit of the script thread, MiB', '64')
    .option('-e, --env <name=value>', '__ENV entry (repeatable)', collect, [])
    .option(
      '--host <name=address>',
      'k6 hosts override, e.g. api.example=127.0.0.1:8080 (repeatable)',
      collect,
      [],
    )
    .option('--file <path>', 'a file the script may open() (repeatable)', collect, [])
    .option('--insecure', 'skip TLS certificate verification')
    .action(async (file: string, opts: ScriptOpts, cmd: Command) => {
      // `probe` has --json and --timeout of its own and takes them wherever they are written.
      const parent = cmd.parent;
      const fromParent = (k: string): unknown =>
        parent?.getOptionValueSource(k) === 'cli' ? parent.opts()[k] : undefined;
      const json = opts.json ?? (fromParent('json') as boolean | undefined) ?? false;
      const timeout = opts.timeout ?? (fromParent('timeout') as string | undefined) ?? '60000';
      let params;
      try {
        const compiled = compileScript(readFileSync(file, 'utf8'));
        if (!compiled.code) {
          for (const i of compiled.issues) process.stderr.write(`${file}:${i.line}:${i.col}: ${i.message}\n`);
          process.exitCode = 2;
          return;
        }
        const files: Record<string, string> = {};
        for (const f of opts.file) files[resolve(f)] = readFileSync(f).toString('base64');
        params = {
          code: compiled.code,
          filename: basename(file),
          env: pairs(opts.env, '--env'),
          files,
          dir: dirname(resolve(file)),
          iterations: positiveInt(opts.iterations, '--iterations'),
          timeoutMs: positiveInt(timeout, '--timeout'),
          memoryMb: positiveInt(opts.memory, '--memory'),
          hosts: pairs(opts.host, '--host'),
          insecure: opts.insecure ?? false,
          maxBodyBytes: 10_485_760,
        };
      } catch (err) {
        process.stderr.write(`vigil probe script: ${errorMessage(err)}\n`);
        process.exitCode = 2;
        return;
      }
      const target = {
        id: basename(file),
        serviceId: 'cli',
        type: 'script' as const,
        location: 'local',
        intervalMs: 0,
        timeoutMs: params.timeoutMs,
      };
      const { result, summary } = await runScriptProbe(params, target, new AbortController().signal);
      if (json) {
        const line = JSON.parse(probeJsonLine(result)) as Record<string, unknown>;
        process.stdout.write(`${JSON.stringify({ ...line, script: summary })}\n`);
      } else {
        process.stdout.write(`${probeTextLine(result)}\n${summaryText(summary).join('\n')}\n`);
      }
      process.exitCode = result.ok ? 0 : 1;
    });
}
