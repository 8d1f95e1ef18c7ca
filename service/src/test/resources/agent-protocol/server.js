// An Agent Protocol server built with the official SDK (npm "agent-protocol"), for the service's tests.
// Usage: node server.js <workspace dir> [port]. Listens on 127.0.0.1 (on a free port when none is given), prints
// "LISTENING <port>" once it does, and "STEP <task id> <n>" when a step handler starts.
// The task's input selects what happens:
//   default      plan -> write_file (artifact out/report.md) -> ask_user -> summarize (echoes the input) -> finish
//   [fail500]    the second step throws: the SDK answers HTTP 500
//   [failtask]   creating the task throws: HTTP 500 on POST /ap/v1/agent/tasks
//   [slow]       the second step answers after 30 s
//   [endless]    steps never end; each takes 100 ms
//   [burst]      40 steps that answer at once, the last one last (for measuring overhead)
//   [3gb]        the first step writes out/huge.bin of 3 GiB (a sparse file: no disk used) as its artifact
//   [many]       the first step makes 8 small artifacts
'use strict';
const fs = require('fs');
const path = require('path');
const { default: Agent, v4: uuid } = require('agent-protocol');

const workspace = path.resolve(process.argv[2] || 'workspace');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function artifact(taskId, relativePath, fileName, content) {
  const dir = path.join(workspace, taskId, relativePath);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, fileName), content);
  return { artifact_id: uuid(), agent_created: true, file_name: fileName, relative_path: relativePath,
    created_at: Date.now().toString() };
}

async function taskHandler(taskId, taskInput) {
  const goal = String(taskInput ?? '');
  if (goal.includes('[failtask]')) {
    throw new Error('the agent cannot take this task');
  }
  let executed = 0;
  return async function stepHandler(stepInput) {
    executed += 1;
    console.log(`STEP ${taskId} ${executed}`);
    if (goal.includes('[endless]')) {
      await sleep(100);
      return { name: 'loop', output: `step ${executed}`, is_last: false };
    }
    if (goal.includes('[3gb]') && executed === 1) {
      const dir = path.join(workspace, taskId, 'out');
      fs.mkdirSync(dir, { recursive: true });
      const fd = fs.openSync(path.join(dir, 'huge.bin'), 'w');
      fs.ftruncateSync(fd, 3 * 1024 * 1024 * 1024);
      fs.closeSync(fd);
      return { name: 'write_file', output: 'Wrote a 3 GiB file', artifacts: [{ artifact_id: uuid(), agent_created: true,
        file_name: 'huge.bin', relative_path: 'out', created_at: Date.now().toString() }] };
    }
    if (goal.includes('[many]') && executed === 1) {
      const artifacts = [];
      for (let i = 0; i < 8; i++) {
        artifacts.push(artifact(taskId, 'many', `f${i}.txt`, `file ${i}\n`));
      }
      return { name: 'write_files', output: 'Wrote 8 files', artifacts };
    }
    if (goal.includes('[burst]')) {
      return { name: 'burst', output: `step ${executed}`, is_last: executed === 40 };
    }
    switch (executed) {
      case 1:
        return { name: 'plan', output: `Planning: ${goal}` };
      case 2:
        if (goal.includes('[fail500]')) {
          throw new Error('the model backend is down');
        }
        if (goal.includes('[slow]')) {
          await sleep(30000);
        }
        return { name: 'write_file', output: stepInput ? `Wrote out/report.md as asked: ${stepInput}` : 'Wrote out/report.md',
          artifacts: [artifact(taskId, 'out', 'report.md', `# Report\n\n${goal}\n`)] };
      case 3:
        return { name: 'ask_user', output: 'Which colour should the summary use?' };
      case 4:
        return { name: 'summarize', output: `Using your answer: ${stepInput}` };
      default:
        return { name: 'finish', output: 'All done', is_last: true };
    }
  };
}

const app = Agent.handleTask(taskHandler, { workspace }).build();
const server = app.listen(Number(process.argv[3] || 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
