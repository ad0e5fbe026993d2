export * from './fault-spec';
