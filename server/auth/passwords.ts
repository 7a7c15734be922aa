import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import { commonPasswords } from './common-passwords.js';

/** argon2id cost parameters; stored in each PHC string, so raising them re-hashes at the next sign-in. */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet's argon2id minimum: m=19 MiB, t=2, p=1. */
export const DEFAULT_ARGON2: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** PCI DSS 4.0.1 8.3.6 asks for 12 characters. */
export const MIN_PASSWORD_LENGTH = 12;

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** An argon2id PHC string for `password`. */
export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return hash(password, { ...params, algorithm: ARGON2ID });
}

/** Whether `password` matches; a malformed hash is a mismatch, not an exception. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false; // a damaged hash must refuse sign-in like a wrong password does
  }
}

/** True when the stored hash is not argon2id or weaker than the configured parameters. */
export function needsRehash(phc: string, params: Argon2Params): boolean {
  try {
    const o = parseOptions(phc);
    return (
      o.algorithm !== ARGON2ID ||
      o.memoryCost < params.memoryCost ||
      o.timeCost < params.timeCost ||
      o.parallelism < params.parallelism
    );
  } catch {
    return true; // unreadable parameters: replace the hash
  }
}

const dummies = new Map<string, Promise<string>>();
/**
 * A hash of a random password with the configured parameters: sign-in verifies against it when
 * the user does not exist, so an unknown name costs the same time as a wrong password.
 */
export function dummyHash(params: Argon2Params): Promise<string> {
  const key = `${params.memoryCost}/${params.timeCost}/${params.parallelism}`;
  let h = dummies.get(key);
  if (!h) {
    h = hashPassword(randomBytes(16).toString('hex'), params);
    dummies.set(key, h);
  }
  return h;
}

/** Why `password` is refused for `username`, or undefined when it is acceptable (NIST SP 800-63B 3.1.1.2). */
export function passwordProblem(password: string, username: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if ([...password].length > 256) return 'must have at most 256 characters';
  const lower = password.toLowerCase();
  if (lower.includes(username.toLowerCase()) && username.length >= 3) return 'must not contain the user name';
  if (new Set(lower).size <= 2) return 'must not be one or two characters repeated';
  if (isSequence(lower)) return 'must not be a keyboard or alphabet sequence';
  if (isCommon(lower)) return 'is a commonly used (breached) password';
  return undefined;
}

const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb',
];

/** The whole password is a run of some sequence (forwards or backwards), possibly repeated. */
function isSequence(s: string): boolean {
  for (const seq of SEQUENCES) {
    const both = [seq + seq, [...(seq + seq)].reverse().join('')];
    // Strip repetitions of a prefix shorter than the password: "abcabcabcabc".
    for (let n = 3; n <= s.length; n++) {
      const unit = s.slice(0, n);
      if (unit.repeat(Math.ceil(s.length / n)).slice(0, s.length) !== s) continue;
      if (both.some((b) => b.includes(unit))) return true;
    }
  }
  return false;
}

/** Listed, or a listed word padded with digits/symbols or repeated ("password1234", "dragondragon"). */
function isCommon(s: string): boolean {
  const list = commonPasswords();
  if (list.has(s)) return true;
  const stripped = s.replace(/[^a-z]+$/, '').replace(/^[^a-z]+/, '');
  if (stripped.length >= 4 && list.has(stripped)) return true;
  for (let n = 4; n <= s.length / 2; n++) {
    if (s.length % n === 0 && s.slice(0, n).repeat(s.length / n) === s && list.has(s.slice(0, n)))
      return true;
  }
  return false;
}
