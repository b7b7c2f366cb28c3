'use strict';
/**
 * The legacy extract the migration benches import: persons, households, members, statuses (gzip
 * CP1251) from libs/testing's generator, with bad rows of every kind but ROW_MALFORMED (a bare COPY
 * that parses the columns stops at a row with the wrong number of fields). Generated into `dir` unless
 * a manifest of the same size is there already; generation is not timed by the benches.
 */
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const TESTING = join(__dirname, '..', '..', 'libs/testing/dist');
const k = (n) => Math.round(n).toLocaleString('en').replace(/,/g, ' ');

async function legacyExtract({ dir, persons, seed }) {
  const path = join(dir, 'manifest.json');
  if (existsSync(path)) {
    const m = JSON.parse(readFileSync(path, 'utf8'));
    if (m.persons === persons && m.gzip && m.encoding === 'cp1251') return m;
  }
  const { generateLegacyExtract, BAD_KINDS } = require(join(TESTING, 'legacy-extract.js'));
  const kinds = [...new Set(Object.values(BAD_KINDS).flat())].filter((c) => c !== 'ROW_MALFORMED');
  process.stderr.write(`generating ${k(persons)} persons into ${dir} (not timed)\n`);
  const t0 = process.hrtime.bigint();
  const m = await generateLegacyExtract({
    dir,
    persons,
    seed,
    encoding: 'cp1251',
    gzip: true,
    badKinds: kinds,
    onProgress: (p) => process.stderr.write(`\r  ${k(p.persons)} persons`),
  });
  process.stderr.write(`\n  generated in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
  return m;
}

module.exports = { legacyExtract };
