import { PersonRegisteredV1 } from '@eisss/contracts';
import { AuditLog, DomainError, OutboxWriter, assertTerritory, maskRnokpp, rnokppBirthDate, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { PersonEntity } from './person.entity';
import { PersonErrorCode } from './person.errors';
import { PersonRepository } from './person.repository';

export interface RegisterPersonCommand {
  rnokpp?: string;
  unzr?: string;
  lastName: string;
  firstName: string;
  patronymic?: string;
  birthDate: string;
  sex: 'male' | 'female';
  katottg?: string;
}

@Injectable()
export class PersonService {
  constructor(
    private readonly persons: PersonRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
  ) {}

  /** Registers a person and emits `person.registered` in the same transaction. */
  async register(principal: Principal, cmd: RegisterPersonCommand): Promise<PersonEntity> {
    if (!cmd.rnokpp && !cmd.unzr) {
      throw DomainError.validation(PersonErrorCode.PERSON_IDENTIFIER_REQUIRED, 'a person needs a РНОКПП or an УНЗР', 'rnokpp');
    }
    if (cmd.rnokpp && rnokppBirthDate(cmd.rnokpp) !== cmd.birthDate) {
      throw DomainError.validation(PersonErrorCode.RNOKPP_BIRTH_DATE_MISMATCH, 'the РНОКПП does not encode this birth date', 'birthDate');
    }
    if (cmd.katottg) assertTerritory(principal, cmd.katottg);
    return this.persons.transaction(async (tx) => {
      const existing = await this.persons.findByIdentifiers(tx, cmd.rnokpp ?? null, cmd.unzr ?? null);
      if (existing) {
        throw DomainError.conflict(PersonErrorCode.PERSON_DUPLICATE, 'a person with this РНОКПП or УНЗР is already registered', { existingPersonId: existing.id }, cmd.rnokpp ? 'rnokpp' : 'unzr');
      }
      const person = await this.persons.insert(tx, {
        id: randomUUID(),
        rnokpp: cmd.rnokpp ?? null,
        unzr: cmd.unzr ?? null,
        lastName: cmd.lastName.trim(),
        firstName: cmd.firstName.trim(),
        patronymic: cmd.patronymic?.trim() || null,
        birthDate: cmd.birthDate,
        sex: cmd.sex,
        deathDate: null,
        katottg: cmd.katottg ?? null,
      });
      await this.outbox.append(
        tx,
        PersonRegisteredV1,
        {
          personId: person.id,
          rnokppMasked: maskRnokpp(person.rnokpp),
          name: { lastName: person.lastName, firstName: person.firstName, patronymic: person.patronymic },
          birthDate: person.birthDate,
          sex: person.sex,
          deathDate: null,
          katottg: person.katottg,
          registeredAt: person.createdAt.toISOString(),
        },
        { aggregateId: person.id },
      );
      return person;
    });
  }

  /** Reads a person: territory-checked and audited. */
  async get(principal: Principal, id: string): Promise<PersonEntity> {
    return this.persons.transaction(async (tx) => {
      const person = await this.persons.findById(id, tx);
      if (!person) throw DomainError.notFound(PersonErrorCode.PERSON_NOT_FOUND, `person ${id} not found`);
      if (principal.personId !== person.id) assertTerritory(principal, person.katottg);
      await this.audit.recordRead(tx, principal, 'person', [person.id], 'person card');
      return person;
    });
  }
}
