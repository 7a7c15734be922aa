import { Gauge, type Registry } from 'prom-client';
import type { LeaderElection } from './leader-election.js';

/**
 * `vigil_cluster_leader` (1 while this instance leads), `vigil_cluster_epoch` (the epoch it leads
 * under, 0 when it follows) and `vigil_cluster_last_takeover_timestamp_seconds`, read at scrape time.
 */
export function registerClusterMetrics(registry: Registry, election: LeaderElection): void {
  new Gauge({
    name: 'vigil_cluster_leader',
    help: '1 while this instance holds the leader lease',
    registers: [registry],
    collect() {
      this.set(election.isLeader() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_cluster_epoch',
    help: 'The lease epoch this instance leads under (0 when it follows)',
    registers: [registry],
    collect() {
      this.set(election.epoch ?? 0);
    },
  });
  new Gauge({
    name: 'vigil_cluster_last_takeover_timestamp_seconds',
    help: 'When the leader lease was last taken over, as this instance last read it',
    registers: [registry],
    collect() {
      this.set((election.lastTakeoverAt ?? 0) / 1000);
    },
  });
}
