import { Role } from '@eisss/contracts';
import { SHARED_DIR, TestEnvironment } from '@eisss/testing';
import { XMLParser } from 'fast-xml-parser';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import type { Client } from 'pg';
import { loadFieldCipher, piiKeysFromConfig } from '@eisss/platform';
import { accountColumns } from '../src/pii/treasury-pii';
import { openTreasury } from '../src/standalone';
import { camt053 } from './support/camt';
import { ibanAt } from './support/events';

const run = promisify(execFile);
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const TREASURY_IBAN = 'UA938999980000035221139001014';
const PAIN001_XSD = join(SHARED_DIR, 'standards', 'iso20022', 'pain.001.001.09.xsd');

/** The operators' CLI (built dist/cli.js) against a real database: payroll run/status, bank-file export, statement import. */
describe('treasury CLI', () => {
  let env: TestEnvironment;
  let sql: Client;
  let out: string;
  let cliEnv: Record<string, string>;
  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], { env: { ...process.env, ...cliEnv, CLI_PROGRESS: '0' } });

  beforeAll(async () => {
    env = await TestEnvironment.create({ topics: false });
    sql = await env.sql('payments-treasury');
    out = await mkdtemp(join(tmpdir(), 'treasury-cli-'));
    cliEnv = {
      DATABASE_URL: env.databaseUrl('payments-treasury'),
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      TREASURY_DEBTOR_IBAN: TREASURY_IBAN,
    };
    // Two assignments as the consumer would have stored them: the account encrypted under the treasury's data key.
    const { wrapper, hmacKey } = piiKeysFromConfig({ NODE_ENV: 'test' });
    const cipher = await loadFieldCipher(
      async (text, params) => (await sql.query(text, params)).rows,
      'payments_treasury',
      wrapper,
      hmacKey,
    );
    const a1 = accountColumns(cipher, { iban: ibanAt('322313', '26007233566001'), rnokpp: '3296909324', documentNumber: null });
    const a2 = accountColumns(cipher, { iban: ibanAt('305299', '26001000012345'), rnokpp: null, documentNumber: 'МК123456' });
    await sql.query(
      `INSERT INTO payments_treasury.assignment (assignment_id, version, programme_code, recipient_person_id, katottg, period_from, period_to, status, payment_method,
                                                iban_enc, iban_masked, iban_hash, mfo, payee_full_name, payee_rnokpp_enc, payee_document_number_enc)
       VALUES ($1, 1, 'cli-programme', $2, 'UA80000000000093317', '2026-11', '2027-04', 'active', 'bank', $5, $6, $7, $8, 'Шевченко Олена Іванівна', $9, $10),
              ($3, 1, 'cli-programme', $4, 'UA80000000000093317', '2026-11', '2027-04', 'active', 'bank', $11, $12, $13, $14, 'Коваленко Петро', $15, $16)`,
      [
        randomUUID(),
        randomUUID(),
        randomUUID(),
        randomUUID(),
        ...[a1, a2].flatMap((a) => [a.iban_enc, a.iban_masked, a.iban_hash, a.mfo, a.payee_rnokpp_enc, a.payee_document_number_enc]),
      ],
    );
    await sql.query(
      `INSERT INTO payments_treasury.assignment_month SELECT assignment_id, 1, '2026-11', 200000, 'КМУ № 332' FROM payments_treasury.assignment`,
    );
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await sql?.end();
    await env?.destroy();
  });

  it('runs a payroll, exports one pain.001 per bank and imports the statement when operated from the command line', async () => {
    const r = await cli('payroll', 'run', '--programme', 'cli-programme', '--month', '2026-11');
    expect(r.stdout).toMatch(/: submitted\n\s+lines 2\n\s+accrued 4000\.00 UAH/);
    const payrollId = /payroll ([0-9a-f-]{36})/.exec(r.stdout)![1]!;

    const held = await cli('bank-file', 'export', '--payroll', payrollId, '--out', out).catch((e: { stderr: string; code: number }) => e);
    expect((held as { stderr: string }).stderr).toMatch(/PAYROLL_NOT_APPROVED/);

    // e-budget's answer, applied as the funds consumer does.
    const t = await openTreasury({ ...process.env, ...cliEnv });
    try {
      const p = await t.payrolls.get({ id: 'test', roles: [Role.Treasurer], territory: 'UA' }, payrollId);
      // onFundsReserved is @Transactional(): it runs in its own transaction on the treasury's host.
      await t.payrolls.onFundsReserved({
        reservationId: randomUUID(),
        payrollId,
        submissionId: p.submissionId,
        programmeCode: 'cli-programme',
        month: '2026-11',
        amountKopiyky: '400000',
        appropriationKopiyky: '400000',
        availableAfterKopiyky: '0',
      });
    } finally {
      await t.close();
    }

    const status = await cli('payroll', 'status', '--id', payrollId);
    expect(status.stdout).toContain('\tapproved\t2 lines\t4000.00 UAH');

    const exported = await cli('bank-file', 'export', '--payroll', payrollId, '--out', out);
    expect(exported.stdout.trim().split('\n')).toHaveLength(2);
    const files = (await readdir(out)).filter((f) => f.endsWith('.xml'));
    expect(files).toHaveLength(2);
    const parser = new XMLParser({
      ignoreAttributes: false,
      removeNSPrefix: true,
      parseTagValue: false,
      isArray: (n) => n === 'CdtTrfTxInf',
    });
    const e2e: string[] = [];
    const xsd = readFileSync(PAIN001_XSD, 'utf8');
    for (const f of files) {
      const xml = await readFile(join(out, f), 'utf8');
      const v = await validateXML({ xml: [{ fileName: f, contents: xml }], schema: [{ fileName: 'pain.001.001.09.xsd', contents: xsd }] });
      expect(v.errors.map((e) => e.message)).toEqual([]);
      const doc = parser.parse(xml).Document.CstmrCdtTrfInitn;
      expect(doc.GrpHdr).toMatchObject({ NbOfTxs: '1', CtrlSum: '2000.00' });
      // The IBAN and the holder's identifier are decrypted into the file.
      const tx = doc.PmtInf.CdtTrfTxInf[0];
      expect([tx.CdtrAcct.Id.IBAN, tx.Cdtr.Id.PrvtId.Othr]).toEqual(
        tx.CdtrAcct.Id.IBAN === ibanAt('322313', '26007233566001')
          ? [ibanAt('322313', '26007233566001'), { Id: '3296909324', SchmeNm: { Cd: 'TXID' } }]
          : [ibanAt('305299', '26001000012345'), { Id: 'МК123456', SchmeNm: { Cd: 'NIDN' } }],
      );
      e2e.push(doc.PmtInf.CdtTrfTxInf[0].PmtId.EndToEndId);
    }

    const stmt = join(out, 'statement.xml');
    await writeFile(
      stmt,
      camt053({
        messageId: 'CLI-1',
        statementId: 'S1',
        iban: TREASURY_IBAN,
        date: '2026-12-04',
        entries: e2e.map((id) => ({ endToEndId: id, amountKopiyky: '200000', kind: 'settled' as const, bookingDate: '2026-12-04' })),
      }),
    );
    const imported = await cli('statement', 'import', stmt);
    expect(imported.stdout).toMatch(/camt\.053 CLI-1\tsettled 2\treturned 0\tunmatched 0/);
    const again = await cli('statement', 'import', stmt);
    expect(again.stdout).toContain('(already imported)');
    const { rows } = await sql.query(`SELECT status, count(*)::int AS n FROM payments_treasury.payment GROUP BY status`);
    expect(rows).toEqual([{ status: 'settled', n: 2 }]);
    // The CLI's file export is a read of every recipient, audited like a download.
    const audit = await sql.query(
      `SELECT count(*)::int AS n FROM payments_treasury_audit.audit_log WHERE action = 'read' AND subject_type = 'person' AND actor_id LIKE 'cli:%'`,
    );
    expect(audit.rows[0].n).toBe(2);
  });
});
