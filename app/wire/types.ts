import type { FastifyPluginAsync } from 'fastify';
import type { Command } from 'commander';
import type { AlertSink, Component, FindingSink, ProbeResultSink, RuntimeContext } from '../../core/index.js';

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
}

/** A domain's CLI commands, registered on the root program by app/cli.ts. */
export type RegisterCommands = (program: Command) => void;
