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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}
