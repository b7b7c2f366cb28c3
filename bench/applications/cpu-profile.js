/**
 * Loaded into a service by the applications bench with BENCH_PROFILE=<service> (NODE_OPTIONS=--require;
 * `--cpu-prof` itself is not allowed there): a V8 CPU profile of the measured part (restarted on SIGUSR2,
 * when the bench begins measuring), written to $BENCH_PROFILE_DIR/<service>-<pid>.cpuprofile on exit.
 */
'use strict';
const { Session } = require('node:inspector');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');

process.on('SIGUSR2', () => {
  session.post('Profiler.stop', () => session.post('Profiler.start'));
});

process.on('exit', () => {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return;
  const service = process.argv[1]?.match(/services\/([^/]+)\/dist/)?.[1] ?? 'unknown';
  // The in-process session answers synchronously, so the profile is complete before the process ends.
  session.post('Profiler.stop', (err, res) => {
    if (err) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
  });
});
