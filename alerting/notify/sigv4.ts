import { createHash, createHmac } from 'node:crypto';

// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
// with node:crypto: canonical request, string to sign, derived key, Authorization header.

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

/** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX. */
const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical query string: parameters sorted by encoded name, then value. */
function canonicalQuery(search: URLSearchParams): string {
  return [...search]
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * Signs a request: returns the headers to add (`x-amz-date`, `authorization`, and
 * `x-amz-security-token` for temporary credentials). `headers` are the ones to sign besides
 * host and x-amz-date.
 */
export function signV4(req: {
  method: string;
  url: URL;
  headers?: Record<string, string> | undefined;
  body: string;
  region: string;
  service: string;
  credentials: AwsCredentials;
  now?: Date | undefined;
}): Record<string, string> {
  const amzDate = (req.now ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const add: Record<string, string> = { 'x-amz-date': amzDate };
  if (req.credentials.sessionToken) add['x-amz-security-token'] = req.credentials.sessionToken;
  const all: Record<string, string> = { host: req.url.host, ...req.headers, ...add };
  const names = Object.keys(all)
    .map((k) => k.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const path =
    req.url.pathname === ''
      ? '/'
      : req.url.pathname
          .split('/')
          .map((p) => enc(decodeURIComponent(p)))
          .join('/');
  const canonical = [
    req.method,
    path,
    canonicalQuery(req.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    sha256(req.body),
  ].join('\n');
  const scope = `${day}/${req.region}/${req.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const kDate = hmac(`AWS4${req.credentials.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, req.region), req.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  add.authorization = `AWS4-HMAC-SHA256 Credential=${req.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return add;
}
