import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoOptions } from './logging';
import { maskRnokpp } from './redaction';

describe('log redaction', () => {
  function capture(): { lines: string[]; logger: pino.Logger } {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    return { lines, logger: pino(pinoOptions('test', 'info'), sink) };
  }

  it('never writes a РНОКПП, IBAN or name when they appear at any depth', () => {
    const { lines, logger } = capture();
    logger.info({ rnokpp: '3012345678', person: { rnokpp: '3012345678', iban: 'UA213223130000026007233566001', name: { lastName: 'Шевченко' } } }, 'created');
    const out = lines.join('');
    expect(out).not.toContain('3012345678');
    expect(out).not.toContain('UA213223130000026007233566001');
    expect(out).not.toContain('Шевченко');
    expect(out).toContain('[REDACTED]');
  });

  it('masks all but the last four digits when a РНОКПП must be shown', () => {
    expect(maskRnokpp('3012345678')).toBe('******5678');
    expect(maskRnokpp(null)).toBeNull();
  });
});
