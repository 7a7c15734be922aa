import { open, type FileHandle } from 'node:fs/promises';
import { errorMessage } from '../../core/index.js';
import { ClamdClient } from './clamd-client.js';
import { isLimitSignature, type ClamdReply } from './clamd-reply.js';
import type { EngineVerdict, FileFacts, ScanHit, Scanner } from './types.js';

/**
 * How files reach clamd. `scan`: clamd opens the path itself (zSCAN; it must run as a user that
 * can read the file, which holds for a managed clamd). `instream`: vigil reads the file and streams
 * it (zINSTREAM; works with a clamd running as another user). FILDES (fd passing) needs
 * SCM_RIGHTS, which Node's net module cannot send, so it is not offered (docs/scanning.md).
 */
export type ClamavMode = 'scan' | 'instream';

export interface ClamavScannerOptions {
  socket: string;
  timeoutMs: number;
  mode: ClamavMode;
  /** Fingerprint of the database clamd loaded (the managed database dir), for incremental scans. */
  fingerprint: () => Promise<string>;
}

/** The ClamAV engine: one clamd command per file; every failure is an `error` verdict, never clean. */
export class ClamavScanner implements Scanner {
  readonly name = 'clamav';
  private readonly client: ClamdClient;

  constructor(private readonly opts: ClamavScannerOptions) {
    this.client = new ClamdClient({ socket: opts.socket, timeoutMs: opts.timeoutMs });
  }

  async scan(file: FileFacts, signal?: AbortSignal): Promise<EngineVerdict> {
    let replies: ClamdReply[];
    try {
      if (this.opts.mode === 'scan') replies = await this.client.scanPath(file.path, 'SCAN', signal);
      else {
        // Open before connecting, so an unreadable file is an error before clamd sees a byte.
        const fh = await open(file.path, 'r');
        try {
          replies = [await this.client.scanStream(readChunks(fh), signal)];
        } finally {
          await fh.close();
        }
      }
    } catch (err) {
      return { status: 'error', reason: errorMessage(err) };
    }
    return verdictFromReplies(replies);
  }

  fingerprint(): Promise<string> {
    return this.opts.fingerprint();
  }

  /** The client, for PING / VERSION / RELOAD. */
  get clamd(): ClamdClient {
    return this.client;
  }
}

async function* readChunks(fh: FileHandle): AsyncGenerator<Buffer> {
  for (;;) {
    const buf = Buffer.allocUnsafe(1 << 20);
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) return;
    yield buf.subarray(0, bytesRead);
  }
}

/** Maps clamd replies for one file to a verdict; a limit heuristic is an error (not fully scanned). */
export function verdictFromReplies(replies: ClamdReply[]): EngineVerdict {
  const hits: ScanHit[] = [];
  const errors: string[] = [];
  for (const r of replies) {
    if (r.status === 'error') errors.push(r.message);
    else if (r.status === 'found') {
      if (isLimitSignature(r.signature))
        errors.push(`clamd stopped at a limit (${r.signature}); the file was not scanned in full`);
      else hits.push({ engine: 'clamav', name: r.signature });
    }
  }
  if (hits.length > 0) return { status: 'infected', hits };
  if (errors.length > 0) return { status: 'error', reason: errors.join('; ') };
  if (replies.length === 0) return { status: 'error', reason: 'clamd gave no verdict' };
  return { status: 'clean' };
}
