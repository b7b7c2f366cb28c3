/**
 * Loaded into each service by the applications bench with BENCH_TRACE=1 (NODE_OPTIONS=--require): counts
 * every SQL statement the process sends through `pg` (normalised text, calls, total milliseconds from send
 * to answer) and writes them to $BENCH_TRACE_DIR/<pid>.json when the process exits. Measurement only:
 * it changes nothing in what the service does.
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const stats = new Map();
function record(sql, ms) {
  const key = String(sql).replace(/\s+/g, ' ').trim().slice(0, 160);
  const s = stats.get(key) ?? { calls: 0, ms: 0 };
  s.calls++;
  s.ms += ms;
  stats.set(key, s);
}

try {
  const pg = require(require.resolve('pg', { paths: [process.cwd()] }));
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, callback) {
    const text = typeof config === 'string' ? config : config?.text;
    const t0 = performance.now();
    const cb = typeof values === 'function' ? values : callback;
    if (typeof cb === 'function') {
      const wrapped = (...args) => {
        record(text, performance.now() - t0);
        return cb(...args);
      };
      return typeof values === 'function' ? original.call(this, config, wrapped) : original.call(this, config, values, wrapped);
    }
    const out = original.call(this, config, values);
    if (out && typeof out.then === 'function')
      out.then(
        () => record(text, performance.now() - t0),
        () => record(text, performance.now() - t0),
      );
    return out;
  };
} catch {
  /* no pg in this process */
}

// The bench resets the counts when the measured part begins (after registering the persons).
process.on('SIGUSR2', () => stats.clear());

process.on('exit', () => {
  const dir = process.env.BENCH_TRACE_DIR;
  if (!dir) return;
  const service = process.argv[1]?.match(/services\/([^/]+)\/dist/)?.[1] ?? 'unknown';
  writeFileSync(
    join(dir, `${service}-${process.pid}.json`),
    JSON.stringify({ service, statements: [...stats].map(([sql, s]) => ({ sql, ...s })) }),
  );
});
