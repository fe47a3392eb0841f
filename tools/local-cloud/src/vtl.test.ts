import { renderMappingTemplate } from './vtl';

describe('API Gateway mapping templates (VTL)', () => {
  it('renders the SQS request template: the body re-serialized compactly, URL-encoded, with the key id', () => {
    // Act
    const rendered = renderMappingTemplate(
      "Action=SendMessage&MessageBody=$util.urlEncode($input.json('$'))" +
        '&MessageAttribute.1.Value.StringValue=$context.identity.apiKeyId',
      { body: '{ "ref" : "a&b",\n "qty": 2 }', apiKey: { id: 'key-1', value: 'secret' } },
    );
    // Assess
    const form = new URLSearchParams(rendered);
    expect(form.get('MessageBody')).toBe('{"ref":"a&b","qty":2}');
    expect(form.get('MessageAttribute.1.Value.StringValue')).toBe('key-1');
  });

  it('runs VTL directives over $input.path values, as API Gateway does', () => {
    const rendered = renderMappingTemplate(
      "#set($items = $input.path('$.items'))#foreach($i in $items)$i.sku#if($foreach.hasNext),#end#end",
      { body: JSON.stringify({ items: [{ sku: 'A' }, { sku: 'B' }] }) },
    );
    expect(rendered).toBe('A,B');
  });
});
