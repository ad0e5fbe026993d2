import { Command, CommanderError, Option } from 'commander';
import { InputError, NotFoundError } from '../../src-shared/errors';
import { type CliContext, EXIT, resolveDataDir, UsageError } from './context';

/**
 * Every command is registered here, in one visible block; each action loads its module under
 * ./commands only when it runs (a plain `require`, which the bundle and tsx both keep lazy), so
 * `fleetdeck --help` loads nothing heavy.
 */
export function buildProgram(context: Omit<CliContext, 'dataDir'>, setExit: (code: number) => void): Command {
  const program = new Command('fleetdeck');
  const version = (require('../../package.json') as { version: string }).version;
  program
    .description('Keep a fleet of LLMs producing valid structured output for one task.')
    .version(version, '-v, --version')
    .option('--data-dir <dir>', 'workspace folder (default: $FLEETDECK_DATA_DIR, else the OS app-data folder)')
    .showHelpAfterError('(run fleetdeck --help for usage)')
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .exitOverride();

  const withContext = (): CliContext => ({
    ...context,
    dataDir: resolveDataDir(program.opts<{ dataDir?: string }>().dataDir, context.env),
  });
  const action =
    <T>(load: () => Promise<(options: T, context: CliContext) => Promise<number>>) =>
    async (options: T): Promise<void> => {
      const run = await load();
      setExit(await run(options, withContext()));
    };

  program
    .command('init')
    .description('create a workspace with the default task and the built-in simulated fleet')
    .option('--force', 're-import the simulated fleet into an existing workspace (its models, the task and the budget go back to the shipped settings; inactive models become active)')
    .action(action(async () => (require('./commands/init') as typeof import('./commands/init')).runInit));

  const fleet = program.command('fleet').description('import or export a fleet file (providers, models, configs, budget)');
  fleet
    .command('import <file>')
    .description('import a fleet file: all of it, or nothing if any problem is found')
    .action(async (file: string) => {
      const { runFleetImport } = require('./commands/fleet') as typeof import('./commands/fleet');
      setExit(await runFleetImport({ file }, withContext()));
    });
  fleet
    .command('export <file>')
    .description('write the workspace fleet as a fleet file (v1)')
    .action(async (file: string) => {
      const { runFleetExport } = require('./commands/fleet') as typeof import('./commands/fleet');
      setExit(await runFleetExport({ file }, withContext()));
    });

  program
    .command('status')
    .description('show every model with its status, config version and coverage')
    .option('--json', 'print one JSON object')
    .action(action(async () => (require('./commands/status') as typeof import('./commands/status')).runStatus));

  program
    .command('parse')
    .description('read one raw model reply from stdin and print the parsed answer or the error')
    .requiredOption('--task <id>', 'task pack id, e.g. football-score')
    .option('--handler <handler>', 'strict, auto, or comma-separated steps', 'auto')
    .option('--fixtures <ids>', 'batch tasks: the comma-separated fixture ids the reply must answer')
    .action(action(async () => (require('./commands/parse') as typeof import('./commands/parse')).runParse));

  const prompt = program.command('prompt').description('inspect composed prompts');
  prompt
    .command('show')
    .description("print the composed prompt for a model (task components + variant + the model's override)")
    .requiredOption('--model <id>', 'exact model id')
    .option('--fixture <id>', 'fixture to fill the user prompt with (default: the first)')
    .option('--json', 'print {system, user} as JSON')
    .action(async (options: { model: string; fixture?: string; json?: boolean }) => {
      const { runPromptShow } = require('./commands/prompt') as typeof import('./commands/prompt');
      setExit(await runPromptShow(options, withContext()));
    });
  prompt
    .command('save <prompt>')
    .description('save a new version of variant:NAME or component:KEY from a file (refused if the prompt would be invalid)')
    .option('--file <file>', 'the new text')
    .option('--note <text>', 'what this change tries (required)')
    .action(async (target: string, options: { file?: string; note?: string }) => {
      const { runPromptSave } = require('./commands/config') as typeof import('./commands/config');
      setExit(await runPromptSave({ target, ...options }, withContext()));
    });

  program
    .command('simulate')
    .description('run the simulated misbehaving fleet as an OpenAI-compatible server on 127.0.0.1')
    .option('--port <n>', 'port (default: a free one)')
    .option('--fleet <file>', 'simulator profile file (default: the built-in fleet)')
    .option('--seed <s>', 'seed for replies and faults', '1')
    .option('--key <k>', 'require this bearer key')
    .option('--latency-scale <x>', 'multiply every simulated latency (0: answer at once)', '1')
    .action(action(async () => (require('./commands/simulate') as typeof import('./commands/simulate')).runSimulate));
  program
    .command('simulate-fault')
    .description('inject, list or clear faults in a running simulator ("503 for 60s on sim-together")')
    .requiredOption('--url <url>', 'the simulator URL printed by fleetdeck simulate')
    .option('--key <k>', "the simulator's bearer key")
    .option(
      '--kind <kind>',
      '429, 500, 502, 503, 529, 404, 401, context-length, content-policy, reset, hang, slow-first-token, stall, cut, malformed-sse, missing-done, missing-finish-reason',
    )
    .option('--provider <id>', 'only this simulated provider')
    .option('--model <id>', 'only this provider model id')
    .option('--for <duration>', 'outage window length, e.g. 60s')
    .option('--after <duration>', 'start after this long, e.g. 10s')
    .option('--rate <r>', 'chance per matching request, 0-1 (default 1)')
    .option('--count <n>', 'only the first n matching requests')
    .option('--retry-after <duration>', '429: when to come back, e.g. 2s')
    .option('--retry-after-form <form>', '429: seconds, date or ms (retry-after-ms)')
    .option('--delay <duration>', 'slow-first-token delay or stall length, e.g. 20s')
    .option('--id <id>', 'with --clear: only this fault')
    .option('--clear', 'clear faults (all, or those matching --provider/--model/--id)')
    .option('--list', 'list active faults')
    .action(
      action(async () => (require('./commands/simulate') as typeof import('./commands/simulate')).runSimulateFault),
    );

  program
    .command('canary')
    .description('send N fixtures to models through the real engine; exit 1 unless every fixture is answered')
    .option('--all', 'every active model')
    .option('--models <ids>', 'comma-separated exact model ids')
    .option('--fixtures <n>', 'fixtures per model (default 5)')
    .option('--concurrency <n>', 'items in flight (default 8)')
    .option('--json', 'print one JSON object on stdout')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--resume <runId>', 'resume an interrupted run (only unfinished items are sent)')
    .action(action(async () => (require('./commands/canary') as typeof import('./commands/canary')).runCanaryCommand));

  program
    .command('regress')
    .description('regression gate: test a change against its blast radius; exit 1 on any regression')
    .option('--change <change>', 'variant:NAME[@N], component:KEY[@N] or model:ID[@N] (default: the newest change not yet gated)')
    .option('--fixtures <n>', 'fixtures per model (default 5)')
    .option('--json', 'print one JSON object on stdout')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--rollback <run>', 'undo the change gate run RUN tested: a new version equal to the one before it')
    .action(action(async () => (require('./commands/regress') as typeof import('./commands/regress')).runRegressCommand));

  program
    .command('compare')
    .description('side-by-side run: 2-6 columns, each a model at a config version or with a prompt variant')
    .option('--columns <list>', 'comma-separated ID[@vN][#VARIANT], e.g. m1@v3,m1@v4,m2#JSON_STRICT')
    .option('--fixtures <n>', 'fixtures (default 10)')
    .option('--json', 'print one JSON object on stdout')
    .action(action(async () => (require('./commands/compare') as typeof import('./commands/compare')).runCompareCommand));

  program
    .command('soak')
    .description('repeated canaries at production-like concurrency: drift in latency and time to first token, failures, memory')
    .option('--duration <d>', 'how long, e.g. 10m')
    .option('--models <ids>', 'comma-separated exact model ids (default: every active model)')
    .option('--fixtures <n>', 'fixtures per model per round (default 3)')
    .option('--concurrency <n>', 'items in flight (default 8)')
    .option('--interval <d>', 'pause between rounds, e.g. 30s')
    .option('--max-failure-rate <r>', 'exit 1 above this failure rate, 0-1 (default 0.1)')
    .option('--json', 'print one JSON object on stdout')
    .action(action(async () => (require('./commands/soak') as typeof import('./commands/soak')).runSoakCommand));

  program
    .command('check')
    .description("model-id check: each provider's served models, ids it no longer serves, one sanity prompt per model")
    .option('--models <ids>', 'comma-separated exact model ids (default: every active model)')
    .option('--json', 'print one JSON object on stdout')
    .action(action(async () => (require('./commands/check') as typeof import('./commands/check')).runCheckCommand));

  program
    .command('export-status <file>')
    .description('write model-status.json (docs/model-status.md) atomically')
    .action(async (file: string) => {
      const { runExportStatus } = require('./commands/status-file') as typeof import('./commands/status-file');
      setExit(await runExportStatus({ file }, withContext()));
    });

  program
    .command('import-status <file>')
    .description('read model-status.json: show the diff (--dry-run) or apply it, all or nothing')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--json', 'print one JSON object on stdout')
    .action(async (file: string, options: { dryRun?: boolean; json?: boolean }) => {
      const { runImportStatus } = require('./commands/status-file') as typeof import('./commands/status-file');
      setExit(await runImportStatus({ file, ...options }, withContext()));
    });

  program
    .command('estimate')
    .description('expected and worst-case time and cost of one prediction from every active model; exit 1 past the window')
    .option('--window <minutes>', 'the window one fleet pass must fit in, for this estimate (default: the saved window, else 30)')
    .option('--save', 'save the --window as the operator\'s window for later estimates')
    .option('--concurrency <n>', 'items in flight (default 8)')
    .option('--json', 'print one JSON object on stdout')
    .action(action(async () => (require('./commands/estimate') as typeof import('./commands/estimate')).runEstimateCommand));

  const config = program.command('config').description("versioned model configs: every change is a fix attempt with a note");
  config
    .command('set <model>')
    .description('save a new config version (then gate it with fleetdeck regress)')
    .option('--variant <name>', 'prompt variant')
    .option('--timeout <ms>', 'timeout in ms (ceiling 60000, 90000 for premium models)')
    .option('--handler <handler>', 'strict, auto, or comma-separated steps')
    .option('--fallback <id>', 'exact fallback model id, or none')
    .option('--note <text>', 'what this fix attempt tries (required)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (model: string, options: Omit<import('./commands/config').ConfigSetOptions, 'model'>) => {
      const { runConfigSet } = require('./commands/config') as typeof import('./commands/config');
      setExit(await runConfigSet({ model, ...options }, withContext()));
    });
  config
    .command('try <model>')
    .description('try a draft config beside the current one without making it current (a side-by-side run)')
    .option('--variant <name>', 'prompt variant')
    .option('--timeout <ms>', 'timeout in ms (ceiling 60000, 90000 for premium models)')
    .option('--handler <handler>', 'strict, auto, or comma-separated steps')
    .option('--fallback <id>', 'exact fallback model id, or none')
    .option('--fixtures <n>', 'fixtures (default 5)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (model: string, options: Omit<Parameters<typeof import('./commands/config').runConfigTry>[0], 'model'>) => {
      const { runConfigTry } = require('./commands/config') as typeof import('./commands/config');
      setExit(await runConfigTry({ model, ...options }, withContext()));
    });
  config
    .command('diff <model> <from> <to>')
    .description('diff two config versions')
    .option('--json', 'print one JSON object on stdout')
    .action(async (model: string, from: string, to: string, options: { json?: boolean }) => {
      const { runConfigDiff } = require('./commands/config') as typeof import('./commands/config');
      setExit(await runConfigDiff({ model, from, to, ...options }, withContext()));
    });
  config
    .command('history <model>')
    .description('every config version with its note (each one a fix attempt) and what it changed')
    .option('--json', 'print one JSON object on stdout')
    .action(async (model: string, options: { json?: boolean }) => {
      const { runConfigHistory } = require('./commands/config') as typeof import('./commands/config');
      setExit(await runConfigHistory({ model, ...options }, withContext()));
    });
  config
    .command('rollback <model> <version>')
    .description('write a new version equal to an old one')
    .option('--note <text>', 'why')
    .action(async (model: string, version: string, options: { note?: string }) => {
      const { runConfigRollback } = require('./commands/config') as typeof import('./commands/config');
      setExit(await runConfigRollback({ model, version, ...options }, withContext()));
    });

  program
    .command('verdict <model> <verdict>')
    .description('operator verdict: active, inactive or unfixable (with --reason)')
    .option('--reason <text>', 'why (required for unfixable)')
    .option('--retest-days <n>', 'unfixable: re-test after this many days (default 90)')
    .action(async (model: string, verdict: string, options: { reason?: string; retestDays?: string }) => {
      const { runVerdict } = require('./commands/config') as typeof import('./commands/config');
      setExit(await runVerdict({ model, verdict, ...options }, withContext()));
    });

  program
    .command('probe')
    .description('recovery probe: canary the auto-disabled models and re-enable those that answer cleanly (for cron)')
    .option('--fixtures <n>', 'fixtures per model (default 3)')
    .option('--json', 'print one JSON object on stdout')
    .action(action(async () => (require('./commands/probe') as typeof import('./commands/probe')).runProbeCommand));

  program
    .command('serve')
    .description('the console without a desktop: the web UI on 127.0.0.1, its URL (with a per-launch token) printed first')
    .option('--port <n>', 'port (default: a free one)')
    .option('--no-open', 'do not open a browser')
    .option('--probe-every <minutes>', 'recovery-probe the disabled models this often (default 30, 0: never)')
    .action(action(async () => (require('./commands/serve') as typeof import('./commands/serve')).runServe));

  program.addOption(new Option('--no-color', 'plain output').hideHelp());
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  // `fleetdeck status | head`: a closed pipe ends the command quietly, as it does for Unix tools.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  let exitCode: number = EXIT.ok;
  const program = buildProgram(
    { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    (code) => {
      exitCode = code;
    },
  );
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    // Input and lookup errors that reach here outside a command's own mapping (a workspace that
    // cannot be opened, for one) are the operator's to fix: one line, exit 2, as a usage error.
    if (error instanceof UsageError || error instanceof InputError || error instanceof NotFoundError) {
      process.stderr.write(`fleetdeck: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`fleetdeck: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.checkFailed;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
