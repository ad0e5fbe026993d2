import { readFile } from 'node:fs/promises';
import { ModelStatusFileSchema } from '../src-shared/domain/model-status-file';
import { expect, test } from './fixtures';
import { goTo, screenshot, waitForReady } from './helpers';

test('exporting model-status.json gives a valid file', async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/settings');
  await expect(page.locator('[data-settings-state="ready"]')).toBeVisible();
  await expect(page.locator('[data-provider="sim-together"]')).toBeVisible();
  await screenshot(page, 'settings');

  const downloading = page.waitForEvent('download');
  await page.locator('[data-action="export-status"]').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('model-status.json');
  const text = await readFile(await download.path(), 'utf8');
  // Valid by the schema downstream systems read (src-shared/domain/model-status-file.ts).
  const file = ModelStatusFileSchema.parse(JSON.parse(text));
  expect(Object.keys(file.models)).toHaveLength(42);
  expect(file.coverage.label).toMatch(/^0 of \d+ active models working/);
  await expect(page.locator('[data-exported="model-status.json"]')).toBeVisible();

  // Empty states of a new workspace say what to do next.
  await goTo(page, '#/compare');
  await expect(page.locator('[data-empty="compare"]')).toBeVisible();
  await screenshot(page, 'compare-empty');
  await goTo(page, '#/runs');
  await expect(page.locator('[data-empty="runs"]')).toBeVisible();
  await goTo(page, '#/prompts');
  await expect(page.locator('[data-empty="prompts"]')).toBeVisible();
  await screenshot(page, 'prompts');
});
