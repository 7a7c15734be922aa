import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { errorMessage } from '../../core/index.js';
import { Templates, type TemplateData } from '../../alerting/index.js';

/**
 * amtool's example data for `template render` without `--template.data` (Alertmanager 0.25
 * cli/template_render.go, defaultData): two alerts, started 5 and 10 minutes ago, ending now.
 */
export function amtoolDefaultData(now = Date.now()): TemplateData {
  const iso = (ms: number) => new Date(ms).toISOString();
  const common = { commonlabelkey1: 'commonlabelvalue1', commonlabelkey2: 'commonlabelvalue2' };
  const commonAnn = {
    commonannotationkey1: 'commonannotationvalue1',
    commonannotationkey2: 'commonannotationvalue2',
  };
  return {
    receiver: 'receiver',
    status: 'alertstatus',
    alerts: [
      {
        status: 'alertstatus',
        labels: { label1: 'value1', label2: 'value2', instance: 'foo.bar:1234', ...common },
        annotations: { annotation1: 'value1', annotation2: 'value2', ...commonAnn },
        startsAt: iso(now - 5 * 60_000),
        endsAt: iso(now),
        generatorURL: 'https://generatorurl.com',
        fingerprint: 'fingerprint1',
      },
      {
        status: 'alertstatus',
        labels: { foo: 'bar', baz: 'qux', ...common },
        annotations: { aaa: 'bbb', ccc: 'ddd', ...commonAnn },
        startsAt: iso(now - 10 * 60_000),
        endsAt: iso(now),
        generatorURL: 'https://generatorurl.com',
        fingerprint: 'fingerprint2',
      },
    ],
    groupLabels: { grouplabelkey1: 'grouplabelvalue1', grouplabelkey2: 'grouplabelvalue2' },
    commonLabels: common,
    commonAnnotations: commonAnn,
    externalURL: 'https://example.com',
  };
}

const collect = (v: string, acc: string[]) => [...acc, v];

/** `vigil alerts template render`, as `amtool template render`. */
export function registerTemplateCommands(alerts: Command): void {
  alerts
    .command('template')
    .description('notification templates (Go text/template as Alertmanager 0.25)')
    .command('render')
    .description(
      'render a template text with the default templates and the files of the globs, as amtool template render',
    )
    .requiredOption(
      '--template.glob <glob>',
      'glob of template files (repeatable); no match is no error',
      collect,
      [],
    )
    .requiredOption('--template.text <text>', 'the template text to render')
    .option('--template.type <type>', 'text (default) or html', 'text')
    .option(
      '--template.data <file>',
      "JSON data in Alertmanager's template.Data layout (default: amtool's example)",
    )
    .action((opts: Record<string, string | string[]>) => {
      const type = opts['template.type'] as string;
      try {
        if (type !== 'text' && type !== 'html')
          throw new Error(`--template.type must be text or html, not "${type}"`);
        const t = Templates.fromGlobs(opts['template.glob'] as string[]);
        const dataFile = opts['template.data'] as string | undefined;
        const data = dataFile
          ? (JSON.parse(readFileSync(dataFile, 'utf8')) as TemplateData)
          : amtoolDefaultData();
        const text = opts['template.text'] as string;
        process.stdout.write(type === 'html' ? t.executeHtml(text, data) : t.executeText(text, data));
      } catch (err) {
        console.error(errorMessage(err));
        process.exitCode = 2;
      }
    });
}
