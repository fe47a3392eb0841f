/**
 * The type of every published event, without its schema: for what only names events (a feed's filter, a
 * menu), so a bundle that needs the names does not build every event's schema. `contracts.test.ts` holds
 * it to the registry (`eventSchemas`), and the type below to the events' own.
 */
export const EVENT_TYPES = [
  'OrderPlaced',
  'OrderProcessing',
  'OrderCompleted',
  'OrderRejected',
  'OrderCancelled',
  'StockReserved',
  'StockReservationFailed',
  'StockReleased',
  'ProductCreated',
  'ProductUpdated',
  'InvoiceIssued',
  'InvoiceCancelled',
  // generated events: the service generator adds a line above this one
] as const;
export type PublishedEventType = (typeof EVENT_TYPES)[number];
