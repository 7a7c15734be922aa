// Filled by the core/time work: Alertmanager time_intervals, DST-correct evaluation, range helpers.
export {};
