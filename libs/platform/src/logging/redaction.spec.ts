import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoOptions } from './logging';
import { isRedactedKey, maskIban, maskRnokpp, redactValue } from './redaction';

describe('log redaction', () => {
  function capture(): { lines: string[]; logger: pino.Logger } {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    return { lines, logger: pino(pinoOptions('test', 'info'), sink) };
  }
  const IBAN = 'UA213223130000026007233566001';

  it('never writes a РНОКПП, IBAN or name when they appear at any depth', () => {
    const { lines, logger } = capture();
    logger.info({ rnokpp: '3012345678', person: { rnokpp: '3012345678', iban: IBAN, name: { lastName: 'Шевченко' } } }, 'created');
    const out = lines.join('');
    expect(out).not.toContain('3012345678');
    expect(out).not.toContain(IBAN);
    expect(out).not.toContain('Шевченко');
    expect(out).toContain('[REDACTED]');
  });

  it('covers snake_case and other spellings, arrays, deep nesting and JSON inside strings', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        row: {
          last_name: 'Шевченко',
          registered_address: 'м. Київ, вул. Хрещатик, 1',
          e_mail: 'olena@example.com',
          PHONE_NUMBER: '+380501234567',
        },
        batch: [{ person: { identifiers: [{ rnokpp: '3012345678' }] } }, { a: { b: { c: { d: { e: { f: { iban: IBAN } } } } } } }],
        body: JSON.stringify({ header: {}, message: { reg_records: [{ identifier_value: '3012345678', surname: 'Шевченко' }] } }),
        count: 2,
        katottg: 'UA80000000000093317',
      },
      `account ${IBAN} changed`,
    );
    const out = lines.join('');
    for (const secret of ['Шевченко', 'Хрещатик', 'olena@example.com', '380501234567', '3012345678', IBAN])
      expect(out).not.toContain(secret);
    const line = JSON.parse(out);
    expect(line).toMatchObject({
      count: 2,
      katottg: 'UA80000000000093317',
      row: { last_name: '[REDACTED]', registered_address: '[REDACTED]' },
    });
    expect(line.msg).toBe('account [REDACTED] changed');
    expect(JSON.parse(line.body).message.reg_records[0]).toEqual({ identifier_value: '[REDACTED]', surname: '[REDACTED]' });
  });

  it('redacts the credentials of a request that reaches pino whole', () => {
    const { lines, logger } = capture();
    const req = Object.assign(new EventEmitter(), { method: 'GET', headers: { authorization: 'Bearer secret-token', cookie: 'sid=1' } });
    logger.info({ req }, 'request');
    const line = JSON.parse(lines.join(''));
    expect(line.req.headers).toEqual({ authorization: '[REDACTED]', cookie: '[REDACTED]' });
    expect(line.req.method).toBe('GET');
  });

  it('keeps errors readable, survives cycles and leaves other values alone', () => {
    const cyclic: Record<string, unknown> = { id: 'x', phone: '+380501234567' };
    cyclic.self = cyclic;
    expect(redactValue(cyclic)).toEqual({ id: 'x', phone: '[REDACTED]', self: '[REDACTED]' });
    const err = redactValue({ err: new Error(`bad IBAN ${IBAN}`) }) as { err: { message: string; type: string } };
    expect(err.err).toMatchObject({ type: 'Error', message: 'bad IBAN [REDACTED]' });
    expect(redactValue({ amountKopiyky: '1234567890', at: 'not json {' })).toEqual({ amountKopiyky: '1234567890', at: 'not json {' });
    expect(['last_name', 'lastName', 'LAST-NAME', 'e_mail', 'registeredAddress'].every(isRedactedKey)).toBe(true);
    expect(isRedactedKey('rnokppMasked')).toBe(false);
  });

  it('masks all but the last four digits when a РНОКПП or IBAN must be shown', () => {
    expect(maskRnokpp('3012345678')).toBe('******5678');
    expect(maskRnokpp(null)).toBeNull();
    expect(maskIban(IBAN)).toBe('UA21*********************6001');
  });
});
