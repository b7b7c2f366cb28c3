'use strict';
/**
 * The time of each SQL statement a bench runs, summed by its first words: TypeORM's
 * EntityManager.prototype.query wrapped (every repository's statement goes through it). Used by
 * migration-bench (--profile) and payroll-bench (BENCH_TRACE=1).
 *
 *   const profile = sqlProfile();   // before the statements run
 *   console.log(profile.report(25)); profile.clear();
 *   profile.dump(file, 10);         // the slowest statements with the parameters of their slowest run (JSON)
 */
function sqlProfile({ keyLength = 110 } = {}) {
  const { EntityManager } = require('typeorm');
  const by = new Map();
  const query = EntityManager.prototype.query;
  EntityManager.prototype.query = async function (sql, params) {
    const t0 = process.hrtime.bigint();
    try {
      return await query.call(this, sql, params);
    } finally {
      const took = Number(process.hrtime.bigint() - t0) / 1e9;
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, keyLength);
      const e = by.get(key) ?? { n: 0, s: 0, max: 0 };
      e.n++;
      e.s += took;
      if (took > e.max) Object.assign(e, { max: took, sql, params });
      by.set(key, e);
    }
  };
  const slowest = (limit) => [...by.entries()].sort((a, b) => b[1].s - a[1].s).slice(0, limit);
  return {
    get size() {
      return by.size;
    },
    report: (limit = 25) =>
      slowest(limit)
        .map(([key, e]) => `  ${e.s.toFixed(1).padStart(7)} s ${String(e.n).padStart(6)}×  ${key}`)
        .join('\n'),
    clear: () => by.clear(),
    dump: (file, limit = 10) =>
      require('node:fs').writeFileSync(
        file,
        JSON.stringify(
          slowest(limit).map(([, e]) => e),
          null,
          1,
        ),
      ),
  };
}

module.exports = { sqlProfile };
