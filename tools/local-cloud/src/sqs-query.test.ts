import { jsonToXml, queryToJson } from './sqs-query';

describe("SQS's query protocol, translated", () => {
  it('reads a query request as the JSON protocol input: attribute pairs as maps, numbered names as lists', () => {
    // Act
    const { action, input } = queryToJson(
      new URLSearchParams(
        'Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fq%2F1&MessageBody=hi&DelaySeconds=2' +
          '&MessageAttribute.1.Name=apiKeyId&MessageAttribute.1.Value.DataType=String' +
          '&MessageAttribute.1.Value.StringValue=key-1&AttributeName.1=All',
      ),
    );
    // Assess
    expect(action).toBe('SendMessage');
    expect(input).toEqual({
      QueueUrl: 'http://q/1',
      MessageBody: 'hi',
      DelaySeconds: 2,
      AttributeNames: ['All'],
      MessageAttributes: { apiKeyId: { DataType: 'String', StringValue: 'key-1' } },
    });
  });

  it('answers in the XML the query SDKs parse, escaping what the messages hold', () => {
    const listed = jsonToXml('ListQueues', { QueueUrls: ['http://q/a', 'http://q/b'] }, 'r-1');
    const received = jsonToXml(
      'ReceiveMessage',
      {
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'h',
            MD5OfBody: 'x',
            Body: '<a & b>',
            Attributes: { ApproximateReceiveCount: '1' },
          },
        ],
      },
      'r-2',
    );
    expect(listed).toContain(
      '<ListQueuesResult><QueueUrl>http://q/a</QueueUrl><QueueUrl>http://q/b</QueueUrl></ListQueuesResult>',
    );
    expect(listed).toContain('<RequestId>r-1</RequestId>');
    expect(received).toContain('<Body>&lt;a &amp; b&gt;</Body>');
    expect(received).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
  });
});
