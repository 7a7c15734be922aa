import { sign, verify, type KeyObject } from 'node:crypto';

/** A DSSE envelope (github.com/secure-systems-lab/dsse, envelope.md). */
export interface DsseEnvelope {
  payloadType: string;
  /** Base64 of the serialized body. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/**
 * Pre-Authentication Encoding (DSSE protocol.md): `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`,
 * lengths as ASCII decimal byte counts. Signing this, not the bare payload, binds the payload type
 * to the signature so a body cannot be reinterpreted as another type.
 */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${body.length} `, 'utf8'),
    body,
  ]);
}

/** Signs `body` with an Ed25519 key into a one-signature envelope. */
export function dsseSign(payloadType: string, body: Buffer, key: KeyObject, keyid: string): DsseEnvelope {
  return {
    payloadType,
    payload: body.toString('base64'),
    signatures: [{ keyid, sig: sign(null, pae(payloadType, body), key).toString('base64') }],
  };
}

/** Standard or URL-safe base64 (the spec says verifiers must accept either). */
export function decodeBase64(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * True when at least one signature verifies against `key` over PAE(payloadType, payload). The
 * keyid is only a hint (the spec forbids security decisions on it), so every signature is tried.
 */
export function dsseVerify(env: DsseEnvelope, key: KeyObject): boolean {
  const msg = pae(env.payloadType, decodeBase64(env.payload));
  const alg = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return env.signatures.some((s) => {
    try {
      return verify(alg, msg, { key, dsaEncoding: 'ieee-p1363' }, decodeBase64(s.sig));
    } catch {
      // A malformed signature or key type mismatch is a signature that does not verify.
      return false;
    }
  });
}
