import type { Logger } from './log.js';
import type { Registry } from './metrics.js';
import type { Store } from './store/store.js';
import type { Alert, ProbeResult, Finding } from './types.js';

/** A long-running part of `vigil start`, started and stopped by app/ in dependency order. */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  /** Stop taking work, finish or checkpoint what runs; must return within the given time. */
  stop(deadlineMs: number): Promise<void>;
  /** False while not ready to serve (used by /readyz). */
  ready?(): boolean;
}

/** Where domains hand data to other domains; app/ wires them. */
export type AlertSink = (alerts: Alert[]) => Promise<void>;
export type ProbeResultSink = (results: ProbeResult[]) => Promise<void>;
export type FindingSink = (findings: Finding[]) => Promise<void>;

/** A clock, injectable for tests of pure schedule logic. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What every component factory receives. No global state: everything is passed in. */
export interface RuntimeContext {
  log: Logger;
  metrics: Registry;
  store: Store;
  clock: Clock;
  dataDir: string;
  /**
   * Leadership among instances on one PostgreSQL (core/cluster): work that must happen once runs
   * only while `isLeader()`. Absent in tools and tests that run one instance (then: always leader).
   */
  leader?: { isLeader(): boolean; readonly epoch: number | undefined };
}
