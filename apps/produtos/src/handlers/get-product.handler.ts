import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { ProductIdParams } from '@order-platform/contracts';
import { getProduct, ProductNotFoundError } from '../application/browse-catalog.use-case';
import { products } from '../composition';
import { productView } from './product-view';

/** `GET /products/{id}`: one product of the public catalog. */
export const handler = httpHandler({ params: ProductIdParams }, async ({ params }) => {
  try {
    return { status: 200, body: productView(await getProduct({ products: products() }, params.id)) };
  } catch (error) {
    if (error instanceof ProductNotFoundError) throw new NotFoundError(error.message);
    throw error;
  }
});
