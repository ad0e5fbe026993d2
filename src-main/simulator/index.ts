export type { ActiveFault, FaultKind, FaultSpec, FaultSpecInput } from '../../src-shared/simulator';
export { FAULT_KINDS, FaultSpecSchema } from '../../src-shared/simulator';
export type { FaultFilter } from './fault-board';
export { DEFAULT_PROFILES_FILE, loadProfiles, profilesFromFleet } from './load-profiles';
export {
  type Profile,
  type ProfileInput,
  ProfileSchema,
  REPLY_STYLES,
  SKILLS,
  type SimulatorProfiles,
  type SimulatorProfilesInput,
  SimulatorProfilesSchema,
  VARIANT_SENTENCES,
} from './profile-schema';
export type { LoggedUsage, RequestLogEntry, RequestOutcome } from './request-log';
export { type RunningSimulator, type SimulatorOptions, startSimulator } from './start-simulator';
