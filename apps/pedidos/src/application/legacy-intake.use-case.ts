import * as z from '@order-platform/contracts/zod';
import type { Order, OrderStatus } from '../domain/order';
import {
  admitOrder,
  IdempotencyConflictError,
  storeRejectedOrder,
  type PlaceOrderDeps,
} from './place-order.use-case';
import { mergeLines } from './partner-intake.use-case';

/**
 * One change of the legacy database as AWS DMS writes it to Kinesis (JSON message format): the row in
 * `data`, and in `metadata` what happened to it. `load` is a row of the full load, `insert` a new row.
 */
export const DmsChange = z.object({
  data: z.record(z.string(), z.unknown()),
  metadata: z.object({
    'record-type': z.string(),
    operation: z.string(),
    'schema-name': z.string(),
    'table-name': z.string(),
  }),
});
export type DmsChange = z.infer<typeof DmsChange>;

/** `erp.pedidos.itens`: `[{ "sku": "...", "quantidade": n }]`, as JSON text (DMS sends JSON columns as text). */
const LegacyItems = z
  .array(
    z.strictObject({
      sku: z
        .string()
        .check(z.minLength(1), z.maxLength(40), z.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, - _ .')),
      quantidade: z.int().check(z.gte(1), z.lte(1000)),
    }),
  )
  .check(z.minLength(1, 'at least one item'), z.maxLength(50));

const LegacyRow = z.object({
  numero: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  cliente_email: z.email(),
  itens: z.string(),
});

/** The statuses the platform writes back to the row: the legacy system's names for an order's outcome. */
export const LEGACY_STATUS: Readonly<Partial<Record<OrderStatus, string>>> = {
  COMPLETED: 'CONCLUIDO',
  REJECTED: 'REJEITADO',
  CANCELLED: 'CANCELADO',
};

export type LegacyOutcome = 'accepted' | 'replayed' | 'rejected' | 'ignored' | 'conflict';

/** The legacy database's customers pay on account with the ERP, as partners do. */
const LEGACY_ACCOUNT = 'legacy-erp';
export const legacyCustomerId = (email: string) => `legacy:${email.trim().toLowerCase()}`;
const legacyKey = (numero: string) => `LEGACY#${numero}`;

/**
 * Takes in one change of `erp.pedidos` from the stream:
 * 1. only new rows count: an `insert` (or a row of the full load) whose status is `NOVO`; every update —
 *    the platform's own write-backs among them, so they never loop — delete or other table is ignored;
 * 2. a row that cannot become an order (bad e-mail, `itens` not JSON or not `[{sku, quantidade}]`) becomes
 *    a REJECTED order naming the reason, under its `numero`; unknown SKUs are rejected by produtos on the
 *    normal path;
 * 3. the `numero` is the order's permanent idempotency key: the same change delivered again (Kinesis
 *    retries, a DMS restart, a second full load) makes no second order.
 * A change without a `numero` at all cannot be keyed: it throws, and the stream's on-failure destination
 * keeps it (with an alarm).
 */
export async function takeLegacyOrder(
  deps: PlaceOrderDeps,
  change: unknown,
  options: { schema: string; table: string; correlationId: string },
): Promise<{ outcome: LegacyOutcome; numero?: string; order?: Order; reason?: string }> {
  const parsed = DmsChange.safeParse(change);
  if (!parsed.success) throw new Error(`Not a DMS change record: ${parsed.error.issues[0]?.message}`);
  const { data, metadata } = parsed.data;
  const isRow = metadata['record-type'] === 'data';
  const ours = metadata['schema-name'] === options.schema && metadata['table-name'] === options.table;
  const isNew = metadata.operation === 'insert' || metadata.operation === 'load';
  if (!isRow || !ours || !isNew)
    return { outcome: 'ignored', reason: `${metadata.operation} of ${metadata['table-name']}` };
  if (data['status'] !== undefined && data['status'] !== 'NOVO')
    return { outcome: 'ignored', reason: `status ${String(data['status'])}` };
  const numero = typeof data['numero'] === 'string' ? data['numero'].trim() : '';
  if (!numero || numero.length > 40)
    throw new Error(`A row of ${options.schema}.${options.table} without a usable numero: ${data['id']}`);
  const { correlationId } = options;
  const email = typeof data['cliente_email'] === 'string' ? data['cliente_email'].trim() : '';
  const reject = async (reason: string) => {
    const result = await storeRejectedOrder(deps, {
      customerId: legacyCustomerId(email || numero),
      ...(z.email().safeParse(email).success ? { customerEmail: email } : {}),
      channel: 'legacy',
      externalRef: numero,
      items: [],
      payment: { method: 'account', token: LEGACY_ACCOUNT },
      reason,
      correlationId,
      idempotencyKey: legacyKey(numero),
    });
    return result.created
      ? { outcome: 'rejected' as const, numero, order: result.order, reason }
      : { outcome: 'replayed' as const, numero };
  };
  const row = LegacyRow.safeParse({ ...data, numero });
  if (!row.success)
    return reject(
      `Invalid legacy row: ${row.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  let itens: unknown;
  try {
    itens = JSON.parse(row.data.itens);
  } catch {
    return reject('Invalid legacy row: itens is not JSON');
  }
  const items = LegacyItems.safeParse(itens);
  if (!items.success)
    return reject(
      `Invalid legacy row: ${items.error.issues
        .slice(0, 10)
        .map((i) => `itens${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`)
        .join('; ')}`,
    );
  const lines = items.data.map((i) => ({ sku: i.sku, quantity: i.quantidade }));
  try {
    const { order, replayed } = await admitOrder(deps, {
      customerId: legacyCustomerId(row.data.cliente_email),
      customerEmail: row.data.cliente_email,
      channel: 'legacy',
      externalRef: numero,
      items: mergeLines(lines),
      payment: { method: 'account', token: LEGACY_ACCOUNT },
      buyer: { email: row.data.cliente_email },
      idempotencyKey: legacyKey(numero),
      permanentKey: true,
      fingerprintOf: { email: row.data.cliente_email.toLowerCase(), items: lines },
      correlationId,
    });
    return { outcome: replayed ? 'replayed' : 'accepted', numero, order };
  } catch (error) {
    // Another order already holds this numero (the row was deleted and the number reused): the first stands.
    if (error instanceof IdempotencyConflictError) return { outcome: 'conflict', numero };
    throw error;
  }
}

/** Where a legacy order's outcome is written: the row of `erp.pedidos` with that `numero`. */
export interface LegacyStatusWriter {
  /** Sets the row's status; true when a row with that numero exists. */
  write(numero: string, status: string): Promise<boolean>;
}

/**
 * Writes a legacy order's outcome back to its row, so the legacy system sees it. The order is read again,
 * so whatever order its events arrive in the row ends with the order's current status (a withdrawal after
 * completion ends as CANCELADO); writing the same status twice is harmless. Orders of other channels and
 * orders not final yet are skipped.
 */
export async function writeBackLegacyStatus(
  deps: { orders: Pick<PlaceOrderDeps['orders'], 'get'>; legacy: LegacyStatusWriter },
  orderId: string,
): Promise<'written' | 'skipped' | 'no-row'> {
  const order = await deps.orders.get(orderId);
  if (!order || order.channel !== 'legacy' || !order.externalRef) return 'skipped';
  const status = LEGACY_STATUS[order.status];
  if (!status) return 'skipped';
  return (await deps.legacy.write(order.externalRef, status)) ? 'written' : 'no-row';
}
