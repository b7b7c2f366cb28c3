/** Money helpers: kopiyky are bigint or decimal strings, never floats. */

/** `123456` kopiyky → `"1234.56"` (ISO 20022 amounts are decimal with 2 fraction digits). */
export function kopiykyToDecimal(k: bigint | string): string {
  const v = BigInt(k);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const s = `${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** `"1234.56"` or `"1234.5"` or `"1234"` → 123456n kopiyky; throws on anything else. */
export function decimalToKopiyky(d: string | number): bigint {
  const s = String(d).trim();
  const m = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(s);
  if (!m) throw new Error(`not a money amount: ${s}`);
  const v = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -v : v;
}

/** МФО (bank code) of a Ukrainian IBAN: characters 5–10. */
export function mfoOfIban(iban: string): string {
  return iban.substring(4, 10);
}

/** The deduction allowed from one monthly amount: at most `limitPercent` % unless the recipient agreed (voluntary). */
export function deductionLimit(monthlyKopiyky: bigint, limitPercent: number, voluntary: boolean): bigint {
  if (voluntary) return monthlyKopiyky;
  return (monthlyKopiyky * BigInt(limitPercent)) / 100n;
}
