import { DomainError, Transactional, assertTerritory, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@eisss/platform';
import { ProviderErrorCode } from './provider.errors';
import { ProviderRepository, type ProviderRow } from './provider.repository';

@Injectable()
export class ProviderService {
  constructor(private readonly providers: ProviderRepository) {}

  /** Registers a provider or institution; the same code with the same data again returns the existing record (safe retry). */
  async create(
    principal: Principal,
    cmd: { code: string; name: string; type: string; katottg: string },
  ): Promise<{ provider: ProviderRow; created: boolean }> {
    assertTerritory(principal, cmd.katottg);
    try {
      return await this.createIn(cmd);
    } catch (err) {
      // A concurrent registration of the same code committed first: decide against it as if sequential.
      if (!isUniqueViolation(err, 'provider_code_key')) throw err;
      return this.createIn(cmd);
    }
  }

  @Transactional()
  private async createIn(cmd: {
    code: string;
    name: string;
    type: string;
    katottg: string;
  }): Promise<{ provider: ProviderRow; created: boolean }> {
    const existing = await this.providers.findByCode(cmd.code);
    if (existing) {
      if (existing.name === cmd.name && existing.type === cmd.type && existing.katottg === cmd.katottg)
        return { provider: existing, created: false };
      throw DomainError.conflict(ProviderErrorCode.PROVIDER_CODE_TAKEN, `code ${cmd.code} belongs to another provider`, 'code', {
        existingProviderId: existing.id,
      });
    }
    return { provider: await this.providers.insert({ id: randomUUID(), ...cmd }), created: true };
  }

  @Transactional()
  async update(
    principal: Principal,
    id: string,
    cmd: { name?: string; type?: string; katottg?: string; active?: boolean },
  ): Promise<ProviderRow> {
    const p = await this.providers.findById(id, true);
    if (!p) throw DomainError.notFound(ProviderErrorCode.PROVIDER_NOT_FOUND, `provider ${id} not found`);
    assertTerritory(principal, p.katottg);
    if (cmd.katottg) assertTerritory(principal, cmd.katottg);
    return this.providers.update(id, {
      name: cmd.name ?? p.name,
      type: cmd.type ?? p.type,
      katottg: cmd.katottg ?? p.katottg,
      active: cmd.active ?? p.active,
    });
  }

  async get(principal: Principal, id: string): Promise<ProviderRow> {
    const p = await this.providers.findById(id);
    if (!p) throw DomainError.notFound(ProviderErrorCode.PROVIDER_NOT_FOUND, `provider ${id} not found`);
    assertTerritory(principal, p.katottg);
    return p;
  }

  list(
    principal: Principal,
    q: { type?: string; katottg?: string; q?: string; active?: boolean; limit: number; offset: number; withTotal?: boolean },
  ) {
    return this.providers.list({ territory: principal.territory, ...q });
  }
}
