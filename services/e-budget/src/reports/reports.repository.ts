import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export type GroupBy = 'programme' | 'holder' | 'region' | 'month';

export interface ExecutionRow {
  key: string;
  planKopiyky: string;
  committedKopiyky: string;
  reservedKopiyky: string;
  paidKopiyky: string;
}

export interface ForecastRow {
  programmeCode: string;
  month: string;
  assignments: number;
  needKopiyky: string;
  planKopiyky: string;
  gapKopiyky: string;
}

const KEY: Record<GroupBy, string> = {
  programme: `f.programme_code`,
  holder: `coalesce(p.holder_code, '(unknown)')`,
  region: `f.region`,
  month: `f.month`,
};

/** Execution (plan vs committed vs reserved vs paid) and the forecast of need; set-based SQL. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: TransactionHost) {}

  async execution(f: { year: string; groupBy: GroupBy; programmeCode?: string; regionPrefix: string }): Promise<ExecutionRow[]> {
    return this.db.query<ExecutionRow>(
      `WITH facts AS (
         SELECT programme_code, region, month, amount_kopiyky AS plan, 0::bigint AS committed, 0::bigint AS reserved, 0::bigint AS paid FROM e_budget.appropriation
         UNION ALL
         SELECT programme_code, region, month, 0, amount_kopiyky, 0, 0 FROM e_budget.commitment_line
         UNION ALL
         SELECT c.programme_code, coalesce(r.region, 'UA'), c.month, 0, 0, coalesce(r.amount_kopiyky, c.requested_kopiyky), 0
         FROM e_budget.funds_check c LEFT JOIN e_budget.reservation_region r ON r.reservation_id = c.reservation_id WHERE c.outcome = 'reserved'
         UNION ALL
         SELECT programme_code, coalesce(region, 'UA'), month, 0, 0, 0, amount_kopiyky FROM e_budget.paid WHERE returned_on IS NULL)
       SELECT ${KEY[f.groupBy]} AS key, sum(f.plan)::text AS "planKopiyky", sum(f.committed)::text AS "committedKopiyky",
              sum(f.reserved)::text AS "reservedKopiyky", sum(f.paid)::text AS "paidKopiyky"
       FROM facts f LEFT JOIN e_budget.programme p ON p.code = f.programme_code
       WHERE f.month LIKE $1 || '-%' AND ($2::text IS NULL OR f.programme_code = $2) AND f.region LIKE $3 || '%'
       GROUP BY 1 ORDER BY 1`,
      [f.year, f.programmeCode ?? null, f.regionPrefix],
    );
  }

  /** Need per programme and month for the 12 months from `from`: active commitments (their months end at the known end dates). */
  async forecast(f: { from: string; programmeCode?: string; regionPrefix: string }): Promise<ForecastRow[]> {
    return this.db.query<ForecastRow>(
      `WITH months AS (
         SELECT to_char(d, 'YYYY-MM') AS month FROM generate_series(to_date($1, 'YYYY-MM'), to_date($1, 'YYYY-MM') + interval '11 months', interval '1 month') d),
       need AS (
         SELECT l.programme_code, l.month, count(*)::int AS n, sum(l.amount_kopiyky) AS need
         FROM e_budget.commitment_line l JOIN e_budget.commitment c ON c.assignment_id = l.assignment_id
         WHERE l.month IN (SELECT month FROM months) AND ($2::text IS NULL OR l.programme_code = $2) AND l.region LIKE $3 || '%'
         GROUP BY 1, 2),
       plan AS (
         SELECT programme_code, month, sum(amount_kopiyky) AS plan FROM e_budget.appropriation
         WHERE month IN (SELECT month FROM months) AND ($2::text IS NULL OR programme_code = $2) AND region LIKE $3 || '%' GROUP BY 1, 2),
       progs AS (SELECT programme_code FROM need UNION SELECT programme_code FROM plan)
       SELECT pr.programme_code AS "programmeCode", m.month, coalesce(n.n, 0) AS assignments, coalesce(n.need, 0)::text AS "needKopiyky",
              coalesce(pl.plan, 0)::text AS "planKopiyky", (coalesce(n.need, 0) - coalesce(pl.plan, 0))::text AS "gapKopiyky"
       FROM progs pr CROSS JOIN months m
       LEFT JOIN need n ON n.programme_code = pr.programme_code AND n.month = m.month
       LEFT JOIN plan pl ON pl.programme_code = pr.programme_code AND pl.month = m.month
       ORDER BY 1, 2`,
      [f.from, f.programmeCode ?? null, f.regionPrefix],
    );
  }
}
