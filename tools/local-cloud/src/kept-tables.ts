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
/** How long an index may take to go or to fill before the start gives up. */
const WAIT_MS = 60_000;

/** An index's keys with their types: an index whose key attribute changed type is made again. */
const keysOf = (k: KeySchemaElement[] | undefined, definitions: AttributeDefinition[] | undefined) =>
  JSON.stringify(
    (k ?? []).map((e) => [
      e.AttributeName,
      e.KeyType,
      definitions?.find((d) => d.AttributeName === e.AttributeName)?.AttributeType,
    ]),
  );

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
): Promise<{ table: TableDescription; changes: string[] }> {
  const describe = async () => (await client.send(new DescribeTableCommand({ TableName }))).Table!;
  const changes: string[] = [];
  // A change DynamoDB refuses (an attribute redefined with another type, ...) stops the start with what
  // was asked and the way out; the table keeps its items and what was changed before.
  const update = async (change: string, input: ConstructorParameters<typeof UpdateTableCommand>[0]) => {
    try {
      await client.send(new UpdateTableCommand(input));
    } catch (error) {
      throw new Error(
        `${TableName}: the table kept from the last run (--persist) cannot take its template's change ` +
          `(${change}): ${(error as Error).message.replace(/\.$/, '')}. Delete the state folder (.local-cloud/state) to start afresh.`,
        { cause: error },
      );
    }
  };
  let table = await describe();

  const has = table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined;
  if (has !== shape.stream) {
    const change = `stream ${has ?? 'none'} → ${shape.stream ?? 'none'}`;
    if (has) await update(change, { TableName, StreamSpecification: { StreamEnabled: false } });
    if (shape.stream)
      await update(change, {
        TableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: shape.stream as never },
      });
    changes.push(change);
  }

  const wanted = new Map(shape.indexes.map((i) => [i.IndexName, i]));
  const kept = new Set<string>();
  for (const index of table.GlobalSecondaryIndexes ?? []) {
    const want = wanted.get(index.IndexName!);
    if (
      want &&
      keysOf(want.KeySchema, shape.attributeDefinitions) ===
        keysOf(index.KeySchema, table.AttributeDefinitions) &&
      projectionOf(want.Projection) === projectionOf(index.Projection)
    ) {
      kept.add(index.IndexName!);
      continue;
    }
    const change = `index ${index.IndexName} removed${want ? ' (its keys or projection changed)' : ''}`;
    await update(change, {
      TableName,
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
    });
    changes.push(change);
  }
  // An index is created once those removed are gone (one of the same name cannot be made while DELETING).
  const deadline = Date.now() + WAIT_MS;
  const stillThere = (t: TableDescription) =>
    (t.GlobalSecondaryIndexes ?? []).filter((i) => !kept.has(i.IndexName!)).map((i) => i.IndexName);
  for (table = await describe(); stillThere(table).length; table = await describe()) {
    if (Date.now() > deadline)
      throw new Error(
        `${TableName}: index ${stillThere(table).join(', ')} still not removed after ${WAIT_MS} ms`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const index of shape.indexes) {
    if (kept.has(index.IndexName)) continue;
    const used = new Set(index.KeySchema.map((k) => k.AttributeName));
    const change = `index ${index.IndexName} created from the kept items`;
    await update(change, {
      TableName,
      AttributeDefinitions: shape.attributeDefinitions.filter((a) => used.has(a.AttributeName)),
      GlobalSecondaryIndexUpdates: [{ Create: index }],
    });
    changes.push(change);
  }

  // A new index is queryable once ACTIVE (DynamoDB Local fills it in the background, in well under a second
  // for a laptop's data).
  for (table = await describe(); ; table = await describe()) {
    const creating = (table.GlobalSecondaryIndexes ?? []).filter((i) => i.IndexStatus !== 'ACTIVE');
    if (!creating.length) break;
    if (Date.now() > deadline)
      throw new Error(
        `${TableName}: index ${creating.map((i) => i.IndexName).join(', ')} still not active after ${WAIT_MS} ms`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  return { table, changes };
}
