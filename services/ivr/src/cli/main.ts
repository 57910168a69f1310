import { runFlowCommand } from './flow-command.ts';

// Stand-alone entry until the `switchyard` CLI mounts runFlowCommand: `tsx main.ts flow lint`.
const [group, ...rest] = process.argv.slice(2);
if (group !== 'flow') {
  console.error('usage: main.ts flow <lint|simulate|graph> ...');
  process.exitCode = 2;
} else {
  process.exitCode = await runFlowCommand(rest);
}
