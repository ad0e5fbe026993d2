import { expect, test } from './fixtures';
import { goTo, openModelPage, screenshot, waitForReady } from './helpers';

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
  // mistral-7b on its own prompt wraps its JSON in prose (docs/simulator.md): 0% ok, said as
  // the grid says it, not as an "unknown" cost.
  await expect(table.locator('thead th', { hasText: / 0% ok/ }).first()).toContainText(
    'no success',
  );
  await expect(table.locator('thead')).not.toContainText('unknown');
  await screenshot(page, 'compare');
});

test('the fixtures box holds to the contract’s 1–50 before anything is sent', async ({ page }) => {
  await waitForReady(page);
  await goTo(page, '#/compare');
  await expect(page.locator('[data-compare-builder]')).toBeVisible();
  const fixtures = page.locator('[data-field="compare-fixtures"]');
  const start = page.locator('[data-action="start-compare"]');
  const problem = page.locator('[data-field-problem="fixtures"]');
  await expect(start).toBeEnabled();

  for (const value of ['', '0', '500', '2.5']) {
    await fixtures.fill(value);
    await expect(start).toBeDisabled();
    await expect(problem).toHaveText('Fixtures: enter a whole number from 1 to 50');
    await expect(fixtures).toHaveAttribute('aria-invalid', 'true');
    await expect(start).not.toContainText('× 0 fixtures');
  }
  await fixtures.fill('50');
  await expect(start).toBeEnabled();
  await expect(start).toContainText('× 50 fixtures');
  await expect(problem).toHaveCount(0);
});

test('a draft config is tried beside the current one, side by side, without becoming current', async ({
  page,
}) => {
  // mistral-7b wraps its JSON in prose on its own prompt, and answers clean under JSON_STRICT.
  const MODEL_ID = 'together/mistral-7b';
  await waitForReady(page);
  await openModelPage(page, MODEL_ID);
  await page.locator('[data-tab="config"]').click();
  const tryButton = page.locator('[data-action="try-config"]');
  await expect(tryButton).toBeDisabled();
  await page.locator('[data-field="promptVariant"]').selectOption('JSON_STRICT');
  await expect(tryButton).toHaveText('Try beside v1 without saving');
  await tryButton.click();

  const table = page.locator('[data-compare-run]');
  await expect(table).toHaveAttribute('data-compare-status', 'completed');
  await expect(table).toHaveAttribute('data-compare-columns', '2');
  await expect(table.locator('thead th').nth(1)).toContainText('v1 · BASE');
  await expect(table.locator('thead th').nth(2)).toContainText('v2 · JSON_STRICT');

  // The draft is a version of its own, and v1 is still the model's config.
  await openModelPage(page, MODEL_ID);
  await page.locator('[data-tab="history"]').click();
  await expect(page.locator('tr[data-version="2"]')).toContainText('not made current');
  await expect(page.locator('tr[data-version="2"] .tag')).toHaveText('trial');
  await expect(page.locator('tr[data-version="1"] .tag.ok')).toHaveText('current');
  await expect(page.locator('tr[data-version="2"] .tag.ok')).toHaveCount(0);
  // Adopting a trial is no roll "back": its action says what it does.
  await expect(page.locator('tr[data-version="2"] [data-action="rollback"]')).toHaveText('Make v2 current');
  // The diff opens on what the trial changes, current → trial (not the trial "undone").
  await expect(page.locator('[data-diff-from="1"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-diff-to="2"]')).toHaveAttribute('aria-pressed', 'true');
});
