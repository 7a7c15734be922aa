import { z } from 'zod';
import { tryParseDuration } from './duration.js';
import { Secret, readSecretFile } from './secret.js';
import { errorMessage } from '../errors.js';
import { configEnv } from './env.js';

/** A Prometheus-style duration string ("10s", "1h30m") parsed to milliseconds. */
export const duration = () =>
  z.string().transform((text, ctx) => {
    const ms = tryParseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not a duration (use e.g. 500ms, 10s, 5m, 1h30m, 7d)`,
      });
      return z.NEVER;
    }
    return ms;
  });

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

/**
 * A secret: an inline string, `{ env: NAME }` or `{ file: PATH }`. Resolved at load time into a
 * Secret that prints as `<secret>`.
 */
export const secret = () =>
  z
    .union([z.string(), z.strictObject({ env: z.string() }), z.strictObject({ file: z.string() })])
    .transform((v, ctx) => {
      if (typeof v === 'string') return new Secret(v, 'inline');
      if ('env' in v) {
        const value = configEnv()[v.env];
        if (value === undefined) {
          ctx.addIssue({ code: 'custom', message: `environment variable ${v.env} is not set` });
          return z.NEVER;
        }
        return new Secret(value, `env:${v.env}`);
      }
      try {
        return new Secret(readSecretFile(v.file), `file:${v.file}`);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `cannot read secret file ${v.file}: ${errorMessage(err)}` });
        return z.NEVER;
      }
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
