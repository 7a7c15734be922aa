import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import {
  VigilError,
  errorMessage,
  isLoopbackHost,
  type Component,
  type Logger,
  type Registry,
} from '../core/index.js';
import { AgentBuffer } from './agent-buffer.js';
import { decodeAgentConfig } from './agent-wire.js';
import type { ResolvedProbe } from './config.js';
import { LoopMonitor } from './loop-monitor.js';
import { ProbeMetrics } from './probe-metrics.js';
import { ProbeScheduler } from './scheduler.js';
import { scheduledProbesFor } from './targets.js';

export interface AgentOptions {
  location: string;
  serverUrl: string;
  token: string;
  /** CA certificate(s), PEM, to trust for an HTTPS server (e.g. vigil's self-signed certificate). */
  ca?: string;
  /** Directory of the on-disk buffer. */
  bufferDir: string;
  log: Logger;
  metrics?: Registry;
  /** Probes from a local config file; without it they are fetched from the server. */
  probes?: ResolvedProbe[];
  maxConcurrency?: number;
  loopDelayThresholdMs?: number;
  batchSize?: number;
  sendIntervalMs?: number;
  maxBackoffMs?: number;
}

/**
 * The agent sends its token with every request: over plain HTTP anyone on the path could take it.
 * So `http://` is accepted only for a loopback server (tests, a proxy on the same host).
 */
export function checkAgentServerUrl(serverUrl: string): URL {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new VigilError('PRB_AGENT_URL', `--server "${serverUrl}" is not a URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new VigilError(
    'PRB_AGENT_URL',
    url.protocol === 'http:'
      ? `--server ${url.origin} is plain HTTP on a host that is not loopback: the agent token would cross the network unencrypted; use https://`
      : `--server "${serverUrl}" must be an https:// URL`,
  );
}

/**
 * `vigil agent`: runs the probes of one location and pushes results to the server in batches.
 * Every result goes through the fsynced on-disk buffer first; the sender reads from the
 * acknowledged offset, so a server that is down only delays results, and a crash loses none.
 */
export class ProbeAgent implements Component {
  readonly name = 'probe-agent';
  readonly #opts: AgentOptions;
  readonly #log: Logger;
  readonly #buffer: AgentBuffer;
  readonly #stop = new AbortController();
  readonly #dispatcher: Dispatcher | undefined;
  #scheduler: ProbeScheduler | undefined;
  #sender: Promise<void> | undefined;
  /** Results acknowledged by the server since start. */
  sent = 0;

  constructor(opts: AgentOptions) {
    checkAgentServerUrl(opts.serverUrl);
    this.#opts = opts;
    this.#dispatcher = opts.ca ? new Agent({ connect: { ca: opts.ca } }) : undefined;
    this.#log = opts.log.child({ component: 'probe-agent', location: opts.location });
    this.#buffer = new AgentBuffer(opts.bufferDir);
  }

  #url(path: string): string {
    return new URL(path, this.#opts.serverUrl).href;
  }

  async #fetchProbes(): Promise<ResolvedProbe[]> {
    let backoff = 500;
    while (!this.#stop.signal.aborted) {
      try {
        const res = await request(this.#url('/api/v1/agent/config'), {
          headers: { authorization: `Bearer ${this.#opts.token}` },
          signal: this.#stop.signal,
          ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
        });
        const text = await res.body.text();
        if (res.statusCode === 200) {
          const doc = decodeAgentConfig(text);
          if (doc.location !== this.#opts.location) {
            throw new VigilError(
              'PRB_AGENT_LOCATION',
              `the server knows this token as location ${doc.location}, not ${this.#opts.location}`,
            );
          }
          return doc.probes;
        }
        this.#log.warn(
          { status: res.statusCode, body: text.slice(0, 200) },
          'server refused the agent config request',
        );
      } catch (err) {
        if (err instanceof VigilError) throw err;
        this.#log.warn({ err: errorMessage(err) }, 'cannot fetch the agent config; retrying');
      }
      await sleep(backoff, undefined, { signal: this.#stop.signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, this.#opts.maxBackoffMs ?? 30_000);
    }
    return [];
  }

  async start(): Promise<void> {
    await this.#buffer.open();
    this.#sender = this.#sendLoop();
    const probes = this.#opts.probes ?? (await this.#fetchProbes());
    const entries = scheduledProbesFor(probes, this.#opts.location);
    this.#log.info({ targets: entries.length }, 'agent probes assigned');
    this.#scheduler = new ProbeScheduler(entries, {
      maxConcurrency: this.#opts.maxConcurrency ?? 64,
      loopDelayThresholdMs: this.#opts.loopDelayThresholdMs ?? 20,
      monitor: new LoopMonitor(),
      log: this.#log,
      ...(this.#opts.metrics ? { metrics: new ProbeMetrics(this.#opts.metrics) } : {}),
      onResult: (r) => {
        this.#buffer
          .append([r])
          .catch((err: unknown) => this.#log.error({ err }, 'cannot write to the agent buffer'));
      },
    });
    if (!this.#stop.signal.aborted) this.#scheduler.start();
  }

  async #sendLoop(): Promise<void> {
    const batchSize = this.#opts.batchSize ?? 500;
    const interval = this.#opts.sendIntervalMs ?? 1000;
    let backoff = interval;
    while (!this.#stop.signal.aborted) {
      const { results, endOffset } = this.#buffer.readPending(batchSize);
      if (results.length === 0) {
        await sleep(interval, undefined, { signal: this.#stop.signal }).catch(() => undefined);
        continue;
      }
      const outcome = await this.#send(results);
      if (outcome === 'ok' || outcome === 'rejected') {
        await this.#buffer.ack(endOffset);
        if (outcome === 'ok') this.sent += results.length;
        backoff = interval;
        continue;
      }
      await sleep(backoff, undefined, { signal: this.#stop.signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, this.#opts.maxBackoffMs ?? 30_000);
    }
  }

  /** ok; rejected (400/403: the batch will never be accepted, it is logged and dropped); retry. */
  async #send(results: unknown[]): Promise<'ok' | 'rejected' | 'retry'> {
    try {
      const res = await request(this.#url('/api/v1/agent/results'), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.#opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ results }),
        signal: AbortSignal.timeout(30_000),
        ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
      });
      const text = await res.body.text();
      if (res.statusCode === 200) return 'ok';
      if (res.statusCode === 400 || res.statusCode === 403) {
        this.#log.error(
          { status: res.statusCode, body: text.slice(0, 300), dropped: results.length },
          'server rejected a result batch',
        );
        return 'rejected';
      }
      this.#log.warn(
        { status: res.statusCode, body: text.slice(0, 200) },
        'server did not take the batch; will retry',
      );
    } catch (err) {
      this.#log.warn({ err: errorMessage(err) }, 'server unreachable; results stay buffered');
    }
    return 'retry';
  }

  /** Bytes still waiting for the server. */
  backlogBytes(): number {
    return this.#buffer.backlogBytes;
  }

  async stop(deadlineMs: number): Promise<void> {
    await this.#scheduler?.stop(Math.max(100, deadlineMs / 2));
    this.#stop.abort();
    await this.#sender;
    await this.#buffer.close();
    await this.#dispatcher?.close();
  }
}
