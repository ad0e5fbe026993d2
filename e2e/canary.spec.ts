import { expect, test } from './fixtures';
import { goTo, screenshot, waitForReady } from './helpers';

test('a one-click canary updates the rows live, without a reload', async ({ page }) => {
  await waitForReady(page);
  await page.locator('[data-fleet-search]').fill('^together/(qwen|llama)');
  const rows = page.locator('[role="row"][data-model-id]');
  await expect(page.locator('[data-grid-rows]')).not.toHaveAttribute('data-grid-rows', '0');
  const shown = Number(await page.locator('[data-grid-rows]').getAttribute('data-grid-rows'));
  await page.getByRole('button', { name: `Select ${shown} shown` }).click();
  await expect(page.locator('[data-action="canary"]')).toHaveText(`Canary ${shown} selected`);
  await expect(rows.first()).toHaveAttribute('data-row-status', 'untested');
  await page.locator('[data-action="canary"]').click();

  // Results stream in, pushed by main: every row counts its calls and says where it stands
  // ("validating: 1 of 3 clean canaries") once its run is over.
  for (let index = 0; index < shown; index++) {
    await expect(rows.nth(index)).not.toHaveAttribute('data-row-calls', '0');
    await expect(rows.nth(index)).toHaveAttribute('data-row-running', 'false');
  }
  await expect(rows.first().locator('.reason')).not.toBeEmpty();
  // One clean canary of three: still untested in the data, but its chip says it was tested.
  await expect(page.locator('[role="row"] .chip[data-status="untested"]').first()).toHaveText('Validating');
  await screenshot(page, 'fleet-after-canary');

  // Runs page: the run completed, with its calls.
  await goTo(page, '#/runs');
  const run = page.locator('[data-run-kind="canary"]').first();
  await expect(run).toHaveAttribute('data-run-status', 'completed');
  await screenshot(page, 'runs');
  await run.locator('a').first().click();
  await expect(page.locator('[data-run-detail]')).toHaveAttribute('data-run-status', 'completed');
  await screenshot(page, 'run-detail');
});

test('the canary button counts selected rows the filter hides', async ({ page }) => {
  await waitForReady(page);
  const button = page.locator('[data-action="canary"]');
  await page.locator('[data-fleet-search]').fill('^together/(qwen|llama)');
  const rows = page.locator('[role="row"][data-model-id]');
  await rows.nth(0).locator('input[type="checkbox"]').check();
  await rows.nth(1).locator('input[type="checkbox"]').check();
  await expect(button).toHaveText('Canary 2 selected');
  await page.locator('[data-fleet-search]').fill('^synthetic/');
  await expect(button).toHaveText('Canary 2 selected (2 hidden by the filter)');
  await rows.nth(0).locator('input[type="checkbox"]').check();
  await expect(button).toHaveText('Canary 3 selected (2 hidden by the filter)');
});

test('a run of more than 200 calls lists the newest 200, then older ones on request', async ({ page }) => {
  await waitForReady(page);
  await expect(page.locator('[data-action="canary"]')).toHaveText('Canary all active');
  await page.locator('[data-action="canary"]').click();
  await goTo(page, '#/runs');
  const run = page.locator('[data-run-kind="canary"]').first();
  await expect(run).toHaveAttribute('data-run-status', 'completed', { timeout: 20_000 });
  await run.locator('a').first().click();
  const heading = page.locator('[data-run-detail] h2', { hasText: 'Calls (' });
  await expect(heading).toHaveText('Calls (200, newest 200)');
  await page.locator('[data-action="older-calls"]').click();
  // 42 models x 5 fixtures, with retries and fallbacks: more than 200 attempts, fewer than 400.
  await expect(heading).toHaveText(/^Calls \((2\d\d|3\d\d)\)$/);
  await expect(page.locator('[data-action="older-calls"]')).toHaveCount(0);
});
