import { createHash } from 'node:crypto';

/** SHA-256 (hex) of bytes. */
export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** BagIt 1.0 declaration (RFC 8493 §2.1.1). */
export const BAGIT_TXT = Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n', 'utf8');

/** The signature file: a DSSE envelope over the bag's statement (a tag file, so outside `data/`). */
export const SIGNATURE_FILE = 'signature.dsse.json';

/**
 * A manifest (RFC 8493 §2.1.3 / §2.2.1): `<hex digest> <path>` per file, sorted by path. Paths
 * here never hold CR, LF or `%` (vigil names them), so no percent-encoding is needed.
 */
export function manifest(files: ReadonlyMap<string, Buffer>, paths: readonly string[]): Buffer {
  return Buffer.from(
    [...paths]
      .sort()
      .map((p) => `${sha256(files.get(p)!)} ${p}\n`)
      .join(''),
    'utf8',
  );
}

/** Parses a manifest into path → digest; undefined for a malformed line's number. */
export function parseManifest(buf: Buffer): Map<string, string> | number {
  const out = new Map<string, string>();
  const lines = buf.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) +(.+)$/.exec(line);
    if (!m) return i + 1;
    out.set(m[2]!, m[1]!);
  }
  return out;
}

/** `bag-info.txt` (RFC 8493 §2.2.2) lines, in the order given (values never contain newlines). */
export function bagInfo(fields: readonly [string, string][]): Buffer {
  return Buffer.from(fields.map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}\n`).join(''), 'utf8');
}

/** The instance's public key, carried in the payload so a bundle can be checked without the instance. */
export const SIGNER_PEM = 'data/signer-ed25519.pem';
