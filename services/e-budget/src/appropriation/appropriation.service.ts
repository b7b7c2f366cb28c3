import { DomainError, Transactional, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { AppropriationErrorCode } from './appropriation.errors';
import { parseAppropriationCsv, validateAppropriations, type AppropriationInput } from './appropriation.import';
import { AppropriationRepository } from './appropriation.repository';

/** Appropriations (plan) per programme, region and month: single upserts and uploads (CSV or JSON), all-or-nothing. */
@Injectable()
export class AppropriationService {
  constructor(private readonly repo: AppropriationRepository) {}

  /** Regional officers manage only their own oblast's rows; national officers all. */
  private assertRegions(principal: Principal, rows: AppropriationInput[]): void {
    if (principal.territory === 'UA') return;
    const own = principal.territory.slice(0, 4);
    const bad = rows.find((r) => r.region !== own);
    if (bad)
      throw DomainError.forbidden(AppropriationErrorCode.APPROPRIATION_REGION_FORBIDDEN, `region ${bad.region} is outside your territory`);
  }

  async import(
    principal: Principal,
    input: { format: 'csv' | 'json'; content?: string; rows?: Record<string, unknown>[] },
  ): Promise<{ imported: number }> {
    let raw: Record<string, unknown>[];
    if (input.format === 'csv') {
      const parsed = parseAppropriationCsv(input.content ?? '');
      if (parsed.problems.length)
        throw DomainError.validation(AppropriationErrorCode.APPROPRIATION_IMPORT_INVALID, 'the upload is not valid', 'content', {
          problems: parsed.problems,
        });
      raw = parsed.rows;
    } else {
      raw = input.rows ?? [];
    }
    if (raw.length === 0)
      throw DomainError.validation(
        AppropriationErrorCode.APPROPRIATION_IMPORT_INVALID,
        'the upload has no rows',
        input.format === 'csv' ? 'content' : 'rows',
      );
    return this.importRows(principal, input.format, raw);
  }

  /** Validates against the known programmes and upserts all rows, all-or-nothing. */
  @Transactional()
  private async importRows(principal: Principal, format: 'csv' | 'json', raw: Record<string, unknown>[]): Promise<{ imported: number }> {
    const known = await this.repo.programmeCodes([...new Set(raw.map((r) => String(r.programmeCode ?? '')))]);
    const { valid, problems } = validateAppropriations(raw, known);
    if (problems.length) {
      throw DomainError.validation(
        AppropriationErrorCode.APPROPRIATION_IMPORT_INVALID,
        `${problems.length} problem(s) in the upload; nothing was imported`,
        problems[0]!.field,
        { problems: problems.slice(0, 100) },
      );
    }
    this.assertRegions(principal, valid);
    await this.repo.upsert(valid, `upload:${format}`, principal.id);
    return { imported: valid.length };
  }

  @Transactional()
  async set(principal: Principal, row: AppropriationInput): Promise<AppropriationInput> {
    const known = await this.repo.programmeCodes([row.programmeCode]);
    if (!known.has(row.programmeCode))
      throw DomainError.validation(
        AppropriationErrorCode.APPROPRIATION_PROGRAMME_UNKNOWN,
        `unknown programme ${row.programmeCode}`,
        'programmeCode',
      );
    this.assertRegions(principal, [row]);
    await this.repo.upsert([row], 'rest', principal.id);
    return row;
  }

  list(principal: Principal, f: { programmeCode?: string; year?: string; limit: number; offset: number; withTotal?: boolean }) {
    return this.repo.list({ ...f, regionPrefix: principal.territory === 'UA' ? '' : principal.territory.slice(0, 4) });
  }
}
