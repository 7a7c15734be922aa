import type { Command } from 'commander';
import { ConfigError, errorMessage } from '../../core/index.js';
import { checkVigilConfig, displayPath, issueLines } from '../load.js';
import { cliPlaces } from '../paths.js';
import { checkScriptTypes } from './script-types.js';

/** `vigil config check`: exit 0 valid, 2 invalid, every problem as file:line:col: message. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('work with the configuration');
  config
    .command('check')
    .description('validate a config file; prints every problem as file:line:col: message')
    .option('-c, --config <file>', 'config file (default: $VIGIL_CONFIG, else ./vigil.yaml)')
    .action((opts: { config?: string }) => {
      const file = cliPlaces(opts).configFile;
      try {
        const { config: loaded, warnings } = checkVigilConfig(file);
        for (const w of warnings)
          process.stdout.write(`${displayPath(w.file)}:${w.line}:${w.col}: warning: ${w.message}\n`);
        const types = checkScriptTypes(loaded);
        for (const note of types.notes) process.stderr.write(`${note}\n`);
        if (types.errors.length > 0) {
          for (const line of types.errors) process.stdout.write(`${line}\n`);
          process.stderr.write(`${displayPath(file)}: ${types.errors.length} type error(s) in scripts\n`);
          process.exitCode = 2;
          return;
        }
        process.stdout.write(`${displayPath(loaded.__file)}: configuration is valid\n`);
      } catch (err) {
        if (err instanceof ConfigError) {
          for (const line of issueLines(err)) process.stdout.write(`${line}\n`);
          process.stderr.write(
            `${displayPath(file)}: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'} found\n`,
          );
        } else {
          process.stderr.write(`vigil config check: ${errorMessage(err)}\n`);
        }
        process.exitCode = 2;
      }
    });
}
