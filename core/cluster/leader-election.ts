import type { Kysely, Transaction } from 'kysely';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock, Component } from '../runtime.js';
import type { Store } from '../store/index.js';
import {
  assertLeaseEpoch,
  heartbeat,
  leaseRound,
  releaseLease,
  type ClusterDb,
  type ClusterTables,
} from './lease-repo.js';

export interface LeaderElectionOptions {
  store: Store;
  /** This instance's id (unique per process: host, pid, a random part). */
  instanceId: string;
  clock: Clock;
  log: Logger;
  /** How long a lease holds without renewal (default 15 s). */
  ttlMs?: number;
  /** How often the lease is renewed or, by the others, tried (default 5 s). */
  renewMs?: number;
  /** Shown in `vigil cluster status`, so all instances can be seen to run one config. */
  configHash?: string;
}

/**
 * Leadership with fencing (issue 16). On PostgreSQL a lease row with an epoch: the leader renews
 * it every `renewMs`; when it expires (`ttlMs` without renewal) another instance takes it over
 * and raises the epoch. `isLeader()` is also false once this instance's own lease time has run
 * out by its clock (a leader frozen past its lease stops acting before it even asks), and a write
 * that must happen once checks `assertLeader(trx)` inside its transaction, which refuses a stale
 * epoch. On SQLite there is one instance per store: it is always the leader, epoch 1.
 */
export class LeaderElection implements Component {
  readonly name = 'leader-election';
  private readonly ttlMs: number;
  private readonly renewMs: number;
  private readonly startedAt: number;
  private ownEpoch: number | undefined;
  private ownUntil = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private round: Promise<void> | undefined;
  private readOnce = false;
  /** The last takeover this instance saw (epoch ms), for status and metrics. */
  lastTakeoverAt: number | undefined;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.ttlMs = opts.ttlMs ?? 15_000;
    this.renewMs = opts.renewMs ?? 5_000;
    this.startedAt = opts.clock.now();
    if (opts.store.engine === 'sqlite') {
      this.ownEpoch = 1;
      this.readOnce = true;
    }
  }

  private get db(): ClusterDb {
    return this.opts.store.db as ClusterDb;
  }

  /** The epoch this instance leads under, or undefined when it does not lead. */
  get epoch(): number | undefined {
    return this.isLeader() ? this.ownEpoch : undefined;
  }

  isLeader(): boolean {
    if (this.opts.store.engine === 'sqlite') return true;
    return this.ownEpoch !== undefined && this.opts.clock.now() < this.ownUntil;
  }

  /** True once the lease was read at least once (for /readyz). */
  ready(): boolean {
    return this.readOnce;
  }

  /** One election round: renew, take over an expired lease, or follow. Errors leave this instance a follower. */
  async tick(): Promise<void> {
    if (this.opts.store.engine === 'sqlite') return;
    const now = this.opts.clock.now();
    try {
      const r = await leaseRound(this.db, this.opts.instanceId, now, this.ttlMs);
      this.readOnce = true;
      if (r.takenAt > 0) this.lastTakeoverAt = r.takenAt;
      if (r.leader) {
        if (r.tookOver) this.opts.log.warn({ epoch: r.epoch }, 'took over the leader lease');
        this.ownEpoch = r.epoch;
        this.ownUntil = r.expiresAt;
      } else {
        if (this.ownEpoch !== undefined)
          this.opts.log.warn({ epoch: r.epoch, leader: r.holder }, 'lost the leader lease');
        this.ownEpoch = undefined;
      }
      await heartbeat(this.db, {
        id: this.opts.instanceId,
        startedAt: this.startedAt,
        nowMs: now,
        configHash: this.opts.configHash ?? '',
      });
    } catch (err) {
      this.opts.log.error({ err: errorMessage(err) }, 'leader lease round failed; acting as a follower');
      this.ownEpoch = undefined;
    }
  }

  /**
   * The fencing check inside a transaction that makes a leader-only write: throws STO_FENCED
   * unless this instance still holds the lease under `epoch` (default: its current epoch).
   */
  async assertLeader(
    trx: Transaction<ClusterTables> | Kysely<ClusterTables>,
    epoch = this.ownEpoch,
  ): Promise<void> {
    if (this.opts.store.engine === 'sqlite') return;
    await assertLeaseEpoch(trx, this.opts.instanceId, epoch ?? -1);
  }

  async start(): Promise<void> {
    if (this.opts.store.engine === 'sqlite') return;
    await this.tick();
    this.timer = setInterval(() => {
      this.round ??= this.tick().finally(() => (this.round = undefined));
    }, this.renewMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
    const epoch = this.ownEpoch;
    this.ownEpoch = undefined;
    if (epoch !== undefined && this.opts.store.engine === 'postgres') {
      try {
        await releaseLease(this.db, this.opts.instanceId, epoch);
      } catch (err) {
        this.opts.log.warn({ err: errorMessage(err) }, 'could not release the leader lease; it expires');
      }
    }
  }
}
