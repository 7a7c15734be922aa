import type { Command } from 'commander';
import { LEADER_LEASE, errorMessage, type ClusterDb } from '../../core/index.js';
import { placeOptions, withCliStore, type PlaceOptions } from '../cli-store.js';
import { CliExit } from '../cli-exit.js';

/** What `vigil cluster status` reports (also as JSON). */
export interface ClusterStatus {
  engine: string;
  leader: string | null;
  epoch: number;
  leaseExpiresAt: string | null;
  lastTakeoverAt: string | null;
  instances: { id: string; startedAt: string; heartbeatAt: string; configHash: string; leader: boolean }[];
}

const iso = (ms: number): string | null => (ms > 0 ? new Date(ms).toISOString() : null);

async function readStatus(db: ClusterDb, engine: string, nowMs: number): Promise<ClusterStatus> {
  const lease = await db
    .selectFrom('cluster_lease')
    .selectAll()
    .where('name', '=', LEADER_LEASE)
    .executeTakeFirst();
  const live = lease && lease.expires_at > nowMs ? lease : undefined;
  const rows = await db.selectFrom('cluster_instances').selectAll().orderBy('id').execute();
  return {
    engine,
    leader: live?.holder ?? null,
    epoch: lease?.epoch ?? 0,
    leaseExpiresAt: iso(live?.expires_at ?? 0),
    lastTakeoverAt: iso(lease?.taken_at ?? 0),
    instances: rows.map((r) => ({
      id: r.id,
      startedAt: iso(r.started_at)!,
      heartbeatAt: iso(r.heartbeat_at)!,
      configHash: r.config_hash,
      leader: r.id === live?.holder,
    })),
  };
}

function print(s: ClusterStatus): void {
  if (s.engine === 'sqlite') {
    process.stdout.write('single instance (SQLite store): it is always the leader\n');
    return;
  }
  process.stdout.write(
    `leader: ${s.leader ?? 'none (lease expired or never taken)'}, epoch ${s.epoch}` +
      `${s.leaseExpiresAt ? `, lease until ${s.leaseExpiresAt}` : ''}` +
      `${s.lastTakeoverAt ? `, last takeover ${s.lastTakeoverAt}` : ''}\n`,
  );
  const hashes = new Set(s.instances.map((i) => i.configHash));
  for (const i of s.instances)
    process.stdout.write(
      `${i.leader ? '*' : ' '} ${i.id}  heartbeat ${i.heartbeatAt}  started ${i.startedAt}  config ${i.configHash}` +
        `${hashes.size > 1 ? ' (configs differ)' : ''}\n`,
    );
}

/** `vigil cluster status` (docs/operations.md). */
export function registerClusterCommands(program: Command): void {
  const cluster = program.command('cluster').description('the vigil instances on one PostgreSQL store');
  placeOptions(cluster.command('status'))
    .description(
      'instances with their heartbeat and config hash, the leader, its epoch and the last takeover',
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: PlaceOptions & { json?: boolean }) => {
      try {
        await withCliStore(opts, async (_config, store) => {
          const status = await readStatus(store.db as ClusterDb, store.engine, Date.now());
          if (opts.json) process.stdout.write(`${JSON.stringify(status)}\n`);
          else print(status);
        });
      } catch (err) {
        process.stderr.write(`vigil cluster status: ${errorMessage(err)}\n`);
        throw new CliExit(2);
      }
    });
}
