import { Counter, Histogram, type Registry } from 'prom-client';

/** The scheduler's metrics, registered once per registry (several schedulers may share one). */
export interface SchedulerMetrics {
  skipped: Counter<'job'>;
  runs: Counter<'job' | 'result'>;
  duration: Histogram<'job'>;
}

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function schedulerMetrics(registry: Registry): SchedulerMetrics {
  return {
    skipped: reuse(
      registry,
      'vigil_scheduler_skipped_total',
      () =>
        new Counter({
          name: 'vigil_scheduler_skipped_total',
          help: 'Scheduled ticks skipped because the previous run of the job was still running',
          labelNames: ['job'],
          registers: [registry],
        }),
    ),
    runs: reuse(
      registry,
      'vigil_scheduler_runs_total',
      () =>
        new Counter({
          name: 'vigil_scheduler_runs_total',
          help: 'Finished job runs by result (ok, error)',
          labelNames: ['job', 'result'],
          registers: [registry],
        }),
    ),
    duration: reuse(
      registry,
      'vigil_scheduler_run_duration_seconds',
      () =>
        new Histogram({
          name: 'vigil_scheduler_run_duration_seconds',
          help: 'Wall time of job runs',
          labelNames: ['job'],
          buckets: [0.01, 0.1, 1, 10, 60, 300, 1800],
          registers: [registry],
        }),
    ),
  };
}
