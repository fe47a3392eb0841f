import type { DomainEvent } from '@order-platform/contracts';
import type { Order } from '../../domain/order';
import type { CreateResult, IdempotencyRecord, OrderRepository } from '../ports';

/** Test double of the port with the DynamoDB adapter's rules: all-or-nothing writes, optimistic revisions. */
export class InMemoryOrders implements OrderRepository {
  orders = new Map<string, Order>();
  outbox: DomainEvent[] = [];
  keys = new Map<string, { orderId: string; fingerprint: string }>();
  /** Runs once, right before the next update is applied: simulates a concurrent writer. */
  beforeNextUpdate?: () => void;

  async create(order: Order, event: DomainEvent, idempotency?: IdempotencyRecord): Promise<CreateResult> {
    if (idempotency && this.keys.has(idempotency.key))
      return { created: false, ...this.keys.get(idempotency.key)! };
    if (idempotency)
      this.keys.set(idempotency.key, { orderId: order.orderId, fingerprint: idempotency.fingerprint });
    this.orders.set(order.orderId, order);
    this.outbox.push(event);
    return { created: true };
  }
  async get(orderId: string) {
    const o = this.orders.get(orderId);
    return o ? structuredClone(o) : undefined;
  }
  async update(order: Order, events: DomainEvent[]) {
    const hook = this.beforeNextUpdate;
    this.beforeNextUpdate = undefined;
    hook?.();
    if (this.orders.get(order.orderId)?.revision !== order.revision - 1) return false;
    this.orders.set(order.orderId, order);
    this.outbox.push(...events);
    return true;
  }
  async linkInvoice(orderId: string, invoice: { invoiceId: string; number: number }) {
    this.orders.get(orderId)!.invoice = invoice;
  }
  async list(filter: { customerId?: string; status?: string }, limit: number) {
    const items = [...this.orders.values()]
      .filter(
        (o) =>
          (!filter.customerId || o.customerId === filter.customerId) &&
          (!filter.status || o.status === filter.status),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
    return { items };
  }
}
