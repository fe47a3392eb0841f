import { BadRequestError, httpHandler } from '@order-platform/lambda-kit';
import { z } from 'zod';
import { listProducts } from '../application/browse-catalog.use-case';
import { InvalidPageTokenError } from '../adapters/dynamodb-product.repository';
import { products } from '../composition';
import { productView } from './product-view';

/** `GET /products?limit&nextToken`: the public catalog, one page at a time. */
export const handler = httpHandler(
  {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      nextToken: z.string().min(1).max(2048).optional(),
    }),
  },
  async ({ query }) => {
    try {
      const page = await listProducts({ products }, query.limit, query.nextToken);
      return { status: 200, body: { items: page.items.map(productView), nextToken: page.nextToken } };
    } catch (error) {
      if (error instanceof InvalidPageTokenError) {
        throw new BadRequestError(error.message, [{ field: 'query.nextToken', message: error.message }]);
      }
      throw error;
    }
  },
);
