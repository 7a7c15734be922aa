import { afterEach, describe, expect, it } from 'vitest';
import { hashKey, signV4, snsNotifier } from '../../../alerting/index.js';
import { startReceiver } from '../helpers/receiver.js';
import { message } from '../helpers/message.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

// AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite, also in botocore's
// tests/unit/auth/aws4_testsuite): credentials, time, region and service of every vector.
const SUITE = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
  now: new Date('2015-08-30T12:36:00Z'),
};

describe('SigV4 (node:crypto) against the AWS test suite', () => {
  it.each([
    [
      'get-vanilla',
      'GET',
      'https://example.amazonaws.com/',
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ],
    [
      'get-vanilla-query-order-key-case',
      'GET',
      'https://example.amazonaws.com/?Param2=value2&Param1=value1',
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ],
    [
      'post-vanilla',
      'POST',
      'https://example.amazonaws.com/',
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    ],
  ])('%s', (_name, method, url, signature) => {
    const h = signV4({ method, url: new URL(url), body: '', ...SUITE });
    expect(h['x-amz-date']).toBe('20150830T123600Z');
    expect(h.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    );
  });
});

describe('SNS Publish (Query API) on a local server that checks the signature', () => {
  async function sns(status = 200) {
    const r = await startReceiver({
      answer: () => ({
        status,
        body:
          status === 200
            ? '<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>'
            : '<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>',
      }),
    });
    closers.push(r.close);
    return r;
  }
  const creds = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/key' };

  it('publishes the templated subject, message and attributes, signed for service sns', async () => {
    const r = await sns();
    const now = new Date('2026-01-05T10:00:00Z');
    const n = snsNotifier({
      apiUrl: r.url,
      region: 'eu-west-1',
      credentials: () => creds,
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:ops.fifo',
      attributes: { severity: '{{ .CommonLabels.severity }}' },
      now: () => now,
    });
    expect(await n.notify(message())).toEqual({ ok: true });
    const got = r.got[0]!;
    const form = new URLSearchParams(got.body as string);
    expect(Object.fromEntries(form)).toMatchObject({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops.fifo',
      Subject: '[FIRING:1] SiteDown (critical)',
      MessageDeduplicationId: hashKey('{}:{alertname="SiteDown"}'),
      MessageGroupId: hashKey('{}:{alertname="SiteDown"}'),
      'MessageAttributes.entry.1.Name': 'severity',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'critical',
    });
    expect(form.get('Message')).toContain('Alerts Firing:');
    // The server recomputes the signature from what it received.
    const want = signV4({
      method: 'POST',
      url: new URL(r.url),
      headers: { 'content-type': String(got.headers['content-type']) },
      body: got.body as string,
      region: 'eu-west-1',
      service: 'sns',
      credentials: creds,
      now,
    });
    expect(got.headers['x-amz-date']).toBe('20260105T100000Z');
    expect(got.headers.authorization).toBe(want.authorization);
    expect(got.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/20260105\/eu-west-1\/sns\/aws4_request, SignedHeaders=content-type;host;x-amz-date, /,
    );
  });

  it('cuts an SMS to 1600 bytes and marks it truncated', async () => {
    const r = await sns();
    await snsNotifier({
      apiUrl: r.url,
      region: 'eu-west-1',
      credentials: () => creds,
      phoneNumber: '+31600000000',
      message: `{{ range $i, $e := stringSlice ${'"xxxxxxxxxx" '.repeat(200)}}}{{ $e }}{{ end }}`,
    }).notify(message());
    const form = new URLSearchParams(r.got[0]!.body as string);
    expect(Buffer.byteLength(form.get('Message')!)).toBe(1600);
    expect(form.get('MessageAttributes.entry.1.Name')).toBe('truncated');
  });

  it.each([
    [400, false],
    [500, true],
  ])('HTTP %i → retryable %s', async (status, retryable) => {
    const r = await sns(status);
    const res = await snsNotifier({
      apiUrl: r.url,
      region: 'x',
      credentials: () => creds,
      topicArn: 't',
    }).notify(message());
    expect(res).toMatchObject({ ok: false, retryable });
  });
});
