import 'reflect-metadata';
import { runMigrateMain } from '@eisss/platform';
import { definition } from './service.definition';

runMigrateMain(definition);
