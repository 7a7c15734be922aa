import type { Kysely } from 'kysely';
import type { ProbeResultsDb } from '../core/index.js';
import type { SlaSample } from './timeline.js';

/**
 * SLA samples straight from probe_results, reading only the six columns the computation uses:
 * a month of 10 s results from 3 locations is ~800k rows, and building full ProbeResults for them
 * costs several times the computation itself. Sorted by start. With several targets, each
 * (target, location) pair is its own voter, labelled `target@location`, so two probes from one
 * place never interleave into one flapping timeline.
 */
export async function querySlaSamples(
  db: Kysely<ProbeResultsDb>,
  q: { targetIds: string[]; fromMs: number; toMs: number },
): Promise<SlaSample[]> {
  if (q.targetIds.length === 0) return [];
  const rows = await db
    .selectFrom('probe_results')
    .select(['target_id', 'started_at', 'location', 'ok', 'total_ms', 'loop_flagged', 'loop_delay_ms'])
    .where('target_id', 'in', q.targetIds)
    .where('started_at', '>=', q.fromMs)
    .where('started_at', '<', q.toMs)
    .orderBy('started_at')
    .execute();
  const several = q.targetIds.length > 1;
  const out: SlaSample[] = new Array<SlaSample>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const s: SlaSample = {
      ts: Number(r.started_at),
      ok: r.ok === 1,
      totalMs: r.total_ms,
      location: several ? `${r.target_id}@${r.location}` : r.location,
      loopDelayMs: r.loop_delay_ms,
    };
    if (r.loop_flagged === 1) s.loopDelayFlagged = true;
    out[i] = s;
  }
  return out;
}
