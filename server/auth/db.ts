import type { Generated, Kysely } from 'kysely';

/** The accounts tables (migration 0600). Times are epoch ms; booleans 0/1. */
export interface AuthTables {
  auth_users: {
    id: string;
    name: string;
    password_hash: string;
    password_one_time: number;
    disabled: number;
    totp_secret: string | null;
    totp_enrolled: number;
    failed_count: number;
    locked_until: number | null;
    created_at: number;
    updated_at: number;
    last_login_at: number | null;
  };
  auth_grants: {
    id: Generated<number>;
    user_id: string;
    role: string;
    customer_id: string | null;
    reason: string;
    granted_by: string;
    granted_at: number;
    until: number;
    revoked_at: number | null;
  };
  auth_sessions: {
    id_hash: string;
    user_id: string;
    state: string;
    csrf_hash: string;
    address: string | null;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
    revoked_at: number | null;
  };
  auth_totp_steps: { user_id: string; step: number; used_at: number };
  auth_recovery_codes: {
    id: Generated<number>;
    user_id: string;
    code_hash: string;
    created_at: number;
    used_at: number | null;
  };
  auth_tokens: {
    id: string;
    name: string;
    token_hash: string;
    scopes: string;
    customer_id: string | null;
    created_by: string;
    created_at: number;
    expires_at: number | null;
    last_used_at: number | null;
    revoked_at: number | null;
  };
}

export type AuthDb = Kysely<AuthTables>;

/** bigint columns come back as strings from pg; this reads them as numbers. */
export const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
