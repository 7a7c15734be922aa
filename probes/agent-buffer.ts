import {
  mkdirSync,
  openSync,
  closeSync,
  fstatSync,
  readSync,
  ftruncateSync,
  existsSync,
  readFileSync,
} from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { VigilError, errorMessage, type ProbeResult } from '../core/index.js';

/**
 * The agent's durable outbox: results are appended as NDJSON to `results.ndjson` and fsynced
 * before they count as kept; `acked` holds the byte offset up to which the server confirmed
 * them (written to a temp file, fsynced, renamed, so it is never half-written). A restart resumes
 * at the acknowledged offset, so nothing is lost; a batch sent but not yet acknowledged is sent
 * again, and the server's store ignores duplicates by (target, location, startedAt).
 */
export class AgentBuffer {
  readonly #file: string;
  readonly #ackFile: string;
  #fh: FileHandle | undefined;
  #acked = 0;
  #size = 0;
  #pending: ProbeResult[] = [];
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#file = join(dir, 'results.ndjson');
    this.#ackFile = join(dir, 'acked');
  }

  /** Opens the files, drops a torn last line (a crash mid-append) and reads the acked offset. */
  async open(): Promise<void> {
    try {
      const fd = openSync(this.#file, 'a+');
      const size = fstatSync(fd).size;
      let end = size;
      const tail = Buffer.alloc(Math.min(size, 65_536));
      if (size > 0) {
        readSync(fd, tail, 0, tail.length, size - tail.length);
        end = size - tail.length + tail.lastIndexOf(0x0a) + 1;
        if (end < size) ftruncateSync(fd, end);
      }
      closeSync(fd);
      this.#size = end;
      const acked = existsSync(this.#ackFile) ? Number(readFileSync(this.#ackFile, 'utf8').trim()) : 0;
      this.#acked = Number.isFinite(acked) && acked <= end ? acked : 0;
      this.#fh = await open(this.#file, 'a');
    } catch (err) {
      throw new VigilError(
        'PRB_AGENT_BUFFER',
        `cannot open the agent buffer ${this.#file}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }

  /** Queues results; resolves when they are on disk (one write and fsync per burst). */
  append(results: ProbeResult[]): Promise<void> {
    this.#pending.push(...results);
    this.#writing = this.#writing.then(() => this.#flush());
    return this.#writing;
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0 || !this.#fh) return;
    const batch = this.#pending;
    this.#pending = [];
    const buf = Buffer.from(batch.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
    await this.#fh.write(buf);
    await this.#fh.datasync();
    this.#size += buf.length;
  }

  /** Bytes appended but not acknowledged. */
  get backlogBytes(): number {
    return this.#size - this.#acked;
  }

  /** Up to `max` unacknowledged results from the acked offset, and the offset after them. */
  readPending(max: number): { results: ProbeResult[]; endOffset: number } {
    const results: ProbeResult[] = [];
    if (this.#size <= this.#acked) return { results, endOffset: this.#acked };
    const fd = openSync(this.#file, 'r');
    try {
      const len = Math.min(this.#size - this.#acked, 4 * 1024 * 1024);
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, this.#acked);
      let pos = 0;
      while (results.length < max) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) break;
        results.push(JSON.parse(buf.subarray(pos, nl).toString('utf8')) as ProbeResult);
        pos = nl + 1;
      }
      return { results, endOffset: this.#acked + pos };
    } finally {
      closeSync(fd);
    }
  }

  /** Records that the server has everything before `offset`; compacts when all is acknowledged. */
  async ack(offset: number): Promise<void> {
    await this.#writing;
    this.#acked = offset;
    if (this.#acked === this.#size && this.#size > 16 * 1024 * 1024 && this.#fh) {
      await this.#fh.truncate(0);
      this.#size = 0;
      this.#acked = 0;
    }
    const tmp = `${this.#ackFile}.tmp`;
    const fh = await open(tmp, 'w');
    await fh.writeFile(String(this.#acked));
    await fh.sync();
    await fh.close();
    await rename(tmp, this.#ackFile);
  }

  async close(): Promise<void> {
    await this.#writing;
    await this.#fh?.close();
    this.#fh = undefined;
  }
}
