#!/usr/bin/env node
'use strict';
/**
 * How fast the input guard walks a large legitimate body (libs/platform/src/http/input-check.ts):
 * `npm run build && node bench/input-check/input-check-bench.js [items]` prints the time per body and
 * the throughput (speed is measured here, not in unit tests).
 */
const { join } = require('node:path');
const { findInputFault } = require(join(__dirname, '../../libs/platform/dist/http/input-check.js'));

const n = Number(process.argv[2] ?? 50_000);
const body = {
  items: Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, name: 'Олена Петрівна 😀', amount: String(i * 100), tags: ['a', 'b'] })),
};
const bytes = Buffer.byteLength(JSON.stringify(body));
for (let i = 0; i < 3; i++) findInputFault(body); // warm up
const runs = 10;
const t0 = process.hrtime.bigint();
for (let i = 0; i < runs; i++) if (findInputFault(body) !== null) throw new Error('a legitimate body was refused');
const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
process.stdout.write(
  `input check: ${n} items (${(bytes / 1048576).toFixed(1)} MiB JSON) in ${ms.toFixed(1)} ms per body, ${(bytes / 1048576 / (ms / 1000)).toFixed(0)} MiB/s\n`,
);
