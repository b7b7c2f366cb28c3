/**
 * Public holidays of Ukraine (Labour Code art. 73, as amended by Law № 3215-IX of 11.07.2023:
 * Christmas on 25 December, Statehood Day 15 July, Defenders Day 1 October) and periods of martial law.
 * Source notes: martial law introduced by Decree № 64/2022 from 24.02.2022 and extended since;
 * during it art. 73 days are working days (Law № 2136-IX, art. 6). Extend this table each year.
 */
export interface CalendarData {
  holidays: { date: string; name: string }[];
  martialLaw: { from: string; to: string | null; source: string }[];
}

function year(y: number, orthodoxEaster: string, trinity: string): { date: string; name: string }[] {
  const base = [
    [`${y}-01-01`, 'New Year'],
    [`${y}-03-08`, "International Women's Day"],
    [orthodoxEaster, 'Easter'],
    [`${y}-05-01`, 'Labour Day'],
    [`${y}-05-08`, 'Day of Remembrance and Victory'],
    [trinity, 'Trinity'],
    [`${y}-06-28`, 'Constitution Day'],
    [`${y}-07-15`, 'Day of Ukrainian Statehood'],
    [`${y}-08-24`, 'Independence Day'],
    [`${y}-10-01`, 'Defenders Day'],
    [`${y}-12-25`, 'Christmas'],
  ] as const;
  return base.map(([date, name]) => ({ date, name }));
}

export const UA_CALENDAR: CalendarData = {
  holidays: [
    ...year(2024, '2024-05-05', '2024-06-23'),
    ...year(2025, '2025-04-20', '2025-06-08'),
    ...year(2026, '2026-04-12', '2026-05-31'),
    ...year(2027, '2027-05-02', '2027-06-20'),
  ],
  martialLaw: [{ from: '2022-02-24', to: null, source: 'Указ Президента № 64/2022, extended; Law № 2136-IX art. 6' }],
};
