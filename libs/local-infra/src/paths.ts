import { join, resolve } from 'node:path';

/** The repository root, whatever the working folder. */
export const ROOT = resolve(__dirname, '..', '..', '..');
/** This package's folder: the Kafka pom and log configuration live beside its sources. */
export const PACKAGE_DIR = resolve(__dirname, '..');
/** Project-local state: caches, data folders, logs. Ignored by git. */
export const STATE_DIR = join(ROOT, '.herald');
export const CACHE_DIR = join(STATE_DIR, 'cache');
