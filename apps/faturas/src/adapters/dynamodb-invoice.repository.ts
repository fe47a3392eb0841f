import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository, TransactionConflictError } from '@order-platform/aws-adapters';
import type { InvoiceCancelledV1, InvoiceIssuedV1 } from '@order-platform/contracts';
import type { Invoice } from '../domain/invoice';
import type { AllocateOutcome, InvoiceStore, Withdrawal } from '../application/ports';

const invoiceKey = (orderId: string) => ({ pk: `INVOICE#${orderId}`, sk: 'INVOICE' });
const seriesKey = (series: string) => ({ pk: `SERIES#${series}`, sk: 'SERIES' });
const withdrawalKey = (orderId: string) => ({ pk: `WITHDRAWAL#${orderId}`, sk: 'WITHDRAWAL' });

function toInvoice(item: Record<string, unknown>): Invoice {
  const { pk: _pk, sk: _sk, kind: _kind, ...invoice } = item;
  return invoice as unknown as Invoice;
}

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
    return item ? toInvoice(item) : undefined;
  }

  async getByOrderWithLastNumber(
    orderId: string,
    series: string,
  ): Promise<{ invoice?: Invoice; lastNumber?: number }> {
    const items = await this.batchGet<Record<string, unknown>>(
      [invoiceKey(orderId), seriesKey(series)],
      true,
    );
    const invoice = items.find((i) => i['pk'] === invoiceKey(orderId).pk);
    const last = items.find((i) => i['pk'] === seriesKey(series).pk)?.['last'] as number | undefined;
    return {
      ...(invoice ? { invoice: toInvoice(invoice) } : {}),
      ...(last !== undefined ? { lastNumber: last } : {}),
    };
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

  finalize(invoice: Invoice, event: InvoiceIssuedV1): Promise<void> {
    return this.moveStatus(invoice.orderId, 'ISSUING', 'ISSUED', {}, event);
  }

  cancel(invoice: Invoice, event: InvoiceCancelledV1): Promise<void> {
    return this.moveStatus(
      invoice.orderId,
      'ISSUED',
      'CANCELLED',
      { cancelledAt: invoice.cancelledAt, cancelReason: invoice.cancelReason },
      event,
    );
  }

  async recordWithdrawal(withdrawal: Withdrawal): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...withdrawalKey(withdrawal.orderId), kind: 'withdrawal', ...withdrawal },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Recorded by an earlier delivery: the first one stands.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async withdrawal(orderId: string): Promise<Withdrawal | undefined> {
    const item = await this.getItem<Withdrawal & Record<string, unknown>>(
      withdrawalKey(orderId).pk,
      withdrawalKey(orderId).sk,
    );
    if (!item) return undefined;
    const { orderId: id, reason, correlationId, causationId } = item;
    return { orderId: id, reason, correlationId, causationId };
  }

  /**
   * Moves an invoice from one status to the next with its event, in one transaction; an invoice already
   * moved by a concurrent delivery is left as it is (its event went out with that write).
   */
  private async moveStatus(
    orderId: string,
    from: Invoice['status'],
    to: Invoice['status'],
    set: Record<string, unknown>,
    event: InvoiceIssuedV1 | InvoiceCancelledV1,
  ): Promise<void> {
    const fields = Object.keys(set);
    try {
      await this.transactWithOutbox(
        [
          {
            Update: {
              TableName: this.tableName,
              Key: invoiceKey(orderId),
              UpdateExpression: ['SET #s = :to', ...fields.map((f) => `#${f} = :${f}`)].join(', '),
              ConditionExpression: '#s = :from',
              ExpressionAttributeNames: {
                '#s': 'status',
                ...Object.fromEntries(fields.map((f) => [`#${f}`, f])),
              },
              ExpressionAttributeValues: {
                ':to': to,
                ':from': from,
                ...Object.fromEntries(fields.map((f) => [`:${f}`, set[f]])),
              },
            },
          },
        ],
        [event],
      );
    } catch (error) {
      if (error instanceof TransactionConflictError) return;
      throw error;
    }
  }
}
