import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { ProductIdParams, UpdateProductRequest } from '@order-platform/contracts';
import { CatalogProductNotFoundError, updateProduct } from '../application/manage-catalog.use-case';
import { catalog, clock } from '../composition';
import { productView } from './product-view';

/** `PUT /products/{id}` (admins): name, description and price; stock changes go through `/stock`. */
export const handler = httpHandler(
  {
    params: ProductIdParams,
    body: UpdateProductRequest,
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
