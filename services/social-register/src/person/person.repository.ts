import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PersonEntity } from './person.entity';

@Injectable()
export class PersonRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, tx: EntityManager = this.dataSource.manager): Promise<PersonEntity | null> {
    return tx.findOne(PersonEntity, { where: { id } });
  }

  /** An existing person with the same РНОКПП or УНЗР (exact duplicate). */
  async findByIdentifiers(tx: EntityManager, rnokpp: string | null, unzr: string | null): Promise<PersonEntity | null> {
    if (!rnokpp && !unzr) return null;
    return tx
      .createQueryBuilder(PersonEntity, 'p')
      .where('(p.rnokpp = :rnokpp OR p.unzr = :unzr)', { rnokpp: rnokpp ?? '', unzr: unzr ?? '' })
      .setLock('pessimistic_read')
      .getOne();
  }

  insert(tx: EntityManager, person: Partial<PersonEntity>): Promise<PersonEntity> {
    return tx.save(PersonEntity, tx.create(PersonEntity, person));
  }
}
