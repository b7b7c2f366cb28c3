/**
 * A person record as the service works with it: personal data decrypted. In the table РНОКПП, УНЗР,
 * phone, e-mail and IBAN are `<field>_enc` ciphertexts (with `<field>_hash` for РНОКПП, УНЗР, IBAN);
 * PersonRepository is the one place that maps between the two.
 */
export class PersonEntity {
  id!: string;
  rnokpp!: string | null;
  unzr!: string | null;
  lastName!: string;
  firstName!: string;
  patronymic!: string | null;
  birthDate!: string;
  sex!: 'male' | 'female';
  deathDate!: string | null;
  katottg!: string | null;
  phone!: string | null;
  email!: string | null;
  registeredAddress!: string | null;
  actualAddress!: string | null;
  actualKatottg!: string | null;
  iban!: string | null;
  /** Postcode for delivery through the post (the account when no IBAN is held). */
  paymentPostcode!: string | null;
  nameKey!: string | null;
  mergedInto!: string | null;
  createdBy!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
  version!: number;
}
