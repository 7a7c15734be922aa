// Filled by the core/schedule work: cron and interval jobs, next runs, the >= 4 runs / 24 h proof.
export {};
