#!/usr/bin/env node
/**
 * Writes a realistic legacy extract (docs/migration.md: persons, accounts, households, members,
 * statuses, assignments) and its manifest.json (the expected rejects, duplicates and applied counts)
 * with generateLegacyExtract of libs/testing, run from its built dist.
 *
 *   npx tsc -b libs/testing                                       # the generator runs the built dist
 *   node bench/migration/generate.js --persons 1000000 --out /tmp/legacy-1m --gzip
 *   node bench/migration/generate.js --persons 2000 --out /tmp/legacy --encoding utf8 --seed 2 --bad 0.01 --duplicates 0.03
 *     [--source asopd|komtekh|edarp|subsidies] [--today YYYY-MM-DD] [--kinds REQUIRED,IBAN_CHECKSUM,...]  (only these bad rows)
 *
 * Progress (persons, rows, MB encoded, MB/s) goes to stderr; the summary (time, sizes, peak RSS) to stdout.
 */
'use strict';
const { join, resolve } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const TESTING = join(ROOT, 'libs/testing/dist');

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === 'gzip') out.gzip = true;
    else out[key] = argv[++i];
  }
  return out;
}

async function main() {
  const a = args(process.argv.slice(2));
  if (!a.out) throw new Error('--out <dir> is required');
  const { generateLegacyExtract } = require(join(TESTING, 'legacy-extract.js'));
  const started = process.hrtime.bigint();
  const secs = () => Number(process.hrtime.bigint() - started) / 1e9;
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const mb = (b) => (b / 1048576).toFixed(1);
  const manifest = await generateLegacyExtract({
    dir: resolve(a.out),
    persons: Number(a.persons ?? 1000),
    seed: a.seed === undefined ? 1 : Number(a.seed),
    encoding: a.encoding ?? 'cp1251',
    gzip: a.gzip === true,
    badRate: a.bad === undefined ? undefined : Number(a.bad),
    duplicateRate: a.duplicates === undefined ? undefined : Number(a.duplicates),
    badKinds: a.kinds === undefined ? undefined : a.kinds.split(','),
    sourceSystem: a.source,
    today: a.today,
    onProgress: ({ persons, rows, bytes }) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const t = secs();
      process.stderr.write(
        `${t.toFixed(1)} s: ${persons} persons, ${rows} rows, ${mb(bytes)} MB encoded, ${(bytes / 1048576 / t).toFixed(1)} MB/s, rss ${mb(process.memoryUsage().rss)} MB\n`,
      );
    },
  });
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const t = secs();
  const files = Object.values(manifest.files);
  const rows = files.reduce((s, f) => s + f.rows, 0);
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  const size = files.reduce((s, f) => s + f.size, 0);
  console.log(`generated ${manifest.persons} persons (${rows} rows) into ${resolve(a.out)} in ${t.toFixed(1)} s`);
  for (const f of files)
    console.log(
      `  ${f.path.padEnd(20)} ${String(f.rows).padStart(9)} rows  ${String(f.rejected).padStart(7)} bad  ${mb(f.size).padStart(8)} MB`,
    );
  console.log(`  encoded ${mb(bytes)} MB (${(bytes / 1048576 / t).toFixed(1)} MB/s), on disk ${mb(size)} MB, peak RSS ${mb(peakRss)} MB`);
  console.log(
    `  expected: ${JSON.stringify(manifest.expected.persons)} persons, ${manifest.expected.households} households, ${manifest.expected.members} members, ` +
      `${manifest.expected.statuses} statuses, ${manifest.expected.accounts} accounts, ${manifest.expected.assignments} assignments; ` +
      `${manifest.rejects.length} rejects`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
