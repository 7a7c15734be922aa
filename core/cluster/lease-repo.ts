import type { Kysely, Transaction } from 'kysely';
import { VigilError } from '../errors.js';

/** The lease row (migration 0060). */
export interface ClusterLeaseTable {
  name: string;
  holder: string;
  epoch: number;
  expires_at: number;
  taken_at: number;
}

export interface ClusterInstancesTable {
  id: string;
  started_at: number;
  heartbeat_at: number;
  config_hash: string;
}

export interface ClusterTables {
  cluster_lease: ClusterLeaseTable;
  cluster_instances: ClusterInstancesTable;
}

export type ClusterDb = Kysely<ClusterTables>;

/** The one lease the leader holds. */
export const LEADER_LEASE = 'leader';

/**
 * The fencing check, inside the transaction that makes a leader's write: locks the lease row
 * (`FOR UPDATE`, so a takeover waits for this transaction, and this one waits for a takeover in
 * progress) and refuses with STO_FENCED unless the row still shows `epoch` held by `holder`. A
 * leader that was paused or cut off and comes back finds a newer epoch and writes nothing.
 * PostgreSQL only: on SQLite one instance is always the leader.
 */
export async function assertLeaseEpoch(
  trx: Transaction<ClusterTables> | ClusterDb,
  holder: string,
  epoch: number,
): Promise<void> {
  const row = await trx
    .selectFrom('cluster_lease')
    .select(['holder', 'epoch'])
    .where('name', '=', LEADER_LEASE)
    .forUpdate()
    .executeTakeFirst();
  if (!row || row.epoch !== epoch || row.holder !== holder)
    throw new VigilError(
      'STO_FENCED',
      `not the leader any more: this instance's epoch is ${epoch}, the lease shows epoch ${row?.epoch ?? 'none'} held by ${row?.holder ?? 'nobody'}`,
    );
}

/** What one round of the election saw and did. */
export interface LeaseRound {
  leader: boolean;
  epoch: number;
  holder: string;
  expiresAt: number;
  takenAt: number;
  tookOver: boolean;
}

/**
 * One round, in one transaction with the row locked: the holder renews a lease that has not
 * expired; anyone takes over an expired one, raising the epoch; otherwise nothing changes.
 */
export async function leaseRound(
  db: ClusterDb,
  me: string,
  nowMs: number,
  ttlMs: number,
): Promise<LeaseRound> {
  await db
    .insertInto('cluster_lease')
    .values({ name: LEADER_LEASE, holder: '', epoch: 0, expires_at: 0, taken_at: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('cluster_lease')
      .selectAll()
      .where('name', '=', LEADER_LEASE)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const expiresAt = nowMs + ttlMs;
    if (row.holder === me && row.expires_at > nowMs) {
      await trx
        .updateTable('cluster_lease')
        .set({ expires_at: expiresAt })
        .where('name', '=', LEADER_LEASE)
        .execute();
      return {
        leader: true,
        epoch: row.epoch,
        holder: me,
        expiresAt,
        takenAt: row.taken_at,
        tookOver: false,
      };
    }
    if (row.expires_at <= nowMs) {
      const epoch = row.epoch + 1;
      await trx
        .updateTable('cluster_lease')
        .set({ holder: me, epoch, expires_at: expiresAt, taken_at: nowMs })
        .where('name', '=', LEADER_LEASE)
        .execute();
      return { leader: true, epoch, holder: me, expiresAt, takenAt: nowMs, tookOver: true };
    }
    return {
      leader: false,
      epoch: row.epoch,
      holder: row.holder,
      expiresAt: row.expires_at,
      takenAt: row.taken_at,
      tookOver: false,
    };
  });
}

/** Gives the lease up at a clean stop (only if still ours), so a successor need not wait for expiry. */
export async function releaseLease(db: ClusterDb, me: string, epoch: number): Promise<void> {
  await db
    .updateTable('cluster_lease')
    .set({ expires_at: 0 })
    .where('name', '=', LEADER_LEASE)
    .where('holder', '=', me)
    .where('epoch', '=', epoch)
    .execute();
}

/** Records this instance's heartbeat (for `vigil cluster status`). */
export async function heartbeat(
  db: ClusterDb,
  row: { id: string; startedAt: number; nowMs: number; configHash: string },
): Promise<void> {
  await db
    .insertInto('cluster_instances')
    .values({ id: row.id, started_at: row.startedAt, heartbeat_at: row.nowMs, config_hash: row.configHash })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: row.nowMs, config_hash: row.configHash }))
    .execute();
}
