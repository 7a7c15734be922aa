// Runs the scan commands in their own process, as app/cli.ts will once it registers them.
import { Command, CommanderError } from 'commander';
import { registerScanCommands } from '../../../app/commands/scan.js';

const program = new Command('vigil').exitOverride();
registerScanCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
}
