import { nameKey, normaliseNamePart } from './person-name';

describe(nameKey.name, () => {
  it('matches names when they differ only in case, apostrophe form, spaces and look-alike Latin letters', () => {
    expect(nameKey('Дем’яненко', 'Олена', 'Іванівна')).toBe(nameKey(" дем'яненко ", 'OЛЕНА', 'iванiвна'));
  });

  it('keeps different names apart when a letter differs', () => {
    expect(nameKey('Шевченко', 'Олена', null)).not.toBe(nameKey('Шевчук', 'Олена', null));
  });

  it('returns an empty part when the patronymic is missing', () => {
    expect(normaliseNamePart(null)).toBe('');
  });
});
