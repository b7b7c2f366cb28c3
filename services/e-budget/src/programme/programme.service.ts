import { DomainError, Transactional, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { ProgrammeErrorCode } from './programme.errors';
import { ProgrammeRepository, type BudgetHolderRow, type ProgrammeRow } from './programme.repository';

/** Budget programmes (КПКВК) and their holders (розпорядники). */
@Injectable()
export class ProgrammeService {
  constructor(private readonly repo: ProgrammeRepository) {}

  @Transactional()
  async createHolder(h: { code: string; name: string; katottg?: string }): Promise<BudgetHolderRow> {
    const row = { code: h.code, name: h.name.trim(), katottg: h.katottg ?? null };
    if (!(await this.repo.insertHolder(row))) {
      const existing = (await this.repo.findHolder(h.code))!;
      if (existing.name === row.name && existing.katottg === row.katottg) return existing; // a retry
      throw DomainError.conflict(ProgrammeErrorCode.BUDGET_HOLDER_EXISTS, `budget holder ${h.code} already exists`, 'code', {});
    }
    return row;
  }

  @Transactional()
  async createProgramme(p: { code: string; kpkvk: string; name: string; holderCode: string }): Promise<ProgrammeRow> {
    const holder = await this.repo.findHolder(p.holderCode);
    if (!holder)
      throw DomainError.validation(ProgrammeErrorCode.BUDGET_HOLDER_NOT_FOUND, `budget holder ${p.holderCode} not found`, 'holderCode');
    if (!(await this.repo.insertProgramme({ ...p, name: p.name.trim() }))) {
      const existing = await this.repo.findProgramme(p.code);
      if (existing && existing.kpkvk === p.kpkvk && existing.holderCode === p.holderCode) return existing;
      throw DomainError.conflict(ProgrammeErrorCode.PROGRAMME_EXISTS, `programme ${p.code} or КПКВК ${p.kpkvk} already exists`, 'code', {});
    }
    return (await this.repo.findProgramme(p.code))!;
  }

  holders(page: PageRequest) {
    return this.repo.holders(page);
  }

  programmes(f: { holderCode?: string } & PageRequest) {
    return this.repo.programmes(f);
  }

  async programme(code: string): Promise<ProgrammeRow> {
    const p = await this.repo.findProgramme(code);
    if (!p) throw DomainError.notFound(ProgrammeErrorCode.PROGRAMME_NOT_FOUND, `programme ${code} not found`);
    return p;
  }
}
