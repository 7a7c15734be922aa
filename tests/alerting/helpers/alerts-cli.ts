// Runs `vigil alerts ...` from source until app/cli.ts registers the command module.
import { Command } from 'commander';
import { registerAlertCommands } from '../../../app/commands/alerts.js';

const program = new Command('vigil');
registerAlertCommands(program);
await program.parseAsync(process.argv);
