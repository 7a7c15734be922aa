import { describe, expect, it } from 'vitest';
import { fromIncoming } from '../../alerting/index.js';
import { alert, dispatcherFor, S, show, T0 } from './helpers/dispatch.js';

const BASE = `
route:
  receiver: ops
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
receivers: [{name: ops}]
`;

describe('grouping timers (fake clock)', () => {
  it('waits group_wait, batching alerts that arrive meanwhile', () => {
    const { d } = dispatcherFor(BASE);
    d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0), T0);
    expect(d.runDue(T0 + 29 * S)).toEqual([]);
    d.ingest(alert({ alertname: 'Down', instance: 'b' }, T0 + 10 * S), T0 + 10 * S);
    expect(show(d.runDue(T0 + 30 * S))).toEqual(['ops notify [a,b] []']);
    expect(d.nextDueAt()).toBe(T0 + 30 * S + 300 * S);
  });

  it('sends an alert older than group_wait at once', () => {
    const { d } = dispatcherFor(BASE);
    d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0 - 60 * S), T0);
    expect(show(d.runDue(T0))).toEqual(['ops notify [a] []']);
  });

  it('a new alert in a flushed group waits for the next group_interval', () => {
    const { d } = dispatcherFor(BASE);
    d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0), T0);
    d.runDue(T0 + 30 * S);
    d.ingest(alert({ alertname: 'Down', instance: 'b' }, T0 + 60 * S), T0 + 60 * S);
    expect(d.runDue(T0 + 120 * S)).toEqual([]);
    expect(show(d.runDue(T0 + 330 * S))).toEqual(['ops notify [a,b] []']);
  });

  it('repeats an unchanged group only after repeat_interval, on a group_interval tick', () => {
    const { d } = dispatcherFor(BASE);
    const a = { alertname: 'Down', instance: 'a' };
    d.ingest(alert(a, T0), T0);
    expect(d.runDue(T0 + 30 * S)).toHaveLength(1);
    const ticks: number[] = [];
    for (let t = T0 + 330 * S; t < T0 + 2 * 3600 * S; t += 300 * S)
      if (d.runDue(t).length > 0) ticks.push((t - T0) / S);
    // Last notified at 30s. Alertmanager repeats when the last notification is strictly before
    // now − repeat_interval (DedupStage.needsUpdate), so the 3630s tick is too early: 3930s.
    expect(ticks).toEqual([3930]);
  });

  it('sends resolved alerts (send_resolved) and then drops the group', () => {
    const { d } = dispatcherFor(BASE);
    d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0), T0);
    d.runDue(T0 + 30 * S);
    d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0, T0 + 100 * S), T0 + 100 * S);
    expect(show(d.runDue(T0 + 330 * S))).toEqual(['ops notify [] [a]']);
    expect(d.groups.size).toBe(0);
    expect(d.alerts.size).toBe(0);
  });

  it('without send_resolved an all-resolved group clears the nflog but sends nothing', () => {
    const { d } = dispatcherFor(BASE, { sendResolved: false });
    d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0), T0);
    d.runDue(T0 + 30 * S);
    d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0, T0 + 100 * S), T0 + 100 * S);
    expect(d.runDue(T0 + 330 * S)).toEqual([]);
    expect(d.groups.size).toBe(0);
  });

  it('an alert without endsAt resolves after resolve_timeout unless re-sent', () => {
    const { d } = dispatcherFor(BASE);
    const a = fromIncoming(
      { labels: { alertname: 'Down' }, annotations: {}, startsAt: new Date(T0).toISOString() },
      T0,
      300 * S,
    );
    d.ingest(a, T0);
    expect(show(d.runDue(T0 + 30 * S))).toEqual(['ops notify [Down] []']);
    expect(show(d.runDue(T0 + 330 * S))).toEqual(['ops notify [] [Down]']);
  });

  it('an alert that fires and resolves within group_wait is never sent', () => {
    const { d } = dispatcherFor(BASE);
    d.ingest(alert({ alertname: 'Blip' }, T0, T0 + 5 * S), T0 + 5 * S);
    expect(d.runDue(T0 + 30 * S)).toEqual([]);
  });

  it("group_by ['...'] makes one group per label set; group_by [] one group per route", () => {
    const all = dispatcherFor(BASE.replace('group_by: [alertname]', "group_by: ['...']")).d;
    const none = dispatcherFor(BASE.replace('group_by: [alertname]', 'group_by: []')).d;
    for (const d of [all, none]) {
      d.ingest(alert({ alertname: 'Down', instance: 'a' }, T0), T0);
      d.ingest(alert({ alertname: 'Down', instance: 'b' }, T0), T0);
      d.ingest(alert({ alertname: 'Slow', instance: 'c' }, T0), T0);
    }
    expect(all.groups.size).toBe(3);
    expect(none.groups.size).toBe(1);
    expect(show(none.runDue(T0 + 30 * S))).toEqual(['ops notify [a,b,c] []']);
  });

  it('continue: one alert notifies two receivers in two groups', () => {
    const { d } = dispatcherFor(`
route:
  receiver: ops
  group_wait: 0s
  routes:
    - { matchers: [severity="critical"], receiver: pager, continue: true }
    - { matchers: [severity=~".+"], receiver: chat }
receivers: [{name: ops}, {name: pager}, {name: chat}]`);
    d.ingest(alert({ alertname: 'Down', severity: 'critical' }, T0), T0);
    expect(show(d.runDue(T0)).sort()).toEqual(['chat notify [Down] []', 'pager notify [Down] []']);
  });
});

describe('inhibition with equal', () => {
  const yaml = `
route: { receiver: ops, group_by: ['...'], group_wait: 0s }
receivers: [{name: ops}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [cluster]
  - source_match: { alertname: NodeDown }
    target_match_re: { alertname: "Node.*" }
`;
  it.each([
    ['same cluster is inhibited', { alertname: 'Hi', severity: 'warning', cluster: 'eu' }, true],
    ['other cluster is not', { alertname: 'Hi', severity: 'warning', cluster: 'us' }, false],
    ['missing equal label on both sides counts as equal', { alertname: 'Hi', severity: 'warning' }, false],
    ['a two-sided match does not inhibit itself', { alertname: 'NodeDown', instance: 'x' }, false],
    ['two-sided rule inhibits other targets', { alertname: 'NodeSlow' }, true],
  ])('%s', (_name, target, muted) => {
    const { d } = dispatcherFor(yaml);
    d.ingest(alert({ alertname: 'Big', severity: 'critical', cluster: 'eu' }, T0), T0);
    d.ingest(alert({ alertname: 'NodeDown' }, T0), T0);
    d.ingest(alert(target, T0), T0);
    const sent = d.runDue(T0).flatMap((i) => i.firing.map((a) => a.fingerprint));
    const fp = [...d.alerts.values()].find(
      (a) => JSON.stringify(a.labels) === JSON.stringify(target),
    )!.fingerprint;
    expect(sent.includes(fp)).toBe(!muted);
  });

  it('a resolved source no longer inhibits', () => {
    const { d } = dispatcherFor(yaml);
    d.ingest(alert({ alertname: 'Big', severity: 'critical', cluster: 'eu' }, T0 - 10 * S, T0 - S), T0);
    d.ingest(alert({ alertname: 'Hi', severity: 'warning', cluster: 'eu' }, T0), T0);
    expect(show(d.runDue(T0))).toContain('ops notify [Hi] []');
  });
});

describe('escalation (vigil extension)', () => {
  const yaml = `
route:
  receiver: ops
  group_wait: 0s
  escalation: [{ after: 5m, receiver: lead }, { after: 15m, receiver: cto }]
receivers: [{name: ops}, {name: lead}, {name: cto}]`;

  it('pages each tier in turn until acknowledged', () => {
    const { d } = dispatcherFor(yaml);
    d.ingest(alert({ alertname: 'Down' }, T0), T0);
    expect(show(d.runDue(T0))).toEqual(['ops notify [Down] []']);
    expect(d.runDue(T0 + 299 * S)).toEqual([]);
    expect(show(d.runDue(T0 + 300 * S))).toEqual(['lead escalation [Down] []']);
    expect(d.nextDueAt()).toBe(T0 + 600 * S); // the next group_interval tick; the cto tier is due at 15m
    expect(show(d.runDue(T0 + 900 * S))).toEqual(['cto escalation [Down] []']);
  });

  it('stops when acknowledged', () => {
    const { d } = dispatcherFor(yaml);
    d.ingest(alert({ alertname: 'Down' }, T0), T0);
    const [first] = d.runDue(T0);
    expect(d.acknowledge(first!.group.id, 'ann', T0 + 60 * S)?.ackedBy).toBe('ann');
    expect(d.runDue(T0 + 3600 * S).filter((i) => i.kind === 'escalation')).toEqual([]);
  });

  it('stops when resolved', () => {
    const { d } = dispatcherFor(yaml);
    d.ingest(alert({ alertname: 'Down' }, T0), T0);
    d.runDue(T0);
    d.ingest(alert({ alertname: 'Down' }, T0, T0 + 60 * S), T0 + 60 * S);
    expect(show(d.runDue(T0 + 300 * S))).toEqual(['ops notify [] [Down]']);
    expect(d.runDue(T0 + 3600 * S)).toEqual([]);
  });
});
