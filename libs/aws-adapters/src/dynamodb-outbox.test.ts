import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOutbox } from './dynamodb-outbox';

/** A document client whose BatchWriteItem leaves the items `unprocessed` chooses unprocessed (a throttle). */
function throttlingClient(unprocessed: (ids: string[], call: number) => string[]) {
  const calls: string[][] = [];
  const client = {
    send: async (command: {
      input: { RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> };
    }) => {
      const [table, writes] = Object.entries(command.input.RequestItems)[0]!;
      const ids = writes.map((w) => (w.PutRequest.Item['event'] as { id: string }).id);
      calls.push(ids);
      const left = new Set(unprocessed(ids, calls.length));
      const rest = writes.filter((w) => left.has((w.PutRequest.Item['event'] as { id: string }).id));
      return { UnprocessedItems: rest.length ? { [table]: rest } : {} };
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, calls };
}

const record = (id: string) => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX', kind: 'outbox', event: { id } });

describe('DynamoDbOutbox.markAllPublished', () => {
  it('sends again what DynamoDB left unprocessed, and marks every record in the end', async () => {
    // Prepare: the first call of each batch leaves its last two writes unprocessed.
    const { client, calls } = throttlingClient((ids, call) => (call === 1 ? ids.slice(-2) : []));
    const records = Array.from({ length: 3 }, (_, i) => record(`e${i}`));
    // Act
    const unmarked = await new DynamoDbOutbox(client, 't').markAllPublished(records);
    // Assess
    expect(unmarked).toEqual([]);
    expect(calls).toEqual([
      ['e0', 'e1', 'e2'],
      ['e1', 'e2'],
    ]);
  });

  it('gives up after its attempts and names the records it could not mark, 25 per call', async () => {
    const { client, calls } = throttlingClient((ids) => ids.filter((id) => id === 'e30'));
    const records = Array.from({ length: 40 }, (_, i) => record(`e${i}`));
    const unmarked = await new DynamoDbOutbox(client, 't').markAllPublished(records, new Date(), 3);
    expect(unmarked).toEqual(['e30']);
    expect(calls.map((c) => c.length)).toEqual([25, 15, 1, 1]);
  });
});
