import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClamavScanner,
  ClamdClient,
  factsOf,
  parseClamdReply,
  type ClamavMode,
  type FileFacts,
} from '../../../analyzers/scanners/index.js';
import { EICAR, HASHED_CONTENT, requireBinary, startTestClamd, type TestClamd } from './clamd-fixture.js';

const facts = (path: string): FileFacts => factsOf(path, statSync(path));

describe('parseClamdReply', () => {
  it.each([
    ['/a/b: OK', '/a/b', { path: '/a/b', status: 'ok' }],
    ['/a/b: Eicar-Test FOUND', '/a/b', { path: '/a/b', status: 'found', signature: 'Eicar-Test' }],
    [
      '/a: b/c: Win.Trojan.X-1 FOUND',
      '/a: b/c',
      { path: '/a: b/c', status: 'found', signature: 'Win.Trojan.X-1' },
    ],
    [
      '/x: lstat() failed: No such file or directory. ERROR',
      '/x',
      { path: '/x', status: 'error', message: 'lstat() failed: No such file or directory.' },
    ],
    [
      '/x: lstat() failed: No such file or directory. ERROR',
      undefined,
      { path: '/x', status: 'error', message: 'lstat() failed: No such file or directory.' },
    ],
    ['stream: OK', 'stream', { path: 'stream', status: 'ok' }],
    [
      'INSTREAM size limit exceeded. ERROR',
      'stream',
      { path: 'stream', status: 'error', message: 'INSTREAM size limit exceeded.' },
    ],
    ['UNKNOWN COMMAND', undefined, { path: '', status: 'error', message: 'UNKNOWN COMMAND' }],
    [
      '/x: something odd',
      '/x',
      { path: '/x', status: 'error', message: 'unexpected clamd reply: something odd' },
    ],
  ])('%s', (line, expected, want) => {
    expect(parseClamdReply(line, expected)).toEqual(want);
  });
});

describe('ClamAV through a real clamd (custom database only)', () => {
  let clamd: TestClamd;
  let work: string;
  beforeAll(async () => {
    requireBinary('zip', 'zip');
    requireBinary('tar', 'tar');
    clamd = await startTestClamd();
    work = mkdtempSync(join(tmpdir(), 'vigil-clamav-files-'));
    writeFileSync(join(work, 'eicar.com'), EICAR);
    writeFileSync(join(work, 'hashed.txt'), HASHED_CONTENT);
    writeFileSync(join(work, 'clean.txt'), 'nothing to see here\n');
    mkdirSync(join(work, 'arch'));
    writeFileSync(join(work, 'arch', 'inner-eicar.txt'), EICAR);
    execFileSync('zip', ['-q', '-j', join(work, 'eicar.zip'), join(work, 'arch', 'inner-eicar.txt')]);
    execFileSync('tar', ['-czf', join(work, 'eicar.tar.gz'), '-C', join(work, 'arch'), 'inner-eicar.txt']);
    rmSync(join(work, 'arch'), { recursive: true });
    // > 50 MB: 60 MiB of pseudo-random-ish bytes with EICAR at the very end, and a clean twin.
    for (const [name, tail] of [
      ['large-eicar.bin', EICAR],
      ['large-clean.bin', 'the end\n'],
    ] as const) {
      const fd = openSync(join(work, name), 'w');
      const block = Buffer.alloc(1 << 20);
      for (let i = 0; i < block.length; i++) block[i] = (i * 131 + 7) & 0xff;
      for (let i = 0; i < 60; i++) writeSync(fd, block);
      writeSync(fd, tail);
      closeSync(fd);
    }
  });
  afterAll(async () => {
    await clamd?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('answers PING and VERSION', async () => {
    const c = new ClamdClient({ socket: clamd.socket, timeoutMs: 5000 });
    expect(await c.ping()).toBe(true);
    expect(await c.version()).toMatch(/^ClamAV \d+\.\d+/);
  });

  describe.each<ClamavMode>(['scan', 'instream'])('mode %s', (mode) => {
    const scanner = () =>
      new ClamavScanner({ socket: clamd.socket, timeoutMs: 60_000, mode, fingerprint: async () => 'fp' });

    it.each([
      ['eicar.com', 'infected', 'Vigil.Test.EICAR'],
      ['hashed.txt', 'infected', 'Vigil.Test.Hash'],
      ['eicar.zip', 'infected', 'Vigil.Test.EICAR'],
      ['eicar.tar.gz', 'infected', 'Vigil.Test.EICAR'],
      ['large-eicar.bin', 'infected', 'Vigil.Test.EICAR'],
      ['clean.txt', 'clean', undefined],
      ['large-clean.bin', 'clean', undefined],
    ])('%s is %s', async (name, status, signature) => {
      const v = await scanner().scan(facts(join(work, name)));
      expect(v.status).toBe(status);
      if (signature)
        expect(v.status === 'infected' && v.hits.map((h) => h.name)).toEqual([`${signature}.UNOFFICIAL`]);
    });

    it('a file that does not exist is an error, not clean', async () => {
      const v = await scanner().scan({ ...facts(join(work, 'clean.txt')), path: join(work, 'gone.txt') });
      expect(v.status).toBe('error');
      expect(v.status === 'error' && v.reason).toMatch(/No such file|ENOENT/);
    });
  });

  it('a socket with no clamd behind it is an error, not clean', async () => {
    const s = new ClamavScanner({
      socket: join(work, 'no.sock'),
      timeoutMs: 5000,
      mode: 'scan',
      fingerprint: async () => '',
    });
    const v = await s.scan(facts(join(work, 'clean.txt')));
    expect(v).toMatchObject({ status: 'error' });
  });
});

describe('ClamAV failure modes with a real clamd', () => {
  it('clamd killed in the middle of an INSTREAM scan: error, not clean', async () => {
    const clamd = await startTestClamd();
    try {
      const client = new ClamdClient({ socket: clamd.socket, timeoutMs: 30_000 });
      let killed = false;
      async function* body(): AsyncGenerator<Buffer> {
        yield Buffer.alloc(1 << 20, 0x41);
        // The first chunk is on the wire: kill clamd for real before the rest is sent.
        const gone = new Promise((r) => clamd.child.once('exit', r));
        killed = clamd.child.kill('SIGKILL');
        await gone;
        yield Buffer.alloc(1 << 20, 0x42);
      }
      const res = await client.scanStream(body()).then(
        (r) => ({ ok: true as const, r }),
        (err: Error) => ({ ok: false as const, err }),
      );
      expect(killed).toBe(true);
      expect(res.ok).toBe(false);
      expect(!res.ok && res.err.message).toMatch(/clamd/);
    } finally {
      await clamd.stop();
    }
  });

  it('clamd killed while a path SCAN is in flight: the file is error, not clean', async () => {
    const clamd = await startTestClamd();
    const work = mkdtempSync(join(tmpdir(), 'vigil-clamav-kill-'));
    try {
      writeFileSync(join(work, 'clean.txt'), 'clean\n');
      // Freeze clamd so the command is accepted by the kernel but never answered, then kill it.
      clamd.child.kill('SIGSTOP');
      const scanner = new ClamavScanner({
        socket: clamd.socket,
        timeoutMs: 30_000,
        mode: 'scan',
        fingerprint: async () => '',
      });
      const pending = scanner.scan(facts(join(work, 'clean.txt')));
      clamd.child.kill('SIGKILL');
      const v = await pending;
      expect(v.status).toBe('error');
    } finally {
      await clamd.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a clamd that never answers hits the timeout: error, not clean', async () => {
    const clamd = await startTestClamd();
    const work = mkdtempSync(join(tmpdir(), 'vigil-clamav-stop-'));
    try {
      writeFileSync(join(work, 'clean.txt'), 'clean\n');
      clamd.child.kill('SIGSTOP');
      const scanner = new ClamavScanner({
        socket: clamd.socket,
        timeoutMs: 300,
        mode: 'scan',
        fingerprint: async () => '',
      });
      const v = await scanner.scan(facts(join(work, 'clean.txt')));
      expect(v).toMatchObject({ status: 'error' });
      expect(v.status === 'error' && v.reason).toMatch(/did not answer SCAN within 300 ms/);
    } finally {
      clamd.child.kill('SIGCONT');
      await clamd.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a file over clamd MaxFileSize is an error (limit heuristic), not a silent OK', async () => {
    const clamd = await startTestClamd({ extraConf: ['MaxFileSize 1M', 'MaxScanSize 1M'] });
    const work = mkdtempSync(join(tmpdir(), 'vigil-clamav-limit-'));
    try {
      writeFileSync(join(work, 'big.bin'), Buffer.alloc(2 << 20, 0x43));
      const scanner = new ClamavScanner({
        socket: clamd.socket,
        timeoutMs: 30_000,
        mode: 'scan',
        fingerprint: async () => '',
      });
      const v = await scanner.scan(facts(join(work, 'big.bin')));
      expect(v.status).toBe('error');
      expect(v.status === 'error' && v.reason).toMatch(/Heuristics\.Limits\.Exceeded/);
    } finally {
      await clamd.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a file clamd may not read (clamd runs as user clamav, file is root-only): error, not clean', async () => {
    requireBinary('id', 'coreutils');
    const clamd = await startTestClamd({ user: 'clamav' });
    const work = mkdtempSync(join(tmpdir(), 'vigil-clamav-perm-'));
    try {
      writeFileSync(join(work, 'secret.txt'), EICAR);
      chmodSync(join(work, 'secret.txt'), 0o000);
      chmodSync(work, 0o711);
      const scanner = new ClamavScanner({
        socket: clamd.socket,
        timeoutMs: 30_000,
        mode: 'scan',
        fingerprint: async () => '',
      });
      const v = await scanner.scan(facts(join(work, 'secret.txt')));
      expect(v.status).toBe('error');
      expect(v.status === 'error' && v.reason).toMatch(/Access denied|Permission denied|Can't open/i);
    } finally {
      await clamd.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
