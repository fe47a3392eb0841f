// as: apps/pedidos/src/application/zod-in-use-case.ts
// Where the AWS rules apply too, the zod rule still holds.
import * as z from 'zod';

export const Name = z.string();
