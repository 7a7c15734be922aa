import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertmanagerConfigSchema,
  buildRoute,
  groupKeyOf,
  matchRoutes,
  routeTest,
} from '../../alerting/index.js';

const cfg = (yaml: string) => alertmanagerConfigSchema.parse(parse(yaml));

// A tree in the spirit of Alertmanager's documented example (docs/configuration.md, "route").
const TREE = cfg(`
route:
  receiver: default
  group_by: [alertname]
  group_wait: 10s
  routes:
    - matchers: [ 'service=~"foo1|foo2|baz"' ]
      receiver: team-x
      routes:
        - matchers: [ severity="critical" ]
          receiver: team-x-pager
    - matchers: [ service="files" ]
      receiver: team-y
      continue: true
    - match: { service: files }
      receiver: files-archive
      group_by: ['...']
      group_interval: 1m
    - match_re: { service: "^(?:db|cache)$" }
      receiver: team-db
      routes:
        - matchers: [ 'env!="prod"' ]
          receiver: team-db-dev
        - matchers: [ 'owner!~".+"' ]
          receiver: unowned
receivers: [{name: default}, {name: team-x}, {name: team-x-pager}, {name: team-y}, {name: files-archive}, {name: team-db}, {name: team-db-dev}, {name: unowned}]
`);

describe('route tree (Alertmanager semantics)', () => {
  it.each([
    [{ service: 'foo1' }, 'team-x'],
    [{ service: 'foo1', severity: 'critical' }, 'team-x-pager'],
    [{ service: 'foo12' }, 'default'], // regex is fully anchored
    [{ service: 'files' }, 'team-y,files-archive'], // continue: true goes on to the next sibling
    [{ service: 'db', env: 'prod', owner: 'ann' }, 'team-db'],
    [{ service: 'db', env: 'dev' }, 'team-db-dev'], // the first matching child wins
    [{ service: 'cache', env: 'prod' }, 'unowned'], // missing label is "" and !~".+" matches it
    [{ service: 'db' }, 'team-db-dev'], // missing env is "" which != "prod"
    [{}, 'default'],
  ])('%j → %s', (labels, want) => {
    expect(routeTest(TREE, labels).join(',')).toBe(want);
  });

  it('inherits receiver, group_by and timers, and overrides them per route', () => {
    const root = buildRoute(TREE.route);
    const [pager] = matchRoutes(root, { service: 'foo1', severity: 'critical' });
    expect(pager?.opts.groupWaitMs).toBe(10_000);
    expect([...(pager?.opts.groupBy ?? [])]).toEqual(['alertname']);
    expect(pager?.opts.groupIntervalMs).toBe(300_000); // Alertmanager default
    expect(pager?.opts.repeatIntervalMs).toBe(4 * 3_600_000);
    const archive = matchRoutes(root, { service: 'files' })[1];
    expect(archive?.opts.groupByAll).toBe(true);
    expect(archive?.opts.groupIntervalMs).toBe(60_000);
  });

  it("a child without receiver inherits its parent's", () => {
    const c = cfg(`
route: { receiver: top, routes: [ { matchers: [a="1"], receiver: mid, routes: [ { matchers: [b="2"] } ] } ] }
receivers: [{name: top}, {name: mid}]`);
    expect(routeTest(c, { a: '1', b: '2' })).toEqual(['mid']);
  });

  it('group keys follow Alertmanager: route key, then the grouped labels', () => {
    const root = buildRoute(TREE.route);
    const [r] = matchRoutes(root, {
      service: 'foo1',
      severity: 'critical',
      alertname: 'Down',
      instance: 'i',
    });
    expect(groupKeyOf(r!, { service: 'foo1', severity: 'critical', alertname: 'Down', instance: 'i' })).toBe(
      '{}/{service=~"foo1|foo2|baz"}/{severity="critical"}:{alertname="Down"}',
    );
    const all = matchRoutes(root, { service: 'files', b: '2', a: '1' })[1]!;
    expect(groupKeyOf(all, { service: 'files', b: '2', a: '1' })).toBe(
      '{}/{service="files"}:{a="1", b="2", service="files"}',
    );
  });
});
