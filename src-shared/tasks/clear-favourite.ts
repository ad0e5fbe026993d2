import type { Fixture } from './task-pack';

export type Side = 'home' | 'away';

/**
 * The side a careful pundit would call the favourite: the stronger team when the strength gap is
 * at least `margin` points. Home advantage is deliberately not counted, so "clear" stays clear.
 */
export function clearFavourite(fixture: Fixture, margin: number): Side | undefined {
  const gap = fixture.home.strength - fixture.away.strength;
  if (gap >= margin) return 'home';
  if (-gap >= margin) return 'away';
  return undefined;
}
