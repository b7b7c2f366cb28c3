import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Local, read-only projection of a register person: what processing needs to decide, nothing more. */
@Entity({ schema: 'social_processing', name: 'person_projection' })
export class PersonProjectionEntity {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @Column('text', { name: 'rnokpp_masked', nullable: true }) rnokppMasked!: string | null;
  @Column('text', { name: 'last_name' }) lastName!: string;
  @Column('text', { name: 'first_name' }) firstName!: string;
  @Column('text', { nullable: true }) patronymic!: string | null;
  @Column('date', { name: 'birth_date' }) birthDate!: string;
  @Column('text') sex!: string;
  @Column('date', { name: 'death_date', nullable: true }) deathDate!: string | null;
  @Column('char', { length: 19, nullable: true }) katottg!: string | null;
  @Column('uuid', { name: 'last_event_id' }) lastEventId!: string;
  @Column('timestamptz', { name: 'last_event_at' }) lastEventAt!: Date;
  @Column('integer', { name: 'events_applied', default: 1 }) eventsApplied!: number;
}
