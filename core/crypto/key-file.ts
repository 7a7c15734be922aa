import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { VigilError, errorMessage } from '../errors.js';
import { SecretBox, type SecretKey } from './secret-box.js';

interface KeyFileJson {
  current: string;
  keys: Record<string, string>;
}

/**
 * The key ring file (default `<data>/keys/secret.key`): JSON `{current, keys: {id: base64}}`,
 * mode 0600, kept outside the store so a copy of the database alone does not reveal the seeds.
 * A symbolic link, or a file others may read or write, is refused: vigil runs as root and must
 * not be handed a key (or a leak) through someone else's file.
 */
export function loadKeyRing(path: string): SecretBox {
  const json = readKeyFile(path);
  const keys: SecretKey[] = Object.entries(json.keys).map(([id, k]) => ({
    id,
    key: Buffer.from(k, 'base64'),
  }));
  return new SecretBox(keys, json.current);
}

/** Loads the key ring, creating the file with one fresh key when it does not exist yet. */
export function loadOrCreateKeyRing(path: string): { box: SecretBox; created: boolean } {
  try {
    lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw keyError(path, err);
    const id = newKeyId();
    writeKeyFile(path, { current: id, keys: { [id]: randomBytes(32).toString('base64') } }, true);
    return { box: loadKeyRing(path), created: true };
  }
  return { box: loadKeyRing(path), created: false };
}

/** Adds a new key and makes it current; old keys stay so existing values still open until re-encrypted. */
export function addKey(path: string): { box: SecretBox; keyId: string } {
  const json = readKeyFile(path);
  const id = newKeyId();
  json.keys[id] = randomBytes(32).toString('base64');
  json.current = id;
  writeKeyFile(path, json, false);
  return { box: loadKeyRing(path), keyId: id };
}

/** Drops every key but the current one (after all values were re-encrypted). */
export function dropOldKeys(path: string): void {
  const json = readKeyFile(path);
  writeKeyFile(path, { current: json.current, keys: { [json.current]: json.keys[json.current]! } }, false);
}

const newKeyId = () => `k${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

function readKeyFile(path: string): KeyFileJson {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    throw keyError(path, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new VigilError('AUTH_KEY', `key file ${path} is not a regular file`);
    if ((st.mode & 0o077) !== 0)
      throw new VigilError(
        'AUTH_KEY',
        `key file ${path} may be read by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    if (typeof process.getuid === 'function' && st.uid !== process.getuid())
      throw new VigilError('AUTH_KEY', `key file ${path} belongs to another user`);
    const json = JSON.parse(readFileSync(fd, 'utf8')) as KeyFileJson;
    if (typeof json.current !== 'string' || typeof json.keys !== 'object' || !json.keys[json.current])
      throw new VigilError('AUTH_KEY', `key file ${path} has no current key`);
    return json;
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw keyError(path, err);
  } finally {
    closeSync(fd);
  }
}

function writeKeyFile(path: string, json: KeyFileJson, exclusive: boolean): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  // Written aside and renamed, so a crash never leaves a half-written key ring.
  writeFileSync(tmp, `${JSON.stringify(json)}\n`, { mode: 0o600, flag: 'wx' });
  if (exclusive) {
    try {
      lstatSync(path);
      throw new VigilError('AUTH_KEY', `key file ${path} appeared while creating it`);
    } catch (err) {
      if (err instanceof VigilError) throw err;
    }
  }
  renameSync(tmp, path);
}

function keyError(path: string, err: unknown): VigilError {
  return new VigilError('AUTH_KEY', `cannot read the secret key file ${path}: ${errorMessage(err)}`, {
    cause: err,
  });
}
