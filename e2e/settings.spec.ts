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

test('the budget form refuses an empty box instead of saving a $0 hard cap', async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/settings');
  await expect(page.locator('[data-settings-state="ready"]')).toBeVisible();
  const daily = page.locator('[data-field="budget-dailyUsd"]');
  await expect(daily).toHaveValue('5');

  await daily.fill('');
  await page.locator('[data-field="budget-fallbackCostCeiling"]').fill('');
  await page.locator('[data-action="save-budget"]').click();
  await expect(page.locator('[data-field-problem="dailyUsd"]')).toHaveText(
    'daily budget is required; enter an amount in USD',
  );
  await expect(page.locator('[data-field-problem="fallbackCostCeiling"]')).toContainText(
    'fallback cost ceiling is required',
  );
  await expect(daily).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('[data-budget-saved]')).toHaveCount(0);

  // Nothing was saved: the settings read back from main still hold the $5 cap.
  await goTo(page, '#/fleet');
  await goTo(page, '#/settings');
  await expect(page.locator('[data-settings-state="ready"]')).toBeVisible();
  await expect(daily).toHaveValue('5');

  // An optional box may stay empty; an amount beyond the contract's bounds may not.
  await page.locator('[data-field="budget-runUsd"]').fill('-1');
  await page.locator('[data-action="save-budget"]').click();
  await expect(page.locator('[data-field-problem="runUsd"]')).toContainText('from 0 to');
  await page.locator('[data-field="budget-runUsd"]').fill('');
  await daily.fill('7.5');
  await page.locator('[data-action="save-budget"]').click();
  await expect(page.locator('[data-budget-saved]')).toBeVisible();
  await expect(page.locator('[data-field-problem]')).toHaveCount(0);
  // Saved in main: read back after leaving the page.
  await goTo(page, '#/fleet');
  await goTo(page, '#/settings');
  await expect(page.locator('[data-settings-state="ready"]')).toBeVisible();
  await expect(daily).toHaveValue('7.5');
  await screenshot(page, 'settings-budget');
});

test('a model-status.json that is not JSON shows the refusal only', async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/settings');
  await expect(page.locator('[data-settings-state="ready"]')).toBeVisible();
  await page.locator('[data-field="import-status"]').setInputFiles({
    name: 'model-status.json',
    mimeType: 'application/json',
    buffer: Buffer.from('this is not { json'),
  });
  const preview = page.locator('[data-status-import="problems"]');
  await expect(preview).toContainText('is not valid JSON');
  await expect(preview).toContainText('refused (nothing imported)');
  await expect(preview).not.toContainText('what would change');
  await expect(preview).not.toContainText('No changes');
});

test('a link to a run that does not exist says so and leads back to Runs', async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/runs/run-that-never-was');
  const missing = page.locator('[data-run-missing="run-that-never-was"]');
  await expect(missing).toContainText('does not exist (or it was deleted)');
  await expect(missing).not.toContainText('reload the fleet');
  await missing.getByRole('link', { name: 'Back to Runs' }).click();
  await expect(page.locator('[data-empty="runs"]')).toBeVisible();
  await expect(page.locator('.inline-error')).toHaveCount(0);
});
