import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ControlResult } from './controls.js';
import type { Period } from './types.js';

/** The OSCAL version of the vendored schema (evidence/oscal/README.md). */
export const OSCAL_VERSION = '1.0.6';

/** vigil's UUID namespace for evidence objects (a fixed random v4, so v5 names are vigil's own). */
const NAMESPACE = 'b1e6f0b2-3c2a-4c55-9a57-7f1d6a3f0e01';

/** RFC 4122 §4.3 name-based UUID (version 5, SHA-1): the same name always gives the same id. */
export function uuidV5(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The OSCAL assessment-results document for the period: one observation per control check
 * (method TEST, collected at the period end, the period in props), linking to its record files.
 * Every UUID is derived from content, and every time from the period, so it is reproducible.
 */
export function oscalAssessmentResults(
  period: Period,
  controls: readonly ControlResult[],
  instance: string,
): unknown {
  const seed = `${instance}|${period.from}|${period.to}`;
  const observations = controls.map((c) => ({
    uuid: uuidV5(`${seed}|observation|${c.framework}|${c.id}`),
    title: `${c.framework} ${c.id}: ${c.check}`,
    description: c.reason ? `${c.status}: ${c.reason}` : c.status,
    props: [
      { name: 'framework', ns: 'https://vigil.invalid/ns/oscal', value: c.framework },
      { name: 'control-id', ns: 'https://vigil.invalid/ns/oscal', value: c.id },
      { name: 'status', ns: 'https://vigil.invalid/ns/oscal', value: c.status },
      { name: 'period-start', ns: 'https://vigil.invalid/ns/oscal', value: iso(period.from) },
      { name: 'period-end', ns: 'https://vigil.invalid/ns/oscal', value: iso(period.to) },
    ],
    methods: ['TEST'],
    ...(c.records.length
      ? {
          'relevant-evidence': c.records.map((p) => ({
            href: p.replace(/^data\//, '../'),
            description: `records: ${p}`,
          })),
        }
      : {}),
    collected: iso(period.to),
  }));
  return {
    'assessment-results': {
      uuid: uuidV5(`${seed}|assessment-results`),
      metadata: {
        title: `vigil evidence ${iso(period.from)} – ${iso(period.to)}`,
        'last-modified': iso(period.to),
        version: '1',
        'oscal-version': OSCAL_VERSION,
      },
      'import-ap': {
        href: '#vigil-self-assessment',
        remarks: 'vigil tests its own records; no separate assessment plan',
      },
      results: [
        {
          uuid: uuidV5(`${seed}|result`),
          title: `vigil control checks ${iso(period.from)} – ${iso(period.to)}`,
          description: 'Control checks computed by vigil from the records in this bundle.',
          start: iso(period.from),
          end: iso(period.to),
          'reviewed-controls': { 'control-selections': [{ 'include-all': {} }] },
          ...(observations.length ? { observations } : {}),
        },
      ],
    },
  };
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (a: Ajv) => void;
let validator: ValidateFunction | undefined;

/** The vendored NIST schema, compiled once with ajv in strict mode. */
function oscalValidator(): ValidateFunction {
  if (!validator) {
    // Next to this file when run from source; the compiled copy (dist/evidence) reads the source tree's.
    const here = fileURLToPath(new URL('./oscal/oscal_assessment-results_schema.json', import.meta.url));
    const file = existsSync(here)
      ? here
      : fileURLToPath(new URL('../../evidence/oscal/oscal_assessment-results_schema.json', import.meta.url));
    const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
    const ajv = new Ajv({ strict: true, allErrors: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Validates an assessment-results document; returns the first problem, or undefined when valid. */
export function validateOscal(doc: unknown): string | undefined {
  const v = oscalValidator();
  if (v(doc)) return undefined;
  const e = v.errors?.[0];
  return e ? `${e.instancePath || '/'} ${e.message ?? 'invalid'}` : 'invalid';
}
