import { mockHeaders, renderResponseTemplate, routePattern, selectIntegrationResponse } from './rest-gateway';

describe('AWS integration responses, as API Gateway selects and renders them', () => {
  const responses = [
    {
      statusCode: '202',
      template: `{"messageId":"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')"}`,
    },
    {
      statusCode: '502',
      selectionPattern: '4\\d{2}',
      template: `{"code":"$util.escapeJavaScript($input.path('$.Error.Code'))"}`,
    },
    { statusCode: '503', selectionPattern: '5\\d{2}' },
  ];

  it('picks the response whose pattern matches the whole status, else the default one', () => {
    expect(selectIntegrationResponse(responses, 200).statusCode).toBe('202');
    expect(selectIntegrationResponse(responses, 400).statusCode).toBe('502');
    expect(selectIntegrationResponse(responses, 503).statusCode).toBe('503');
    // As in AWS: an error no pattern maps falls to the default response.
    expect(selectIntegrationResponse(responses.slice(0, 1), 400).statusCode).toBe('202');
    expect(selectIntegrationResponse(responses, 4000).statusCode).toBe('202');
  });

  it('renders $input.path and $util.escapeJavaScript from the backend reply', () => {
    // Act
    const ok = renderResponseTemplate(responses[0]!.template!, {
      SendMessageResponse: { SendMessageResult: { MessageId: 'm-1' } },
    });
    const refused = renderResponseTemplate(responses[1]!.template!, { Error: { Code: 'Bad "Code"' } });
    // Assess
    expect(JSON.parse(ok)).toEqual({ messageId: 'm-1' });
    expect(JSON.parse(refused)).toEqual({ code: 'Bad "Code"' });
  });
});

describe('CORS preflight from a MOCK integration, as CDK declares it', () => {
  it('answers the static headers, and echoes an origin the template lists in place of the first one', () => {
    // Prepare
    const mock = {
      statusCode: '204',
      headers: { 'Access-Control-Allow-Origin': 'http://127.0.0.1:3002', Vary: 'Origin' },
      echoOrigins: ['http://localhost:3002'],
    };
    // Act + Assess
    expect(mockHeaders(mock, 'http://localhost:3002')['Access-Control-Allow-Origin']).toBe(
      'http://localhost:3002',
    );
    expect(mockHeaders(mock, 'https://evil.example.com')['Access-Control-Allow-Origin']).toBe(
      'http://127.0.0.1:3002',
    );
  });
});

describe('route matching, as API Gateway matches resource paths', () => {
  it('captures path parameters, greedy ones across slashes, and takes a trailing slash', () => {
    const one = routePattern('/orders/{id}');
    const greedy = routePattern('/files/{proxy+}');
    expect(one.paramNames).toEqual(['id']);
    expect(one.pattern.exec('/orders/o-1/')?.[1]).toBe('o-1');
    expect(one.pattern.test('/orders/o-1/cancel')).toBe(false);
    expect(greedy.pattern.exec('/files/a/b/c')?.[1]).toBe('a/b/c');
  });
});
