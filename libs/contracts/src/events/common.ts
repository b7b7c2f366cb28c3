import { Type } from '@sinclair/typebox';

/** A calendar date of legal effect (Europe/Kyiv), `YYYY-MM-DD`. */
export const CalendarDate = Type.String({ format: 'date', description: 'calendar date, Europe/Kyiv' });
/** An amount of money in kopiyky, carried as a decimal string (bigint-safe). */
export const Kopiyky = Type.String({ pattern: '^-?[0-9]+$', description: 'amount in kopiyky (integer, as a string)' });
/** A period month `YYYY-MM`. */
export const PeriodMonth = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'month YYYY-MM' });
/** КАТОТТГ code: `UA` + 17 digits. */
export const Katottg = Type.String({ pattern: '^UA[0-9]{17}$' });
export const Uuid = Type.String({ format: 'uuid' });
export const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
