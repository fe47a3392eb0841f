import { costPerMillionOrders, PRICES, type OrderUsage } from './cost-model';

const usage: OrderUsage = {
  apiRequests: 2,
  lambdaInvocations: 10,
  lambdaGbSeconds: 0.5,
  dynamodbWriteUnits: 40,
  dynamodbReadUnits: 8,
  snsPublishes: 4,
  eventBusEvents: 4,
  sqsRequests: 12,
  s3Puts: 2,
  s3Bytes: 1024 ** 3 / 1_000_000,
  logBytes: 1024 ** 3 / 1_000_000,
  emails: 3,
};

describe('costPerMillionOrders', () => {
  it('prices each service from the usage per order, most expensive first, e-mail apart', () => {
    // Act
    const { lines, total, email } = costPerMillionOrders(usage);
    const usd = Object.fromEntries(lines.map((l) => [l.service, l.usd]));
    // Assess: a million orders of this usage, by hand.
    expect(usd['API Gateway (REST)']).toBeCloseTo(7);
    expect(usd['AWS WAF']).toBeCloseTo(1.2);
    expect(usd['Lambda requests']).toBeCloseTo(2);
    expect(usd['Lambda duration']).toBeCloseTo(500_000 * PRICES.lambdaArm64PerGbSecond);
    expect(usd['DynamoDB writes']).toBeCloseTo(25);
    expect(usd['DynamoDB reads']).toBeCloseTo(1);
    expect(usd['SNS']).toBeCloseTo(2);
    expect(usd['EventBridge']).toBeCloseTo(4);
    expect(usd['SQS']).toBeCloseTo(4.8);
    expect(usd['S3 (puts + 1 month)']).toBeCloseTo(10 + 0.023);
    expect(usd['CloudWatch Logs']).toBeCloseTo(0.5);
    expect(usd['X-Ray']).toBeCloseTo(0.25);
    expect(lines[0]!.service).toBe('DynamoDB writes');
    expect(total).toBeCloseTo(lines.reduce((n, l) => n + l.usd, 0));
    expect(email).toMatchObject({ perOrder: 3, usd: 300 });
  });
});
