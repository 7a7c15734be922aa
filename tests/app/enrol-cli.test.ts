import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';

describe('vigil user enrol', () => {
  it('enrols TOTP at the terminal: password, QR code, code from the app, new password, recovery codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-enrol-'));
    // No config file: the defaults (a SQLite store in the data directory), as `vigil start` takes them.
    const at = ['--data', join(dir, 'data')];
    const add = await runCli(['user', 'add', 'nina', '--role', 'ops', ...at]);
    expect(add.code).toBe(0);
    const otp = add.stdout.trimEnd().split('\n').at(-1)!;

    const child = spawnCli(['user', 'enrol', 'nina', ...at]);
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const secret = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^secret: ([A-Z2-7]+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}${err}`)));
      child.stdin!.write(`${otp}\n`);
    });
    expect(out).toMatch(/[▀▄█]/); // the QR code, drawn with block characters
    expect(out).toMatch(/^uri: otpauth:\/\/totp\/vigil:nina\?/m);
    child.stdin!.end(`${await generate({ secret })}\ncorrect horse battery staple\n`);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect([code, err]).toEqual([0, expect.stringContaining('code from the app')]);
    expect(out).toMatch(
      /enrolled\. Recovery codes[^\n]*\n([0-9a-f]{5}-[0-9a-f]{5}-[0-9a-f]{5}-[0-9a-f]{5}\n){10}$/,
    );

    const list = await runCli(['user', 'list', '--json', ...at]);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'nina', enrolled: true, oneTimePassword: false }),
    ]);
    // Once enrolled, enrolling again is refused.
    const again = await runCli(['user', 'enrol', 'nina', ...at], { input: 'correct horse battery staple\n' });
    expect([again.code, again.stderr]).toEqual([
      2,
      expect.stringMatching(/invalid credentials|enrolled already/),
    ]);
  }, 120_000);
});
