import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** A PEM certificate and its PEM private key. */
export interface CertificatePair {
  cert: string;
  key: string;
}

/**
 * A self-signed server certificate for `hosts` (DNS names and IP addresses, all in the
 * subjectAltName, RFC 5280 §4.2.1.6), valid from a day ago for `days`. Node's crypto has no API
 * to issue an X.509 certificate, so the certificate is assembled and signed with node-forge (pure
 * JavaScript, no native code, nothing to install on the host); the RSA key itself is made by
 * node:crypto, which is much faster than forge's own key generation.
 */
export function makeSelfSignedCertificate(
  hosts: readonly string[],
  days = 825,
  now = Date.now(),
): CertificatePair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const fKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(fKey.n, fKey.e);
  // A positive serial of 16 random bytes (RFC 5280 §4.1.2.2: at most 20 octets, non-negative).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now - 86_400_000);
  cert.validity.notAfter = new Date(now + days * 86_400_000);
  const cn = hosts.find((h) => isIP(h) === 0) ?? hosts[0] ?? 'localhost';
  const subject = [
    { name: 'commonName', value: cn },
    { name: 'organizationName', value: 'vigil (self-signed)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...new Set(hosts)].map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
  ]);
  cert.sign(fKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

/** The SHA-256 fingerprint of a PEM certificate, as browsers and `openssl x509 -fingerprint -sha256` show it. */
export function certificateFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
