import type { Command } from 'commander';
import { parseDuration } from '../../core/index.js';
import {
  accountOptions,
  checkCustomer,
  iso,
  run,
  withAccounts,
  type AccountOpts,
} from './account-context.js';

/** `vigil token create|list|revoke`: API tokens for machines. */
export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('API tokens for machines (agents, Prometheus, scripts, CI)');

  accountOptions(token.command('create').description('create a token; prints it (once) on the last line'))
    .requiredOption('--name <name>', 'token name')
    .requiredOption('--scope <perms>', 'permissions, comma-separated (e.g. alerting:write)')
    .option('--customer <id>', 'limit the token to one customer')
    .option('--expires <duration>', 'lifetime, e.g. 90d (default: none)')
    .action((o: AccountOpts & { name: string; scope: string; customer?: string; expires?: string }) =>
      run('token create', () =>
        withAccounts(o, async (ctx) => {
          checkCustomer(ctx.config, o.customer);
          const now = Date.now();
          const t = await ctx.service.tokens.create(
            {
              name: o.name,
              scopes: o.scope
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
              customerId: o.customer,
              expiresAt: o.expires ? now + parseDuration(o.expires) : undefined,
              createdBy: ctx.actor,
            },
            now,
          );
          process.stdout.write(`token ${o.name} created; it is shown only now:\n${t}\n`);
        }),
      ),
    );

  accountOptions(
    token.command('list').description('tokens with scopes, expiry and last use (never the token)'),
  )
    .option('--json', 'one JSON array')
    .action((o: AccountOpts & { json?: boolean }) =>
      run('token list', () =>
        withAccounts(o, async (ctx) => {
          const list = await ctx.service.tokens.list();
          if (o.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          for (const t of list)
            process.stdout.write(
              `${t.name}  ${t.scopes.join(',')}${t.customerId ? `  customer ${t.customerId}` : ''}  expires ${iso(t.expiresAt)}  last used ${iso(t.lastUsedAt)}${t.revokedAt !== null ? '  REVOKED' : ''}\n`,
            );
        }),
      ),
    );

  accountOptions(token.command('revoke <name>').description('revoke a token now')).action(
    (name: string, o: AccountOpts) =>
      run('token revoke', () =>
        withAccounts(o, async (ctx) => {
          await ctx.service.tokens.revoke(name, Date.now());
          process.stdout.write(`token ${name} revoked\n`);
        }),
      ),
  );
}
