import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, duration, loadConfig, secret, type ConfigSection } from '../../../core/index.js';

function problems(yaml: string, sections: ConfigSection[], env: NodeJS.ProcessEnv = {}): string[] {
  const d = mkdtempSync(join(tmpdir(), 'vigil-checks-'));
  writeFileSync(join(d, 'v.yaml'), yaml);
  try {
    loadConfig(join(d, 'v.yaml'), { sections, env });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('cross-checks see parsed values and never fail silently', () => {
  it('hands a check the parsed section (a duration in ms, a secret resolved), not the raw text', () => {
    const seen: unknown[] = [];
    const section: ConfigSection = {
      key: 'thing',
      schema: z.strictObject({ wait: duration(), key: secret() }),
      check(config) {
        seen.push(config.thing);
      },
    };
    expect(problems('thing: {wait: 30s, key: {env: K}}\n', [section], { K: 'v' })).toEqual([]);
    expect((seen[0] as { wait: number }).wait).toBe(30_000);
  });

  it('leaves out a section whose shape is wrong, so its check never works on raw input', () => {
    const seen: unknown[] = [];
    const section: ConfigSection = {
      key: 'thing',
      schema: z.strictObject({ wait: duration() }),
      check(config) {
        seen.push(config.thing);
      },
    };
    expect(problems('thing: {wait: soon}\n', [section])).toEqual([
      '1:15: thing.wait: "soon" is not a duration (use e.g. 500ms, 10s, 5m, 1h30m, 7d)',
    ]);
    expect(seen).toEqual([undefined]);
  });

  it('reports a check that throws on a valid config as a problem (exit 2), never a pass', () => {
    const section: ConfigSection = {
      key: 'thing',
      schema: z.strictObject({ n: z.number() }),
      check() {
        throw new Error('boom');
      },
    };
    expect(problems('thing: {n: 1}\n', [section])).toEqual([
      '1:8: thing: internal error in the cross-check (boom); please report this',
    ]);
  });

  it('names the unset variable of a {env: X} secret inside a union (auth: {basic: ...})', () => {
    const auth = z.union([
      z.strictObject({ basic: z.strictObject({ username: z.string(), password: secret() }) }),
      z.strictObject({ bearer: secret() }),
    ]);
    const section: ConfigSection = { key: 'auth', schema: auth };
    expect(problems('auth:\n  basic:\n    username: u\n    password: {env: PROBE_PW}\n', [section])).toEqual([
      '4:15: auth.basic.password: environment variable PROBE_PW is not set',
    ]);
    // Where no branch fits the shape, the union's own message stays.
    expect(problems('auth: {other: 1}\n', [section])).toEqual(['1:7: auth: Invalid input']);
  });
});
