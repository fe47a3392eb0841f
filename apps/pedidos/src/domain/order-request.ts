/** The body of `POST /orders` is part of the REST contract (`@order-platform/contracts`, OpenAPI). */
export {
  PAYMENT_TEST_TOKENS,
  placeOrderRequest,
  PlaceOrderRequest,
  type PaymentProvider,
} from '@order-platform/contracts';
