import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import {
  authConfigFrom,
  enrolment,
  newRecoveryCodes,
  passwordProblem,
  hashPassword,
  signIn,
  spendTotp,
} from '../../server/index.js';
import { accountOptions, run, withAccounts, type AccountOpts } from './account-context.js';

/** Reads answers line by line from stdin (a terminal or a pipe). */
function lineReader(): { next(prompt: string): Promise<string>; close(): void } {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines: string[] = [];
  const waiting: Array<(l: string) => void> = [];
  rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l)));
  rl.on('close', () => waiting.splice(0).forEach((w) => w('')));
  return {
    next(prompt) {
      process.stderr.write(prompt);
      return lines.length ? Promise.resolve(lines.shift()!) : new Promise((r) => waiting.push(r));
    },
    close: () => rl.close(),
  };
}

/**
 * `vigil user enrol NAME`: TOTP enrolment at the terminal, for the user themself: password (the
 * same checks and lockout as the API), then the QR code in the terminal, then a code from the app,
 * a new password if the current one is one-time, and the recovery codes.
 */
export function registerEnrolCommand(user: Command): void {
  accountOptions(
    user
      .command('enrol <name>')
      .description('enrol TOTP at the terminal (asks for the password, shows a QR code)'),
  ).action((name: string, o: AccountOpts) =>
    run('user enrol', () =>
      withAccounts(o, async (ctx) => {
        const input = lineReader();
        try {
          const a = ctx.service.accounts;
          const password = await input.next('password: ');
          const cfg = authConfigFrom(ctx.config);
          const lockout = { maxFailures: cfg.lockout.max_failures, lockoutMs: cfg.lockout.duration };
          const r = await signIn(a, ctx.service.o.box, lockout, { username: name, password }, Date.now());
          if (!r.ok) throw new Error('invalid credentials');
          if (r.state !== 'enrol')
            throw new Error(`${name} has enrolled already (vigil user reset ${name} starts again)`);
          const e = await enrolment(a.db, ctx.service.o.box, r.user, cfg.issuer);
          process.stdout.write(
            `${await QRCode.toString(e.uri, { type: 'terminal', small: true })}\nsecret: ${e.secret}\nuri: ${e.uri}\n`,
          );
          const code = (await input.next('code from the app: ')).trim();
          let newHash: string | undefined;
          if (Number(r.user.password_one_time) === 1) {
            const next = await input.next('new password (the current one is one-time): ');
            const problem = passwordProblem(next, name);
            if (problem) throw new Error(`new password ${problem}`);
            newHash = await hashPassword(next, a.argon2);
          }
          // Re-read: enrolment() has just stored the sealed seed.
          const fresh = await a.require(name);
          if (!(await spendTotp(a.db, ctx.service.o.box, fresh, code, Date.now())))
            throw new Error('code not accepted: check the authenticator app and the clock');
          await a.db
            .updateTable('auth_users')
            .set({
              totp_enrolled: 1,
              updated_at: Date.now(),
              ...(newHash ? { password_hash: newHash, password_one_time: 0 } : {}),
            })
            .where('id', '=', r.user.id)
            .execute();
          const codes = await newRecoveryCodes(a.db, r.user.id, Date.now());
          process.stdout.write(
            `enrolled. Recovery codes (each works once; keep them offline):\n${codes.join('\n')}\n`,
          );
        } finally {
          input.close();
        }
      }),
    ),
  );
}
