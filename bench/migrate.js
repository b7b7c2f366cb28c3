'use strict';
/** The benches' one way to migrate a service's schema in their own database: the service's migrations from its built dist. */
const { join } = require('node:path');

async function migrateService(serviceDist, url) {
  const { migrationDataSource } = require('@eisss/platform');
  const { definition } = require(join(serviceDist, 'service.definition.js'));
  const ds = migrationDataSource(url, definition.schema, definition.migrations);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

module.exports = { migrateService };
