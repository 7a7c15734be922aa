// Runs `vigil probe|agent` from source until app/cli.ts registers the probes commands: the same
// commander setup and exit-code rules as app/cli.ts (usage errors exit 2).
import { Command, CommanderError } from 'commander';
import { registerProbeCommands } from '../../../app/commands/probes.js';

const program = new Command('vigil').exitOverride();
registerProbeCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
}
