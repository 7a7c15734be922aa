import type { IncidentRecord } from '../core/index.js';
import { measuresOf } from './lifecycle.js';

/** Languages a customer report is written in (customers[].language). */
export type ReportLanguage = 'nl' | 'en';
/** Which report: the first (security report at once), an update, or the final one. */
export type ReportKind = 'security-report' | 'update' | 'final-report';

/** The customer as a report needs it: nothing about any other customer is ever passed in. */
export interface ReportCustomer {
  id: string;
  name: string;
  language: ReportLanguage;
}

/** The report's content as data: embedded in the PDF, sent in the signed webhook. */
export interface ReportJson {
  incident: string;
  kind: ReportKind;
  customer: string;
  language: ReportLanguage;
  title: string;
  priority: string;
  state: string;
  detectedAt: string;
  reportedAt: string;
  resolvedAt?: string;
  acceptedAt?: string;
  systems: string[];
  evidence: string[];
  measures: Array<{ at: string; actor: string; text: string }>;
  advice: string;
  contact: string;
  acceptUrl?: string;
}

const T = {
  en: {
    subject: {
      'security-report': 'Security incident',
      update: 'Update on incident',
      'final-report': 'Final report on incident',
    },
    what: 'What happened',
    detected: 'Detected at',
    systems: 'Systems involved',
    evidence: 'Evidence',
    measures: 'Measures taken so far',
    none: 'none yet',
    advice: 'What you can do',
    adviceSec:
      'Check the accounts on the systems named above for unexpected sign-ins, make sure strong passwords or keys are in use, and tell us of anything unusual.',
    adviceAvail: 'No action is needed on your side; we will keep you informed until the service is restored.',
    contact: 'Whom to contact',
    contactText: 'Reply to this message or contact our security officer, quoting the incident number.',
    accept: 'Accept the resolution, or reject it with a reason',
  },
  nl: {
    subject: {
      'security-report': 'Beveiligingsincident',
      update: 'Update over incident',
      'final-report': 'Eindrapport over incident',
    },
    what: 'Wat er is gebeurd',
    detected: 'Gedetecteerd op',
    systems: 'Betrokken systemen',
    evidence: 'Bewijs',
    measures: 'Genomen maatregelen tot nu toe',
    none: 'nog geen',
    advice: 'Wat u kunt doen',
    adviceSec:
      'Controleer de accounts op de genoemde systemen op onverwachte aanmeldingen, zorg voor sterke wachtwoorden of sleutels, en meld ons alles wat ongebruikelijk is.',
    adviceAvail: 'U hoeft niets te doen; wij houden u op de hoogte tot de dienst hersteld is.',
    contact: 'Contact',
    contactText:
      'Beantwoord dit bericht of neem contact op met onze security officer, met vermelding van het incidentnummer.',
    accept: 'Accepteer de oplossing, of wijs haar af met een reden',
  },
} as const;

/** The report of one incident for its own customer, as data. */
export function reportJson(
  i: IncidentRecord,
  customer: ReportCustomer,
  kind: ReportKind,
  acceptUrl?: string,
): ReportJson {
  const t = T[customer.language];
  const evidence = i.timeline.filter((e) => e.text.includes('[finding ')).map((e) => e.text);
  // The systems: the customer's service, or the destination addresses the findings name.
  const systems = new Set<string>(i.serviceId ? [i.serviceId] : []);
  for (const e of evidence) for (const m of e.matchAll(/against (\S+?):?(?=\s|$)/g)) systems.add(m[1]!);
  const out: ReportJson = {
    incident: i.id,
    kind,
    customer: customer.name,
    language: customer.language,
    title: i.title,
    priority: i.priority,
    state: i.state,
    detectedAt: i.detectedAt,
    reportedAt: i.reportedAt,
    systems: [...systems],
    evidence,
    measures: measuresOf(i),
    advice: i.kind === 'security' ? t.adviceSec : t.adviceAvail,
    contact: t.contactText,
  };
  if (i.resolvedAt) out.resolvedAt = i.resolvedAt;
  if (i.acceptedAt) out.acceptedAt = i.acceptedAt;
  if (acceptUrl) out.acceptUrl = acceptUrl;
  return out;
}

/** The labelled sections of a report, in order, in its language (shared by text, HTML and PDF). */
export function reportSections(r: ReportJson): { subject: string; sections: Array<[string, string[]]> } {
  const t = T[r.language];
  const sections: Array<[string, string[]]> = [
    [t.what, [r.title]],
    [t.detected, [r.detectedAt]],
    [t.systems, r.systems.length ? r.systems : ['—']],
    [t.evidence, r.evidence.length ? r.evidence : ['—']],
    [t.measures, r.measures.length ? r.measures.map((m) => `${m.at} (${m.actor}): ${m.text}`) : [t.none]],
    [t.advice, [r.advice]],
    [t.contact, [r.contact]],
  ];
  if (r.acceptUrl) sections.push([t.accept, [r.acceptUrl]]);
  return { subject: `${t.subject[r.kind]} ${r.incident}: ${r.title}`, sections };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain-text body. */
export function reportText(r: ReportJson): string {
  const { subject, sections } = reportSections(r);
  return [subject, '', ...sections.flatMap(([h, lines]) => [h, ...lines.map((l) => `  ${l}`), ''])].join(
    '\n',
  );
}

/** HTML body: self-contained, no scripts, every value escaped. */
export function reportHtml(r: ReportJson): string {
  const { subject, sections } = reportSections(r);
  const body = sections
    .map(([h, lines]) => {
      const items = lines.map((l) => (l === r.acceptUrl ? `<a href="${esc(l)}">${esc(l)}</a>` : esc(l)));
      return `<section><h2>${esc(h)}</h2>${items.length > 1 ? `<ul>${items.map((x) => `<li>${x}</li>`).join('')}</ul>` : `<p>${items[0] ?? ''}</p>`}</section>`;
    })
    .join('\n');
  return `<!doctype html>\n<html lang="${r.language}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>\n<body><h1>${esc(subject)}</h1>\n<p>${esc(r.customer)}</p>\n${body}\n</body></html>\n`;
}
