import { Injectable } from '@nestjs/common';
import type { RuleParameterRow } from './rules';
import { RulesRepository } from './rules.repository';

/** The rule table as data: every rule's parameters with their effective dates and legal basis. */
@Injectable()
export class RulesService {
  constructor(private readonly rules: RulesRepository) {}

  list(): Promise<RuleParameterRow[]> {
    return this.rules.all();
  }
}
