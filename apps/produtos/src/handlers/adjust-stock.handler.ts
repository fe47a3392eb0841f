import { httpHandler, NotFoundError, UnprocessableError } from '@order-platform/lambda-kit';
import { AdjustStockRequest, ProductIdParams } from '@order-platform/contracts';
import {
  adjustStock,
  CatalogProductNotFoundError,
  StockBelowZeroError,
} from '../application/manage-catalog.use-case';
import { catalog } from '../composition';
import { productView } from './product-view';

/** `POST /products/{id}/stock` (admins): `{ delta, reason }`, a restock or an adjustment; never below zero. */
export const handler = httpHandler(
  {
    params: ProductIdParams,
    body: AdjustStockRequest,
    auth: ['admins'],
  },
  async ({ params, body, correlationId }) => {
    try {
      return {
        status: 200,
        body: productView(
          await adjustStock({ catalog: catalog() }, params.id, body.delta, body.reason, correlationId),
        ),
      };
    } catch (error) {
      if (error instanceof CatalogProductNotFoundError) throw new NotFoundError(error.message);
      if (error instanceof StockBelowZeroError) {
        throw new UnprocessableError(error.message, [
          { field: 'body.delta', message: `at most ${error.available} can be removed` },
        ]);
      }
      throw error;
    }
  },
);
