import { DomainError } from '../errors/domain-error';
import { MAX_INPUT_DEPTH, findInputFault, stringFault } from './input-check';
import { assertCleanInput, inputFaultError } from './input.guard';

/** `levels` objects inside each other. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 1; i < levels; i++) v = { a: v };
  return { a: v };
}

describe(findInputFault.name, () => {
  it('accepts ordinary bodies, Cyrillic text and surrogate pairs (emoji)', () => {
    expect(
      findInputFault({ applicant: { lastName: 'Шевченко', note: 'добре 😀' }, members: [{ role: 'child' }, 1, null, true] }),
    ).toBeNull();
    expect(findInputFault(null)).toBeNull();
    expect(findInputFault(42)).toBeNull();
    expect(findInputFault({})).toBeNull();
  });

  it('names the field of a NUL byte at any depth when a string holds one', () => {
    expect(findInputFault({ applicant: { lastName: 'Ше\u0000вченко' } })).toEqual({ reason: 'nul_character', field: 'applicant.lastName' });
    expect(findInputFault({ members: [{ role: 'x' }, { role: '\u0000' }] })).toEqual({ reason: 'nul_character', field: 'members.1.role' });
    expect(findInputFault(['ok', 'n\u0000'])).toEqual({ reason: 'nul_character', field: '1' });
  });

  it('finds lone surrogates, high or low, at the end or in the middle, and passes a well-formed pair', () => {
    expect(findInputFault({ a: 'x\ud800' })).toEqual({ reason: 'lone_surrogate', field: 'a' });
    expect(findInputFault({ a: '\udc00x' })).toEqual({ reason: 'lone_surrogate', field: 'a' });
    expect(findInputFault({ a: 'x\ud83dy\ude00' })).toEqual({ reason: 'lone_surrogate', field: 'a' });
    expect(findInputFault({ a: '\ud83d\ude00' })).toBeNull();
    expect(stringFault('\ude00\ud83d')).toBe('lone_surrogate');
  });

  it('refuses a bad key too and shows it escaped in the field', () => {
    expect(findInputFault({ applicant: { ['last\u0000Name']: 'x' } })).toEqual({
      reason: 'nul_character',
      field: 'applicant.last\\u0000Name',
    });
    expect(findInputFault({ ['k\ud800']: 1 })).toEqual({ reason: 'lone_surrogate', field: 'k\\ud800' });
  });

  it(`allows ${MAX_INPUT_DEPTH} levels of nesting and refuses ${MAX_INPUT_DEPTH + 1} with the path where it went too deep`, () => {
    expect(findInputFault(nested(MAX_INPUT_DEPTH))).toBeNull();
    const fault = findInputFault(nested(MAX_INPUT_DEPTH + 1));
    expect(fault?.reason).toBe('too_deep');
    expect(fault?.field).toBe(Array(MAX_INPUT_DEPTH).fill('a').join('.'));
    let arrays: unknown = [];
    for (let i = 1; i < MAX_INPUT_DEPTH + 1; i++) arrays = [arrays];
    expect(findInputFault({ x: arrays })).toEqual({ reason: 'too_deep', field: ['x', ...Array(MAX_INPUT_DEPTH - 1).fill('0')].join('.') });
  });

  it('walks 100 000 levels of nesting without overflowing the stack when the body is that deep', () => {
    const deep = JSON.parse(`{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(findInputFault(deep)?.reason).toBe('too_deep');
    expect(findInputFault(deep, 200_000)).toBeNull();
  });

  // Its speed is measured by bench/input-check (never in a timed unit test).
  it('accepts a large legitimate body', () => {
    const body = {
      items: Array.from({ length: 50_000 }, (_, i) => ({
        id: `id-${i}`,
        name: 'Олена Петрівна 😀',
        amount: String(i * 100),
        tags: ['a', 'b'],
      })),
    };
    expect(findInputFault(body)).toBeNull();
  });

  it('skips binary bodies', () => {
    expect(findInputFault({ file: Buffer.from([0, 0xd8, 0]) })).toBeNull();
  });
});

describe(inputFaultError.name, () => {
  it('is a 400 VALIDATION_FAILED naming the field and the location for a NUL', () => {
    const e = inputFaultError({ reason: 'nul_character', field: 'applicant.lastName' }, 'body');
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({
      kind: 'validation',
      code: 'VALIDATION_FAILED',
      field: 'applicant.lastName',
      details: { location: 'body', reason: 'nul_character' },
    });
    expect(e.message).toContain('applicant.lastName');
  });

  it('is a 400 JSON_TOO_DEEP with the limit for nesting', () => {
    const e = inputFaultError({ reason: 'too_deep', field: 'a.a' }, 'body');
    expect(e).toMatchObject({ kind: 'validation', code: 'JSON_TOO_DEEP', field: 'a.a', details: { maxDepth: MAX_INPUT_DEPTH } });
  });

  it('names the location when the whole input is at fault', () => {
    expect(() => assertCleanInput('\u0000', 'query')).toThrow(
      expect.objectContaining({ field: undefined, message: expect.stringMatching(/^query:/) }),
    );
  });
});
