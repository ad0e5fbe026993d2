import { expect, test } from './fixtures';
import { goTo, screenshot, waitForReady } from './helpers';

test('a 3-column side-by-side run reads as a table with differences highlighted', async ({
  page,
}) => {
  await waitForReady(page);
  await goTo(page, '#/compare');
  await expect(page.locator('[data-compare-builder]')).toBeVisible();
  await page.locator('[data-field="column-0-model"]').selectOption('together/mistral-7b');
  await page.locator('[data-compare-column="1"] select').nth(0).selectOption('together/mistral-7b');
  await page.locator('[data-compare-column="1"] select').nth(1).selectOption('JSON_STRICT');
  await page.locator('[data-field="column-2-model"]').selectOption('together/llama-3.3-70b');
  await page.locator('[data-action="start-compare"]').click();

  const table = page.locator('[data-compare-run]');
  await expect(table).toHaveAttribute('data-compare-status', 'completed');
  await expect(table).toHaveAttribute('data-compare-columns', '3');
  await expect(table.locator('thead th')).toHaveCount(4);
  expect(Number(await table.getAttribute('data-compare-rows'))).toBeGreaterThan(0);
  await expect(table.locator('tbody tr[data-differs="true"]').first()).toBeVisible();
  await screenshot(page, 'compare');
});
