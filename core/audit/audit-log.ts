import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, type Registry } from 'prom-client';
import { VigilError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock, Component } from '../runtime.js';
import type { Store } from '../store/store.js';
import type { AuditSigner } from './keys.js';
import { appendChained, chainHead, withChainLock, type AuditDb } from './repo.js';
import type { AuditCheckpoint, AuditInput } from './types.js';

export interface AuditLogOptions {
  store: Store;
  log: Logger;
  clock: Clock;
  /** Signs checkpoints; without it (the CLI) `checkpoint()` refuses and no timer runs. */
  signer?: AuditSigner;
  /** Sign a checkpoint this often (default 1 h); 0 for none. */
  checkpointIntervalMs?: number;
  /** Most entries in one transaction (default 2000). */
  maxBatch?: number;
  /** Attempts at committing a batch before its entries are given up (logged). Default 5. */
  maxAttempts?: number;
  metrics?: Registry;
}

/**
 * The writer of the audit log. `append` only queues; one drain loop commits whatever has queued
 * in a single transaction under the chain lock (group commit), so a burst of requests costs one
 * commit, not one each. The seq and prevHash of every entry are assigned inside that transaction
 * from the committed head, so concurrent writers (the CLI next to `vigil start`, two instances on
 * one PostgreSQL) extend one chain and never fork it, and a crash loses at most the entries not
 * yet committed — never a link of the chain. `stop` commits everything queued before it returns.
 */
export class AuditLog implements Component {
  readonly name = 'audit';
  readonly #o: AuditLogOptions;
  readonly #db: AuditDb;
  #queue: AuditInput[] = [];
  #draining: Promise<void> | undefined;
  #lost = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #entries: Counter | undefined;
  readonly #commits: Counter | undefined;

  constructor(opts: AuditLogOptions) {
    this.#o = opts;
    this.#db = opts.store.db as AuditDb;
    if (opts.metrics) {
      this.#entries = new Counter({
        name: 'vigil_audit_entries_total',
        help: 'Audit log entries committed.',
        registers: [opts.metrics],
      });
      this.#commits = new Counter({
        name: 'vigil_audit_commits_total',
        help: 'Audit log transactions (each commits a batch of entries).',
        registers: [opts.metrics],
      });
    }
  }

  /** Queues one entry; it is committed by the next round of the drain loop. Never throws. */
  append(input: AuditInput): void {
    if (this.#closed) {
      this.#o.log.error({ action: input.action }, 'audit entry after the audit log was closed; not recorded');
      this.#lost++;
      return;
    }
    this.#queue.push(input);
    this.#draining ??= this.#drain().finally(() => (this.#draining = undefined));
  }

  /** Resolves when everything appended so far is committed; throws AUDIT_LOST if entries were given up. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
    if (this.#lost > 0) {
      const n = this.#lost;
      this.#lost = 0;
      throw new VigilError('STO_AUDIT_LOST', `${n} audit entr${n === 1 ? 'y' : 'ies'} could not be written`);
    }
  }

  async #drain(): Promise<void> {
    // Let the entries of the same tick (and the requests answered meanwhile) join the batch.
    await new Promise((r) => setImmediate(r));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#o.maxBatch ?? 2000);
      const max = this.#o.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        try {
          await withChainLock(this.#db, (trx) => appendChained(trx, batch));
          this.#entries?.inc(batch.length);
          this.#commits?.inc();
          break;
        } catch (err) {
          if (attempt >= max) {
            this.#lost += batch.length;
            this.#o.log.error(
              { err: errorMessage(err), lost: batch.length },
              'audit entries could not be written',
            );
            break;
          }
          this.#o.log.warn({ err: errorMessage(err), attempt }, 'audit commit failed; retrying');
          await sleep(Math.min(100 * 2 ** attempt, 3000));
        }
      }
    }
  }

  /** Signs a checkpoint over every entry committed so far (also when nothing happened since the last). */
  async checkpoint(): Promise<AuditCheckpoint> {
    const signer = this.#o.signer;
    if (!signer) throw new VigilError('STO_AUDIT_KEY', 'this audit log has no signing key');
    await this.flush();
    return withChainLock(this.#db, async (trx) => {
      const head = await chainHead(trx);
      const cp = signer.sign({ seq: head.seq, hash: head.hash, at: this.#o.clock.now() });
      await trx
        .insertInto('audit_checkpoints')
        .values({ seq: cp.seq, hash: cp.hash, at: cp.at, key_id: cp.keyId, signature: cp.signature })
        .execute();
      return cp;
    });
  }

  async start(): Promise<void> {
    const every = this.#o.checkpointIntervalMs ?? 3_600_000;
    if (!this.#o.signer || every <= 0) return;
    const tick = (): void => {
      this.checkpoint().then(
        (cp) => this.#o.log.debug({ seq: cp.seq }, 'audit checkpoint signed'),
        (err: unknown) => this.#o.log.error({ err: errorMessage(err) }, 'audit checkpoint failed'),
      );
    };
    this.#timer = setInterval(tick, every);
    this.#timer.unref();
  }

  /** Commits what is queued and, with a key, signs a last checkpoint; later appends are refused. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    try {
      await this.flush();
      if (this.#o.signer) await this.checkpoint();
    } finally {
      this.#closed = true;
    }
  }
}
