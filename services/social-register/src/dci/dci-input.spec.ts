import { findInputFault } from '@eisss/platform';
import { MAX_DEPTH, isCalendarDate } from './dci-input';

/** The check the DCI service runs on a body before anything is stored (the platform's, at the DCI's depth). */
const malformed = (body: unknown) => findInputFault(body, MAX_DEPTH);

describe('DCI input checks', () => {
  it('finds a lone surrogate or a NUL byte at any depth and names its path', () => {
    expect(malformed({ a: [{ b: 'ok' }, { c: 'x\ud800' }] })).toEqual({ reason: 'lone_surrogate', field: 'a.1.c' });
    expect(malformed({ a: 'x\udc00y' })).toEqual({ reason: 'lone_surrogate', field: 'a' });
    expect(malformed({ a: 'nul\u0000' })).toEqual({ reason: 'nul_character', field: 'a' });
    expect(malformed({ ['k\ud800']: 1 })).toMatchObject({ reason: 'lone_surrogate' });
  });

  it('refuses a hostile depth without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(malformed(deep)?.reason).toBe('too_deep');
    expect(malformed({ a: { b: { c: 'ok' } } })).toBeNull();
  });

  it('accepts well-formed strings with surrogate pairs', () => {
    expect(malformed({ a: 'Олена 😀', b: [1, true, null] })).toBeNull();
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
