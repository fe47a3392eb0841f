import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository, TransactionConflictError } from '@order-platform/aws-adapters';
import type { InvoiceCancelledV1, InvoiceIssuedV1 } from '@order-platform/contracts';
import type { Invoice } from '../domain/invoice';
import type { AllocateOutcome, InvoiceStore } from '../application/ports';

const invoiceKey = (orderId: string) => ({ pk: `INVOICE#${orderId}`, sk: 'INVOICE' });
const seriesKey = (series: string) => ({ pk: `SERIES#${series}`, sk: 'SERIES' });

/** Invoices (`INVOICE#<orderId>`) and number series (`SERIES#<series>`, holding `last`) in the faturas table. */
export class DynamoDbInvoiceRepository extends DynamoDbRepository implements InvoiceStore {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async getByOrder(orderId: string): Promise<Invoice | undefined> {
    const item = await this.getItem<Invoice & Record<string, unknown>>(
      invoiceKey(orderId).pk,
      invoiceKey(orderId).sk,
    );
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, kind: _kind, ...invoice } = item;
    return invoice as Invoice;
  }

  async lastNumber(series: string): Promise<number | undefined> {
    const res = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: seriesKey(series), ConsistentRead: true }),
    );
    return res.Item?.['last'] as number | undefined;
  }

  async allocate(invoice: Invoice): Promise<AllocateOutcome> {
    const previous = invoice.number - 1;
    try {
      await this.transactWithOutbox([
        {
          Update: {
            TableName: this.tableName,
            Key: seriesKey(invoice.series),
            UpdateExpression: 'SET #last = :number, kind = :kind',
            ConditionExpression: previous === 0 ? 'attribute_not_exists(#last)' : '#last = :previous',
            ExpressionAttributeNames: { '#last': 'last' },
            ExpressionAttributeValues: {
              ':number': invoice.number,
              ':kind': 'series',
              ...(previous === 0 ? {} : { ':previous': previous }),
            },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...invoiceKey(invoice.orderId), kind: 'invoice', ...invoice },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      return { allocated: true };
    } catch (error) {
      if (!(error instanceof TransactionConflictError)) throw error;
      if (error.reasons[1] === 'ConditionalCheckFailed')
        return { allocated: false, reason: 'invoice-exists' };
      return { allocated: false, reason: 'series-moved' };
    }
  }

  async finalize(invoice: Invoice, event: InvoiceIssuedV1): Promise<void> {
    try {
      await this.transactWithOutbox(
        [
          {
            Update: {
              TableName: this.tableName,
              Key: invoiceKey(invoice.orderId),
              UpdateExpression: 'SET #s = :issued',
              ConditionExpression: '#s = :issuing',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':issued': 'ISSUED', ':issuing': 'ISSUING' },
            },
          },
        ],
        [event],
      );
    } catch (error) {
      // Already ISSUED by a concurrent delivery: its event went out with that write.
      if (error instanceof TransactionConflictError) return;
      throw error;
    }
  }

  async cancel(invoice: Invoice, event: InvoiceCancelledV1): Promise<void> {
    try {
      await this.transactWithOutbox(
        [
          {
            Update: {
              TableName: this.tableName,
              Key: invoiceKey(invoice.orderId),
              UpdateExpression: 'SET #s = :cancelled, cancelledAt = :at, cancelReason = :why',
              ConditionExpression: '#s = :issued',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':cancelled': 'CANCELLED',
                ':issued': 'ISSUED',
                ':at': invoice.cancelledAt,
                ':why': invoice.cancelReason,
              },
            },
          },
        ],
        [event],
      );
    } catch (error) {
      // Already CANCELLED by a concurrent delivery: its event went out with that write.
      if (error instanceof TransactionConflictError) return;
      throw error;
    }
  }
}
