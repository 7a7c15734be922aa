import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VigilError, errorMessage } from '../errors.js';
import { checkpointPayload } from './hash.js';
import type { AuditCheckpoint } from './types.js';

/** The instance's signing key for audit checkpoints. */
export interface AuditSigner {
  keyId: string;
  /** SPKI PEM, for `audit export` and `--pubkey`. */
  publicPem: string;
  sign(c: Omit<AuditCheckpoint, 'signature' | 'keyId'>): AuditCheckpoint;
}

/** A public key that checkpoints are checked against. */
export interface AuditPublicKey {
  keyId: string;
  key: KeyObject;
  pem: string;
}

/** Where the key lives under the data directory. */
export function auditKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'audit-ed25519.pem');
}

/** The key id: SHA-256 (hex) of the public key's SPKI DER encoding. */
export function keyIdOf(pub: KeyObject): string {
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/**
 * Loads the Ed25519 key at `file`, creating it (PKCS#8 PEM, mode 0600, directory 0700) on first
 * use. Created with the `wx` flag so two processes starting at once cannot both write it.
 */
export function loadOrCreateAuditKey(file: string): AuditSigner {
  let pem: string;
  try {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ed25519');
      const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      try {
        writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    chmodSync(file, 0o600);
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new VigilError(
      'STO_AUDIT_KEY',
      `cannot read or create the audit key ${file}: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  const priv = createPrivateKey(pem);
  if (priv.asymmetricKeyType !== 'ed25519')
    throw new VigilError('STO_AUDIT_KEY', `the audit key ${file} is not an Ed25519 key`);
  const pub = createPublicKey(priv);
  const keyId = keyIdOf(pub);
  return {
    keyId,
    publicPem: pub.export({ type: 'spki', format: 'pem' }).toString(),
    sign(c) {
      const body = { ...c, keyId };
      return { ...body, signature: sign(null, checkpointPayload(body), priv).toString('base64') };
    },
  };
}

/** Reads public keys from PEM text (SPKI public keys, or a private key whose public half is used). */
export function parsePublicKeys(pemText: string, source: string): AuditPublicKey[] {
  const blocks = pemText.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
  if (blocks.length === 0) throw new VigilError('STO_AUDIT_KEY', `${source}: no PEM key found`);
  return blocks.map((b) => {
    try {
      const key = b.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(b)) : createPublicKey(b);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
      return { keyId: keyIdOf(key), key, pem: key.export({ type: 'spki', format: 'pem' }).toString() };
    } catch (err) {
      throw new VigilError('STO_AUDIT_KEY', `${source}: ${errorMessage(err)}`, { cause: err });
    }
  });
}

/** True when the checkpoint's signature verifies with the given key. */
export function checkpointSignatureOk(c: AuditCheckpoint, key: AuditPublicKey): boolean {
  try {
    return verify(null, checkpointPayload(c), key.key, Buffer.from(c.signature, 'base64'));
  } catch {
    // A malformed signature is a signature that does not verify: the caller reports it.
    return false;
  }
}
