import fs from 'node:fs';
import { checkFleetFile, formatPath, formatProblem } from '../../src-shared/domain';
import { resourcesDir } from '../paths';
import type { Personality } from './compose-reply';
import { newFaultState } from './fault-board';
import {
  type Profile,
  ProfileSchema,
  RECOGNISED_VARIANTS,
  type SimulatorProfiles,
  SimulatorProfilesSchema,
} from './profile-schema';

export const DEFAULT_PROFILES_FILE = (): string => resourcesDir('simulator', 'profiles.json');

/** A profile ready for the hot path: personalities precomputed for each variant combination. */
export interface CompiledModel {
  id: string;
  provider: string;
  profile: Profile;
  /** Indexed by the prompt's variant bit set. */
  personalities: Personality[];
  faults: ReturnType<typeof newFaultState>[];
}

function personalityFor(profile: Profile, variantMask: number): Personality {
  const personality: Personality = {
    style: profile.style,
    skill: profile.skill,
    stuckScore: profile.stuckScore,
    reasoningTokens: profile.reasoning.tokens,
    reasoningSpread: profile.reasoning.spread,
  };
  RECOGNISED_VARIANTS.forEach((variant, index) => {
    const override = profile.variants[variant];
    if ((variantMask & (1 << index)) === 0 || !override) return;
    if (override.style) personality.style = override.style;
    if (override.skill) personality.skill = override.skill;
    if (override.reasoning) {
      personality.reasoningTokens = override.reasoning.tokens;
      personality.reasoningSpread = override.reasoning.spread;
    }
  });
  return personality;
}

export function compileProfiles(
  profiles: SimulatorProfiles,
  startedAt: number,
): Map<string, CompiledModel> {
  const compiled = new Map<string, CompiledModel>();
  for (const [id, profile] of Object.entries(profiles.models)) {
    const personalities: Personality[] = [];
    for (let mask = 0; mask < 1 << RECOGNISED_VARIANTS.length; mask++) {
      personalities.push(personalityFor(profile, mask));
    }
    compiled.set(id, {
      id,
      provider: profile.provider,
      profile,
      personalities,
      faults: profile.faults.map((fault) => newFaultState(fault, startedAt)),
    });
  }
  return compiled;
}

export function parseProfiles(raw: unknown, source = 'profiles'): SimulatorProfiles {
  const parsed = SimulatorProfilesSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${formatPath(issue.path) || '(file)'}: ${issue.message}`,
  );
  throw new Error(`${source} is not a valid simulator profile file: ${problems.join('; ')}`);
}

/**
 * Profiles for every model of a Fleetdeck fleet file: the built-in personality of the same
 * provider model id when there is one, else a clean, good one; served under the fleet's provider.
 */
export function profilesFromFleet(
  raw: unknown,
  builtIn: SimulatorProfiles,
  source = 'fleet',
): SimulatorProfiles {
  const check = checkFleetFile(raw);
  if (!check.ok) {
    throw new Error(
      `${source} is not a valid fleet file: ${check.problems.map(formatProblem).join('; ')}`,
    );
  }
  const models: Record<string, Profile> = {};
  for (const model of check.fleet.models) {
    const known = builtIn.models[model.providerModelId];
    models[model.providerModelId] = known
      ? { ...known, provider: model.provider }
      : ProfileSchema.parse({
          provider: model.provider,
          note: `default personality for ${model.id}`,
        });
  }
  return { version: 1, models };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads a simulator profile file, or a Fleetdeck fleet file (recognised by its `providers`), whose
 * models then get the built-in personalities. Without a file: the built-in profiles.
 */
export function loadProfiles(file: string = DEFAULT_PROFILES_FILE()): SimulatorProfiles {
  const raw = readJson(file);
  if (raw !== null && typeof raw === 'object' && 'providers' in raw) {
    return profilesFromFleet(raw, loadProfiles(), file);
  }
  return parseProfiles(raw, file);
}
