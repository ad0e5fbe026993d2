import fs from 'node:fs';
import path from 'node:path';
import { formatPath } from '../../src-shared/domain';
import { InputError } from '../../src-shared/errors';
import {
  FixturesSchema,
  type TaskFile,
  TaskFileSchema,
  type TaskPack,
  TaskPackSchema,
  TASK_ID,
  unknownPlaceholders,
} from '../../src-shared/tasks';
import { resourcesDir } from '../paths';
import type { z } from 'zod';

const TASK_FILE = 'task.json';
const FIXTURES_FILE = 'fixtures.json';

function problemsOf(file: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const at = formatPath(issue.path);
    return `${file}${at === '' ? '' : ` ${at}`}: ${issue.message}`;
  });
}

function fail(problems: string[]): never {
  throw new InputError(problems.join('; '), problems);
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    fail([`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail([`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
}

function readText(dir: string, relative: string, owner: string): string {
  const file = path.resolve(dir, relative);
  if (path.relative(dir, file).startsWith('..'))
    fail([`${owner}: "${relative}" is outside the task folder`]);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    fail([`${owner}: cannot read "${relative}" (${file})`]);
  }
}

/** The folder of every task pack; tests and the simulator may point elsewhere. */
export function taskPacksDir(): string {
  return resourcesDir('tasks');
}

/**
 * Loads `resources/tasks/<id>/`: task.json, its component and template files and fixtures.json,
 * validated with the shared schemas. Problems name the file and the field; throws InputError.
 */
export function loadTaskPack(id: string, root: string = taskPacksDir()): TaskPack {
  if (!TASK_ID.test(id)) fail([`"${id}" is not a task id (lowercase letters, digits and -)`]);
  const dir = path.join(root, id);
  const taskPath = path.join(dir, TASK_FILE);
  if (!fs.existsSync(taskPath)) fail([`unknown task "${id}": no ${taskPath}`]);
  const parsedTask = TaskFileSchema.safeParse(readJsonFile(taskPath));
  if (!parsedTask.success) fail(problemsOf(taskPath, parsedTask.error));
  const task: TaskFile = parsedTask.data;
  const problems: string[] = [];
  if (task.id !== id)
    problems.push(`${taskPath} id: "${task.id}" does not match its folder "${id}"`);
  const components = Object.entries(task.components).map(([key, relative]) => ({
    key,
    text: readText(dir, relative, `${taskPath} components.${key}`),
  }));
  const userTemplate = readText(dir, task.userTemplate, `${taskPath} userTemplate`);
  for (const name of unknownPlaceholders(userTemplate)) {
    problems.push(`${path.join(dir, task.userTemplate)}: unknown placeholder {{${name}}}`);
  }
  if (!userTemplate.includes('{{matches}}')) {
    problems.push(
      `${path.join(dir, task.userTemplate)}: the template must list the matches with {{matches}}`,
    );
  }
  const fixturesPath = path.join(dir, FIXTURES_FILE);
  const fixtures = FixturesSchema.safeParse(readJsonFile(fixturesPath));
  if (!fixtures.success) problems.push(...problemsOf(fixturesPath, fixtures.error));
  for (const field of [task.quality.homeField, task.quality.awayField]) {
    if (!task.output.fields.some((entry) => entry.name === field && entry.type === 'integer')) {
      problems.push(`${taskPath} quality: "${field}" is not an integer field of the output`);
    }
  }
  if (problems.length > 0 || !fixtures.success) fail(problems);
  const { components: _files, userTemplate: _template, ...rest } = task;
  return TaskPackSchema.parse({ ...rest, components, userTemplate, fixtures: fixtures.data });
}

/** Ids of the task packs in the folder (those with a task.json), sorted. */
export function listTaskPacks(root: string = taskPacksDir()): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, entry.name, TASK_FILE)))
    .map((entry) => entry.name)
    .sort();
}
