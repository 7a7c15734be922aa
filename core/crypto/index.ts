export { SecretBox, type SecretKey } from './secret-box.js';
export { loadKeyRing, loadOrCreateKeyRing, addKey, dropOldKeys } from './key-file.js';
