// Runs `vigil logs …` / `vigil analyze …` through registerAnalyzeCommands until app/cli.ts registers them.
import { Command, CommanderError } from 'commander';
import { registerAnalyzeCommands } from '../../../app/commands/analyze.js';

const program = new Command('vigil').exitOverride();
registerAnalyzeCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  process.exitCode = err.exitCode === 0 ? 0 : 2;
}
