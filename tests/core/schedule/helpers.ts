import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../core/log.js';

/** A real pino logger whose JSON lines are collected for assertions. */
export function captureLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n'))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { log: createLogger({ level: 'debug' }, stream), lines };
}

/** A deterministic `random` returning the given values in turn. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => {
    const v = values[i % values.length]!;
    i++;
    return v;
  };
}
