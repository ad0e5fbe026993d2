export * from './route';
export { href, navigate, useRoute } from './use-route';
