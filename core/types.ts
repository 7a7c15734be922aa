/**
 * Domain types shared by every part of vigil (DESIGN.md §4). Domains talk to each other only
 * through these; field names are stable, fields may grow.
 */

/** The closed set of probe failure kinds (DESIGN.md §4). */
export type ProbeErrorKind =
  | 'dns'
  | 'connect_refused'
  | 'connect_timeout'
  | 'tls'
  | 'timeout'
  | 'http_status'
  | 'assertion'
  | 'reset'
  | 'other';

/** Request phases in milliseconds, named as blackbox_exporter's `probe_http_duration_seconds{phase}`. */
export interface ProbePhases {
  resolve: number;
  connect: number;
  tls: number;
  processing: number;
  transfer: number;
}

export interface ProbeTlsInfo {
  /** Leaf certificate notAfter, ISO 8601. */
  validTo: string;
  issuer: string;
  protocol: string;
  /** Earliest notAfter over the chain, ISO 8601. */
  earliestValidTo?: string;
}

export interface ProbeResult {
  targetId: string;
  location: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  ok: boolean;
  status?: number;
  error?: { kind: ProbeErrorKind; message: string };
  totalMs: number;
  phases: ProbePhases;
  tls?: ProbeTlsInfo;
  /** Event-loop delay of the probing process around this probe; high means vigil, not the service, was slow. */
  loopDelayMs: number;
  /** True when loopDelayMs was over the configured threshold: the latency of this sample is not trusted. */
  loopDelayFlagged?: boolean;
  /** Script probes only: the run's checks and requests (Grafana Synthetic Monitoring's k6 check metrics). */
  script?: ScriptRunStats;
}

/** What one run of a script probe did, beyond up/down and the summed phases. */
export interface ScriptRunStats {
  checksPassed: number;
  checksFailed: number;
  requests: number;
  /** Requests answered outside 200–399 or not at all (k6's http_req_failed). */
  requestsFailed: number;
  /** The whole run, sleeps and the script's own work included. */
  durationMs: number;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface AnalysisInput {
  path: string;
  sha256: string;
  fromOffset: number;
  toOffset: number;
  records: number;
  badRecords: number;
}

export interface AnalysisRun {
  id: string;
  analyzer: string;
  scheduledFor: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'ok' | 'partial' | 'failed';
  inputs: AnalysisInput[];
  findings: number;
  reviewedBy?: string;
  reviewedAt?: string;
  reviewNote?: string;
}

export interface FindingEvidence {
  file: string;
  line?: number;
  offset?: number;
}

export interface Finding {
  id: string;
  runId: string;
  detector: string;
  /** Stable deduplication key: the same event re-read gives the same key. */
  key: string;
  severity: Severity;
  title: string;
  src?: string;
  dst?: string;
  customerId?: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  evidence: FindingEvidence[];
  status: 'new' | 'triaged' | 'false_positive' | 'incident';
  details?: Record<string, unknown>;
}

/** Alertmanager's alert model. */
export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

export type IncidentPriority = 'P1' | 'P2' | 'P3' | 'P4';

export interface IncidentEvent {
  at: string;
  actor: string;
  kind: string;
  text: string;
}

export interface Incident {
  id: string;
  kind: 'availability' | 'security';
  customerId: string;
  serviceId?: string;
  priority: IncidentPriority;
  title: string;
  detectedAt: string;
  reportedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  acceptedAt?: string;
  timeline: IncidentEvent[];
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  result: string;
  prevHash: string;
  hash: string;
}

/** A planned downtime as recorded by vigil (S8): announcedAt is set by vigil, not by the caller. */
export interface PlannedDowntime {
  id: string;
  serviceId: string;
  start: string;
  end: string;
  announcedAt: string;
  reason: string;
}
