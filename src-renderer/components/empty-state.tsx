import type { ReactNode } from 'react';

/** Says what this page will show and the one thing to do next. */
export function EmptyState({
  title,
  children,
  action,
  testId,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="empty" data-empty={testId ?? true}>
      <h2>{title}</h2>
      <p>{children}</p>
      {action}
    </div>
  );
}
