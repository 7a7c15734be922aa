import type { FastifyPluginAsync } from 'fastify';
import type { Command } from 'commander';
import type {
  Alert,
  AlertSink,
  Component,
  FindingSink,
  ProbeResultSink,
  RuntimeContext,
} from '../../core/index.js';

/** The validated, frozen configuration: one entry per registered top-level section. */
export type LoadedConfig = Readonly<Record<string, unknown>> & { readonly __file: string };

/** Sinks through which one domain's output reaches another; app/ wires them. */
export interface Sinks {
  alerts: AlertSink;
  probeResults: ProbeResultSink;
  findings: FindingSink;
}

export interface WireContext extends RuntimeContext {
  config: LoadedConfig;
  sinks: Sinks;
}

/** What a domain adds to `vigil start`: its long-running parts and its HTTP routes. */
export interface DomainWiring {
  components: Component[];
  /** A fastify plugin with the domain's routes; each route declares `config: { permission }`. */
  http?: FastifyPluginAsync;
  /** The alert router (alerting only): where `ctx.sinks.alerts` delivers, and what it holds as firing. */
  alertRouter?: AlertRouterPort;
}

/** What app/ needs of the alert router: ingest, and the alerts firing now (the overview page). */
export interface AlertRouterPort {
  ingest(alerts: Alert[]): Promise<void>;
  /** Absent when no router runs: the overview then lists what passed through the alert sink. */
  firing?(): Alert[];
}

/** A domain's CLI commands, registered on the root program by app/cli.ts. */
export type RegisterCommands = (program: Command) => void;
