import { httpHandler } from '@order-platform/lambda-kit';
import { ListProductsQuery } from '@order-platform/contracts';
import { listProducts } from '../application/browse-catalog.use-case';
import { products } from '../composition';
import { productView } from './product-view';

/** `GET /products?limit&nextToken`: the public catalog, one page at a time. */
export const handler = httpHandler({ query: ListProductsQuery }, async ({ query }) => {
  // A nextToken this API did not issue is refused by the repository as a 400 (InvalidPageTokenError).
  const page = await listProducts({ products: products() }, query.limit, query.nextToken);
  return { status: 200, body: { items: page.items.map(productView), nextToken: page.nextToken } };
});
