export * from './fleet-file';
export * from './limits';
export * from './model';
export * from './model-config';
export * from './model-status-file';
export * from './provider';
export * from './status';
export * from './run';
