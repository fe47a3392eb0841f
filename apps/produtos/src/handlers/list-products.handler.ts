import { httpHandler } from '@order-platform/lambda-kit';
import * as z from 'zod';
import { listProducts } from '../application/browse-catalog.use-case';
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
    // A nextToken this API did not issue is refused by the repository as a 400 (InvalidPageTokenError).
    const page = await listProducts({ products: products() }, query.limit, query.nextToken);
    return { status: 200, body: { items: page.items.map(productView), nextToken: page.nextToken } };
  },
);
