#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { errorMessage } from '../core/index.js';
import { registerConfigCommands } from './commands/config.js';
import { registerStartCommand } from './commands/start.js';
import { registerAuditCommands } from './commands/audit.js';
import { domainCommands } from './domains.js';
import { installCliAudit } from './cli-audit.js';
import { CliExit } from './cli-exit.js';

/**
 * The `vigil` command line (DESIGN.md §7). Exit codes everywhere: 0 success, 1 a finding or an
 * SLA not met, 2 bad input or an error. Only commands that work are registered.
 */
export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('vigil watches what a hosted service promises in its SLA, and proves it')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerStartCommand(program);
  registerConfigCommands(program);
  registerAuditCommands(program);
  for (const register of domainCommands) register(program);
  return program;
}

/**
 * A reader that stops early (`vigil logs cat F | head`) closes the pipe: the next write fails
 * with EPIPE. That ends the output, as it ends `cat`'s, quietly and with the status so far; any
 * other error writing the output is one sentence and exit 2, never a stack trace.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`vigil: cannot write to ${name}: ${errorMessage(err)}\n`);
    process.exit(2);
  });
}

async function main(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe(process.stdout, 'standard output');
  const program = buildProgram();
  const audit = installCliAudit(program);
  let failure: unknown;
  try {
    await program.parseAsync(argv);
  } catch (err) {
    failure = err;
    if (err instanceof CliExit) {
      process.exitCode = err.code;
    } else if (err instanceof CommanderError) {
      // Help and version are not errors; bad usage is bad input (2).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
    } else {
      process.stderr.write(`vigil: ${errorMessage(err)}\n`);
      process.exitCode = 2;
    }
  }
  await audit.finish(failure);
}

await main(process.argv);
