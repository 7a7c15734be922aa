import type { Command } from 'commander';
import { ConfigError, errorMessage } from '../../core/index.js';
import { checkVigilConfig, displayPath, issueLines } from '../load.js';
import { defaultConfigPath } from '../paths.js';

/** `vigil config check`: exit 0 valid, 2 invalid, every problem as file:line:col: message. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('work with the configuration');
  config
    .command('check')
    .description('validate a config file; prints every problem as file:line:col: message')
    .option('-c, --config <file>', 'config file', defaultConfigPath())
    .action((opts: { config: string }) => {
      try {
        const { config: loaded, warnings } = checkVigilConfig(opts.config);
        for (const w of warnings)
          process.stdout.write(`${displayPath(w.file)}:${w.line}:${w.col}: warning: ${w.message}\n`);
        process.stdout.write(`${displayPath(loaded.__file)}: configuration is valid\n`);
      } catch (err) {
        if (err instanceof ConfigError) {
          for (const line of issueLines(err)) process.stdout.write(`${line}\n`);
          process.stderr.write(
            `${displayPath(opts.config)}: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'} found\n`,
          );
        } else {
          process.stderr.write(`vigil config check: ${errorMessage(err)}\n`);
        }
        process.exitCode = 2;
      }
    });
}
