// core/schedule: cron and interval jobs, next runs, the >= 4 runs / 24 h proof (DESIGN.md S10).
export type { JobContext, JobFn, Scheduler } from './scheduler.js';
export { createScheduler } from './scheduler.js';
export { validateCron, nextRuns, minRunsInWindow } from './cron-runs.js';
