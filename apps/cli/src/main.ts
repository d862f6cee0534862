import { apiKeysCommand, auditCommand } from './commands/access.commands';
import { runBrokerUntilSignal } from '@vigie/broker';
import { ConfigError } from '@vigie/config';
import { Command, CommanderError } from 'commander';
import {
  accountsCommand,
  deadLettersCommand,
  devicesCommand,
  kindsCommand,
  sitesCommand,
  tenantsCommand,
} from './commands/registry.commands';
import { addAlertRoutesCommand } from './commands/alert-routes.command';
import { alertsCommand } from './commands/alerts.command';
import { apiCommand } from './commands/api.command';
import { exportCommand, importCommand } from './commands/export.command';
import { kpiCommand } from './commands/kpi.command';
import { simulateCommand } from './commands/simulate.command';
import { stackCommand } from './commands/stack.command';
import { CliError } from './output';

const program = new Command('vigie')
  .description(
    'Vigie: sensor readings, KPIs and alerts for towns. Configuration comes from the environment (see .env.example).',
  )
  .showHelpAfterError()
  .exitOverride();

program.addCommand(stackCommand());
program.addCommand(
  new Command('broker')
    .description('Run the MQTT broker and the InfluxDB writer (production entry point)')
    .action(() => runBrokerUntilSignal()),
);
program.addCommand(apiCommand());
program.addCommand(tenantsCommand());
program.addCommand(sitesCommand());
program.addCommand(devicesCommand());
program.addCommand(accountsCommand());
program.addCommand(kindsCommand());
program.addCommand(apiKeysCommand());
program.addCommand(auditCommand());
program.addCommand(deadLettersCommand());
program.addCommand(simulateCommand());
program.addCommand(kpiCommand());
program.addCommand(exportCommand());
program.addCommand(importCommand());
// The `alerts` group (alerts, silences, rules): each part of alerting adds its subcommands to it.
const alerts = alertsCommand();
addAlertRoutesCommand(alerts);
program.addCommand(alerts);

/** Exits once stdout and stderr are flushed: a pipe takes large outputs (CSV imports) asynchronously. */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

program.parseAsync(process.argv).then(
  () => exit(Number(process.exitCode ?? 0)),
  (err: unknown) => {
    if (err instanceof CommanderError) return exit(err.exitCode === 0 ? 0 : 2);
    if (err instanceof CliError) {
      process.stderr.write(`vigie: ${err.message}\n`);
      return exit(err.exitCode);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`vigie: ${err.message}\nSee .env.example for every variable.\n`);
      return exit(2);
    }
    process.stderr.write(`vigie: ${(err as Error).message ?? String(err)}\n`);
    exit(1);
  },
);
