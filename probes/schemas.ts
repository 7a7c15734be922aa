import { z } from 'zod';
import { duration, id, secret } from '../core/index.js';
import { scriptEnv, scriptFile, scriptFiles } from './script/script-schema.js';
import { re2Pattern } from './regex.js';

/** Fields every probe kind has (docs/probes.md). */
const common = {
  id: id().optional(),
  interval: duration({ min: 1000, max: 3_600_000 }).optional(),
  timeout: duration({ min: 100, max: 600_000 }).optional(),
  locations: z.array(id()).min(1).optional(),
  sla: z.boolean().optional(),
  /** A failing sample raises an alert (default true for tls and backup, whose failures no SLA sees). */
  alert: z.boolean().optional(),
};

const statusSpec = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5]xx$/, 'must be a status or e.g. "2xx"'),
]);

export const httpAuthSchema = z.union([
  z.strictObject({ basic: z.strictObject({ username: z.string(), password: secret() }) }),
  z.strictObject({ bearer: secret() }),
]);

export const httpExpectSchema = z.strictObject({
  status: z.array(statusSpec).min(1).optional(),
  body_contains: z.array(z.string()).optional(),
  body_not_contains: z.array(z.string()).optional(),
  body_regex: z.array(re2Pattern()).optional(),
  json: z.array(z.strictObject({ path: z.string(), equals: z.unknown() })).optional(),
  headers: z
    .array(
      z.strictObject({ name: z.string(), equals: z.string().optional(), matches: re2Pattern().optional() }),
    )
    .optional(),
  max_response_ms: z.number().positive().optional(),
});

/** What one HTTP request of an http or multi_step probe sends. */
const requestFields = {
  method: z
    .string()
    .regex(/^[A-Z]+$/, 'must be an upper-case HTTP method')
    .default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  auth: httpAuthSchema.optional(),
  expect: httpExpectSchema.default({}),
};

const connFields = {
  follow_redirects: z.boolean().default(true),
  max_redirects: z.number().int().min(0).max(50).default(10),
  preferred_ip_protocol: z.enum(['ip4', 'ip6', 'any']).default('any'),
  ip_protocol_fallback: z.boolean().default(true),
  keep_alive: z.boolean().default(false),
  ca_file: z.string().optional(),
  insecure_skip_verify: z.boolean().default(false),
  max_body_bytes: z.number().int().positive().default(1_048_576),
};

export const httpProbeSchema = z.strictObject({
  type: z.literal('http'),
  ...common,
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  ...requestFields,
  ...connFields,
});

export const tcpProbeSchema = z.strictObject({
  type: z.literal('tcp'),
  ...common,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean().default(false),
});

export const dnsProbeSchema = z.strictObject({
  type: z.literal('dns'),
  ...common,
  server: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(53),
  name: z.string().min(1),
  record_type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'CAA', 'PTR']).default('A'),
  expect: z.array(z.string()).optional(),
  expect_min_answers: z.number().int().min(0).default(1),
});

export const tlsProbeSchema = z.strictObject({
  type: z.literal('tls'),
  ...common,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(443),
  servername: z.string().optional(),
  ca_file: z.string().optional(),
  min_days_valid: z.number().int().min(0).default(14),
  min_protocol: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'),
});

export const backupProbeSchema = z.strictObject({
  type: z.literal('backup'),
  ...common,
  path: z.string().min(1).optional(),
  manifest_url: z.url().optional(),
  max_age: duration({ min: 60_000, max: 365 * 86_400_000 }),
  /** Distinct days holding a version: the contract keeps 7 daily versions (MKBackup 20.1). */
  min_versions: z.number().int().min(0).default(7),
  min_size_bytes: z.number().int().min(0).default(1),
  /** A version smaller than this share of the median size is implausible (a truncated dump). */
  min_size_ratio: z.number().min(0).max(1).default(0.5),
});

export const stepSchema = z.strictObject({
  name: z.string().optional(),
  url: z.string().min(1),
  ...requestFields,
  capture: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
        header: z.string().optional(),
        json: z.string().optional(),
        regex: re2Pattern().optional(),
      }),
    )
    .default([]),
});

export const multiStepProbeSchema = z.strictObject({
  type: z.literal('multi_step'),
  ...common,
  ...connFields,
  totp: z
    .strictObject({
      secret: secret(),
      digits: z.number().int().min(6).max(8).default(6),
      period: z.number().int().min(1).default(30),
    })
    .optional(),
  variables: z.record(z.string(), z.string()).default({}),
  steps: z.array(stepSchema).min(1),
});

/** A k6-style script (docs/probes.md, "script"); its file is read and checked at load. */
export const scriptProbeSchema = z.strictObject({
  type: z.literal('script'),
  ...common,
  file: scriptFile(),
  env: scriptEnv(),
  files: scriptFiles(),
  /** k6's `hosts` option, overriding the script's: name[:port] → address[:port]. */
  hosts: z.record(z.string(), z.string()).default({}),
  memory_limit_mb: z.number().int().min(16).max(2048).default(64),
  ca_file: z.string().optional(),
  insecure_skip_verify: z.boolean().default(false),
  max_body_bytes: z.number().int().positive().default(10_485_760),
});

export const probeSchema = z.discriminatedUnion('type', [
  httpProbeSchema,
  tcpProbeSchema,
  dnsProbeSchema,
  tlsProbeSchema,
  backupProbeSchema,
  multiStepProbeSchema,
  scriptProbeSchema,
]);

export type HttpProbeConfig = z.output<typeof httpProbeSchema>;
export type TcpProbeConfig = z.output<typeof tcpProbeSchema>;
export type DnsProbeConfig = z.output<typeof dnsProbeSchema>;
export type TlsProbeConfig = z.output<typeof tlsProbeSchema>;
export type BackupProbeConfig = z.output<typeof backupProbeSchema>;
export type MultiStepProbeConfig = z.output<typeof multiStepProbeSchema>;
export type ScriptProbeConfig = z.output<typeof scriptProbeSchema>;
export type StepConfig = z.output<typeof stepSchema>;
export type HttpExpect = z.output<typeof httpExpectSchema>;
export type HttpAuth = z.output<typeof httpAuthSchema>;
export type ProbeConfig = z.output<typeof probeSchema>;
