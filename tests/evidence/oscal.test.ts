import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../../evidence/index.js';

describe('OSCAL support', () => {
  it('the vendored schema is the file the README names (SHA-256)', () => {
    const schema = readFileSync(
      new URL('../../evidence/oscal/oscal_assessment-results_schema.json', import.meta.url),
    );
    const readme = readFileSync(new URL('../../evidence/oscal/README.md', import.meta.url), 'utf8');
    const recorded = /SHA-256 \| `([0-9a-f]{64})`/.exec(readme)?.[1];
    expect(createHash('sha256').update(schema).digest('hex')).toBe(recorded);
  });

  it('uuidV5 is RFC 4122 name-based SHA-1 (Python uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});
