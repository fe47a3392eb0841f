/**
 * What one million orders cost in AWS, from what the bench measures per order on the local cloud.
 *
 * List prices, us-east-1, on-demand, after free tiers, in USD. Taken from the AWS pricing pages as
 * published for 2025 (DynamoDB on-demand after its November 2024 reduction, Lambda on arm64, which every
 * function uses); this machine has no network to re-check them, so review them with the date below.
 */
export const PRICES = {
  reviewed: '2026-11-23',
  region: 'us-east-1',
  apiGatewayRestPerMillionRequests: 3.5,
  wafPerMillionRequests: 0.6,
  lambdaPerMillionRequests: 0.2,
  lambdaArm64PerGbSecond: 0.0000133334,
  dynamodbPerMillionWriteUnits: 0.625,
  dynamodbPerMillionReadUnits: 0.125,
  snsPerMillionPublishes: 0.5,
  /** Custom events put on a bus, per 64 KB chunk of each entry. */
  eventBridgePerMillionEvents: 1,
  sqsPerMillionRequests: 0.4,
  s3PerThousandPuts: 0.005,
  s3PerGbMonth: 0.023,
  cloudWatchLogsPerGbIngested: 0.5,
  xrayPerMillionTracesRecorded: 5,
  sesPerThousandEmails: 0.1,
} as const;

/** X-Ray's default sampling rule records the first request each second and 5 % of the rest. */
export const XRAY_SAMPLED_FRACTION = 0.05;

/** What one order uses, measured (or, where the local cloud cannot see it, stated as an assumption). */
export interface OrderUsage {
  apiRequests: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  dynamodbWriteUnits: number;
  dynamodbReadUnits: number;
  snsPublishes: number;
  /** Events put on the integration bus (EventBridge bills entries, not calls). */
  eventBusEvents: number;
  sqsRequests: number;
  s3Puts: number;
  /** Bytes stored in S3 per order, kept one month in the model. */
  s3Bytes: number;
  logBytes: number;
  emails: number;
}

export interface CostLine {
  service: string;
  /** Per order, in the unit the service bills. */
  perOrder: number;
  unit: string;
  /** USD per million orders. */
  usd: number;
}

/** The cost of a million orders by service, most expensive first; e-mail (SES) apart, as it depends on the shop. */
export function costPerMillionOrders(u: OrderUsage): { lines: CostLine[]; total: number; email: CostLine } {
  const M = 1_000_000;
  const GB = 1024 ** 3;
  const p = PRICES;
  const lines: CostLine[] = [
    {
      service: 'API Gateway (REST)',
      perOrder: u.apiRequests,
      unit: 'requests',
      usd: u.apiRequests * p.apiGatewayRestPerMillionRequests,
    },
    {
      service: 'AWS WAF',
      perOrder: u.apiRequests,
      unit: 'requests',
      usd: u.apiRequests * p.wafPerMillionRequests,
    },
    {
      service: 'Lambda requests',
      perOrder: u.lambdaInvocations,
      unit: 'invocations',
      usd: u.lambdaInvocations * p.lambdaPerMillionRequests,
    },
    {
      service: 'Lambda duration',
      perOrder: u.lambdaGbSeconds,
      unit: 'GB-s',
      usd: u.lambdaGbSeconds * M * p.lambdaArm64PerGbSecond,
    },
    {
      service: 'DynamoDB writes',
      perOrder: u.dynamodbWriteUnits,
      unit: 'WRU',
      usd: u.dynamodbWriteUnits * p.dynamodbPerMillionWriteUnits,
    },
    {
      service: 'DynamoDB reads',
      perOrder: u.dynamodbReadUnits,
      unit: 'RRU',
      usd: u.dynamodbReadUnits * p.dynamodbPerMillionReadUnits,
    },
    {
      service: 'SNS',
      perOrder: u.snsPublishes,
      unit: 'publishes',
      usd: u.snsPublishes * p.snsPerMillionPublishes,
    },
    {
      service: 'EventBridge',
      perOrder: u.eventBusEvents,
      unit: 'events',
      usd: u.eventBusEvents * p.eventBridgePerMillionEvents,
    },
    {
      service: 'SQS',
      perOrder: u.sqsRequests,
      unit: 'requests',
      usd: u.sqsRequests * p.sqsPerMillionRequests,
    },
    {
      service: 'S3 (puts + 1 month)',
      perOrder: u.s3Puts,
      unit: 'puts',
      usd: u.s3Puts * 1000 * p.s3PerThousandPuts + ((u.s3Bytes * M) / GB) * p.s3PerGbMonth,
    },
    {
      service: 'CloudWatch Logs',
      perOrder: u.logBytes,
      unit: 'bytes',
      usd: ((u.logBytes * M) / GB) * p.cloudWatchLogsPerGbIngested,
    },
    {
      service: 'X-Ray',
      perOrder: XRAY_SAMPLED_FRACTION,
      unit: 'traces',
      usd: XRAY_SAMPLED_FRACTION * p.xrayPerMillionTracesRecorded,
    },
  ].sort((a, b) => b.usd - a.usd);
  const email = {
    service: 'SES (apart)',
    perOrder: u.emails,
    unit: 'e-mails',
    usd: u.emails * 1000 * p.sesPerThousandEmails,
  };
  return { lines, total: lines.reduce((n, l) => n + l.usd, 0), email };
}
