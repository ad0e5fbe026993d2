export {
  checkQuality,
  type QualityKind,
  type QualityOutput,
  type QualityWarning,
} from './check-quality';
