import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository } from '@order-platform/aws-adapters';
import type { Invoice } from '../domain/invoice';
import type { InvoiceRepository } from '../application/ports';

/** Invoices in the faturas table, one `INVOICE#<orderId>` item per order. */
export class DynamoDbInvoiceRepository extends DynamoDbRepository implements InvoiceRepository {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async getByOrder(orderId: string): Promise<Invoice | undefined> {
    const item = await this.getItem<Invoice & Record<string, unknown>>(`INVOICE#${orderId}`, 'INVOICE');
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, kind: _kind, ...invoice } = item;
    return invoice as Invoice;
  }
}
