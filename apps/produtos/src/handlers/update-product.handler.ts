import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import * as z from 'zod';
import { CatalogProductNotFoundError, updateProduct } from '../application/manage-catalog.use-case';
import { catalog, clock } from '../composition';
import { productView } from './product-view';

/** `PUT /products/{id}` (admins): name, description and price; stock changes go through `/stock`. */
export const handler = httpHandler(
  {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: z
      .object({
        name: z.string().trim().min(1).max(200),
        description: z.string().max(2000).default(''),
        price: z.number().int().positive(),
        currency: z.literal('BRL', { message: 'only BRL is supported' }).optional(),
      })
      .strict(),
    auth: ['admins'],
  },
  async ({ params, body, correlationId }) => {
    try {
      return {
        status: 200,
        body: productView(
          await updateProduct({ catalog: catalog(), now: clock.now }, params.id, body, correlationId),
        ),
      };
    } catch (error) {
      if (error instanceof CatalogProductNotFoundError) throw new NotFoundError(error.message);
      throw error;
    }
  },
);
