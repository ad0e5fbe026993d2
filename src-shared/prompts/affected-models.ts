export type PromptChange =
  | { kind: 'component'; taskId: string; component: string }
  | { kind: 'variant'; name: string }
  | { kind: 'override'; modelId: string };

/** How one model uses prompts: its task, its variant name and its id (for its override). */
export interface PromptUser {
  modelId: string;
  taskId: string;
  variant: string;
}

/**
 * The models whose composed prompt a change alters, sorted by id. Every model of a task uses
 * every component of that task, so a component change affects all of them; variants and
 * overrides match by exact name or id.
 */
export function affectedModels(change: PromptChange, users: readonly PromptUser[]): string[] {
  const hit = users.filter((user) => {
    switch (change.kind) {
      case 'component':
        return user.taskId === change.taskId;
      case 'variant':
        return user.variant === change.name;
      case 'override':
        return user.modelId === change.modelId;
    }
    return false;
  });
  return [...new Set(hit.map((user) => user.modelId))].sort();
}
