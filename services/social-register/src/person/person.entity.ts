import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity({ schema: 'social_register', name: 'person' })
export class PersonEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('char', { length: 10, nullable: true }) rnokpp!: string | null;
  @Column('text', { nullable: true }) unzr!: string | null;
  @Column('text', { name: 'last_name' }) lastName!: string;
  @Column('text', { name: 'first_name' }) firstName!: string;
  @Column('text', { nullable: true }) patronymic!: string | null;
  @Column('date', { name: 'birth_date' }) birthDate!: string;
  @Column('text') sex!: 'male' | 'female';
  @Column('date', { name: 'death_date', nullable: true }) deathDate!: string | null;
  @Column('char', { length: 19, nullable: true }) katottg!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text', { name: 'registered_address', nullable: true }) registeredAddress!: string | null;
  @Column('text', { name: 'actual_address', nullable: true }) actualAddress!: string | null;
  @Column('char', { name: 'actual_katottg', length: 19, nullable: true }) actualKatottg!: string | null;
  @Column('char', { length: 29, nullable: true }) iban!: string | null;
  /** Postcode for delivery through the post (the account when no IBAN is held). */
  @Column('text', { name: 'payment_postcode', nullable: true }) paymentPostcode!: string | null;
  @Column('text', { name: 'name_key', nullable: true }) nameKey!: string | null;
  @Column('uuid', { name: 'merged_into', nullable: true }) mergedInto!: string | null;
  @Column('text', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}
