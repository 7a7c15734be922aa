import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the worker answers for one POST: the status and (the start of) the body, or an error. */
export type PostAnswer = { status: number; body: string } | { error: string };

type Request = [id: number, url: string, headers: Record<string, string>, body: string];
type Answer = [id: number, status: number, body: string, error: string | null];

/**
 * The worker's code, plain CommonJS evaluated as a string: a `.ts` file would need the TypeScript
 * loader in the worker, which `node --import tsx` passes on but a test runner may not. It posts
 * with undici (keep-alive connections, one pool per origin, as on the main thread) and answers in
 * batches, one message per turn of its event loop, as the main thread asks in batches.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { request } = require(workerData.undici);
let out = [];
let scheduled = false;
function answer(a) {
  out.push(a);
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => { scheduled = false; const o = out; out = []; parentPort.postMessage(o); });
}
parentPort.on('message', (batch) => {
  for (const [id, url, headers, body] of batch) {
    request(url, { method: 'POST', headers, body, headersTimeout: 30000, bodyTimeout: 30000 })
      .then((res) => res.body.text().then((text) => answer([id, res.statusCode, text.slice(0, 1000), null])))
      .catch((err) => answer([id, 0, '', err instanceof Error ? err.message : String(err)]));
  }
});
`;

/**
 * Sends HTTP POSTs from a worker thread. Why: on the send path the HTTP client (request writes,
 * response parsing, socket reads) was the largest share of the main thread's CPU, and the main
 * thread also routes, ingests and writes the store; with the client on its own thread, delivery
 * uses a second core as Alertmanager's goroutines do. The worker holds the process open only
 * while a request is outstanding. If the worker dies, its outstanding requests answer with an
 * error (the queue retries them with the same notification id, which receivers deduplicate) and
 * the next request starts a new worker.
 */
export class PostWorker {
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, (a: PostAnswer) => void>();
  #outbox: Request[] = [];
  #scheduled = false;
  #next = 1;

  /**
   * Starts the thread now (it loads undici in a fresh isolate, some 100 ms of CPU) so the first
   * page after a start does not wait for that. Holds nothing open.
   */
  warm(): void {
    this.#ensure();
  }

  post(url: string, headers: Record<string, string>, body: string): Promise<PostAnswer> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#outbox.push([id, url, headers, body]);
      if (this.#scheduled) return;
      this.#scheduled = true;
      // Requests made in the same turn (a batch of sends) cross to the worker as one message.
      setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#outbox;
    this.#outbox = [];
    if (batch.length === 0) return;
    const w = this.#ensure();
    w.ref();
    w.postMessage(batch);
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const undici = createRequire(import.meta.url).resolve('undici');
    const w = new Worker(WORKER_CODE, { eval: true, workerData: { undici } });
    w.on('message', (answers: Answer[]) => {
      for (const [id, status, body, error] of answers) {
        const done = this.#waiting.get(id);
        this.#waiting.delete(id);
        done?.(error === null ? { status, body } : { error });
      }
      if (this.#waiting.size === 0) w.unref();
    });
    const lost = (why: string) => {
      if (this.#worker !== w) return;
      this.#worker = undefined;
      for (const done of this.#waiting.values()) done({ error: `HTTP worker ${why}` });
      this.#waiting.clear();
    };
    w.on('error', (err) => lost(`failed: ${err.message}`));
    w.on('exit', (code) => lost(`exited with code ${code}`));
    w.unref(); // held open only while a request is outstanding (#flush)
    this.#worker = w;
    return w;
  }
}
