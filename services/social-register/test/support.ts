import { withRnokppChecksum } from '@eisss/platform';

let seq = 0;
const base = 30000 + (process.pid % 500) * 20 + Math.floor(Math.random() * 10);

export const VALID_IBAN = 'UA213223130000026007233566001';
export const KYIV = 'UA80000000000093317';
export const LVIV = 'UA46060250010015970';

/** A valid person whose РНОКПП encodes the birth date (unique within the run). */
export function newPerson(overrides: Record<string, unknown> = {}) {
  seq++;
  const days = base + seq * 3;
  const birthDate = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000).toISOString().slice(0, 10);
  const rnokpp = withRnokppChecksum(`${days}${String(1000 + ((seq * 37) % 9000)).padStart(4, '0')}`.slice(0, 9));
  return {
    rnokpp,
    lastName: `Коваленко${seq}`,
    firstName: 'Олена',
    patronymic: 'Іванівна',
    birthDate,
    sex: 'female',
    katottg: KYIV,
    registeredAddress: 'м. Київ, вул. Хрещатик, 1',
    phone: '+380501234567',
    email: `olena${seq}@example.com`,
    iban: VALID_IBAN,
    ...overrides,
  };
}
