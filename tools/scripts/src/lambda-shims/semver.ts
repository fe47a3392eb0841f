/**
 * What `semver` resolves to inside a Lambda bundle: the X-Ray SDK (through Powertools Tracer) asks it one
 * question, `gte(version, minimum)`, when it patches an AWS SDK v2 client, which these functions never use.
 * The whole package is ~28 KiB minified; this answers that question for plain `x.y.z` versions and refuses
 * anything else.
 */
function parts(version: string): number[] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!match) throw new TypeError(`Invalid version: ${version}`);
  return match.slice(1).map(Number);
}

export function gte(version: string, minimum: string): boolean {
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

export default { gte };
