import { eventHandler, logger } from '@order-platform/lambda-kit';
import {
  onStockReservationFailed,
  onStockReserved,
  refundIfCharged,
} from '../application/order-saga.use-case';
import { clock, orders, payments, retrySoon } from '../composition';

/**
 * pedidos' inbox: drives each order on StockReserved / StockReservationFailed, links InvoiceIssued, and
 * refunds on its own OrderCancelled what a cancelled order may still hold (the durable trigger of the
 * compensation: a withdrawal after completion, or a cancel whose saga died before refunding).
 */
export const handler = eventHandler(async (event) => {
  const deps = { orders: orders(), payments: payments(), now: clock.now };
  switch (event.type) {
    case 'StockReserved': {
      const order = await onStockReserved(deps, event);
      logger.info('Stock reserved handled', { orderId: event.data.orderId, status: order?.status });
      return;
    }
    case 'StockReservationFailed': {
      const order = await onStockReservationFailed(deps, event);
      logger.info('Stock refusal handled', { orderId: event.data.orderId, status: order?.status });
      return;
    }
    case 'OrderCancelled': {
      const order = await refundIfCharged(deps, event.data.orderId);
      logger.info('Cancellation settled', { orderId: event.data.orderId, payment: order?.payment.status });
      return;
    }
    case 'InvoiceIssued':
      await deps.orders.linkInvoice(event.data.orderId, {
        invoiceId: event.data.invoiceId,
        number: event.data.number,
      });
      logger.info('Invoice linked', { orderId: event.data.orderId, number: event.data.number });
      return;
    default:
      logger.info('Event ignored', { type: event.type });
  }
}, retrySoon);
