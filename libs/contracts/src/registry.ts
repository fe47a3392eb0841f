import * as z from './zod';
import { InvoiceCancelledV1 } from './events/invoice-cancelled.v1';
import { InvoiceIssuedV1 } from './events/invoice-issued.v1';
import { OrderCancelledV1 } from './events/order-cancelled.v1';
import { OrderCompletedV1 } from './events/order-completed.v1';
import { OrderPlacedV1 } from './events/order-placed.v1';
import { OrderProcessingV1 } from './events/order-processing.v1';
import { OrderRejectedV1 } from './events/order-rejected.v1';
import { ProductCreatedV1 } from './events/product-created.v1';
import { ProductUpdatedV1 } from './events/product-updated.v1';
import { StockReservationFailedV1 } from './events/stock-reservation-failed.v1';
import { StockReservedV1 } from './events/stock-reserved.v1';
import { StockReleasedV1 } from './events/stock-released.v1';

/** Every published event schema, keyed `<Type>.v<major>`: the catalogue the schema check and consumers use. */
export const eventSchemas = {
  'OrderPlaced.v1': OrderPlacedV1,
  'OrderProcessing.v1': OrderProcessingV1,
  'OrderCompleted.v1': OrderCompletedV1,
  'OrderRejected.v1': OrderRejectedV1,
  'OrderCancelled.v1': OrderCancelledV1,
  'StockReserved.v1': StockReservedV1,
  'StockReservationFailed.v1': StockReservationFailedV1,
  'StockReleased.v1': StockReleasedV1,
  'ProductCreated.v1': ProductCreatedV1,
  'ProductUpdated.v1': ProductUpdatedV1,
  'InvoiceIssued.v1': InvoiceIssuedV1,
  'InvoiceCancelled.v1': InvoiceCancelledV1,
} as const;

export type EventKey = keyof typeof eventSchemas;
export type DomainEvent = z.infer<(typeof eventSchemas)[EventKey]>;
export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;
export type EventData<T extends EventType> = EventOf<T>['data'];

export class UnknownEventError extends Error {
  constructor(readonly key: string) {
    super(`No schema for event ${key}`);
    this.name = 'UnknownEventError';
  }
}

/** Validates an event against the schema of its type and version; throws on an unknown type or a bad body. */
export function parseEvent(input: unknown): DomainEvent {
  const head = z.object({ type: z.string(), version: z.number() }).parse(input);
  const key = `${head.type}.v${head.version}`;
  const schema = (eventSchemas as Record<string, z.ZodMiniType>)[key];
  if (!schema) throw new UnknownEventError(key);
  return schema.parse(input) as DomainEvent;
}
