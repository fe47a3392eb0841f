import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '@order-platform/local-cloud';
import { seedDemo } from './demo-seed';
import { synthLocal } from './synth-local';

/**
 * The order platform on the local cloud: the CDK app's `local` stage, synthesized when its sources changed,
 * with the demo users, catalog and partner put in through its APIs (`seed: false` for none).
 */
export function startPlatformLocally(
  options: Omit<LocalCloudOptions, 'seed'> & { seed?: false } = {},
): Promise<LocalCloud> {
  const { seed, ...rest } = options;
  return startLocalCloud({
    synthesize: synthLocal,
    ...rest,
    ...(seed === false ? {} : { seed: seedDemo }),
  });
}
