import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

const WindowStateSchema = z.object({
  x: z.int(),
  y: z.int(),
  width: z.int().min(200).max(20_000),
  height: z.int().min(200).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_SIZE = { width: 1440, height: 900 };
const WINDOW_STATE_FILE = 'window-state.json';
/** At least this much of the title bar must be on a display for the window to be reachable. */
const MIN_VISIBLE = 100;

export function loadWindowState(dataDir: string): WindowState | undefined {
  try {
    return WindowStateSchema.parse(
      JSON.parse(fs.readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8')),
    );
  } catch {
    return undefined;
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, WINDOW_STATE_FILE), `${JSON.stringify(state)}\n`);
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * The bounds to open the window with: the saved ones when their title bar is on one of today's
 * displays (monitors get unplugged), else the default size centred on the primary work area;
 * never larger than the display it lands on.
 */
export function restoreBounds(
  saved: WindowState | undefined,
  workAreas: readonly Rectangle[],
  primary: Rectangle,
): Rectangle & { maximized: boolean } {
  const centred = (area: Rectangle) => {
    const width = Math.min(DEFAULT_SIZE.width, area.width);
    const height = Math.min(DEFAULT_SIZE.height, area.height);
    return {
      x: area.x + Math.round((area.width - width) / 2),
      y: area.y + Math.round((area.height - height) / 2),
      width,
      height,
    };
  };
  if (!saved) return { ...centred(primary), maximized: false };
  const titleBar: Rectangle = { x: saved.x, y: saved.y, width: saved.width, height: 40 };
  const home = workAreas.find((area) => {
    const shared = overlap(titleBar, area);
    return shared.width >= Math.min(MIN_VISIBLE, saved.width) && shared.height > 0;
  });
  if (!home) return { ...centred(primary), maximized: saved.maximized };
  return {
    x: saved.x,
    y: saved.y,
    width: Math.min(saved.width, home.width),
    height: Math.min(saved.height, home.height),
    maximized: saved.maximized,
  };
}
