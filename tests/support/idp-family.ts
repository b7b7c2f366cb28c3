/**
 * Helpers shared by the IDP flows (tests/idp-*.flow-spec.ts): an IDP family registered in the
 * social register over REST, a readiness gate for processing's projection, an application body as the
 * Diia gateway sends it, amounts without floats, and bank statements (camt.053) built from the exported payments.
 */
import { withRnokppChecksum } from '@eisss/platform';
import { PaymentSettledV1, Role, type PayloadOf } from '@eisss/contracts';
import { expectEventually, tokenFor, type KafkaProbe, type ServiceProcess, type TestEnvironment } from '@eisss/testing';
import { XMLParser } from 'fast-xml-parser';
import { randomUUID } from 'node:crypto';

export const KYIV = 'UA80000000000093317';
/** Origin of the move: Donetsk oblast (territory of hostilities without an end date). */
export const ORIGIN = 'UA14000000000000000';
/** A valid IBAN at the bank with МФО 322313 (checksum valid). */
export const FAMILY_IBAN = 'UA213223130000026007233566001';
export const FAMILY_MFO = '322313';
export const PROGRAMME = 'idp-living-allowance';

export interface FamilyMember {
  key: 'mother' | 'son' | 'daughter';
  id: string;
  rnokpp: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  sex: 'male' | 'female';
}

export interface Family {
  mother: FamilyMember;
  son: FamilyMember;
  daughter: FamilyMember;
  householdId: string;
  statusIds: Record<'mother' | 'son' | 'daughter' | 'daughterDisability', string>;
}

/** A РНОКПП encoding the birth date (days since 31.12.1899), the sex (9th digit odd for men) and a valid check digit. */
export function rnokppFor(birthDate: string, serial: number, sex: 'male' | 'female'): string {
  const days = Math.round((Date.parse(`${birthDate}T00:00:00Z`) - Date.UTC(1899, 11, 31)) / 86_400_000);
  return withRnokppChecksum(`${String(days).padStart(5, '0')}${String(serial % 1000).padStart(3, '0')}${sex === 'male' ? 1 : 2}`);
}

let serial = Math.floor(Math.random() * 1000);

/** A second person of the register (supervisor) who approves the registrar's change requests. */
export const REGISTER_SUPERVISOR = tokenFor({ id: 'register-supervisor-1', roles: [Role.Supervisor], territory: 'UA' });

async function registerPerson(
  register: ServiceProcess,
  token: string,
  p: Omit<FamilyMember, 'id' | 'rnokpp'> & { key: FamilyMember['key'] },
  iban?: string,
): Promise<FamilyMember> {
  const rnokpp = rnokppFor(p.birthDate, serial++, p.sex);
  const res = await register.request('POST', '/persons', {
    token,
    body: {
      rnokpp,
      lastName: p.lastName,
      firstName: p.firstName,
      birthDate: p.birthDate,
      sex: p.sex,
      katottg: KYIV,
      registeredAddress: 'м. Київ, вул. Січових Стрільців, 10, кв. 4',
      iban,
    },
  });
  expect({ status: res.status, error: res.body?.error ?? null }).toEqual({ status: 201, error: null });
  if (iban) {
    // The account given at registration is only a change request: it is not set until a second person approves it.
    expect(res.body).toMatchObject({ iban: null, paymentAccount: null, accountChangeRequestId: expect.any(String) });
    const approved = await register.request('POST', `/change-requests/${res.body.accountChangeRequestId}/approve`, {
      token: REGISTER_SUPERVISOR,
      body: { note: 'рахунок перевірено за довідкою банку' },
    });
    expect({ status: approved.status, error: approved.body?.error ?? null }).toEqual({ status: 200, error: null });
  }
  return { ...p, id: res.body.id, rnokpp };
}

async function grantStatus(register: ServiceProcess, token: string, personId: string, body: Record<string, unknown>): Promise<string> {
  const res = await register.request('POST', `/persons/${personId}/statuses`, { token, body: { clientRequestId: randomUUID(), ...body } });
  expect({ status: res.status, error: res.body?.error ?? null }).toEqual({ status: 201, error: null });
  return res.body.id;
}

/**
 * A mother displaced from Donetsk oblast with two children, the younger with a disability, all living
 * in Kyiv: three persons, one household, an IDP status (certificate) for each, a disability status.
 */
export async function registerIdpFamily(register: ServiceProcess, registrar: string, lastName = 'Шевчук'): Promise<Family> {
  const mother = await registerPerson(
    register,
    registrar,
    { key: 'mother', lastName, firstName: 'Оксана', birthDate: '1989-03-14', sex: 'female' },
    FAMILY_IBAN,
  );
  const son = await registerPerson(register, registrar, {
    key: 'son',
    lastName,
    firstName: 'Андрій',
    birthDate: '2014-09-02',
    sex: 'male',
  });
  const daughter = await registerPerson(register, registrar, {
    key: 'daughter',
    lastName,
    firstName: 'Марія',
    birthDate: '2019-05-21',
    sex: 'female',
  });

  const hh = await register.request('POST', '/households', {
    token: registrar,
    body: {
      katottg: KYIV,
      address: 'м. Київ, вул. Січових Стрільців, 10, кв. 4',
      clientRequestId: `hh-${mother.id}`,
      members: [
        { personId: mother.id, role: 'head', joinedOn: '2026-10-01' },
        { personId: son.id, role: 'dependant', joinedOn: '2026-10-01' },
        { personId: daughter.id, role: 'dependant', joinedOn: '2026-10-01' },
      ],
    },
  });
  expect({ status: hh.status, error: hh.body?.error ?? null }).toEqual({ status: 201, error: null });

  const idp = (n: string) => ({
    type: 'idp',
    validFrom: '2026-10-01',
    source: 'ЄІБД ВПО',
    reason: 'довідка про взяття на облік ВПО',
    details: { certificateNumber: `8000-00${n}`, certificateDate: '2026-10-01', originKatottg: ORIGIN },
  });
  const statusIds = {
    mother: await grantStatus(register, registrar, mother.id, idp('01234561')),
    son: await grantStatus(register, registrar, son.id, idp('01234562')),
    daughter: await grantStatus(register, registrar, daughter.id, idp('01234563')),
    daughterDisability: await grantStatus(register, registrar, daughter.id, {
      type: 'disability',
      validFrom: '2025-01-01',
      source: 'ЦБІ',
      reason: 'висновок ЛКК',
      details: { group: 'II' },
    }),
  };
  return { mother, son, daughter, householdId: hh.body.id, statusIds };
}

/**
 * Waits until social-processing knows the persons, their statuses and the accounts approved in the register. The persons are visible over
 * processing's REST API; its status projection has no read API, so that part is read as the service's
 * own database role (read-only, a readiness gate only; every asserted outcome comes over HTTP/Kafka).
 */
export async function awaitProjected(
  env: TestEnvironment,
  processing: ServiceProcess,
  officer: string,
  personIds: string[],
  statuses: number,
  accounts = 1,
): Promise<void> {
  await expectEventually(
    async () => {
      for (const id of personIds) expect((await processing.request('GET', `/persons/${id}`, { token: officer })).status).toBe(200);
    },
    { timeoutMs: 30000 },
  );
  const sql = await env.sql('social-processing');
  try {
    await expectEventually(
      async () => {
        const r = await sql.query(`SELECT count(*)::int AS n FROM social_processing.person_status WHERE person_id = ANY($1::uuid[])`, [
          personIds,
        ]);
        expect(r.rows[0].n).toBe(statuses);
        const a = await sql.query(
          `SELECT count(*)::int AS n FROM social_processing.person_payment_account WHERE person_id = ANY($1::uuid[])`,
          [personIds],
        );
        expect(a.rows[0].n).toBe(accounts);
      },
      { timeoutMs: 30000 },
    );
  } finally {
    await sql.end();
  }
}

/** The application as the Diia gateway (a system principal) forwards it: received in Diia on `receivedOn`. */
export function diiaApplication(family: Family, receivedOn: string, over: Record<string, unknown> = {}) {
  return {
    clientRequestId: `diia-${randomUUID()}`,
    channel: 'diia',
    applicantPersonId: family.mother.id,
    applicantRnokpp: family.mother.rnokpp,
    katottg: KYIV,
    receivedOn,
    programmeCodes: [PROGRAMME],
    household: {
      members: [
        { personId: family.mother.id, role: 'applicant', relation: 'self' },
        { personId: family.son.id, role: 'member', relation: 'child' },
        { personId: family.daughter.id, role: 'member', relation: 'child' },
      ],
    },
    consents: [
      { type: 'personal-data-processing', givenOn: receivedOn },
      { type: 'registers-check', givenOn: receivedOn },
    ],
    payment: { method: 'bank', iban: FAMILY_IBAN },
    ...over,
  };
}

/**
 * Maker-checker (on for the IDP allowance): after a passed verification the application waits for an
 * officer, who proposes the grant; a supervisor (another person) approves it.
 */
export async function grantManually(processing: ServiceProcess, applicationId: string, officer: string, supervisor: string): Promise<void> {
  await expectEventually(
    async () => {
      const res = await processing.request('GET', `/applications/${applicationId}`, { token: officer });
      expect(res.body?.decisions?.[0]?.status).toBe('awaiting_officer');
    },
    { timeoutMs: 40000 },
  );
  const proposed = await processing.request('POST', `/applications/${applicationId}/decisions/${PROGRAMME}/proposal`, {
    token: officer,
    body: { outcome: 'granted' },
  });
  expect({ status: proposed.status, error: proposed.body?.error ?? null }).toEqual({ status: 200, error: null });
  const approved = await processing.request('POST', `/applications/${applicationId}/decisions/${PROGRAMME}/approval`, {
    token: supervisor,
    body: { approve: true },
  });
  expect({ status: approved.status, error: approved.body?.error ?? null }).toEqual({ status: 200, error: null });
}

/** The answer a step expects (status and no error body), or the test fails showing the error. */
export function ok<T = any>(res: { status: number; body: any }, status = 200): T {
  expect({ status: res.status, error: res.body?.error ?? null }).toEqual({ status, error: null });
  return res.body as T;
}

/** The staff and systems of the IDP flows (one identity each; the second persons are separate tokens). */
export const FLOW_TOKENS = {
  registrar: tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA' }),
  officer: tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA80' }),
  supervisor: tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA80' }),
  diia: tokenFor({ id: 'diia-gateway', roles: [Role.System], territory: 'UA' }),
  budgetOfficer: tokenFor({ id: 'budget-1', roles: [Role.BudgetOfficer], territory: 'UA' }),
  treasurer: tokenFor({ id: 'treasurer-1', roles: [Role.Treasurer], territory: 'UA' }),
  verifier: tokenFor({ id: 'verifier-1', roles: [Role.Verifier], territory: 'UA' }),
};

/** e-budget for the IDP allowance: the budget holder, the programme by КПКВК and Kyiv's appropriation per month. */
export async function setUpIdpBudget(budget: ServiceProcess, months: string[], amountKopiyky = '100000000'): Promise<void> {
  const token = FLOW_TOKENS.budgetOfficer;
  ok(
    await budget.request('POST', '/budget-holders', {
      token,
      body: { code: 'minsotspolityky', name: 'Міністерство соціальної політики України' },
    }),
    201,
  );
  ok(
    await budget.request('POST', '/programmes', {
      token,
      body: { code: PROGRAMME, kpkvk: '2501480', name: 'Допомога на проживання ВПО', holderCode: 'minsotspolityky' },
    }),
    201,
  );
  const rows = months.map((month) => ({ programmeCode: PROGRAMME, region: 'UA80', month, amountKopiyky }));
  expect(ok(await budget.request('POST', '/appropriations/import', { token, body: { format: 'json', rows } }))).toEqual({
    imported: months.length,
  });
}

/** `"8000.00"` from kopiyky, without floats. */
export function uah(kopiyky: string | bigint): string {
  const v = BigInt(kopiyky);
  return `${v / 100n}.${String(v % 100n).padStart(2, '0')}`;
}

/** `"8000.00"` → 800000n kopiyky, without floats. */
export function kopiyky(decimal: string): bigint {
  const m = /^([0-9]+)\.([0-9]{2})$/.exec(decimal);
  if (!m) throw new Error(`not an amount: ${decimal}`);
  return BigInt(m[1]!) * 100n + BigInt(m[2]!);
}

export interface StatementEntry {
  endToEndId: string;
  amountKopiyky: string;
  bookingDate: string;
}

/** A bank statement (camt.053.001.08) of the treasury account booking the given credit transfers as executed. */
export function camt053(opts: { messageId: string; statementId: string; iban: string; date: string; entries: StatementEntry[] }): string {
  const entry = (e: StatementEntry, i: number) => {
    const amt = uah(e.amountKopiyky);
    return (
      `<Ntry><NtryRef>${i + 1}</NtryRef><Amt Ccy="UAH">${amt}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
      `<BookgDt><Dt>${e.bookingDate}</Dt></BookgDt><ValDt><Dt>${e.bookingDate}</Dt></ValDt><AcctSvcrRef>REF${i + 1}</AcctSvcrRef>` +
      `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>` +
      `<NtryDtls><TxDtls><Refs><EndToEndId>${e.endToEndId}</EndToEndId></Refs><Amt Ccy="UAH">${amt}</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls></NtryDtls></Ntry>`
    );
  };
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>` +
    `<GrpHdr><MsgId>${opts.messageId}</MsgId><CreDtTm>${opts.date}T18:00:00+02:00</CreDtTm></GrpHdr>` +
    `<Stmt><Id>${opts.statementId}</Id><CreDtTm>${opts.date}T18:00:00+02:00</CreDtTm><Acct><Id><IBAN>${opts.iban}</IBAN></Id><Ccy>UAH</Ccy></Acct>` +
    `<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="UAH">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${opts.date}</Dt></Dt></Bal>` +
    opts.entries.map(entry).join('') +
    `</Stmt></BkToCstmrStmt></Document>\n`
  );
}

/** The treasury's paying account in the flows (debtor of pain.001, account of the statements). */
export const TREASURY_IBAN = 'UA938999980000035221139001014';

export interface PaidPayroll {
  id: string;
  month: string;
  status: string;
  lineCount: number;
  accruedKopiyky: string;
  deductionsKopiyky: string;
  totalKopiyky: string;
}

const pain001 = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (n) => n === 'CdtTrfTxInf' || n === 'PmtInf',
});

/**
 * A month paid end to end: the payroll is run, e-budget reserves the funds (approved), the bank file is
 * exported, a camt.053 books every transfer of the file, and the settlement of the assignment's month is
 * published (the probe must read PaymentSettledV1). Returns the payroll as run and as approved.
 */
export async function payMonth(
  world: { treasury: ServiceProcess; probe: KafkaProbe; topicPrefix: string; assignmentId: string },
  month: string,
  settledOn: string,
): Promise<{ run: PaidPayroll; approved: PaidPayroll }> {
  const token = FLOW_TOKENS.treasurer;
  const { treasury } = world;
  const run = ok<PaidPayroll>(
    await treasury.request('POST', '/payrolls', { token, body: { programmeCode: PROGRAMME, month, clientRequestId: `payroll-${month}` } }),
    201,
  );
  const approved = await expectEventually(
    async () => {
      const p = ok<PaidPayroll>(await treasury.request('GET', `/payrolls/${run.id}`, { token }));
      expect(p.status).toBe('approved');
      return p;
    },
    { timeoutMs: 30000 },
  );
  const batches = ok<{ id: string }[]>(await treasury.request('POST', `/payrolls/${run.id}/batches`, { token }));
  expect(batches).toHaveLength(1);
  const file = await treasury.request<string>('GET', `/batches/${batches[0]!.id}/file`, { token });
  expect(file.status).toBe(200);
  const doc = pain001.parse(file.body).Document.CstmrCdtTrfInitn;
  const txs = doc.PmtInf.flatMap((p: { CdtTrfTxInf: unknown[] }) => p.CdtTrfTxInf) as {
    PmtId: { EndToEndId: string };
    Amt: { InstdAmt: { '#text': string } };
  }[];
  const xml = camt053({
    messageId: `STMT-${settledOn}`,
    statementId: `S-${settledOn}`,
    iban: TREASURY_IBAN,
    date: settledOn,
    entries: txs.map((t) => ({
      endToEndId: t.PmtId.EndToEndId,
      amountKopiyky: kopiyky(t.Amt.InstdAmt['#text']).toString(),
      bookingDate: settledOn,
    })),
  });
  expect(ok(await treasury.request('POST', '/statements', { token, body: { xml } }))).toMatchObject({
    settledCount: txs.length,
    unmatchedCount: 0,
  });
  const settledTopic = world.topicPrefix + PaymentSettledV1.topic;
  await expectEventually(
    () => {
      expect(
        world.probe
          .envelopes<PayloadOf<typeof PaymentSettledV1>>(settledTopic)
          .filter((x) => x.payload.assignmentId === world.assignmentId && x.payload.month === month),
      ).toHaveLength(1);
    },
    { timeoutMs: 20000 },
  );
  return { run, approved };
}
