import type { DomainEvent } from '@order-platform/contracts';
import type { EmailMessage, Mailer, OrderRepository } from './ports';

const brl = (cents: number) => `R$ ${(cents / 100).toFixed(2).replace('.', ',')}`;

/** The customer's e-mail for an order event, in Portuguese (the customers' language); nothing for other events. */
export function customerMessage(event: DomainEvent, to: string): EmailMessage | undefined {
  switch (event.type) {
    case 'OrderPlaced':
      return {
        to,
        subject: `Pedido ${event.data.orderId} recebido`,
        text: `Recebemos seu pedido ${event.data.orderId} (${event.data.items.length} item(ns)). Avisaremos quando ele for concluído.`,
      };
    case 'OrderCompleted':
      return {
        to,
        subject: `Pedido ${event.data.orderId} concluído`,
        text: `Seu pedido ${event.data.orderId} foi concluído. Total: ${brl(event.data.total)}. A fatura chegará em outro e-mail.`,
      };
    case 'OrderRejected':
      return {
        to,
        subject: `Pedido ${event.data.orderId} recusado`,
        text: `Não foi possível atender seu pedido ${event.data.orderId}. Motivo: ${event.data.reason}`,
      };
    case 'OrderCancelled':
      return {
        to,
        subject: `Pedido ${event.data.orderId} cancelado`,
        text: event.data.afterCompletion
          ? `Seu pedido ${event.data.orderId} foi cancelado após a conclusão (direito de arrependimento). ` +
            'O valor pago será estornado no mesmo meio de pagamento e a fatura será cancelada.'
          : `Seu pedido ${event.data.orderId} foi cancelado. Motivo: ${event.data.reason}`,
      };
    default:
      return undefined;
  }
}

/**
 * Tells the customer what happened to their order:
 * 1. picks the message for the event (order received, completed, rejected or cancelled);
 * 2. takes the customer's address from the event where it carries one (`OrderPlaced`, `OrderCompleted`:
 *    the address the order was placed with), and otherwise from the order;
 * 3. sends it once per event, however often the event is delivered.
 */
export async function notifyCustomer(deps: { orders: OrderRepository; mailer: Mailer }, event: DomainEvent) {
  const orderId = (event.data as { orderId?: string }).orderId;
  const message = customerMessage(event, '');
  if (!orderId || !message) return 'ignored' as const;
  const carried = (event.data as { customerEmail?: string }).customerEmail;
  const to = carried ?? (await deps.orders.get(orderId))?.customerEmail;
  if (!to) return 'no-address' as const;
  return deps.mailer.sendOnce(event.id, { ...message, to });
}
