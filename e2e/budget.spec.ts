import { expect, test } from './fixtures';
import { canary, goTo, screenshot, waitForReady } from './helpers';

test("the budget page's charts render with data after a canary", async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/budget');
  await expect(page.locator('[data-budget-state="ready"]')).toBeVisible();
  await expect(page.locator('[data-chart="spend-daily"]')).toHaveAttribute(
    'data-chart-points',
    '0',
  );

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
