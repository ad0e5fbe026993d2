import type { ReactNode } from 'react';

/**
 * A chart card that always states its window, time zone and what it aggregates, and says so in
 * words when there is nothing to draw yet.
 */
export function ChartFrame({
  id,
  title,
  caption,
  points,
  empty,
  children,
  height = 240,
}: {
  id: string;
  title: string;
  caption: string;
  points: number;
  empty: string;
  children: ReactNode;
  height?: number;
}) {
  return (
    <section className="card" data-chart={id} data-chart-points={points} aria-label={title}>
      <h2>{title}</h2>
      <div className="chart-caption">{caption}</div>
      {points === 0 ? (
        <div
          className="muted small"
          style={{ height, display: 'grid', placeItems: 'center', textAlign: 'center' }}
        >
          {empty}
        </div>
      ) : (
        <div style={{ height }}>{children}</div>
      )}
    </section>
  );
}
