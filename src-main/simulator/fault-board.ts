import {
  type ActiveFault,
  type FaultSpec,
  type ProfileFault,
  STREAM_ONLY_FAULT_KINDS,
} from '../../src-shared/simulator';
import type { Random } from './random';

export interface FaultFilter {
  provider?: string;
  model?: string;
  id?: string;
}

/** The fault chosen for one request, with its id (`profile` for a personality's own fault). */
export interface DrawnFault {
  id: string;
  fault: ProfileFault;
}

interface FaultState {
  fault: ProfileFault;
  /** Epoch ms its schedule counts from. */
  since: number;
  /** Matching requests seen inside its window (for `count`). */
  seen: number;
  fired: number;
}

export function newFaultState(fault: ProfileFault, since: number): FaultState {
  return { fault, since, seen: 0, fired: 0 };
}

/**
 * Decides whether one fault applies to one request. Draws from `random` only for a fault that is
 * in its window and has a rate below 1, so the draw sequence depends on the request sequence only.
 */
export function faultApplies(
  state: FaultState,
  stream: boolean,
  now: number,
  random: Random,
): boolean {
  const { fault } = state;
  if (!stream && STREAM_ONLY_FAULT_KINDS.has(fault.kind)) return false;
  if (fault.schedule) {
    const start = state.since + fault.schedule.afterMs;
    if (now < start) return false;
    if (fault.schedule.forMs !== undefined && now >= start + fault.schedule.forMs) return false;
  }
  if (fault.count !== undefined) {
    if (state.seen >= fault.count) return false;
    state.seen++;
  }
  if (fault.rate < 1 && random.next() >= fault.rate) return false;
  state.fired++;
  return true;
}

function isSpent(state: FaultState, now: number): boolean {
  const { fault } = state;
  if (fault.count !== undefined && state.seen >= fault.count) return true;
  const forMs = fault.schedule?.forMs;
  return forMs !== undefined && now >= state.since + (fault.schedule?.afterMs ?? 0) + forMs;
}

/** The faults injected into a running simulator through the control endpoint or the API. */
export class FaultBoard {
  private readonly faults = new Map<string, FaultState & { spec: FaultSpec }>();
  private nextId = 1;

  get size(): number {
    return this.faults.size;
  }

  inject(spec: FaultSpec, now: number): string {
    const id = `f${this.nextId++}`;
    const { target: _target, ...fault } = spec;
    this.faults.set(id, { ...newFaultState(fault, now), spec });
    return id;
  }

  /**
   * Removes the matching faults and returns how many were still live: one whose count or window
   * is spent is dropped too, but not counted (it had already disappeared from `list`).
   */
  clear(filter: FaultFilter = {}, now: number = Date.now()): number {
    let cleared = 0;
    for (const [id, state] of this.faults) {
      if (filter.id !== undefined && filter.id !== id) continue;
      if (filter.provider !== undefined && state.spec.target.provider !== filter.provider) continue;
      if (filter.model !== undefined && state.spec.target.model !== filter.model) continue;
      this.faults.delete(id);
      if (!isSpent(state, now)) cleared++;
    }
    return cleared;
  }

  list(now: number): ActiveFault[] {
    const out: ActiveFault[] = [];
    for (const [id, state] of this.faults) {
      if (isSpent(state, now)) {
        this.faults.delete(id);
        continue;
      }
      out.push({ id, spec: state.spec, injectedAt: state.since, fired: state.fired });
    }
    return out;
  }

  /** The first injected fault, in injection order, that applies to this request. */
  draw(
    provider: string | null,
    model: string,
    stream: boolean,
    now: number,
    random: Random,
  ): DrawnFault | null {
    for (const [id, state] of this.faults) {
      const { target } = state.spec;
      if (target.provider !== undefined && target.provider !== provider) continue;
      if (target.model !== undefined && target.model !== model) continue;
      if (faultApplies(state, stream, now, random)) return { id, fault: state.fault };
    }
    return null;
  }
}
