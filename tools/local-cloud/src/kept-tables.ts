import {
  DescribeTableCommand,
  UpdateTableCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

/** What the template declares of a table that a kept table may have drifted from. */
export interface TableShape {
  attributeDefinitions: AttributeDefinition[];
  indexes: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection }[];
  /** The stream's view type; undefined for a table without a stream. */
  stream?: string;
}

const projectionOf = (p: Projection | undefined) =>
  JSON.stringify([p?.ProjectionType ?? 'ALL', [...(p?.NonKeyAttributes ?? [])].sort()]);
const keysOf = (k: KeySchemaElement[] | undefined) =>
  JSON.stringify((k ?? []).map((e) => [e.AttributeName, e.KeyType]));

/**
 * Brings a table kept from an earlier run (`--persist`) to the shape its template declares now, its items
 * kept: the stream switched on, off or to another view type (a new stream: the old one's records are not
 * read again), each index the template no longer has (or has with other keys or projection) removed, and
 * each new one created and filled from the items (DynamoDB Local backfills it, as DynamoDB does), one
 * change per call as DynamoDB takes them. Without it a kept table answered as it was first made: a query on
 * an index added since failed, and a table that gained a stream published nothing. Returns the table as it
 * is now, and what changed, one line each.
 */
export async function reconcileKeptTable(
  client: DynamoDBClient,
  TableName: string,
  shape: TableShape,
  options: { waitMs?: number } = {},
): Promise<{ table: TableDescription; changes: string[] }> {
  const describe = async () => (await client.send(new DescribeTableCommand({ TableName }))).Table!;
  const changes: string[] = [];
  let table = await describe();

  const has = table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined;
  if (has !== shape.stream) {
    if (has)
      await client.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }));
    if (shape.stream)
      await client.send(
        new UpdateTableCommand({
          TableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: shape.stream as never },
        }),
      );
    changes.push(`stream ${has ?? 'none'} → ${shape.stream ?? 'none'}`);
  }

  const wanted = new Map(shape.indexes.map((i) => [i.IndexName, i]));
  const kept = new Set<string>();
  for (const index of table.GlobalSecondaryIndexes ?? []) {
    const want = wanted.get(index.IndexName!);
    if (
      want &&
      keysOf(want.KeySchema) === keysOf(index.KeySchema) &&
      projectionOf(want.Projection) === projectionOf(index.Projection)
    ) {
      kept.add(index.IndexName!);
      continue;
    }
    await client.send(
      new UpdateTableCommand({
        TableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
      }),
    );
    changes.push(`index ${index.IndexName} removed${want ? ' (its keys or projection changed)' : ''}`);
  }
  for (const index of shape.indexes) {
    if (kept.has(index.IndexName)) continue;
    const used = new Set(index.KeySchema.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: shape.attributeDefinitions.filter((a) => used.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    changes.push(`index ${index.IndexName} created from the kept items`);
  }

  // A new index is queryable once ACTIVE (DynamoDB Local fills it in the background, in well under a second
  // for a laptop's data).
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (table = await describe(); ; table = await describe()) {
    const creating = (table.GlobalSecondaryIndexes ?? []).filter((i) => i.IndexStatus !== 'ACTIVE');
    if (!creating.length) break;
    if (Date.now() > deadline)
      throw new Error(
        `${TableName}: index ${creating.map((i) => i.IndexName).join(', ')} still not active after ${options.waitMs ?? 60_000} ms`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  return { table, changes };
}
