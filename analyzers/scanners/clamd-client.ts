import { connect, type Socket } from 'node:net';
import { VigilError, errorMessage } from '../../core/index.js';
import { parseClamdReply, splitReplies, type ClamdReply } from './clamd-reply.js';

export interface ClamdClientOptions {
  /** Path of clamd's LocalSocket. */
  socket: string;
  /** Time one command may take, from connect to the last reply byte. */
  timeoutMs: number;
}

/** The path-based scan commands (clamd(8)); all run with archive support. */
export type ClamdScanCommand = 'SCAN' | 'CONTSCAN' | 'MULTISCAN' | 'ALLMATCHSCAN';

/** INSTREAM chunk size: under clamd's default StreamMaxLength (25 MB), large enough to keep writes few. */
const CHUNK = 1024 * 1024;

/**
 * A small clamd client over its unix socket, speaking the NUL-delimited `z` commands of clamd(8)
 * so paths with newlines survive. One connection per command (clamd closes it after each
 * non-session command). A socket that closes without a reply, a timeout or an unknown reply is an
 * error result, never "OK".
 */
export class ClamdClient {
  constructor(private readonly opts: ClamdClientOptions) {}

  /** `zPING` → true on PONG; throws SCN_CLAMD when clamd does not answer. */
  async ping(signal?: AbortSignal): Promise<boolean> {
    const out = await this.command('zPING\0', undefined, signal, true);
    return out.trim().replace(/\0/g, '') === 'PONG';
  }

  /** `zVERSION`, e.g. "ClamAV 1.4.6/0/..." */
  async version(signal?: AbortSignal): Promise<string> {
    return (await this.command('zVERSION\0', undefined, signal, true)).replace(/\0/g, '').trim();
  }

  /** `zRELOAD`: clamd re-reads its database directory (it answers RELOADING and reloads in the background). */
  async reload(signal?: AbortSignal): Promise<string> {
    return (await this.command('zRELOAD\0', undefined, signal, true)).replace(/\0/g, '').trim();
  }

  /** `zSHUTDOWN`: clamd exits cleanly (used on a clamd a previous vigil left running). */
  async shutdown(signal?: AbortSignal): Promise<void> {
    await this.command('zSHUTDOWN\0', undefined, signal);
  }

  /**
   * Scans a path clamd can read (it runs as the same user). Returns every reply line parsed; a
   * connection that ends with no reply throws SCN_CLAMD so the caller records an error.
   */
  async scanPath(
    path: string,
    command: ClamdScanCommand = 'SCAN',
    signal?: AbortSignal,
  ): Promise<ClamdReply[]> {
    const out = await this.command(`z${command} ${path}\0`, undefined, signal);
    const lines = splitReplies(out, '\0');
    if (lines.length === 0)
      throw new VigilError(
        'SCN_CLAMD',
        `clamd at ${this.opts.socket} closed the connection without a reply for ${path}`,
      );
    return lines.map((l) => parseClamdReply(l, path));
  }

  /** Streams a file's content with `zINSTREAM` (4-byte big-endian length chunks, zero-length end). */
  async scanStream(chunks: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<ClamdReply> {
    const out = await this.command('zINSTREAM\0', chunks, signal, true);
    const lines = splitReplies(out, '\0');
    const first = lines[0];
    if (first === undefined)
      throw new VigilError('SCN_CLAMD', `clamd at ${this.opts.socket} closed the stream without a reply`);
    return parseClamdReply(first, 'stream');
  }

  /**
   * Sends one command and collects the reply. `oneReply`: done at the first NUL (clamd keeps the
   * connection open after RELOAD, for one); otherwise done when clamd closes the connection.
   */
  private command(
    cmd: string,
    body: AsyncIterable<Buffer> | undefined,
    signal?: AbortSignal,
    oneReply = false,
  ): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const parts: Buffer[] = [];
      const sock: Socket = connect(this.opts.socket);
      const name = commandName(cmd);
      const timer = setTimeout(
        () =>
          fail(
            new VigilError(
              'SCN_TIMEOUT',
              `clamd at ${this.opts.socket} did not answer ${name} within ${this.opts.timeoutMs} ms`,
            ),
          ),
        this.opts.timeoutMs,
      );
      const onAbort = () => fail(new VigilError('SCN_ABORTED', 'clamd command aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        done();
        sock.destroy();
        reject(err);
      };
      sock.on('error', (err) =>
        fail(
          new VigilError('SCN_CLAMD', `clamd socket ${this.opts.socket}: ${errorMessage(err)}`, {
            cause: err,
          }),
        ),
      );
      const finish = () => {
        if (settled) return;
        settled = true;
        done();
        sock.destroy();
        resolve(Buffer.concat(parts).toString('utf8'));
      };
      sock.on('data', (d: Buffer) => {
        parts.push(d);
        if (oneReply && d.includes(0)) finish();
      });
      sock.on('end', finish);
      sock.on('connect', () => {
        sock.write(cmd);
        if (body)
          void streamBody(sock, body).catch((err: unknown) =>
            fail(err instanceof Error ? err : new Error(String(err))),
          );
      });
    });
  }
}

function commandName(cmd: string): string {
  const m = /^z([A-Z]+)/.exec(cmd);
  return m?.[1] ?? 'command';
}

async function streamBody(sock: Socket, body: AsyncIterable<Buffer>): Promise<void> {
  const closed = () => new VigilError('SCN_CLAMD', 'clamd closed the connection during INSTREAM');
  // Waits for 'drain' only when the kernel buffer is full, and removes both listeners either way.
  const write = (b: Buffer) =>
    new Promise<void>((res, rej) => {
      if (sock.destroyed) return rej(closed());
      if (sock.write(b)) return res();
      const onDrain = () => {
        sock.off('close', onClose);
        res();
      };
      const onClose = () => {
        sock.off('drain', onDrain);
        rej(closed());
      };
      sock.once('drain', onDrain);
      sock.once('close', onClose);
    });
  for await (const chunk of body) {
    for (let i = 0; i < chunk.length; i += CHUNK) {
      const part = chunk.subarray(i, Math.min(chunk.length, i + CHUNK));
      const len = Buffer.alloc(4);
      len.writeUInt32BE(part.length, 0);
      if (sock.destroyed) throw closed();
      sock.write(len); // 4 bytes; the await on the part below covers backpressure for both
      await write(part);
    }
  }
  await write(Buffer.alloc(4));
}
