// as: libs/lambda-kit/src/zod-outside-contracts.ts
// zod straight from the package: the classic API (all of zod in the bundle) or zod/mini without its messages.
import { z } from 'zod';
import * as mini from 'zod/mini';

export const both = [z.string(), mini.string()];
