import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  let now = 0;
  const clock = () => now;
  const fail = () => Promise.reject(new Error('register down'));
  const ok = () => Promise.resolve('ok');

  beforeEach(() => {
    now = 1_000_000;
  });

  it('stays closed when failures stay below the threshold', async () => {
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 }, clock);
    await expect(b.run(fail)).rejects.toThrow('register down');
    await expect(b.run(fail)).rejects.toThrow('register down');
    expect(b.state).toBe('closed');
    await expect(b.run(ok)).resolves.toBe('ok');
  });

  it('resets the failure count when a call succeeds', async () => {
    const b = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000 }, clock);
    await expect(b.run(fail)).rejects.toThrow();
    await b.run(ok);
    await expect(b.run(fail)).rejects.toThrow();
    expect(b.state).toBe('closed');
  });

  it('opens after N consecutive failures and refuses calls without making them', async () => {
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 }, clock);
    for (let i = 0; i < 3; i++) await expect(b.run(fail)).rejects.toThrow('register down');
    expect(b.state).toBe('open');
    const call = jest.fn(ok);
    await expect(b.run(call)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(call).not.toHaveBeenCalled();
  });

  it('goes half-open after the cool-down and closes when the trial call succeeds', async () => {
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000 }, clock);
    await expect(b.run(fail)).rejects.toThrow();
    now += 999;
    expect(b.state).toBe('open');
    now += 1;
    expect(b.state).toBe('half-open');
    await expect(b.run(ok)).resolves.toBe('ok');
    expect(b.state).toBe('closed');
  });

  it('opens again for another cool-down when the half-open trial fails', async () => {
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000 }, clock);
    await expect(b.run(fail)).rejects.toThrow();
    now += 1000;
    await expect(b.run(fail)).rejects.toThrow('register down');
    expect(b.state).toBe('open');
    now += 500;
    await expect(b.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('lets only one trial call through while half-open', async () => {
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 }, clock);
    await expect(b.run(fail)).rejects.toThrow();
    now += 10;
    let release!: () => void;
    const trial = b.run(() => new Promise<string>((r) => (release = () => r('ok'))));
    await expect(b.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(trial).resolves.toBe('ok');
  });
});
