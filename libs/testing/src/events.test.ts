import { anEvent } from './events';

describe('anEvent', () => {
  it('builds a valid event from the sample with merged data and a fresh id', () => {
    // Act
    const a = anEvent('OrderPlaced', { data: { orderId: 'o-42' }, correlationId: 'c-9' });
    const b = anEvent('OrderPlaced');
    // Assess
    expect(a.data.orderId).toBe('o-42');
    expect(a.data.items).toEqual(b.data.items);
    expect(a.correlationId).toBe('c-9');
    expect(a.id).not.toBe(b.id);
  });

  it('refuses overrides that break the contract', () => {
    expect(() => anEvent('OrderPlaced', { data: { items: [] } })).toThrow();
  });
});
