import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { startEmulators, type EmulatorName, type Emulators } from '@order-platform/local-cloud';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Real emulators for adapter tests (DynamoDB Local and any other asked for), and a service table of the
 * shape `ServiceTable` declares (`pk`/`sk`, `gsi1` to `gsi3`), created under a fresh name on each call.
 */
export async function localEmulators(only: readonly EmulatorName[] = ['dynamodb']): Promise<
  Emulators & {
    doc: DynamoDBDocumentClient;
    raw: DynamoDBClient;
    /** A fresh table; its indexes copy every attribute, or the keys only (as `ServiceTable` may declare). */
    newTable(projection?: 'ALL' | 'KEYS_ONLY'): Promise<string>;
  }
> {
  const emulators = await startEmulators({}, only);
  const raw = new DynamoDBClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint: emulators.endpoints.dynamodb,
  });
  let n = 0;
  const newTable = async (projection: 'ALL' | 'KEYS_ONLY' = 'ALL') => {
    const name = `table-${++n}`;
    const key = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
    const index = (i: number) => ({
      IndexName: `gsi${i}`,
      KeySchema: [
        { AttributeName: `gsi${i}pk`, KeyType: 'HASH' as const },
        { AttributeName: `gsi${i}sk`, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: projection },
    });
    await raw.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'].map(
          key,
        ),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [index(1), index(2), index(3)],
      }),
    );
    return name;
  };
  return { ...emulators, raw, doc: documentClient(raw), newTable };
}
