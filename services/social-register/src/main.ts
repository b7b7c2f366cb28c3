import 'reflect-metadata';
import { runServiceMain } from '@eisss/platform';
import { definition } from './service.definition';

runServiceMain(definition);
