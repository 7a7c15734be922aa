import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A string (UTF-8) or bytes (base64), as the runtime bridge carries script values. */
export type Wire = { s: string } | { b: string };

const bytes = (w: Wire): Buffer => ('b' in w ? Buffer.from(w.b, 'base64') : Buffer.from(w.s, 'utf8'));

// k6/crypto's algorithm names → OpenSSL's (k6 docs: "Hash algorithms").
const ALGS: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  ripemd160: 'ripemd160',
};

function algOf(name: string): string {
  const alg = ALGS[name];
  if (!alg)
    throw new Error(
      `hash algorithm "${name}" is outside vigil's k6 subset (${Object.keys(ALGS).join(', ')})`,
    );
  return alg;
}

/** k6's output encodings: hex, base64, base64url (padded), base64rawurl; binary → base64 for the bridge. */
function encode(buf: Buffer, enc: string): string {
  switch (enc) {
    case 'hex':
      return buf.toString('hex');
    case 'base64':
    case 'binary':
      return buf.toString('base64');
    case 'base64url':
      return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'base64rawurl':
      return buf.toString('base64url');
    default:
      throw new Error(`output encoding "${enc}" is not one of hex, base64, base64url, base64rawurl, binary`);
  }
}

/** k6/encoding variants: std and url with padding, rawstd and rawurl without (RFC 4648 §4, §5). */
function b64(buf: Buffer, variant: string): string {
  const std = buf.toString('base64');
  switch (variant) {
    case 'std':
      return std;
    case 'rawstd':
      return std.replace(/=+$/, '');
    case 'url':
      return std.replace(/\+/g, '-').replace(/\//g, '_');
    case 'rawurl':
      return buf.toString('base64url');
    default:
      throw new Error(`base64 encoding "${variant}" is not one of std, rawstd, url, rawurl`);
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32, as TOTP secrets are written (case and spaces ignored). */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error('the TOTP secret is not base32');
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 255);
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP with HMAC-SHA-1 (RFC 4226 §5.3 dynamic truncation), at `now` + bias seconds. */
export function totpCode(secret: string, digits = 6, period = 30, bias = 0, now = Date.now()): string {
  const counter = Math.floor((now / 1000 + bias) / period);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(off) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

/** The bridge operations the script thread answers itself (no I/O, so no round trip to vigil). */
export const localOps: Record<string, (args: never) => unknown> = {
  hash: (a: { alg: string; data: Wire[]; enc: string }) => {
    const h = createHash(algOf(a.alg));
    for (const d of a.data) h.update(bytes(d));
    return encode(h.digest(), a.enc);
  },
  hmac: (a: { alg: string; key: Wire; data: Wire[]; enc: string }) => {
    const h = createHmac(algOf(a.alg), bytes(a.key));
    for (const d of a.data) h.update(bytes(d));
    return encode(h.digest(), a.enc);
  },
  random: (n: number) => randomBytes(Math.max(0, Math.min(1 << 20, Math.floor(n)))).toString('base64'),
  b64encode: (a: { data: Wire; enc: string }) => b64(bytes(a.data), a.enc),
  b64decode: (a: { data: string; enc: string }) => {
    if (!['std', 'rawstd', 'url', 'rawurl'].includes(a.enc))
      throw new Error(`base64 encoding "${a.enc}" is not one of std, rawstd, url, rawurl`);
    return Buffer.from(a.data.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('base64');
  },
  totp: (a: { secret: string; digits: number; period: number; bias: number }) =>
    totpCode(a.secret, a.digits || 6, a.period || 30, a.bias || 0),
};
