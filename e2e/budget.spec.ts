import { expect, test } from './fixtures';
import { canary, goTo, openModelPage, screenshot, waitForReady } from './helpers';

const STREAMED = 'together/llama-3.3-70b';
const LONG_ID = 'together/qwen-2.5-coder-32b';

test("the budget page's charts render with data after a canary", async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/budget');
  await expect(page.locator('[data-budget-state="ready"]')).toBeVisible();
  // A new workspace has no calls: every chart says so instead of drawing empty axes.
  for (const chart of ['spend-daily', 'timeout-tiers', 'ttft'])
    await expect(page.locator(`[data-chart="${chart}"]`)).toHaveAttribute('data-chart-points', '0');
  // With no spend at all there is no scale for the budget to be off.
  await expect(page.locator('[data-chart="spend-daily"]')).toContainText('no spend yet');
  await expect(page.locator('[data-chart="spend-daily"]')).not.toContainText('off this scale');

  // Time to first token is measured on streamed calls: stream one of the canaried models.
  await openModelPage(page, STREAMED);
  await page.locator('[data-field="stream"]').check();
  await page.locator('[data-field="note"]').fill('stream to measure time to first token');
  await page.locator('[data-action="save-config"]').click();
  await expect(page.locator('[data-saved-version]')).toBeVisible();

  await canary(page, [
    'together/llama-3.3-70b',
    'together/qwen-2.5-72b',
    'together/mistral-7b',
    'synthetic/glm-4.7',
    // Longer than an axis tick shows: the tooltip names it in full.
    LONG_ID,
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

  // Hovering each bar of "Spend by model" in the dark theme: full ids, a themed hover band.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('[data-theme="dark"]').first()).toBeAttached();
  const byModel = page.locator('[data-chart="spend-by-model"]');
  const bars = byModel.locator('.recharts-bar-rectangle');
  // The hover band is the dark theme's --chart-cursor, not recharts' light grey (#ccc).
  const darkCursor = await page.evaluate(() =>
    getComputedStyle(document.querySelector('[data-theme="dark"]') ?? document.body)
      .getPropertyValue('--chart-cursor')
      .trim(),
  );
  expect(darkCursor).not.toBe('');
  const labels: string[] = [];
  for (let index = 0; index < (await bars.count()); index += 1) {
    await bars.nth(index).hover();
    const label = byModel.locator('.recharts-tooltip-label');
    await expect(label).toBeVisible();
    labels.push((await label.textContent()) ?? '');
    await expect(byModel.locator('.recharts-tooltip-cursor')).toHaveAttribute('fill', darkCursor);
  }
  expect(labels).toContain(LONG_ID);
  expect(labels.filter((label) => label.includes('…'))).toEqual([]);
  await screenshot(page, 'budget-dark-hover');
});
