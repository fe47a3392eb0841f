import { tooOld } from './event-sources';

describe('tooOld (a stream mapping’s MaximumRecordAgeInSeconds)', () => {
  const at = (seconds: number) => ({ arrivedAt: seconds * 1000 });
  const now = 1_000_000 * 1000;

  it('counts the records at the head of the batch older than the limit, and none without a limit', () => {
    const records = [at(1_000_000 - 120), at(1_000_000 - 61), at(1_000_000 - 30), at(1_000_000 - 90)];
    expect(tooOld(records, 60, now)).toBe(2);
    expect(tooOld(records, 3600, now)).toBe(0);
    expect(tooOld(records, Infinity, now)).toBe(0);
  });
});
