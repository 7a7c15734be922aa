import type { Alert, Finding, IncidentRecord, Logger, Severity } from '../core/index.js';
import type { IncidentsConfig } from './config.js';
import { addEntry } from './lifecycle.js';
import type { IncidentService } from './service.js';

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * Whether a finding means attempted unauthorised access (S11, MKBackup 24.5): a configured
 * detector, an IDS signature of the configured severity or above, or a configured Sigma rule.
 */
export function isSecurityFinding(f: Finding, c: IncidentsConfig['security']): boolean {
  if (f.status === 'false_positive') return false;
  if (c.detectors.includes(f.detector)) return true;
  if (f.detector === 'signature-alerts') return RANK[f.severity] >= RANK[c.signature_min_severity];
  if (f.detector === 'sigma') return c.sigma_rules.includes(String(f.details?.ruleId ?? ''));
  return false;
}

/** A timeline line for a finding: what, from where, and where the evidence is. */
export function findingLine(f: Finding): string {
  const ev = f.evidence
    .slice(0, 3)
    .map(
      (e) => `${e.file}${e.line !== undefined ? `:${e.line}` : e.offset !== undefined ? `@${e.offset}` : ''}`,
    );
  return `${f.title} [finding ${f.id}, ${f.count}× ${f.firstSeen} – ${f.lastSeen}${ev.length ? `; evidence ${ev.join(', ')}` : ''}]`;
}

const lastEntryMs = (i: IncidentRecord): number =>
  Math.max(Date.parse(i.detectedAt), ...i.timeline.map((e) => Date.parse(e.at)));

/** Feeds findings and alerts into incidents by the config's opening rules; app/ wires both sinks here. */
export interface IncidentOpener {
  findings(findings: Finding[]): Promise<void>;
  alerts(alerts: Alert[]): Promise<void>;
}

/**
 * Opening rules (issue 12): a security finding for a customer opens a security incident, or joins
 * the open one of the same customer and detector whose last entry is within `join_window`; a
 * firing outage alert with a `customer` label opens an availability incident once per service.
 */
export function incidentOpener(o: {
  service: IncidentService;
  config: IncidentsConfig;
  now: () => number;
  log: Logger;
}): IncidentOpener {
  const { service, config } = o;
  return {
    async findings(findings) {
      for (const f of findings) {
        if (!f.customerId || !isSecurityFinding(f, config.security)) continue;
        const now = o.now();
        const open = await service.list({ customers: [f.customerId], open: true });
        const match = open.find(
          (i) =>
            i.kind === 'security' && i.detector === f.detector && now - lastEntryMs(i) <= config.join_window,
        );
        if (match) {
          if (match.timeline.some((e) => e.text.includes(`[finding ${f.id},`))) continue;
          await service.save(
            addEntry(match, 'finding', 'vigil', Math.max(now, lastEntryMs(match)), findingLine(f)),
          );
          o.log.info({ incident: match.id, finding: f.id }, 'finding joined an open incident');
          continue;
        }
        const rec = await service.open({
          kind: 'security',
          customerId: f.customerId,
          priority: config.security.priority,
          title: f.title,
          detector: f.detector,
          actor: 'vigil',
          detectedAtMs: now,
          text: findingLine(f),
        });
        o.log.warn(
          { incident: rec.id, customer: f.customerId, detector: f.detector },
          'security incident opened',
        );
      }
    },
    async alerts(alerts) {
      for (const a of alerts) {
        const name = a.labels.alertname ?? '';
        const customer = a.labels.customer;
        if (!customer || !config.availability.alertnames.includes(name)) continue;
        const now = o.now();
        if (a.endsAt !== undefined && Date.parse(a.endsAt) <= now) continue;
        const serviceId = a.labels.service ?? a.labels.probe;
        const detector = `alert:${name}`;
        const open = await service.list({ customers: [customer], open: true });
        if (
          open.some((i) => i.kind === 'availability' && i.detector === detector && i.serviceId === serviceId)
        )
          continue;
        const rec = await service.open({
          kind: 'availability',
          customerId: customer,
          ...(serviceId !== undefined ? { serviceId } : {}),
          priority: config.availability.priority,
          title: a.annotations.summary ?? `${name}${serviceId ? ` for ${serviceId}` : ''}`,
          detector,
          actor: 'vigil',
          detectedAtMs: Math.min(now, Date.parse(a.startsAt) || now),
        });
        o.log.warn({ incident: rec.id, customer, service: serviceId }, 'availability incident opened');
      }
    },
  };
}
