import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { SecretBox } from '../../core/index.js';
import type { AuthDb } from './db.js';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30 s steps. */
const PERIOD_S = 30;
/** One step either side (RFC 6238 §5.2 allows for transmission delay and clock drift). */
const TOLERANCE_S = 30;

const context = (userId: string) => `totp:${userId}`;

/** What a user needs to enrol: the base32 secret, the otpauth:// URI and the QR code as SVG. */
export interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

/** The enrolment of a user: a pending secret is kept (sealed) so repeated sign-ins show the same one. */
export async function enrolment(
  db: AuthDb,
  box: SecretBox,
  user: { id: string; name: string; totp_secret: string | null },
  issuer: string,
): Promise<Enrolment> {
  let secret: string;
  if (user.totp_secret) secret = box.open(user.totp_secret, context(user.id));
  else {
    secret = generateSecret();
    await db
      .updateTable('auth_users')
      .set({ totp_secret: box.seal(secret, context(user.id)) })
      .where('id', '=', user.id)
      .execute();
  }
  const uri = generateURI({ issuer, label: user.name, secret });
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M' });
  return { secret, uri, qrSvg };
}

/**
 * Checks a TOTP code and spends it: the (user, time step) row is inserted with ON CONFLICT DO
 * NOTHING, so of two requests with the same code, here or on another instance on the same
 * PostgreSQL, exactly one gets the row and the other is refused (RFC 6238 §5.2: "the verifier
 * MUST NOT accept the second attempt of the OTP after the successful validation").
 */
export async function spendTotp(
  db: AuthDb,
  box: SecretBox,
  user: { id: string; totp_secret: string | null },
  code: string,
  nowMs: number,
): Promise<boolean> {
  if (!user.totp_secret || !/^\d{6}$/.test(code)) return false;
  const secret = box.open(user.totp_secret, context(user.id));
  const r = await verify({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_S,
    period: PERIOD_S,
  });
  if (!r.valid) return false;
  const step = (r as { timeStep: number }).timeStep;
  const ins = await db
    .insertInto('auth_totp_steps')
    .values({ user_id: user.id, step, used_at: nowMs })
    .onConflict((oc) => oc.columns(['user_id', 'step']).doNothing())
    .executeTakeFirst();
  const won = Number(ins.numInsertedOrUpdatedRows ?? 0n) === 1;
  // Steps older than the tolerance can never be presented again: keep the table small.
  if (won)
    await db
      .deleteFrom('auth_totp_steps')
      .where('user_id', '=', user.id)
      .where('step', '<', step - 10)
      .execute();
  return won;
}

const RECOVERY_CODES = 10;
const hashCode = (c: string) =>
  createHash('sha256')
    .update(c.replace(/[^a-z0-9]/gi, '').toLowerCase())
    .digest('hex');

/** New recovery codes (80 bits each), replacing any old ones; only their SHA-256 is stored. */
export async function newRecoveryCodes(db: AuthDb, userId: string, nowMs: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const hex = randomBytes(10).toString('hex');
    return hex.match(/.{5}/g)!.join('-');
  });
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('auth_recovery_codes').where('user_id', '=', userId).execute();
    await trx
      .insertInto('auth_recovery_codes')
      .values(
        codes.map((c) => ({ user_id: userId, code_hash: hashCode(c), created_at: nowMs, used_at: null })),
      )
      .execute();
  });
  return codes;
}

/** Spends a recovery code: one conditional UPDATE, so a code works exactly once. */
export async function spendRecoveryCode(
  db: AuthDb,
  userId: string,
  code: string,
  nowMs: number,
): Promise<boolean> {
  if (!/^[0-9a-f]{5}(-?[0-9a-f]{5}){3}$/i.test(code.trim())) return false;
  const r = await db
    .updateTable('auth_recovery_codes')
    .set({ used_at: nowMs })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashCode(code.trim()))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
