import { ConflictError, httpHandler } from '@order-platform/lambda-kit';
import { CreateProductRequest } from '@order-platform/contracts';
import { createProduct, DuplicateSkuError } from '../application/manage-catalog.use-case';
import { catalog, clock } from '../composition';
import { productView } from './product-view';

/** `POST /products` (admins): a new product with its opening stock. */
export const handler = httpHandler(
  {
    body: CreateProductRequest,
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
