import { anEvent } from '@order-platform/testing';
import type { Order } from '../domain/order';
import { notifyCustomer } from './notify-customer.use-case';
import type { EmailMessage, Mailer } from './ports';
import { InMemoryOrders } from './testing/in-memory-orders';

/** A mailer that keeps what it was asked to send, once per key, as the SES adapter does. */
function recordingMailer(): Mailer & { sent: { key: string; message: EmailMessage }[] } {
  const sent: { key: string; message: EmailMessage }[] = [];
  return {
    sent,
    async sendOnce(key, message) {
      if (sent.some((s) => s.key === key)) return 'duplicate';
      sent.push({ key, message });
      return 'sent';
    },
  };
}

/** Orders whose reads are counted. */
function countingOrders(order?: Partial<Order>) {
  const orders = new InMemoryOrders();
  if (order) orders.orders.set(order.orderId!, order as Order);
  let reads = 0;
  const get = orders.get.bind(orders);
  orders.get = async (id: string) => {
    reads += 1;
    return get(id);
  };
  return { orders, reads: () => reads };
}

describe('notifyCustomer', () => {
  it('mails the address the event carries, without reading the order', async () => {
    // Prepare
    const { orders, reads } = countingOrders({ orderId: 'o-1', customerEmail: 'old@example.com' });
    const mailer = recordingMailer();
    const placed = anEvent('OrderPlaced', { data: { orderId: 'o-1', customerEmail: 'ana@example.com' } });
    // Act
    const outcome = await notifyCustomer({ orders, mailer }, placed);
    // Assess
    expect(outcome).toBe('sent');
    expect(mailer.sent).toEqual([
      {
        key: placed.id,
        message: expect.objectContaining({ to: 'ana@example.com', subject: 'Pedido o-1 recebido' }),
      },
    ]);
    expect(reads()).toBe(0);
  });

  it("reads the order's address for an event that carries none, and mails once however often it comes", async () => {
    const { orders, reads } = countingOrders({ orderId: 'o-2', customerEmail: 'bia@example.com' });
    const mailer = recordingMailer();
    const rejected = anEvent('OrderRejected', { data: { orderId: 'o-2', reason: 'Sem estoque' } });
    expect(await notifyCustomer({ orders, mailer }, rejected)).toBe('sent');
    expect(await notifyCustomer({ orders, mailer }, rejected)).toBe('duplicate');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]!.message).toMatchObject({ to: 'bia@example.com', subject: 'Pedido o-2 recusado' });
    expect(reads()).toBe(2);
  });

  it('sends nothing for an order without an address, nor for an event it has no message for', async () => {
    const { orders, reads } = countingOrders({ orderId: 'o-3' });
    const mailer = recordingMailer();
    const cancelled = anEvent('OrderCancelled', { data: { orderId: 'o-3' } });
    expect(await notifyCustomer({ orders, mailer }, cancelled)).toBe('no-address');
    const processing = anEvent('OrderProcessing', { data: { orderId: 'o-3' } });
    expect(await notifyCustomer({ orders, mailer }, processing)).toBe('ignored');
    expect(mailer.sent).toEqual([]);
    expect(reads()).toBe(1);
  });
});
