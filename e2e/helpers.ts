import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

// __dirname, not import.meta: Playwright compiles specs to CommonJS, and Node 20.19 reads a file
// with import.meta in it as an ES module ("exports is not defined in ES module scope").
const screenshots = join(__dirname, 'screenshots');

/** Every spec saves what the operator saw (e2e/screenshots/, git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  // The page scrolls inside the shell's main pane, not the body: grow the viewport to show it all.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.querySelector('.main')?.scrollHeight ?? 0);
  if (viewport && height > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height: Math.min(height, 4000) });
  }
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
  if (viewport) await page.setViewportSize(viewport);
}

/** Navigates by hash (keeping serve's token in the query) and waits for the app to be ready. */
export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => {
    window.location.hash = target;
  }, hash);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
}

/** Opens a model's page and waits until its detail has loaded. */
export async function openModelPage(page: Page, modelId: string): Promise<void> {
  await goTo(page, `#/model/${encodeURIComponent(modelId)}`);
  await expect(page.locator('.page[data-page="model"][data-model-state="ready"]')).toBeVisible();
}

export async function waitForReady(page: Page): Promise<void> {
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
}

/** Shows one model's row in the virtualised grid by searching for its exact id. */
export async function showRow(page: Page, modelId: string) {
  await page
    .locator('[data-fleet-search]')
    .fill(`^${modelId.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
  const row = page.locator(`[data-model-id="${modelId}"]`);
  await expect(row).toBeVisible();
  return row;
}

/** Runs a canary from the fleet page on the given models and waits until the run completed. */
export async function canary(page: Page, modelIds: string[]): Promise<void> {
  await goTo(page, '#/fleet');
  await page
    .locator('[data-fleet-search]')
    .fill(modelIds.map((id) => `^${id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`).join('|'));
  await expect(page.locator('[data-grid-rows]')).toHaveAttribute(
    'data-grid-rows',
    String(modelIds.length),
  );
  for (const id of modelIds)
    await page.locator(`[data-model-id="${id}"] input[type="checkbox"]`).check();
  await page.locator('[data-action="canary"]').click();
  await goTo(page, '#/runs');
  await expect(page.locator('[data-run-kind="canary"]').first()).toHaveAttribute(
    'data-run-status',
    'completed',
  );
}
