import { Clock, FixedClock } from './clock';

describe(Clock.name, () => {
  it('tells the Kyiv calendar date of now (after 22:00 UTC in summer it is already tomorrow)', () => {
    expect(new FixedClock(new Date('2026-03-31T22:30:00Z')).today()).toBe('2026-04-01');
    expect(new FixedClock(new Date('2026-01-15T21:59:00Z')).today()).toBe('2026-01-15');
  });

  it('reads the system time', () => {
    const before = Date.now();
    const now = new Clock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('a fixed clock hands out copies, so a caller cannot move it', () => {
    const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
    clock.now().setUTCFullYear(2000);
    expect(clock.now().toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });
});
