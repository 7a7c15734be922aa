import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../core/index.js';
import { reportHtml, reportJson, reportPdf, reportText } from '../../incidents/index.js';

const inc: IncidentRecord = {
  id: 'INC-20260302-0a1b2c3d',
  kind: 'security',
  customerId: 'acme',
  priority: 'P2',
  title: 'SSH password guessing from 198.51.100.7 against 203.0.113.10: 25 failed attempts',
  detectedAt: '2026-03-02T10:00:00.000Z',
  reportedAt: '2026-03-02T10:00:00.000Z',
  state: 'acknowledged',
  openedBy: 'vigil',
  timeline: [
    {
      at: '2026-03-02T10:00:00.000Z',
      actor: 'vigil',
      kind: 'detected',
      text: 'SSH password guessing from 198.51.100.7 against 203.0.113.10: 25 failed attempts [finding f1, 25× a – b; evidence /logs/ssh.log:3]',
    },
    {
      at: '2026-03-02T10:05:00.000Z',
      actor: 'sofie',
      kind: 'measure',
      text: 'blocked <198.51.100.7> & "friends"',
    },
  ],
};

describe('customer report', () => {
  it('names the systems, evidence and measures, escapes HTML, in nl and en', () => {
    const nl = reportJson(inc, { id: 'acme', name: 'ACME B.V.', language: 'nl' }, 'security-report');
    expect(nl.systems).toEqual(['203.0.113.10']);
    expect(nl.evidence[0]).toContain('/logs/ssh.log:3');
    expect(reportText(nl).split('\n')[0]).toBe(`Beveiligingsincident ${inc.id}: ${inc.title}`);
    const html = reportHtml(nl);
    expect(html).toContain('blocked &lt;198.51.100.7&gt; &amp; &quot;friends&quot;');
    expect(html).not.toContain('<198.51.100.7>');
    const en = reportHtml(
      reportJson(inc, { id: 'acme', name: 'ACME B.V.', language: 'en' }, 'security-report'),
    );
    expect(en).toContain('<h2>Measures taken so far</h2>');
  });

  it('renders a byte-stable PDF with the JSON embedded, readable by pdftotext', async () => {
    const r = reportJson(inc, { id: 'acme', name: 'ACME B.V.', language: 'en' }, 'security-report');
    const a = await reportPdf(r);
    const b = await reportPdf(r);
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('/EmbeddedFile');
    expect(a.toString('latin1')).toContain('"incident": "INC-20260302-0a1b2c3d"');
    const text = spawnSync('pdftotext', ['-', '-'], { input: a }).stdout.toString();
    expect(text).toContain('Security incident INC-20260302-0a1b2c3d');
    expect(text).toContain('Evidence');
    const other = await reportPdf({ ...r, title: 'changed' });
    expect(other.equals(a)).toBe(false);
  });
});
