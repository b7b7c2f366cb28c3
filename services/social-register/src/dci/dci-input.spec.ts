import { isCalendarDate, malformedStringPath } from './dci-input';

describe('DCI input checks', () => {
  it('finds a lone surrogate or a NUL byte at any depth and names its path', () => {
    expect(malformedStringPath({ a: [{ b: 'ok' }, { c: 'x\ud800' }] })).toBe('/a/1/c');
    expect(malformedStringPath({ a: 'x\udc00y' })).toBe('/a');
    expect(malformedStringPath({ a: 'nul\u0000' })).toBe('/a');
    expect(malformedStringPath({ ['k\ud800']: 1 })).toBe('/?');
  });

  it('refuses a hostile depth without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(malformedStringPath(deep)).toMatch(/…$/);
    expect(malformedStringPath({ a: { b: { c: 'ok' } } })).toBeNull();
  });

  it('accepts well-formed strings with surrogate pairs', () => {
    expect(malformedStringPath({ a: 'Олена 😀', b: [1, true, null] })).toBeNull();
  });

  it('tells calendar dates from impossible ones', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate('0050-03-01')).toBe(true);
  });
});
