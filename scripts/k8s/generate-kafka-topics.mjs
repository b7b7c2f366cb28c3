#!/usr/bin/env node
/**
 * Writes k8s/overlays/prod/kafka-topics.yaml (Strimzi KafkaTopic resources) and kafka-users.yaml
 * (Strimzi KafkaUser resources with the catalogue's ACLs) from the event catalogue of the built
 * contracts (libs/contracts/dist) and the platform's ACL generator (libs/platform/dist).
 *   npx tsc -b libs/contracts/tsconfig.json && node scripts/k8s/generate-kafka-topics.mjs
 *   node scripts/k8s/generate-kafka-topics.mjs --check   exit 1 when the checked-in file is out of date
 * tests/deploy/k8s-manifests.spec.ts fails too when the file is out of date with the catalogue.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { KAFKA_TOPICS_FILE, GENERATE_COMMAND, renderKafkaTopics } = require('./kafka-topics.cjs');
const { KAFKA_USERS_FILE, renderKafkaUsers } = require('./kafka-users.cjs');

const contractsSrc = path.join(root, 'libs/contracts/src');
const contractsDist = path.join(root, 'libs/contracts/dist/index.js');

function newestMtime(dir, test) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, test));
    else if (test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (!existsSync(contractsDist)) {
  console.error(`[kafka-topics] ${path.relative(root, contractsDist)} is missing; run: ${GENERATE_COMMAND}`);
  process.exit(1);
}
// The catalogue is read from the build output: a stale build would silently drop new topics.
const srcTime = newestMtime(contractsSrc, (n) => n.endsWith('.ts') && !n.endsWith('.spec.ts'));
// tsc -b may only touch its .tsbuildinfo when the emitted files do not change.
const distTime = newestMtime(path.dirname(contractsDist), (n) => n.endsWith('.js') || n.endsWith('.tsbuildinfo'));
if (srcTime > distTime) {
  console.error(`[kafka-topics] libs/contracts/dist is older than libs/contracts/src; run: ${GENERATE_COMMAND}`);
  process.exit(1);
}

const { EventCatalogue, ServiceNames, dlqTopic } = require(contractsDist);
const platformDist = path.join(root, 'libs/platform/dist/messaging/acls.js');
if (
  !existsSync(platformDist) ||
  newestMtime(path.join(root, 'libs/platform/src/messaging'), (n) => n === 'acls.ts') > statSync(platformDist).mtimeMs
) {
  console.error(`[kafka-topics] libs/platform/dist is missing or older than acls.ts; run: ${GENERATE_COMMAND}`);
  process.exit(1);
}
const { aclsFor, kafkaPrincipals } = require(platformDist);
const outputs = [
  { file: KAFKA_TOPICS_FILE, text: renderKafkaTopics(EventCatalogue, dlqTopic), kind: 'KafkaTopic' },
  {
    file: KAFKA_USERS_FILE,
    text: renderKafkaUsers(kafkaPrincipals(EventCatalogue), (p) => aclsFor(p, { catalogue: EventCatalogue }), [...ServiceNames]),
    kind: 'KafkaUser',
  },
];

for (const { file: rel, text, kind } of outputs) {
  const file = path.join(root, rel);
  if (process.argv.includes('--check')) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== text) {
      console.error(`[kafka-topics] ${rel} is out of date with the event catalogue; run: ${GENERATE_COMMAND}`);
      process.exit(1);
    }
    console.log(`[kafka-topics] ${rel} is up to date`);
  } else {
    writeFileSync(file, text);
    const count = (text.match(new RegExp(`^kind: ${kind}$`, 'gm')) ?? []).length;
    console.log(`[kafka-topics] wrote ${rel} (${count} ${kind} resources)`);
  }
}
