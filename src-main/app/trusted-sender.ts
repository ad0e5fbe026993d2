import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Whether an IPC message comes from the console page itself: the frame's URL must be the
 * renderer's own index.html (file://, packaged) or the electron-vite dev server's origin — never
 * another file, a remote page, or a sub-frame (the caller passes `isMainFrame`).
 */
export function isAppUrl(
  url: string | undefined,
  app: { rendererFile: string; devUrl?: string | undefined },
): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (app.devUrl) {
    try {
      return parsed.origin === new URL(app.devUrl).origin;
    } catch {
      return false;
    }
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  try {
    return path.resolve(fileURLToPath(parsed)) === path.resolve(app.rendererFile);
  } catch {
    return false;
  }
}

/** External links open only for https URLs on these hosts (docs and provider consoles). */
export const EXTERNAL_ALLOW_LIST = [
  'github.com',
  'platform.openai.com',
  'api.together.ai',
  'docs.together.ai',
  'openrouter.ai',
  'console.groq.com',
  'docs.fireworks.ai',
  'electronjs.org',
];

export function isAllowedExternal(
  url: string,
  allowList: readonly string[] = EXTERNAL_ALLOW_LIST,
): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.username === '' &&
      parsed.password === '' &&
      allowList.includes(parsed.hostname)
    );
  } catch {
    return false;
  }
}

/** The part of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  url: string;
}

/**
 * An IPC call is trusted only from the window's main frame (never a sub-frame, a destroyed
 * frame or another window) while it shows the app's own page.
 */
export function isTrustedFrame(
  frame: FrameLike | null | undefined,
  mainFrame: FrameLike | undefined,
  app: { rendererFile: string; devUrl?: string | undefined },
): boolean {
  return (
    frame !== null &&
    frame !== undefined &&
    mainFrame !== undefined &&
    frame === mainFrame &&
    isAppUrl(frame.url, app)
  );
}
