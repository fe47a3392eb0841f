import { ConflictError, httpHandler } from '@order-platform/lambda-kit';
import * as z from 'zod';
import { createProduct, DuplicateSkuError } from '../application/manage-catalog.use-case';
import { catalog, clock } from '../composition';
import { productView } from './product-view';

/** `POST /products` (admins): a new product with its opening stock. */
export const handler = httpHandler(
  {
    body: z
      .object({
        sku: z
          .string()
          .trim()
          .min(1)
          .max(40)
          .regex(/^[A-Za-z0-9-_.]+$/, 'letters, digits, - _ .'),
        name: z.string().trim().min(1).max(200),
        description: z.string().max(2000).default(''),
        price: z.number().int().positive().describe('integer cents, BRL'),
        // Prices are BRL only: another currency is refused, never silently taken as BRL.
        currency: z.literal('BRL', { message: 'only BRL is supported' }).optional(),
        stock: z.number().int().nonnegative().max(1_000_000).default(0),
      })
      .strict(),
    auth: ['admins'],
  },
  async ({ body, correlationId }) => {
    try {
      const product = await createProduct({ catalog: catalog(), now: clock.now }, body, correlationId);
      return {
        status: 201,
        headers: { Location: `/products/${product.productId}` },
        body: productView(product),
      };
    } catch (error) {
      if (error instanceof DuplicateSkuError) throw new ConflictError(error.message);
      throw error;
    }
  },
);
