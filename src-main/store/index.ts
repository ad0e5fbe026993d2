export { DATABASE_FILE, type Db, migrate, openDatabase, openDatabaseFile, schemaVersion } from './database';
export { type ConfigVersion, FleetRepository, type StoredModel } from './fleet-repository';
export { MIGRATIONS, type Migration } from './migrations';
export { EngineStateRepository, type ModelHealth } from './engine-state-repository';
export { RunRepository, type StoredRun } from './run-repository';
export { type ComponentSync, type ComponentVersion, PromptRepository, type VariantVersion } from './prompt-repository';
export { GroupCommitter } from './group-committer';
export { type ItemFact, LifecycleRepository, type RegressionGate, type StoredVerdict } from './lifecycle-repository';
