import type { Command } from 'commander';
import { DEFAULT_GRANT_MS } from '../../server/index.js';
import {
  accountOptions,
  checkCustomer,
  iso,
  parseUntil,
  run,
  withAccounts,
  type AccountOpts,
} from './account-context.js';
import { registerEnrolCommand } from './enrol.js';
import { registerRbacCommands } from './rbac.js';
import { registerTokenCommands } from './tokens.js';

interface GrantOpts extends AccountOpts {
  role: string;
  customer?: string;
  reason?: string;
  until?: string;
}

/** `vigil user …`, `vigil token …`, `vigil rbac matrix`, `vigil keys rotate`. */
export function registerAccountCommands(program: Command): void {
  const user = program
    .command('user')
    .description("vigil's own accounts: add, list, grant, disable, reset, review");

  accountOptions(
    user.command('add <name>').description('add a user; prints the one-time password on the last line'),
  )
    .requiredOption('--role <role>', 'role to grant')
    .option('--customer <id>', 'customer of a customer-scoped role (customer_coordinator)')
    .option('--reason <text>', 'why the role is granted (MKBackup 24.8c)')
    .option('--until <date>', 'the grant ends then unless renewed (default: in 180 days)')
    .action((name: string, o: GrantOpts) =>
      run('user add', () =>
        withAccounts(o, async (ctx) => {
          checkCustomer(ctx.config, o.customer);
          const now = Date.now();
          const r = await ctx.service.accounts.add(name, grantInput(o, ctx.actor, now), now);
          process.stdout.write(
            `user ${name} added with role ${o.role}; one-time password (change it at the first sign-in):\n${r.password}\n`,
          );
        }),
      ),
    );

  accountOptions(
    user.command('grant <name>').description('grant or renew a role, with a reason and an end date'),
  )
    .requiredOption('--role <role>', 'role to grant')
    .requiredOption('--reason <text>', 'why (MKBackup 24.8c: the activities and data concerned)')
    .requiredOption('--until <date>', 'the grant ends then unless renewed (YYYY-MM-DD)')
    .option('--customer <id>', 'customer of a customer-scoped role')
    .action((name: string, o: GrantOpts) =>
      run('user grant', () =>
        withAccounts(o, async (ctx) => {
          checkCustomer(ctx.config, o.customer);
          const now = Date.now();
          const g = grantInput(o, ctx.actor, now);
          await ctx.service.accounts.grant(name, g, now);
          process.stdout.write(`granted ${o.role} to ${name} until ${iso(g.until)}\n`);
        }),
      ),
    );

  accountOptions(user.command('revoke <name>').description('end a role grant now'))
    .requiredOption('--role <role>', 'role to end')
    .action((name: string, o: GrantOpts) =>
      run('user revoke', () =>
        withAccounts(o, async (ctx) => {
          const n = await ctx.service.accounts.revoke(name, o.role, Date.now());
          if (n === 0) throw new Error(`${name} holds no grant of ${o.role}`);
          process.stdout.write(`ended ${o.role} for ${name}\n`);
        }),
      ),
    );

  accountOptions(user.command('list').description('users, their roles, since and until when, last sign-in'))
    .option('--json', 'one JSON array')
    .action((o: AccountOpts & { json?: boolean }) =>
      run('user list', () =>
        withAccounts(o, async (ctx) => {
          const users = await ctx.service.accounts.list(Date.now());
          if (o.json) return void process.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
          for (const u of users) {
            const state = [
              u.disabled && 'disabled',
              !u.enrolled && 'not enrolled',
              u.lockedUntil && u.lockedUntil > Date.now() && `locked until ${iso(u.lockedUntil)}`,
            ]
              .filter(Boolean)
              .join(', ');
            process.stdout.write(
              `${u.name}${state ? ` (${state})` : ''}  last sign-in ${iso(u.lastLoginAt)}\n`,
            );
            for (const g of u.grants)
              process.stdout.write(
                `  ${g.role}${g.customerId ? `@${g.customerId}` : ''}  since ${iso(g.grantedAt)}  until ${iso(g.until)}  by ${g.grantedBy}: ${g.reason}\n`,
              );
            if (u.grants.length === 0) process.stdout.write('  (no role in force)\n');
          }
        }),
      ),
    );

  accountOptions(
    user.command('review').description('access review (PCI DSS 7.2.4): every grant and token in force'),
  )
    .option('--json', 'one JSON array')
    .action((o: AccountOpts & { json?: boolean }) =>
      run('user review', () =>
        withAccounts(o, async (ctx) => {
          const rows = await ctx.service.accessReview();
          if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          process.stdout.write('KIND   NAME  ROLE  CUSTOMER  SINCE  UNTIL  LAST USED  REASON\n');
          for (const r of rows)
            process.stdout.write(
              `${r.kind}  ${r.name}${r.disabled ? ' (disabled)' : ''}  ${r.role}  ${r.customerId ?? '-'}  ${iso(r.since)}  ${iso(r.until)}  ${iso(r.lastUsed)}  ${r.reason}\n`,
            );
        }),
      ),
    );

  accountOptions(user.command('disable <name>').description('disable a user and end their sessions')).action(
    (name: string, o: AccountOpts) =>
      run('user disable', () =>
        withAccounts(o, async (ctx) => {
          await ctx.service.accounts.disable(name, Date.now());
          process.stdout.write(`user ${name} disabled; sessions ended\n`);
        }),
      ),
  );

  accountOptions(user.command('signout <name>').description('end every session of a user now')).action(
    (name: string, o: AccountOpts) =>
      run('user signout', () =>
        withAccounts(o, async (ctx) => {
          const n = await ctx.service.accounts.signOut(name, Date.now());
          process.stdout.write(`${n} session(s) of ${name} ended\n`);
        }),
      ),
  );

  accountOptions(
    user
      .command('reset <name>')
      .description('new one-time password and TOTP enrolment; prints the password on the last line'),
  ).action((name: string, o: AccountOpts) =>
    run('user reset', () =>
      withAccounts(o, async (ctx) => {
        const pw = await ctx.service.accounts.reset(name, Date.now());
        process.stdout.write(
          `user ${name} reset: enrol TOTP again at the next sign-in; one-time password:\n${pw}\n`,
        );
      }),
    ),
  );

  registerEnrolCommand(user);
  registerTokenCommands(program);
  registerRbacCommands(program);
}

function grantInput(o: GrantOpts, actor: string, now: number) {
  return {
    role: o.role,
    customerId: o.customer,
    reason: o.reason ?? `granted by ${actor} with user add (no reason given)`,
    until: o.until ? parseUntil(o.until, '--until') : now + DEFAULT_GRANT_MS,
    grantedBy: actor,
  };
}
