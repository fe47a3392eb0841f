import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface ServiceTableProps {
  /** Extra global secondary indexes (`gsi1pk`/`gsi1sk` style string keys). */
  indexes?: {
    name: string;
    partitionKey: string;
    sortKey?: string;
    /**
     * What the index copies: every attribute (the default), or the keys only, when the items are large or
     * change often and the reader fetches the items it lists (each write of a projected item is billed
     * again for every index that copies it).
     */
    projection?: 'ALL' | 'KEYS_ONLY';
  }[];
  removalPolicy?: RemovalPolicy;
  /**
   * A NEW_AND_OLD_IMAGES stream, for the outbox publisher that reads it. Off unless asked for: a stream
   * nobody reads buys nothing, and DynamoDB Local makes every call on a table whose stream is empty scan
   * the stream records of all tables (its shard description asks `MIN(SequenceNumber)` of that stream's
   * records, which no index serves): ~14 ms per call after 600 orders, growing with every write.
   */
  stream?: boolean;
}

/**
 * The single table of a bounded service: `pk`/`sk` string keys, on-demand, a NEW_AND_OLD_IMAGES stream for
 * the outbox publisher when it has one (`stream`), point-in-time recovery, encryption at rest and TTL on
 * `expiresAt`.
 */
export class ServiceTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ServiceTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      ...(props.stream ? { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const index of props.indexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: index.sortKey ? { name: index.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
        projectionType:
          index.projection === 'KEYS_ONLY' ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.ALL,
      });
    }
  }
}
