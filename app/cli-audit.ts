import type { Command } from 'commander';
import {
  AuditLog,
  VigilError,
  errorMessage,
  redactTarget,
  silentLogger,
  systemClock,
  type Store,
} from '../core/index.js';
import { openExistingCliStore, type CliStoreOptions } from './cli-store.js';
import { CliExit } from './cli-exit.js';
import { osUserName } from './wire/security.js';
import { hostname } from 'node:os';

/**
 * Commands that neither touch the store nor act on the system, so they are not audited (and run
 * without a store): pure computations and checks on files, the long-running processes (`start`
 * audits itself, with its key; an agent's requests are audited by the server it calls), and
 * help. Every other command — all that read or change the store, quarantine files or change
 * signatures — is audited, new ones by default.
 */
const NOT_AUDITED = new Set([
  'start',
  'agent',
  'help',
  'config check',
  'logs cat',
  'sla compute',
  'alerts route-test',
  'alerts template render',
  'probe',
  'probe script',
  'rules export',
  'rbac matrix',
  'evidence verify',
  'audit pubkey',
  // Lists files; restores into a data directory that has no store yet (or replaces a stopped one).
  'backup list',
  'backup restore',
]);

/** `alerts ack` for the `ack` subcommand of `alerts`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function isAudited(path: string, opts: Record<string, unknown>): boolean {
  // Verifying an exported file works offline, with no store at all.
  if (path === 'audit verify' && typeof opts.file === 'string') return false;
  return !NOT_AUDITED.has(path);
}

/** The CLI's audit trail: opened before an audited command runs, written after it. */
export interface CliAudit {
  /** Appends the entry of the command that ran (if audited) with its outcome, and closes the store. */
  finish(failure: unknown): Promise<void>;
}

/**
 * Installs the one CLI audit hook (S12: "the CLI acts as the operating-system user who runs it;
 * that name goes into the log"). Before an audited command runs its store is opened — a command
 * whose action cannot be recorded does not run — and after it ran, successfully or not, one entry
 * is written: the OS user, `cli: <command path>`, its arguments (secrets in URLs redacted; options
 * are left out, they may name secret files) and the result (`ok`, `exit:N` or `error:CODE`).
 */
export function installCliAudit(program: Command): CliAudit {
  let pending: { path: string; object: string; at: number; store: Store; log: AuditLog } | undefined;
  program.hook('preAction', async (_root, action) => {
    const path = commandPath(action);
    const opts = action.opts();
    if (!isAudited(path, opts)) return;
    let store: Store;
    try {
      // The same rules the commands themselves follow (app/commands/analyze.ts): only an ad-hoc
      // run over --input makes a store, and the analyze commands may run without a named config.
      // Accounts may be set up before the first start (app/commands/account-context.ts).
      const create = (path === 'analyze run' && opts.input !== undefined) || /^(user|token|keys) /.test(path);
      const optionalConfig = path === 'analyze run' ? create : path.startsWith('analyze ');
      store = await openExistingCliStore(opts as CliStoreOptions, { create, optionalConfig });
    } catch (err) {
      throw new VigilError(
        'APP_AUDIT',
        `not run: this command cannot be recorded in the audit log: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
    const args = action.args.map((a) => redactTarget(a)).join(' ');
    pending = {
      path,
      object: args,
      at: Date.now(),
      store,
      log: new AuditLog({ store, log: silentLogger(), clock: systemClock }),
    };
  });
  return {
    async finish(failure) {
      if (!pending) return;
      const p = pending;
      pending = undefined;
      const code = failure instanceof CliExit ? failure.code : failure ? 2 : Number(process.exitCode ?? 0);
      const result =
        failure instanceof VigilError ? `error:${failure.code}` : code === 0 ? 'ok' : `exit:${code}`;
      p.log.append({
        at: p.at,
        actor: { kind: 'os_user', name: osUserName() },
        source: `cli@${hostname()}`,
        action: `cli: ${p.path}`,
        object: p.object,
        result,
      });
      try {
        await p.log.flush();
      } catch (err) {
        process.stderr.write(
          `vigil: the audit entry of this command could not be written: ${errorMessage(err)}\n`,
        );
        process.exitCode = 2;
      } finally {
        await p.store.close();
      }
    },
  };
}
