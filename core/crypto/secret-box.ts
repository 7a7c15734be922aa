import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VigilError } from '../errors.js';

/** One AES-256 key of a key ring, named by a short id that each ciphertext carries. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

const PREFIX = 'sb1';
const b64 = (b: Buffer) => b.toString('base64url');

/**
 * Encrypts the secrets vigil keeps in its store (TOTP seeds, receiver credentials) with
 * AES-256-GCM (NIST SP 800-38D: 96-bit random IV, 128-bit tag). A ciphertext is
 * `sb1.<keyId>.<iv>.<tag>.<data>` (base64url), so a rotated key ring still opens old values and
 * `needsRotation` tells which ones to re-encrypt. `context` is bound as additional data, so a
 * ciphertext copied into another row (another user's seed) does not open there.
 */
export class SecretBox {
  readonly #keys: Map<string, Buffer>;
  readonly #current: SecretKey;

  constructor(keys: readonly SecretKey[], currentId: string) {
    this.#keys = new Map(keys.map((k) => [k.id, k.key]));
    for (const k of keys)
      if (k.key.length !== 32) throw new VigilError('AUTH_KEY', `secret key ${k.id} is not 32 bytes`);
    const key = this.#keys.get(currentId);
    if (!key) throw new VigilError('AUTH_KEY', `the current secret key ${currentId} is not in the key ring`);
    this.#current = { id: currentId, key };
  }

  /** The id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Encrypts `plaintext`, bound to `context` (e.g. "totp:<user id>"). */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#current.key, iv);
    c.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return [PREFIX, this.#current.id, b64(iv), b64(c.getAuthTag()), b64(data)].join('.');
  }

  /** Decrypts a value sealed by `seal` with the same context; throws AUTH_SECRET when it does not open. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== PREFIX)
      throw new VigilError('AUTH_SECRET', 'a stored secret is not in the sealed format');
    const key = this.#keys.get(parts[1]!);
    if (!key)
      throw new VigilError(
        'AUTH_SECRET',
        `a stored secret needs key ${parts[1]}, which is not in the key ring`,
      );
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2]!, 'base64url'));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(Buffer.from(parts[3]!, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(parts[4]!, 'base64url')), d.final()]).toString('utf8');
    } catch (err) {
      throw new VigilError('AUTH_SECRET', 'a stored secret does not decrypt (wrong key or altered)', {
        cause: err,
      });
    }
  }

  /** True when `sealed` was made with another key than the current one. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.#current.id;
  }
}
