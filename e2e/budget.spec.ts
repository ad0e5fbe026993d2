import { expect, test } from './fixtures';
import { canary, goTo, screenshot, waitForReady } from './helpers';

const STREAMED = 'together/llama-3.3-70b';

test("the budget page's charts render with data after a canary", async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/budget');
  await expect(page.locator('[data-budget-state="ready"]')).toBeVisible();
  // A new workspace has no calls: every chart says so instead of drawing empty axes.
  for (const chart of ['spend-daily', 'timeout-tiers', 'ttft'])
    await expect(page.locator(`[data-chart="${chart}"]`)).toHaveAttribute('data-chart-points', '0');

  // Time to first token is measured on streamed calls: stream one of the canaried models.
  await goTo(page, `#/model/${encodeURIComponent(STREAMED)}`);
  await expect(page.locator('.page[data-page="model"][data-model-state="ready"]')).toBeVisible();
  await page.locator('[data-field="stream"]').check();
  await page.locator('[data-field="note"]').fill('stream to measure time to first token');
  await page.locator('[data-action="save-config"]').click();
  await expect(page.locator('[data-saved-version]')).toBeVisible();

  await canary(page, [
    'together/llama-3.3-70b',
    'together/qwen-2.5-72b',
    'together/mistral-7b',
    'synthetic/glm-4.7',
  ]);
  await goTo(page, '#/budget?days=7&volume=25000');
  await expect(page.locator('[data-budget-state="ready"]')).toBeVisible();
  for (const chart of [
    'spend-daily',
    'spend-by-model',
    'cost-per-success',
    'tokens',
    'timeout-tiers',
    'ttft',
    'projection',
  ]) {
    const frame = page.locator(`[data-chart="${chart}"]`);
    await expect(frame).not.toHaveAttribute('data-chart-points', '0');
    await expect(frame.locator('.recharts-bar-rectangle').first()).toBeVisible();
  }
  await expect(page.locator('[data-chart="spend-daily"]')).toContainText('UTC');
  await expect(page.locator('[data-chart="projection"]')).toContainText('25,000 predictions a day');
  await screenshot(page, 'budget');
});
