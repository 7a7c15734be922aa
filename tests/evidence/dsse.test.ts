import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dsseSign, dsseVerify, pae, type DsseEnvelope } from '../../evidence/index.js';

/** A decimal integer as a 32-byte big-endian base64url string (JWK coordinates). */
const coord = (dec: string): string =>
  Buffer.from(BigInt(dec).toString(16).padStart(64, '0'), 'hex').toString('base64url');

describe('DSSE (secure-systems-lab/dsse protocol.md, "Test Vectors")', () => {
  it('PAE reproduces the published encoding byte for byte', () => {
    const out = pae('http://example.com/HelloWorld', Buffer.from('hello world'));
    expect(out.toString('utf8')).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('the published signature verifies over our PAE with the published P-256 key, and fails over a changed one', () => {
    // The spec's key (X, Y as decimal integers) and its envelope, exactly as published.
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: coord('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
        y: coord('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
      },
      format: 'jwk',
    });
    const env: DsseEnvelope = {
      payload: 'aGVsbG8gd29ybGQ=',
      payloadType: 'http://example.com/HelloWorld',
      signatures: [
        {
          keyid: '',
          sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==',
        },
      ],
    };
    expect(dsseVerify(env, key)).toBe(true);
    expect(dsseVerify({ ...env, payloadType: 'http://example.com/HelloWorlD' }, key)).toBe(false);
    expect(dsseVerify({ ...env, payload: Buffer.from('hello worle').toString('base64') }, key)).toBe(false);
  });

  it('Ed25519 envelopes: sign, verify, URL-safe base64 accepted, wrong key refused', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const env = dsseSign('application/vnd.vigil.test+json', Buffer.from('{"a":1}'), privateKey, 'k1');
    expect(env).toMatchObject({
      payloadType: 'application/vnd.vigil.test+json',
      payload: 'eyJhIjoxfQ==',
      signatures: [{ keyid: 'k1' }],
    });
    expect(dsseVerify(env, publicKey)).toBe(true);
    const urlSafe = {
      ...env,
      signatures: [{ keyid: 'k1', sig: Buffer.from(env.signatures[0]!.sig, 'base64').toString('base64url') }],
    };
    expect(dsseVerify(urlSafe, publicKey)).toBe(true);
    expect(dsseVerify(env, generateKeyPairSync('ed25519').publicKey)).toBe(false);
  });
});
