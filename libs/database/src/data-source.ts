import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@payhub/common';
import { buildDataSourceOptions } from './database-options';
import { ALL_ENTITIES } from './all-entities';

/** For the TypeORM CLI (`npm run migration:generate -- migrations/<VerbNoun>`) only. */
export default new DataSource(buildDataSourceOptions(loadConfig(), ALL_ENTITIES));
