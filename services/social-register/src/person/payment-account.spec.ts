import { accountChanges, accountOf, holderOf, sameAccount, sameHolder } from './payment-account';

const IBAN = 'UA213223130000026007233566001';

describe('payment account', () => {
  it('is the bank account when an IBAN is held, else the post one, else none', () => {
    expect(accountOf({ iban: IBAN, paymentPostcode: '01001' })).toEqual({ method: 'bank', iban: IBAN });
    expect(accountOf({ iban: null, paymentPostcode: '01001' })).toEqual({ method: 'post', postcode: '01001' });
    expect(accountOf({ iban: null, paymentPostcode: null })).toBeNull();
  });

  it('compares accounts by method and value', () => {
    expect(sameAccount({ method: 'bank', iban: IBAN }, { method: 'bank', iban: IBAN })).toBe(true);
    expect(sameAccount({ method: 'post', postcode: '01001' }, { method: 'post', postcode: '01002' })).toBe(false);
    expect(sameAccount({ method: 'post', postcode: '01001' }, null)).toBe(false);
    expect(sameAccount(null, null)).toBe(true);
  });

  it('turns a proposed post account into a change that also clears the IBAN', () => {
    expect(accountChanges({ method: 'post', postcode: '01001' })).toEqual({ iban: null, paymentPostcode: '01001' });
    expect(accountChanges({ method: 'bank', iban: IBAN })).toEqual({ iban: IBAN });
  });

  it('names the holder "Прізвище Ім\'я По батькові" and leaves out a missing patronymic', () => {
    expect(holderOf({ lastName: 'Шевченко', firstName: 'Олена', patronymic: 'Іванівна', rnokpp: '3296909324' })).toEqual({
      fullName: 'Шевченко Олена Іванівна',
      rnokpp: '3296909324',
      documentNumber: null,
    });
    expect(holderOf({ lastName: 'Шевченко', firstName: 'Олена', patronymic: null, rnokpp: null })).toEqual({
      fullName: 'Шевченко Олена',
      rnokpp: null,
      documentNumber: null,
    });
    expect(holderOf({ lastName: 'Ш'.repeat(100), firstName: 'О'.repeat(100), patronymic: null, rnokpp: null }).fullName).toHaveLength(140);
    expect(
      sameHolder(
        holderOf({ lastName: 'A', firstName: 'B', patronymic: null, rnokpp: null }),
        holderOf({ lastName: 'A', firstName: 'C', patronymic: null, rnokpp: null }),
      ),
    ).toBe(false);
  });
});
