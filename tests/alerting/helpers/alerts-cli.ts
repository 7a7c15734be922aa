// Runs `vigil alerts ...` from source until app/cli.ts registers the command module; usage
// errors exit 2 as in app/cli.ts.
import { Command, CommanderError } from 'commander';
import { registerAlertCommands } from '../../../app/commands/alerts.js';

const program = new Command('vigil').exitOverride();
registerAlertCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
}
