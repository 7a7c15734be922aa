import { z } from 'zod';
import { formatDuration, tryParseDuration } from './duration.js';
import { Secret, readSecretFile } from './secret.js';
import { errorMessage } from '../errors.js';
import { configEnv } from './env.js';

/** Bounds of a duration field, in ms (inclusive). */
export interface DurationBounds {
  min?: number;
  max?: number;
}

/**
 * The longest duration any field accepts when it names no bound of its own: ten years. Beyond it
 * no schedule, retention or timeout is meaningful, and `group_wait: 100000000y` (3e18 ms) would
 * lose precision in a double and overflow timers and bigint columns.
 */
export const MAX_DURATION_MS = 3650 * 86_400_000;

/**
 * A Prometheus-style duration string ("10s", "1h30m") parsed to milliseconds, within `bounds`
 * (default 0 to MAX_DURATION_MS); out of range is reported at the value's place.
 */
export const duration = (bounds: DurationBounds = {}) =>
  z.string().transform((text, ctx) => {
    const ms = tryParseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not a duration (use e.g. 500ms, 10s, 5m, 1h30m, 7d)`,
      });
      return z.NEVER;
    }
    const min = bounds.min ?? 0;
    const max = Math.min(bounds.max ?? MAX_DURATION_MS, MAX_DURATION_MS);
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is out of range: ${rangeText(min, max)}` });
      return z.NEVER;
    }
    return ms;
  });

function rangeText(min: number, max: number): string {
  if (min > 0 && max < MAX_DURATION_MS)
    return `must be between ${formatDuration(min)} and ${formatDuration(max)}`;
  if (min > 0) return `must be at least ${formatDuration(min)}`;
  return `must be at most ${formatDuration(max)}`;
}

/** A percentage written "99.9%" or as a number 99.9; parsed to a fraction (0.999). */
export const percent = () =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v.trim().replace(/%$/, ''));
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a percentage between 0 and 100` });
      return z.NEVER;
    }
    // 99.9 / 100 is 0.9990000000000001 in binary floating point; 12 significant digits are exact
    // for any percentage a person writes.
    return Number((n / 100).toPrecision(12));
  });

/** An identifier: lower-case letters, digits, '-', '_' and '.'. */
export const id = () =>
  z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be an id: lower-case letters, digits, ".", "_" or "-"');

/** What a secret must hold. */
export interface SecretRules {
  /**
   * Fewest bytes (UTF-8) of secret material. A key that signs links or authenticates an agent
   * needs at least 32 bytes (256 bits, the HMAC-SHA256 key size RFC 2104 §3 recommends as a
   * minimum); `openssl rand -hex 32` gives 64 characters.
   */
  minBytes?: number;
}

/** The minimum for keys vigil itself checks (HMAC keys, agent tokens): 32 bytes. */
export const MIN_KEY_BYTES = 32;

/**
 * A secret: an inline string, `{ env: NAME }` or `{ file: PATH }`. Resolved at load time into a
 * Secret that prints as `<secret>`; too short a value is refused (its length is named, never it).
 */
export const secret = (rules: SecretRules = {}) =>
  z
    .union([z.string(), z.strictObject({ env: z.string() }), z.strictObject({ file: z.string() })])
    .transform((v, ctx) => {
      let s: Secret;
      if (typeof v === 'string') s = new Secret(v, 'inline');
      else if ('env' in v) {
        const value = configEnv()[v.env];
        if (value === undefined) {
          ctx.addIssue({ code: 'custom', message: `environment variable ${v.env} is not set` });
          return z.NEVER;
        }
        s = new Secret(value, `env:${v.env}`);
      } else {
        try {
          s = new Secret(readSecretFile(v.file), `file:${v.file}`);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: errorMessage(err) });
          return z.NEVER;
        }
      }
      const bytes = Buffer.byteLength(s.reveal(), 'utf8');
      if (rules.minBytes !== undefined && bytes < rules.minBytes) {
        ctx.addIssue({
          code: 'custom',
          message: `is ${bytes} byte${bytes === 1 ? '' : 's'} long (${s.source}); at least ${rules.minBytes} bytes of random secret are needed (e.g. openssl rand -hex 32)`,
        });
        return z.NEVER;
      }
      return s;
    });

/** An IANA time zone name, checked against the runtime's zone data. */
export const timezone = () =>
  z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not a known IANA time zone (e.g. Europe/Amsterdam, UTC)');
