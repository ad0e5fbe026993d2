export { clearFavourite, type Side } from './clear-favourite';
export {
  fillTemplate,
  groupFixtures,
  matchLine,
  TEMPLATE_PLACEHOLDERS,
  type TemplatePlaceholder,
  templatePlaceholders,
  unknownPlaceholders,
} from './fill-template';
export * from './task-pack';
