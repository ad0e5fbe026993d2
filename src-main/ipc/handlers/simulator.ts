import { InputError } from '../../../src-shared/errors';
import type { RunningSimulator } from '../../simulator';
import type { Handler, HandlerDeps } from '../types';

function simulatorOf({ host }: HandlerDeps): RunningSimulator {
  if (!host.simulator) {
    throw new InputError(
      'this workspace has no simulated providers, so there is no built-in simulator to drill: import the simulated fleet (fleetdeck init --force) to use fault drills',
    );
  }
  return host.simulator;
}

export const listFaults: Handler<'simulator.faults'> = async (_input, deps) =>
  simulatorOf(deps)
    .listFaults()
    .map((fault) => ({ id: fault.id, spec: fault.spec, fired: fault.fired }));

export const injectFault: Handler<'simulator.inject'> = async (input, deps) => ({
  id: simulatorOf(deps).injectFault(input.spec),
});

export const clearFaults: Handler<'simulator.clear'> = async (input, deps) => ({
  cleared: simulatorOf(deps).clearFaults(input.id === undefined ? {} : { id: input.id }),
});
