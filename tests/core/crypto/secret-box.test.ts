import { chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addKey, dropOldKeys, loadKeyRing, loadOrCreateKeyRing, SecretBox } from '../../../core/index.js';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox([{ id: 'k1', key: randomBytes(32) }], 'k1');

  it('seals with a fresh IV and the key id, and opens only with the same context', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
    const b = box.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^sb1\.k1\./);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(a, 'totp:u1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(a, 'totp:u2')).toThrow(/does not decrypt/);
  });

  it('refuses a flipped byte anywhere in the ciphertext or tag', () => {
    const s = box.seal('secret value', 'c');
    const parts = s.split('.');
    for (const i of [2, 3, 4]) {
      const raw = Buffer.from(parts[i]!, 'base64url');
      raw[0]! ^= 1;
      const bad = [...parts];
      bad[i] = raw.toString('base64url');
      expect(() => box.open(bad.join('.'), 'c')).toThrow(/does not decrypt/);
    }
  });

  it('a rotated ring opens old values and seals with the new key', () => {
    const k1 = { id: 'k1', key: randomBytes(32) };
    const old = new SecretBox([k1], 'k1');
    const sealed = old.seal('x', 'c');
    const next = new SecretBox([k1, { id: 'k2', key: randomBytes(32) }], 'k2');
    expect(next.open(sealed, 'c')).toBe('x');
    expect(next.needsRotation(sealed)).toBe(true);
    expect(next.needsRotation(next.seal('x', 'c'))).toBe(false);
    expect(() => new SecretBox([{ id: 'k2', key: randomBytes(32) }], 'k2').open(sealed, 'c')).toThrow(
      /needs key k1/,
    );
  });
});

describe('key file', () => {
  it('is created 0600 on first use, then loaded; rotation adds a key, prune drops the old ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-keys-'));
    const file = join(dir, 'keys', 'secret.key');
    const first = loadOrCreateKeyRing(file);
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = first.box.seal('seed', 'c');
    const again = loadOrCreateKeyRing(file);
    expect(again.created).toBe(false);
    expect(again.box.open(sealed, 'c')).toBe('seed');
    const { box, keyId } = addKey(file);
    expect(box.currentKeyId).toBe(keyId);
    expect(box.open(sealed, 'c')).toBe('seed');
    dropOldKeys(file);
    expect(Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { keys: object }).keys)).toEqual([keyId]);
  });

  it('refuses a key file others may read, and a symbolic link', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-keys-'));
    const file = join(dir, 'secret.key');
    loadOrCreateKeyRing(file);
    chmodSync(file, 0o644);
    expect(() => loadKeyRing(file)).toThrow(/may be read by others/);
    chmodSync(file, 0o600);
    const link = join(dir, 'link.key');
    symlinkSync(file, link);
    expect(() => loadKeyRing(link)).toThrow(/cannot read the secret key file/);
    writeFileSync(join(dir, 'empty.key'), '{}', { mode: 0o600 });
    expect(() => loadKeyRing(join(dir, 'empty.key'))).toThrow(/no current key/);
  });
});
