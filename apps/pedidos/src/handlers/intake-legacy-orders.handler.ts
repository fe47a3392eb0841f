import { kinesisHandler, logger, withCorrelation } from '@order-platform/lambda-kit';
import { takeLegacyOrder } from '../application/legacy-intake.use-case';
import { clock, orders } from '../composition';
import { legacyIntakeConfig } from '../config';

/**
 * The legacy channel's consumer: each record of the Kinesis stream DMS writes the legacy database's changes
 * to. A new row of `erp.pedidos` becomes an order (channel `legacy`, once per `numero`); a row that cannot
 * becomes a REJECTED order with the reason; other changes are ignored. A record that fails (the table
 * throttled, a record with no numero) fails from there on: the stream retries, bisects, and finally hands
 * it to the on-failure destination, whose alarm calls an operator.
 */
export const handler = kinesisHandler(async (change, record) => {
  const { LEGACY_SCHEMA, LEGACY_TABLE } = legacyIntakeConfig();
  const correlationId = `legacy-${record.kinesis.sequenceNumber}`;
  withCorrelation(correlationId);
  const result = await takeLegacyOrder({ orders: orders(), ...clock }, change, {
    schema: LEGACY_SCHEMA,
    table: LEGACY_TABLE,
    correlationId,
  });
  logger.info('Legacy change taken', {
    outcome: result.outcome,
    numero: result.numero,
    orderId: result.order?.orderId,
    ...(result.reason ? { reason: result.reason } : {}),
  });
});
