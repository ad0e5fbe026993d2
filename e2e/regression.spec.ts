import { expect, test } from './fixtures';
import { canary, goTo, screenshot, waitForReady } from './helpers';

const MODEL = 'together/mistral-7b';

test('editing a prompt variant shows the plan, runs the gate, shows the regression and rolls back', async ({
  page,
}) => {
  await waitForReady(page);

  // mistral-7b needs JSON_STRICT (docs/simulator.md): give it that variant first.
  await goTo(page, `#/model/${encodeURIComponent(MODEL)}`);
  await expect(page.locator('.page[data-page="model"][data-model-state="ready"]')).toBeVisible();
  await page.locator('[data-field="promptVariant"]').selectOption('JSON_STRICT');
  await expect(page.locator('.diff')).toContainText('JSON_STRICT');
  await page
    .locator('[data-field="note"]')
    .fill('mistral-7b wraps its JSON in prose: ask for JSON only');
  await page.locator('[data-action="save-config"]').click();
  await expect(page.locator('[data-saved-version]')).toBeVisible();
  await canary(page, [MODEL]);

  // Drop the key sentence of JSON_STRICT.
  await goTo(page, '#/prompts?kind=variant&name=JSON_STRICT');
  const editor = page.locator('[data-editor="prompt"] .cm-content');
  await expect(editor).toContainText('Reply with the JSON only.');
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(
    'No Markdown code fences, no explanation, no text before or after the JSON.',
  );
  await expect(page.locator('[data-diff-changes]')).not.toHaveAttribute('data-diff-changes', '0');

  await page.locator('[data-action="review-prompt"]').click();
  const plan = page.locator('[data-plan-blast]');
  await expect(plan).toBeVisible();
  await expect(plan).toContainText(MODEL);
  await page.locator('[data-field="prompt-note"]').fill('shorter JSON_STRICT');
  await screenshot(page, 'prompts-plan');
  await page.locator('[data-action="save-and-regress"]').click();

  const gate = page.locator('[data-regression-status]');
  await expect(gate).toHaveAttribute('data-regression-status', 'regressed');
  await expect(page.locator(`[data-regression-model="${MODEL}"]`)).toHaveAttribute(
    'data-verdict',
    'regression',
  );
  // It regressed by failing to answer, not by a quality check: no warning line.
  await expect(
    page.locator(`[data-regression-model="${MODEL}"] [data-regression-warnings]`),
  ).toHaveCount(0);
  await screenshot(page, 'prompts-regression');

  await page.locator('[data-action="rollback-regression"]').click();
  await expect(page.locator('[data-rolled-back]')).toHaveAttribute(
    'data-rolled-back',
    /^variant:JSON_STRICT:\d+$/,
  );
  await expect(editor).toContainText('Reply with the JSON only.');
  await screenshot(page, 'prompts-rolled-back');
});

test('a gate row says which quality check a model failed while its answers still parse', async ({
  page,
}) => {
  // llama-3.2-3b answers valid JSON, always 1-0 (docs/simulator.md): only the quality check sees it.
  const STUCK = 'together/llama-3.2-3b';
  await waitForReady(page);
  await goTo(page, `#/model/${encodeURIComponent(STUCK)}`);
  await expect(page.locator('.page[data-page="model"][data-model-state="ready"]')).toBeVisible();
  await page.locator('[data-field="timeoutMs"]').fill('12000');
  await page
    .locator('[data-field="note"]')
    .fill('more time, to see whether it stops answering 1-0');
  await page.locator('[data-action="save-config"]').click();
  await expect(page.locator('[data-saved-version]')).toBeVisible();
  await page.locator('[data-action="run-model-regression"]').click();
  await page.locator('a[data-regression-run]').click();

  const gate = page.locator('[data-regression-status]');
  await expect(gate).toHaveAttribute('data-regression-status', /^(passed|regressed)$/);
  const row = page.locator(`[data-regression-model="${STUCK}"]`);
  await expect(row.locator('[data-regression-warnings]')).toContainText(
    /answered 1-0 for \d+ of \d+ fixtures/,
  );
  await screenshot(page, 'regression-quality-warning');
});
