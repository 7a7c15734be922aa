import type { MessagePort } from 'node:worker_threads';

/** What a script thread starts with (workerData). */
export interface ScriptThreadInit {
  /** compileScript's output: `(async function (__k6_mod, __k6_exports) {...})`. */
  code: string;
  /** Shown in stack traces and messages (the script's file name). */
  filename: string;
  env: Record<string, string>;
  /** Files the script may open(), by absolute path: base64 contents. */
  files: Record<string, string>;
  /** The script's folder: open() takes paths relative to it, as k6 does. */
  dir: string;
  iterations: number;
  /** Int32 slot 0: the parent's answer is ready; slot 1: sleep. */
  flag: SharedArrayBuffer;
  port: MessagePort;
}

/** Messages from the script thread on its port. http and jar ones wait for an answer. */
export type ThreadRequest =
  | { op: 'http'; reqs: unknown[] }
  | { op: 'jar'; action: 'new' | 'set' | 'get' | 'clear' | 'delete'; args: unknown }
  | { op: 'options'; json: string }
  | { op: 'check'; name: string; group: string; ok: boolean; line: string; tags: Record<string, unknown> }
  | { op: 'log'; level: string; msg: string }
  | { op: 'stage'; stage: ScriptStage };

export type ScriptStage = 'init' | 'setup' | 'default' | 'teardown';

/** The parent's answer to a waiting op. */
export type ThreadAnswer = { ok: unknown } | { err: string };

/** The script thread's last message (on the same port, so it comes after every check). */
export interface ThreadDone {
  op: 'done';
  error?: { name: string; message: string; stack: string };
  stage: ScriptStage;
}
